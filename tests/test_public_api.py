"""The public surface: __all__ lists exactly the public names, sorted."""

from __future__ import annotations

import newsclean


def test_all_matches_public_names() -> None:
    public = {name for name in dir(newsclean) if not name.startswith("_")}
    modules = {name for name in public if type(getattr(newsclean, name)).__name__ == "module"}
    assert set(newsclean.__all__) == (public - modules) | {"__version__"}


def test_all_is_sorted() -> None:
    names = [n for n in newsclean.__all__ if n != "__version__"]
    assert names == sorted(names, key=lambda n: (n[0].islower(), n))


def test_version_is_a_string() -> None:
    assert isinstance(newsclean.__version__, str) and newsclean.__version__.count(".") == 2


def test_every_lazy_name_loads() -> None:
    for name in newsclean.__all__:
        assert getattr(newsclean, name) is not None


def test_cleaning_does_not_import_the_network_or_the_crawler() -> None:
    import subprocess
    import sys
    from pathlib import Path

    seed = Path(__file__).resolve().parent.parent / "fixtures" / "gginews2.dadamedia.net" / "66849.txt"
    code = (
        "import sys, pathlib, newsclean, newsclean.cli, newsclean.corpus.batch;"
        f"newsclean.clean_article(pathlib.Path({str(seed)!r}).read_bytes());"
        "heavy = ('httpx', 'newsclean.net.fetch', 'newsclean.net.crawl', 'newsclean.net.store');"
        "print(sorted(m for m in heavy if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
