"""Blocks: an HTML element -> its text blocks and images, as the page lays them out.

The tool the HTML body stages share (the body container in ``html_body``, an HTML string held in a script in
``scripts``): image boxes are marked and their captions read first (``mark_images``), then the walker lists the
element's blocks (``<p>``, block elements and ``<br><br>`` end a paragraph, a single ``<br>`` a line), leaving out
noise boxes, hidden elements and link counts. Nodes never leave this module; a block carries plain strings.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import urljoin

from selectolax.lexbor import LexborNode

from ..lazy import LazyPattern
from ..phrases import CAPTION_SUFFIXES
from ..sites import SiteRule
from ..text import fold_spaces
from .boilerplate import count_sentence_endings
from .draft import DraftImage
from .markup import (
    BLOCK_TAGS,
    CAPTION_TOKENS,
    IMAGE_BOX_TAGS,
    IMAGE_URL_ATTRIBUTES,
    NOISE_TAGS,
    NOISE_TOKENS,
    class_tokens,
)
from .page import HtmlPage

__all__ = ["Block", "BlockWalker", "hidden_by", "mark_images", "noise_token_in"]

# The text around an image (characters) above which it is body text, not the image's caption.
MAX_CAPTION_CHARS = 400
# Sentence endings above which text around an image is body text, not a caption.
MAX_CAPTION_SENTENCES = 3
# Images of the body container boxed, captioned and listed, in page order; those after them are left out. A photo
# story shows a few hundred at most, and each one costs a climb to its box and a caption read: a page of thousands
# of images (a gallery dump, a hostile page) costs no more than this many.
MAX_BODY_IMAGES = 500
# Marker attribute put on image boxes found in the body container.
_IMAGE_MARK = "data-newsclean-image"
_DISPLAY_NONE_RE = LazyPattern(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)


@dataclass
class Block:
    """One text block of the body as the page lays it out; ``lines`` are its <br>-separated lines."""

    lines: list[str]
    link_chars: int = 0
    heading: bool = False
    image: DraftImage | None = None
    alt: str | None = None

    @property
    def text(self) -> str:
        return " ".join(line for line in self.lines if line)


@dataclass
class BlockWalker:
    """Lists the blocks of a container: block elements and <br><br> end a paragraph, a single <br> a line."""

    rule: SiteRule | None
    images: dict[str, tuple[DraftImage, str | None]]
    blocks: list[Block] = field(default_factory=list)
    _parts: list[str] = field(default_factory=list)
    _links: int = 0
    _brs: int = 0
    _heading: bool = False

    def flush(self) -> None:
        parts = self._parts
        self._parts, self._brs = [], 0
        if parts:  # most flushes (a block element opening right after another closed) have no text
            lines = [fold_spaces(line) for line in "".join(parts).split("\n")]
            if any(lines):
                self.blocks.append(Block(lines=lines, link_chars=self._links, heading=self._heading))
        self._links, self._heading = 0, False

    def walk(self, node: LexborNode) -> None:
        """List the blocks under ``node``, depth first, with an explicit stack: any nesting depth, linear time."""
        # A frame: the children still to visit, what the element is (its block ends at its end, its link text is
        # counted at its end), and where its text starts in ``_parts``.
        stack: list[tuple[Iterator[LexborNode], int, LexborNode, int]] = [
            (node.iter(include_text=True), _PLAIN, node, 0)
        ]
        while stack:
            children, kind, owner, before = stack[-1]
            child = next(children, None)
            if child is None:
                stack.pop()
                if kind == _BLOCK:
                    self.flush()
                elif kind == _LINK and not (owner.attributes.get("href") or "").startswith("mailto:"):
                    self._links += sum(len(p.strip()) for p in self._parts[before:])
                continue
            tag = child.tag
            if tag == "-text":
                text = child.text_content or ""
                if text.strip():
                    self._brs = 0
                self._parts.append(text)
                continue
            if tag is None or tag.startswith(("-", "!")):
                continue
            if tag == "br":
                self._brs += 1
                if self._brs >= 2:
                    self.flush()
                else:
                    self._parts.append("\n")
                continue
            attrs = child.attributes  # read once for the three tests below
            mark = attrs.get(_IMAGE_MARK)
            if mark is not None:
                self.flush()
                image, alt = self.images[mark]
                self.blocks.append(Block(lines=[], image=image, alt=alt))
                continue
            if tag == "img":
                continue  # an image outside any box: listed with the images already (or past MAX_BODY_IMAGES)
            if tag in NOISE_TAGS or hidden_by(attrs) or noise_token_in(attrs):
                continue
            if tag in BLOCK_TAGS or (tag in ("strong", "b") and child.css_first("br") is not None):
                self.flush()
                self._heading = tag in ("h1", "h2", "h3", "h4", "h5", "h6")
                stack.append((child.iter(include_text=True), _BLOCK, child, 0))
            elif tag == "a":
                stack.append((child.iter(include_text=True), _LINK, child, len(self._parts)))
            else:
                stack.append((child.iter(include_text=True), _PLAIN, child, 0))


# What an element on the walker's stack is: its end ends a block, counts link text, or does nothing.
_PLAIN, _BLOCK, _LINK = 0, 1, 2


def _has_noise_token(node: LexborNode) -> bool:
    return noise_token_in(node.attributes)


def noise_token_in(attrs: dict[str, str | None]) -> bool:
    """``_has_noise_token`` on an element's attributes already read (reading them builds a new dict each time)."""
    if attrs.get("itemprop") == "articleBody":
        return False
    for name in ("class", "id"):
        value = attrs.get(name)
        if value and any(t in NOISE_TOKENS for t in class_tokens(value)):
            return True
    return False


