"""Script bodies: HtmlPage -> the article body a script holds (JSON-LD ``articleBody``, Next.js, Arc/Fusion).

Stage 4b of the HTML path, for client-rendered pages: read when the visible DOM holds no body, or when one script
holds much more Korean text than the chosen element (a page whose markup shows only a teaser).
"""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from selectolax.lexbor import LexborHTMLParser

from ..lazy import LazyPattern
from ..text import hangul_count
from .blocks import Block, BlockWalker, mark_images
from .markup import SCRIPT_BODY_KEYS, SCRIPT_TEXT_ELEMENT_KEYS, SCRIPT_TEXT_ELEMENT_TYPES
from .page import HtmlPage

__all__ = ["ScriptBody", "script_body"]

_HANGUL_RE = LazyPattern(r"[가-힣]")


# A DOM body with fewer Hangul syllables than this is treated as missing (client-rendered page).
MIN_DOM_BODY_HANGUL = 150
# Scripts shorter than this (characters) hold no article body.
MIN_SCRIPT_CHARS = 200
# A script string with fewer Hangul syllables than this is not an article body (a teaser, a title).
MIN_SCRIPT_BODY_HANGUL = 60
# A script holding this many times the Korean text of the chosen element is read for the body too.
SCRIPT_OUTWEIGHS = 3
# Text elements a script list must hold to be read as a body (``content_elements`` of Arc/Fusion and the like).
MIN_SCRIPT_TEXT_ELEMENTS = 2


def _script_outweighs(page: HtmlPage, dom_hangul: int) -> bool:
    """True when one script (other than JSON-LD) holds more Hangul than SCRIPT_OUTWEIGHS times the DOM body's."""
    for kind, text in page.script_texts():
        if kind == "application/ld+json":
            continue
        if len(text) <= SCRIPT_OUTWEIGHS * dom_hangul or len(text) < MIN_SCRIPT_CHARS or text.isascii():
            continue  # too short to hold that many syllables, or no Korean at all
        if hangul_count(text) > SCRIPT_OUTWEIGHS * dom_hangul:
            return True
    return False


def _script_blocks(page: HtmlPage) -> ScriptBody | None:
    """Body blocks from a script: JSON-LD ``articleBody``, then any script JSON holding the longest Korean text
    under a body key (Next.js ``__NEXT_DATA__``, React-Query states, Arc/Fusion globals)."""
    best: tuple[int, str, dict[str, Any]] | None = None
    for obj in _script_objects(page):
        for holder, value in _body_values(obj):
            score = hangul_count(value)
            if score >= MIN_SCRIPT_BODY_HANGUL and (best is None or score > best[0]):
                best = (score, value, holder)
    if best is None:
        return None
    value, holder = best[1], best[2]
    if "<" in value and ">" in value:
        fragment = LexborHTMLParser(f"<html><body><div>{value}</div></body></html>")
        root = fragment.body
        if root is None:
            return ScriptBody(blocks=[], holder=holder)
        fake = HtmlPage(html=value, url=page.url, encoding=page.encoding, tree=fragment)
        images = mark_images(root, fake, None)
        walker = BlockWalker(rule=None, images=images)
        walker.walk(root)
        walker.flush()
        return ScriptBody(blocks=walker.blocks, holder=holder)
    lines = re.split(r"\n\s*\n|\r?\n", value)
    return ScriptBody(blocks=[Block(lines=[line]) for line in lines if line.strip()], holder=holder)


_ASSIGN_RE = LazyPattern(r"(?:\.push\(|=\s*)(?=[\[{])")


def _script_objects(page: HtmlPage) -> Iterator[object]:
    yield from page.json_ld
    decoder = json.JSONDecoder(strict=False)
    for kind, text in page.script_texts():
        if kind == "application/ld+json":
            continue
        if len(text) < MIN_SCRIPT_CHARS:
            continue
        has_hangul = not text.isascii() and _HANGUL_RE.search(text) is not None  # an ASCII script is not searched
        if not (has_hangul or "\\u" in text):
            continue
        if kind == "application/json":
            with contextlib.suppress(ValueError):
                yield json.loads(text, strict=False)
            continue
        for match in _ASSIGN_RE.finditer(text):
            try:
                value, _ = decoder.raw_decode(text, match.end())
            except ValueError:
                continue
            yield value
            yield from _flight_chunks(value, decoder)


def _flight_chunks(value: object, decoder: json.JSONDecoder) -> Iterator[object]:
    """React server-component payloads (``self.__next_f.push([1, "5:[…]"])``): JSON after a ``N:`` prefix."""
    if isinstance(value, list) and len(value) == 2 and isinstance(value[1], str):
        chunk = value[1]
        head = re.match(r"\A[0-9a-f]++:(?=[\[{])", chunk)
        if head:
            try:
                yield decoder.raw_decode(chunk, head.end())[0]
            except ValueError:
                return


def _body_values(obj: object) -> Iterator[tuple[dict[str, Any], str]]:
    """Candidate bodies in a decoded script value, each with the object that holds it: a string under a body
    key, or a list of text elements (``[{"type": "text", "content": …}, …]``) joined as HTML paragraphs.
    The value is walked with an explicit stack, so no nesting depth can exhaust the interpreter's."""
    stack: list[tuple[object, dict[str, Any] | None]] = [(obj, None)]
    while stack:
        value, holder = stack.pop()
        if isinstance(value, dict):
            for key in SCRIPT_BODY_KEYS:
                text = value.get(key)
                if isinstance(text, str) and len(text) >= MIN_SCRIPT_BODY_HANGUL:
                    yield value, text
            stack.extend((child, value) for child in value.values() if isinstance(child, (dict, list)))
        elif isinstance(value, list):
            if holder is not None:
                joined = _text_elements(value)
                if joined is not None:
                    yield holder, joined
            stack.extend((child, holder) for child in value if isinstance(child, (dict, list)))


def _text_elements(items: list[Any]) -> str | None:
    """The paragraphs of a list of text elements as HTML, or ``None`` when the list is not one."""
    texts: list[str] = []
    for item in items:
        if not isinstance(item, dict):
            continue
        kind = item.get("type")
        if kind is not None and kind not in SCRIPT_TEXT_ELEMENT_TYPES:
            continue
        text = next((item[k] for k in SCRIPT_TEXT_ELEMENT_KEYS if isinstance(item.get(k), str)), None)
        if text and text.strip():
            texts.append(text)
    if len(texts) < MIN_SCRIPT_TEXT_ELEMENTS:
        return None
    return "".join(f"<p>{text}</p>" for text in texts)


@dataclass(frozen=True)
class ScriptBody:
    """The body blocks a script holds ([] when they hold less than the DOM's), and the object they were found in."""

    blocks: list[Block]
    holder: dict[str, Any]  # its title, dates and reporters are the article's too (``metadata.fill_from_script``)


def script_body(page: HtmlPage, *, dom_blocks: list[Block]) -> ScriptBody | None:
    """The body a script holds, when the DOM shows none or far less Korean text; ``None`` when none is read."""
    dom_hangul = hangul_count(" ".join(b.text for b in dom_blocks))
    if dom_hangul >= MIN_DOM_BODY_HANGUL and not _script_outweighs(page, dom_hangul):
        return None
    found = _script_blocks(page)
    if found is not None and hangul_count(" ".join(b.text for b in found.blocks)) <= dom_hangul:
        return ScriptBody(blocks=[], holder=found.holder)
    return found
