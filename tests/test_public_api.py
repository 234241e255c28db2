"""The public surface: __all__ lists exactly the public names, sorted."""

from __future__ import annotations

import newsclean


def test_all_matches_public_names() -> None:
    public = {name for name in vars(newsclean) if not name.startswith("_")}
    modules = {name for name in public if type(getattr(newsclean, name)).__name__ == "module"}
    assert set(newsclean.__all__) == (public - modules) | {"__version__"}


def test_all_is_sorted() -> None:
    names = [n for n in newsclean.__all__ if n != "__version__"]
    assert names == sorted(names, key=lambda n: (n[0].islower(), n))


def test_version_is_a_string() -> None:
    assert isinstance(newsclean.__version__, str) and newsclean.__version__.count(".") == 2