def _is_hidden(node: LexborNode) -> bool:
    return hidden_by(node.attributes)


def hidden_by(attrs: dict[str, str | None]) -> bool:
    """``_is_hidden`` on an element's attributes already read."""
    if "hidden" in attrs or attrs.get("aria-hidden") == "true":
        return True
    style = attrs.get("style")
    return bool(style and _DISPLAY_NONE_RE.search(style))


def _image_url(img: LexborNode, page: HtmlPage) -> str | None:
    attrs = img.attributes
    for name in IMAGE_URL_ATTRIBUTES:
        value = attrs.get(name)
        if value and not value.startswith("data:"):
            base = page.url or page.canonical or page.meta.get("og:url")
            return urljoin(base, value.strip()) if base else value.strip()
    return None


def _is_caption_node(node: LexborNode, rule: SiteRule | None) -> bool:
    if node.tag == "figcaption":
        return True
    attrs = node.attributes
    value = (attrs.get("class") or "") + " " + (attrs.get("id") or "")
    return any(t in CAPTION_TOKENS for t in class_tokens(value))


def _caption_text(box: LexborNode, rule: SiteRule | None) -> str | None:
    if rule:
        for selector in rule.captions:
            found = box.css_first(selector)
            if found is not None:
                return _strip_ui_labels(found.text(separator=" "))
    for node in box.css("figcaption, [class], [id]"):
        if _is_caption_node(node, rule) and node.css_first("img") is None:
            return _strip_ui_labels(node.text(separator=" "))
    return _strip_ui_labels(box.text(separator=" "))


def _strip_ui_labels(text: str) -> str:
    text = fold_spaces(text)
    for label in CAPTION_SUFFIXES:
        text = text.replace(label, " ")
    return fold_spaces(text)


def mark_images(
    container: LexborNode, page: HtmlPage, rule: SiteRule | None
) -> dict[str, tuple[DraftImage, str | None]]:
    """Find each image's box (the image and its caption, climbing while the text stays caption-sized), mark it
    so the walker emits it as an image block, and return the images by mark."""
    images: dict[str, tuple[DraftImage, str | None]] = {}
    container_key = container.mem_id
    imgs = container.css("img")
    holds_several = _holding_several_images(imgs, container_key)
    # A box holds exactly one image, so no image is ever inside another one's box. The boxes are found among all
    # the images (above), so the images listed have the boxes they would have without the bound.
    for index, img in enumerate(imgs[:MAX_BODY_IMAGES]):
        box = img
        parent = img.parent
        while parent is not None and parent.mem_id != container_key and parent.tag in IMAGE_BOX_TAGS:
            if parent.mem_id in holds_several:
                break
            text = parent.text()
            if len(text.strip()) > MAX_CAPTION_CHARS or count_sentence_endings(text) > MAX_CAPTION_SENTENCES:
                break
            box = parent
            parent = parent.parent
        caption = _caption_text(box, rule) if box is not img else None
        mark = str(index)
        alt = fold_spaces(img.attributes.get("alt") or "") or None
        images[mark] = (DraftImage(url=_image_url(img, page), caption=caption or None), alt)
        box.attrs[_IMAGE_MARK] = mark
    return images


def _holding_several_images(imgs: list[LexborNode], stop_key: int) -> set[int]:
    """The elements (below the one keyed ``stop_key``) holding more than one of ``imgs``, as far as climbing from an
    image up to its box needs to know: each image counts itself up its ancestors and stops at the first one that
    some earlier image reached too. An element is counted at most twice, so the cost is linear in the page; the
    first element with two images above each image is always found, which is where a climb stops."""
    seen: dict[int, int] = {}
    for img in imgs:
        current = img.parent
        while current is not None and current.mem_id != stop_key:
            key = current.mem_id
            count = seen.get(key, 0) + 1
            seen[key] = count
            if count > 1:
                break
            current = current.parent
    return {key for key, count in seen.items() if count > 1}
