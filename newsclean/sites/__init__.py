"""Site rules: one small declarative ``SiteRule`` per site or CMS family, and matching a page to its rule.

A rule is data: CSS selectors for the body, title, deck, dates, reporters, section and tags, selectors of what to
drop from the body, and line patterns to strip. A page is matched by host, then by URL pattern, then by a markup
signature (a selector only that family's pages carry). A rule may be wrong or stale: every selector that finds
nothing leaves the field to the generic extractor.

Selectors that read an attribute instead of text are written ``selector@attribute``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import urlsplit

from selectolax.lexbor import LexborHTMLParser

__all__ = ["RULES", "SiteRule", "match_rule", "rule_named"]


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
        object.__setattr__(self, "_compiled", tuple(re.compile(p) for p in self.url_patterns))
        object.__setattr__(self, "_strip_compiled", tuple(re.compile(p) for p in self.strip_lines))

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

    def strips(self, line: str) -> bool:
        return any(p.search(line) for p in self._strip_compiled)


def _load_rules() -> tuple[SiteRule, ...]:
    from . import (
        article_html_no,
        chosun,
        dadamedia,
        donga,
        entermedia,
        hankookilbo,
        mk,
        naver,
        ndsoft,
    )

    return (
        naver.RULE,
        mk.RULE,
        hankookilbo.RULE,
        chosun.RULE,
        donga.RULE,
        entermedia.RULE,
        dadamedia.RULE,
        ndsoft.RULE,
        article_html_no.RULE,
    )


RULES: tuple[SiteRule, ...] = _load_rules()


def rule_named(name: str) -> SiteRule:
    """The registered rule called ``name``; ``KeyError`` when there is none."""
    for rule in RULES:
        if rule.name == name:
            return rule
    raise KeyError(name)


def match_rule(*, host: str | None, urls: tuple[str | None, ...], tree: LexborHTMLParser) -> SiteRule | None:
    """The rule for a page: by host first, then by URL pattern, then by markup signature; ``None`` if none fits."""
    for rule in RULES:
        if rule.matches_host(host):
            return rule
    for rule in RULES:
        if any(rule.matches_url(url) for url in urls):
            return rule
    signed = tuple(rule for rule in RULES if rule.signatures)
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
