"""HTML body blocks: HtmlPage (+ site rule) -> list[Block], the text blocks and images of the body container.

Stage 4a of the HTML path:

1. choose the body container: the rule's selector, else the generic choice by Korean text density;
2. drop what the rule says is not body;
3. list its text blocks and images as the page lays them out (``blocks``).

Nodes never leave the cleaner's HTML modules; a block carries plain strings.
"""

from __future__ import annotations

from selectolax.lexbor import LexborHTMLParser, LexborNode

from ..lazy import LazyPattern
from ..sites import SiteRule
from ..text import hangul_count
from .blocks import Block, BlockWalker, hidden_by, mark_images, noise_token_in
from .boilerplate import count_sentence_endings
from .markup import (
    NOISE_TAGS,
)
from .page import HtmlPage

__all__ = ["dom_blocks"]


# A text unit shorter than this (characters) gives its container no score: menu items, labels, headlines.
MIN_UNIT_CHARS = 25
# Score points per Korean sentence ending in a unit, on top of one point per Hangul syllable.
SENTENCE_POINTS = 40
# Share of a unit's score its grandparent gets (the parent of a <p> gets all of it).
GRANDPARENT_SHARE = 0.5
# A container whose link text is more than this share of its text is a list of links, not a body.
MAX_LINK_DENSITY = 0.5
# Elements whose own text (text nodes between <br>s, not in a <p>) is scored as a body's.
DIRECT_TEXT_CONTAINERS = "div, td, article, section, span, font, blockquote, main, dd, center, pre, b, strong, li"

# The elements read for units: <p>s and the direct-text containers, picked by tag in one walk over the body's
# elements. A selector list of these fifteen tags costs more: lexbor tries each selector of a list on every element.
_UNIT_TAGS = frozenset(("p", *DIRECT_TEXT_CONTAINERS.split(", ")))


def _at_least_hangul(count: int) -> LazyPattern:
    """A pattern that matches (from the start) a text holding at least ``count`` Hangul syllables."""
    return LazyPattern(rf"\A(?:[^가-힣]*+[가-힣]){{{count}}}")  # anchored: a search never rescans from inside


_UNIT_HANGUL_RE = _at_least_hangul(MIN_UNIT_CHARS)


def _rule_container(tree: LexborHTMLParser, rule: SiteRule) -> LexborNode | None:
    for selector in rule.body:
        node = tree.css_first(selector)
        if node is not None and _UNIT_HANGUL_RE.match(node.text()):
            return node
    return None


def _unit_score(text: str) -> float:
    # An ASCII text (the spacing between an element's children, mostly) holds no syllable and no sentence ending
    # (each one ends a Korean word); ``isascii`` reads a flag the string carries.
    if len(text) < MIN_UNIT_CHARS or text.isascii():
        return 0.0
    return hangul_count(text) + SENTENCE_POINTS * count_sentence_endings(text)


def _choose_container(tree: LexborHTMLParser) -> LexborNode | None:
    """The element holding the article: the one whose own paragraphs (its <p> children, its direct text, half of
    its grandchildren's) score highest on Korean prose, outside boilerplate boxes and link lists."""
    body = tree.body
    if body is None:
        return None
    noisy: dict[int, bool] = {}

    def in_noise(node: LexborNode) -> bool:
        chain: list[int] = []
        current: LexborNode | None = node
        verdict = False
        while current is not None and current.tag not in ("body", "html"):
            key = current.mem_id
            if key in noisy:
                verdict = noisy[key]
                break
            chain.append(key)
            tag = current.tag
            if tag in NOISE_TAGS or tag == "a":
                verdict = True
                break
            attrs = current.attributes
            if noise_token_in(attrs) or hidden_by(attrs):
                verdict = True
                break
            current = current.parent
        for key in chain:
            noisy[key] = verdict
        return verdict

    scores: dict[int, float] = {}
    nodes: dict[int, LexborNode] = {}

    def credit(node: LexborNode | None, points: float) -> None:
        if node is None or node.tag in ("body", "html"):
            return
        key = node.mem_id
        nodes[key] = node
        scores[key] = scores.get(key, 0.0) + points

    # One walk finds the <p>s and the direct-text containers; the <p>s are credited first (the order of credit
    # decides among equal scores), the containers after them in document order.
    containers: list[LexborNode] = []
    unit_tags = _UNIT_TAGS
    for node in body.traverse():  # the body's elements in document order (the body itself is no unit)
        tag = node.tag
        if tag not in unit_tags:
            continue
        if tag != "p":
            containers.append(node)
            continue
        points = _unit_score(node.text())
        if points and not in_noise(node):
            parent = node.parent
            credit(parent, points)
            credit(parent.parent if parent is not None else None, points * GRANDPARENT_SHARE)
    for node in containers:
        text = node.text(deep=False)
        if len(text) < MIN_UNIT_CHARS or text.isascii():
            continue  # scores nothing (``_unit_score``): most elements, tested without a call
        points = _unit_score(text)
        if points and not in_noise(node):
            credit(node, points)
            credit(node.parent, points * GRANDPARENT_SHARE)
    ranked = sorted(scores, key=scores.__getitem__, reverse=True)
    for key in ranked[:5]:
        node = nodes[key]
        text = node.text()
        links = sum(len(a.text()) for a in node.css("a"))
        if len(text) and links / len(text) <= MAX_LINK_DENSITY:
            return node
    # Every leading element is link-heavy (a body that shares its element with link lists): the best one still
    # holds the article; the walker drops the link blocks inside it.
    return nodes[ranked[0]] if ranked else None


def dom_blocks(page: HtmlPage, *, rule: SiteRule | None) -> list[Block]:
    """The blocks of the page's body container (the rule's, else the generic choice); [] when there is none."""
    container = _rule_container(page.tree, rule) if rule else None
    if container is None:
        container = _choose_container(page.tree)
    if container is None:
        return []
    if rule:
        for selector in rule.drop:
            for node in container.css(selector):
                if node.tag == "script" or node.css_first("script") is not None:
                    page.forget_scripts()  # the page's scripts are read from the tree again
                node.decompose()
    images = mark_images(container, page, rule)
    walker = BlockWalker(rule=rule, images=images)
    walker.walk(container)
    walker.flush()
    return walker.blocks
