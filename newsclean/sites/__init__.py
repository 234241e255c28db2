"""CMS families: each declared once, in one file of this package, and the registry every stage reads.

A family (``Family``) is one site or CMS layout under one name: its extraction rule (``SiteRule``), its URL
shapes (``UrlShapes``: article ids, the id -> URL template of the id walk, query parameters its canonical URLs
drop), its discovery (``Discovery``: article links, section lists, paging, the all-articles list, well-known
feeds) and its text-dump markers (``Markers``). ``match_rule`` (cleaning), ``newsclean.clean.urls`` (ids, canonical
form), ``newsclean.net.discover`` (the crawlers) and the text-dump path all read the families registered here:
the built-in ones (one module each in this package), then any a user registers with ``register_family`` or
``register_family_file``. A user's families are tried before the built-in ones.

A rule is data: CSS selectors for the body, title, deck, dates, reporters, section and tags, selectors of what to
drop from the body, and line patterns to strip. A page is matched by host, then by URL pattern, then by a markup
signature (a selector only that family's pages carry). A rule may be wrong or stale: every selector that finds
nothing leaves the field to the generic extractor.

Selectors that read an attribute instead of text are written ``selector@attribute``.
"""

from __future__ import annotations

import importlib.util
import pkgutil
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from urllib.parse import urlsplit

from selectolax.lexbor import LexborHTMLParser

from ..errors import FamilyError

__all__ = [
    "Discovery",
    "Family",
    "Markers",
    "SiteRule",
    "UrlShapes",
    "article_id_patterns",
    "dropped_query_params",
    "families",
    "family_named",
    "install_families",
    "load_family",
    "marker_lines",
    "match_rule",
    "register_family",
    "register_family_file",
    "registered_families",
    "rule_named",
    "title_markers",
    "unregister_family",
]


