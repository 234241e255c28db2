"""The import layers: a module imports only modules of its own layer or lower ones.

The layout shows them: the pure cleaner (base, ``sites/``, ``clean/``, ``api``) below the network half
(``net/``) and the corpus half (``corpus/``), with the command line and the package surface on top. A new
module is placed by its folder; an import that climbs a layer fails here.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import newsclean

PACKAGE = Path(newsclean.__file__).parent

# Lowest first. A module's layer is that of the longest entry its dotted name starts with.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("newsclean.errors", "newsclean.text", "newsclean.phrases", "newsclean.lazy"),
    ("newsclean.models",),
    ("newsclean.sites",),
    ("newsclean.clean",),
    ("newsclean.api",),
    ("newsclean.net",),
    ("newsclean.corpus",),
    ("newsclean.cli", "newsclean.__main__", "newsclean"),
)


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def layer_of(name: str) -> int:
    best, best_len = -1, -1
    for level, prefixes in enumerate(LAYERS):
        for prefix in prefixes:
            if (name == prefix or name.startswith(prefix + ".")) and len(prefix) > best_len:
                best, best_len = level, len(prefix)
    if best < 0:
        raise AssertionError(f"{name} is in no layer")
    return best


def _imports(path: Path, name: str) -> list[tuple[int, str]]:
    """(line, imported newsclean module) for every import of the module, top-level or inside a function."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names if a.name.split(".")[0] == "newsclean"]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target.split(".")[0] != "newsclean":
                continue
            # ``from . import x`` imports the module x when there is one.
            for alias in node.names:
                sub = f"{target}.{alias.name}"
                sub_path = PACKAGE.parent.joinpath(*sub.split("."))
                is_module = sub_path.with_suffix(".py").exists() or (sub_path / "__init__.py").exists()
                found.append((node.lineno, sub if is_module else target))
    return found


MODULES = sorted(PACKAGE.rglob("*.py"))


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_module_imports_a_higher_layer(path: Path) -> None:
    name = _module_name(path)
    own = layer_of(name)
    climbs = [
        f"line {line}: {target} (layer {layer_of(target)})"
        for line, target in _imports(path, name)
        if layer_of(target) > own
    ]
    assert not climbs, f"{name} (layer {own}) imports a higher layer: " + "; ".join(climbs)


def test_every_module_has_a_layer() -> None:
    for path in MODULES:
        layer_of(_module_name(path))


def test_a_climbing_import_is_caught(tmp_path: Path) -> None:
    """The check itself can fail: a cleaner stage importing the crawler, or a site file a cleaner stage, is found."""
    stage = tmp_path / "stage.py"
    stage.write_text(
        "from ..net import crawl\nfrom .page import HtmlPage\n\ndef f():\n    from ..api import clean_article\n"
    )
    found = dict((target, line) for line, target in _imports(stage, "newsclean.clean.stage"))
    assert found == {"newsclean.net.crawl": 1, "newsclean.clean.page": 2, "newsclean.api": 5}
    own = layer_of("newsclean.clean.stage")
    assert [t for t in found if layer_of(t) > own] == ["newsclean.net.crawl", "newsclean.api"]
    site = tmp_path / "family.py"
    site.write_text("from ..clean.urls import canonical_url\n")
    assert [layer_of(t) > layer_of("newsclean.sites.family") for _, t in _imports(site, "newsclean.sites.family")] == [
        True
    ]


# The cleaner's stages (``api._pipeline`` calls them in order) and the helpers they share. A stage imports
# helpers and the loaded page's types, never another stage: no stage calls back into an earlier one.
STAGES = ("metadata", "html_body", "scripts", "paragraphs", "textdump", "finish")
HELPERS = ("page", "blocks", "boilerplate", "dates", "dedup", "draft", "markup", "urls")


def test_the_cleaner_is_stages_and_helpers() -> None:
    names = {path.stem for path in (PACKAGE / "clean").glob("*.py")} - {"__init__"}
    assert names == set(STAGES) | set(HELPERS)


@pytest.mark.parametrize("stage", STAGES)
def test_no_stage_imports_another(stage: str) -> None:
    path = PACKAGE / "clean" / f"{stage}.py"
    inside = {t.rpartition(".")[2] for _, t in _imports(path, f"newsclean.clean.{stage}") if ".clean." in t}
    assert inside <= set(HELPERS), f"{stage} imports stages {sorted(inside - set(HELPERS))}"


@pytest.mark.parametrize("helper", HELPERS)
def test_no_helper_imports_a_stage(helper: str) -> None:
    path = PACKAGE / "clean" / f"{helper}.py"
    inside = {t.rpartition(".")[2] for _, t in _imports(path, f"newsclean.clean.{helper}") if ".clean." in t}
    assert not inside & set(STAGES), f"{helper} imports stages {sorted(inside & set(STAGES))}"