@dataclass(frozen=True)
class SiteRule:
    """What one site or CMS family's article pages look like."""

    name: str
    # Matching, tried in this order over all rules: host suffix, URL regex (path?query), markup signature.
    hosts: tuple[str, ...] = ()
    url_patterns: tuple[str, ...] = ()
    signatures: tuple[str, ...] = ()
    # Fields: the first selector that finds a non-empty value wins.
    body: tuple[str, ...] = ()
    title: tuple[str, ...] = ()
    subtitles: tuple[str, ...] = ()  # every match, one subtitle per <br>-separated line
    published: tuple[str, ...] = ()  # text read by dates.py (labels honoured) or an attribute
    modified: tuple[str, ...] = ()
    authors: tuple[str, ...] = ()  # text read as a byline
    section: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()  # every match is one tag
    # Body cleaning.
    drop: tuple[str, ...] = ()  # removed from the body before paragraphs are listed
    captions: tuple[str, ...] = ()  # caption elements of the body's images
    strip_lines: tuple[str, ...] = ()  # regexes; a paragraph matching one is dropped
    lead_block_is_subtitle: bool = False  # the body's first short block is the deck (column pages)
    _compiled: tuple[re.Pattern[str], ...] = field(default=(), repr=False, compare=False)
    _strip_compiled: tuple[re.Pattern[str], ...] = field(default=(), repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_compiled", _compile(self.url_patterns, what=f"rule {self.name!r}"))
        object.__setattr__(self, "_strip_compiled", _compile(self.strip_lines, what=f"rule {self.name!r}"))

    def matches_host(self, host: str | None) -> bool:
        return bool(host) and any(host == h or host.endswith("." + h) for h in self.hosts)  # type: ignore[union-attr]

    def matches_url(self, url: str | None) -> bool:
        if not url:
            return False
        parts = urlsplit(url)
        target = parts.path + ("?" + parts.query if parts.query else "")
        return any(p.search(target) for p in self._compiled)

    def matches_markup(self, tree: LexborHTMLParser) -> bool:
        return any(tree.css_first(s) is not None for s in self.signatures)

    def drops_line(self, line: str) -> bool:
        """True when ``line`` matches one of the rule's ``strip_lines`` patterns: it is not article text."""
        return any(p.search(line) for p in self._strip_compiled)


def _compile(patterns: tuple[str, ...], *, what: str, groups: int = 0) -> tuple[re.Pattern[str], ...]:
    """``patterns`` compiled; a pattern that does not compile (or lacks the ``groups`` it needs) is a
    ``FamilyError`` naming it."""
    out: list[re.Pattern[str]] = []
    for pattern in patterns:
        try:
            compiled = re.compile(pattern)
        except re.error as exc:
            raise FamilyError(f"{what}: the pattern {pattern!r} is no regular expression: {exc}") from exc
        if compiled.groups < groups:
            raise FamilyError(f"{what}: the pattern {pattern!r} needs a group that captures the article id")
        out.append(compiled)
    return tuple(out)


@dataclass(frozen=True)
class UrlShapes:
    """A family's article URLs: how to read an id from one, build one for an id, and put one in canonical form."""

    # Regexes over a URL's "path?query"; group 1 is the article id. Tried before the generic forms of urls.py.
    article_ids: tuple[str, ...] = ()
    # The article URL of an id, for the id walk: a path with "{id}" ("/news/view.php?idx={id}").
    id_url: str | None = None
    # Query parameters that never change which article a URL shows (section codes, list and search context).
    dropped_params: frozenset[str] = frozenset()
    _article_ids: tuple[re.Pattern[str], ...] = field(default=(), repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_article_ids", _compile(self.article_ids, what="article id", groups=1))
        if self.id_url is not None and (not self.id_url.startswith("/") or self.id_url.count("{id}") != 1):
            raise FamilyError(f"id_url {self.id_url!r} must be a path starting with '/' holding '{{id}}' once")

    @property
    def id_patterns(self) -> tuple[re.Pattern[str], ...]:
        return self._article_ids


@dataclass(frozen=True)
class Discovery:
    """Where a crawler finds a family's articles: linked article pages, paged section lists, feeds."""

    # Regex over a same-site link's "path?query": an article page.
    article: str
    # Regex over a link's "path?query": a section list worth walking page by page.
    section: str | None = None
    # The query parameter holding a list's page number.
    page_param: str = "page"
    # Path (and query) of a list of every article, walked instead of the section lists.
    all_list: str | None = None
    # Paths of well-known feeds.
    feeds: tuple[str, ...] = ()
    _article: re.Pattern[str] = field(default=re.compile(""), repr=False, compare=False)
    _section: re.Pattern[str] | None = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        (article,) = _compile((self.article,), what="article link")
        object.__setattr__(self, "_article", article)
        if self.section is not None:
            object.__setattr__(self, "_section", _compile((self.section,), what="section list")[0])

    def is_article(self, target: str) -> bool:
        """True when a link's "path?query" is an article page of the family."""
        return self._article.search(target) is not None

    def is_section(self, target: str) -> bool:
        """True when a link's "path?query" is a section list of the family."""
        return self._section is not None and self._section.search(target) is not None


@dataclass(frozen=True)
class Markers:
    """Lines of a family's pages as plain text (a text dump) that only the family prints."""

    # Whole lines of its header and footer that are never article text.
    lines: frozenset[str] = frozenset()
    # Lines right after which the headline comes.
    title_follows: tuple[str, ...] = ()
    # The headline line carries the subtitles after this separator ("제목 - 부제").
    title_separator: str | None = None


@dataclass(frozen=True)
class Family:
    """One site or CMS family, declared once: its rule, URL shapes, discovery and text-dump markers.

    Its one name is its rule's name."""

    rule: SiteRule
    urls: UrlShapes = UrlShapes()
    discovery: Discovery | None = None
    markers: Markers = Markers()

    @property
    def name(self) -> str:
        return self.rule.name


# The registry ---------------------------------------------------------------------------------------------

# Built-in families: every module of this package (one family each), tried in name order. Their hosts and URL
# shapes do not overlap, so the order decides nothing; a module is found by being here.
BUILT_IN_MODULES = tuple(sorted(info.name for info in pkgutil.iter_modules(__path__) if not info.ispkg))
# Families a user registered (tried first, in the order registered), then the built-in ones.
_registered: list[Family] = []
_built_in: list[Family] = []


def _load_built_in() -> None:
    for name in BUILT_IN_MODULES:
        module = importlib.import_module(f"{__name__}.{name}")
        family = module.FAMILY
        assert isinstance(family, Family) and family.name == name, name
        _built_in.append(family)


def families() -> tuple[Family, ...]:
    """Every registered family, in the order they are tried: a user's own first, then the built-in ones."""
    return _families()


@lru_cache(maxsize=1)
def _families() -> tuple[Family, ...]:
    return (*_registered, *_built_in)


def _changed() -> None:
    for cached in (_families, article_id_patterns, dropped_query_params, marker_lines, title_markers):
        cached.cache_clear()


def registered_families() -> tuple[Family, ...]:
    """The families registered with ``register_family``, in the order registered (not the built-in ones)."""
    return tuple(_registered)


def family_named(name: str) -> Family:
    """The registered family called ``name``; ``KeyError`` when there is none."""
    for family in _families():
        if family.name == name:
            return family
    raise KeyError(name)


def rule_named(name: str) -> SiteRule:
    """The extraction rule of the family called ``name``; ``KeyError`` when there is none."""
    return family_named(name).rule


def register_family(family: Family) -> Family:
    """Register a family of one's own: every stage reads it from now on, before the built-in ones.

    Raises ``FamilyError`` when ``family`` is no ``Family`` or its name is taken (``unregister_family`` first to
    replace one)."""
    if not isinstance(family, Family):
        raise FamilyError(f"register_family needs a newsclean.sites.Family, not {type(family).__name__}")
    if any(f.name == family.name for f in _families()):
        raise FamilyError(
            f"a family named {family.name!r} is registered already; unregister it first or give yours another name"
        )
    _registered.append(family)
    _changed()
    return family


def unregister_family(name: str) -> Family:
    """Remove a family registered with ``register_family`` and return it; built-in families stay.

    Raises ``FamilyError`` when no family of one's own has that name."""
    for index, family in enumerate(_registered):
        if family.name == name:
            del _registered[index]
            _changed()
            return family
    kind = "a built-in family, which cannot be removed" if any(f.name == name for f in _built_in) else "not registered"
    raise FamilyError(f"no registered family of your own is named {name!r} ({kind})")


def install_families(families: tuple[Family, ...]) -> None:
    """Register each of ``families`` not registered yet: a worker process is handed its parent's own families
    (``registered_families()``) so that it cleans as the parent would (a forked one has them already)."""
    for family in families:
        if family not in _registered:
            register_family(family)


def load_family(path: str | Path) -> Family:
    """The family a Python file declares as ``FAMILY = Family(...)``, without registering it.

    Raises ``FamilyError`` when the file cannot be read or run, or declares no ``FAMILY``."""
    path = Path(path)
    if not path.is_file():
        raise FamilyError(f"no family file at {str(path)!r}")
    module_name = "newsclean_family_" + re.sub(r"\W", "_", path.stem) + f"_{abs(hash(str(path.resolve())))}"
    spec = importlib.util.spec_from_file_location(module_name, path)
    if spec is None or spec.loader is None:
        raise FamilyError(f"{str(path)!r} cannot be loaded as a Python module (it must end in .py)")
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module  # dataclasses and pickling look a module up by name
    try:
        spec.loader.exec_module(module)
    except FamilyError as exc:
        del sys.modules[module_name]
        raise FamilyError(f"{str(path)!r} declares a bad family: {exc}") from exc
    except Exception as exc:
        del sys.modules[module_name]
        raise FamilyError(f"{str(path)!r} could not be run: {type(exc).__name__}: {exc}") from exc
    family = getattr(module, "FAMILY", None)
    if not isinstance(family, Family):
        del sys.modules[module_name]
        raise FamilyError(f"{str(path)!r} declares no FAMILY = newsclean.sites.Family(...)")
    return family


def register_family_file(path: str | Path) -> Family:
    """Load the family a Python file declares (``load_family``) and register it (``register_family``)."""
    return register_family(load_family(path))


@lru_cache(maxsize=1)
def article_id_patterns() -> tuple[re.Pattern[str], ...]:
    """The article-id patterns of every family, in the order families are tried (group 1 is the id)."""
    return tuple(p for family in _families() for p in family.urls.id_patterns)


@lru_cache(maxsize=1)
def dropped_query_params() -> frozenset[str]:
    """The query parameters some family's canonical URLs drop."""
    return frozenset().union(*(family.urls.dropped_params for family in _families()))


@lru_cache(maxsize=1)
def marker_lines() -> frozenset[str]:
    """Whole text-dump lines that some family prints around its articles (header and footer furniture)."""
    return frozenset().union(*(family.markers.lines for family in _families()))


@lru_cache(maxsize=1)
def title_markers() -> Mapping[str, str | None]:
    """Text-dump lines after which a family's headline comes -> the separator of that headline's subtitles."""
    out: dict[str, str | None] = {}
    for family in _families():
        for marker in family.markers.title_follows:
            out.setdefault(marker, family.markers.title_separator)
    return MappingProxyType(out)


def match_rule(*, host: str | None, urls: tuple[str | None, ...], tree: LexborHTMLParser) -> SiteRule | None:
    """The rule for a page: by host first, then by URL pattern, then by markup signature; ``None`` if none fits."""
    rules = [family.rule for family in _families()]
    for rule in rules:
        if rule.matches_host(host):
            return rule
    for rule in rules:
        if any(rule.matches_url(url) for url in urls):
            return rule
    signed = tuple(rule for rule in rules if rule.signatures)
    # Most pages carry no signature: one test of all of them at once tells, before one walk of the tree per rule.
    if not signed or not tree.css_matches(_any_signature(signed)):
        return None
    for rule in signed:
        if rule.matches_markup(tree):
            return rule
    return None


@lru_cache(maxsize=8)
def _any_signature(rules: tuple[SiteRule, ...]) -> str:
    """One selector matching what any signature of ``rules`` matches."""
    return ", ".join(signature for rule in rules for signature in rule.signatures)


_load_built_in()
