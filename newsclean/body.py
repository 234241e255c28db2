"""HTML body extraction: HtmlPage -> Draft (metadata from ``metadata``, body paragraphs and images from here).

Stages of ``extract_html``:

1. match the page to a site rule (unless ``CleanOptions.site_rules`` is off);
2. read the metadata (``metadata.read``), in its fixed order of trust;
3. choose the body container: the rule's selector, else the generic choice by Korean text density;
4. take the images out of the container (image boxes, captions) and list its text blocks, as the page lays
   them out (``<p>``, block elements, ``<br><br>``);
5. when the visible DOM holds no body, read it from a script (JSON-LD ``articleBody``, Next.js, Arc/Fusion);
6. clean the blocks: boilerplate lines, bylines, credits, captions and photo credits out.

Nodes never leave this module and ``metadata``; the draft carries plain strings.
"""

from __future__ import annotations

import contextlib
import json
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin

from selectolax.lexbor import LexborHTMLParser, LexborNode

from . import boilerplate as bp
from . import metadata
from .dates import find_labelled_dates
from .dedup import dedup_key
from .draft import Draft, DraftImage
from .errors import NoArticleBodyError
from .models import CleanOptions
from .page import HtmlPage
from .sites import SiteRule, match_rule
from .sites.generic import (
    BLOCK_TAGS,
    CAPTION_TOKENS,
    IMAGE_BOX_TAGS,
    IMAGE_URL_ATTRIBUTES,
    NOISE_TAGS,
    NOISE_TOKENS,
    SCRIPT_BODY_KEYS,
    SCRIPT_TEXT_ELEMENT_KEYS,
    SCRIPT_TEXT_ELEMENT_TYPES,
    class_tokens,
    count_sentence_endings,
    is_photo_credit,
    is_placeholder,
)

__all__ = ["extract_html"]

# A text unit shorter than this (characters) gives its container no score: menu items, labels, headlines.
MIN_UNIT_CHARS = 25
# Score points per Korean sentence ending in a unit, on top of one point per Hangul syllable.
SENTENCE_POINTS = 40
# Share of a unit's score its grandparent gets (the parent of a <p> gets all of it).
GRANDPARENT_SHARE = 0.5
# A container whose link text is more than this share of its text is a list of links, not a body.
MAX_LINK_DENSITY = 0.5
# A block whose link text is more than this share of its text is a promo or a link list.
MAX_BLOCK_LINK_DENSITY = 0.5
# The text around an image (characters) above which it is body text, not the image's caption.
MAX_CAPTION_CHARS = 400
# Sentence endings above which text around an image is body text, not a caption.
MAX_CAPTION_SENTENCES = 3
# An alt text shorter than this (characters) is a placeholder ("사진", "image"), never matched with paragraphs.
MIN_ALT_CHARS = 10
# A DOM body with fewer Hangul syllables than this is treated as missing (client-rendered page).
MIN_DOM_BODY_HANGUL = 150
# Scripts shorter than this (characters) hold no article body.
MIN_SCRIPT_CHARS = 200
# A script string with fewer Hangul syllables than this is not an article body (a teaser, a title).
MIN_SCRIPT_BODY_HANGUL = 60
# A script holding this many times the Korean text of the chosen element is read for the body too.
SCRIPT_OUTWEIGHS = 3
# A single block of at least this many <br>-separated lines, most of them whole sentences, is split per line.
MIN_LINE_BLOCK_LINES = 4
# Text elements a script list must hold to be read as a body (``content_elements`` of Arc/Fusion and the like).
MIN_SCRIPT_TEXT_ELEMENTS = 2
# The deck block of a column page (rule ``lead_block_is_subtitle``) is at most this long (characters).
MAX_LEAD_SUBTITLE_CHARS = 120
# A line longer than this (characters) with at least this many sentence endings is prose: the furniture
# checks (bylines, copyright, menus, dates) are skipped for it.
MIN_PROSE_CHARS = 120
MIN_PROSE_SENTENCES = 2
# A date line (``입력 2020.08.27 20:27``) is at most this long (characters).
MAX_DATE_LINE_CHARS = 60
# Images of the body container boxed, captioned and listed, in page order; those after them are left out. A photo
# story shows a few hundred at most, and each one costs a climb to its box and a caption read: a page of thousands
# of images (a gallery dump, a hostile page) costs no more than this many.
MAX_BODY_IMAGES = 500
# Marker attribute put on image boxes found in the body container.
_IMAGE_MARK = "data-newsclean-image"
# Elements whose own text (text nodes between <br>s, not in a <p>) is scored as a body's.
DIRECT_TEXT_CONTAINERS = "div, td, article, section, span, font, blockquote, main, dd, center, pre, b, strong, li"

_HANGUL_RE = re.compile(r"[가-힣]")
# Hangul syllables (U+AC00-U+D7A3) in UTF-8: lead bytes 0xEB and 0xEC are syllables whatever follows (they are
# never continuation bytes); after 0xEA and 0xED only some second bytes are.
_HANGUL_FULL_LEADS = (b"\xeb", b"\xec")
_HANGUL_EA_RE = re.compile(rb"\xea[\xb0-\xbf]")
_HANGUL_ED_RE = re.compile(rb"\xed[\x80-\x9d]|\xed\x9e[\x80-\xa3]")


def _at_least_hangul(count: int) -> re.Pattern[str]:
    """A pattern that matches (from the start) a text holding at least ``count`` Hangul syllables."""
    return re.compile(rf"\A(?:[^가-힣]*+[가-힣]){{{count}}}")  # anchored: a search never rescans from inside


_UNIT_HANGUL_RE = _at_least_hangul(MIN_UNIT_CHARS)
_DOM_BODY_HANGUL_RE = _at_least_hangul(MIN_DOM_BODY_HANGUL)
_YEAR_RE = re.compile(r"(?:19|20)\d\d")
_DISPLAY_NONE_RE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_CAPTION_MARK_RE = re.compile(r"^\s*[▲△↑]")
_ENDS_SENTENCE_RE = re.compile(r"[.!?。][\"'”’)]*$")


@dataclass
class _Block:
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
class _Walker:
    """Lists the blocks of a container: block elements and <br><br> end a paragraph, a single <br> a line."""

    rule: SiteRule | None
    images: dict[str, tuple[DraftImage, str | None]]
    blocks: list[_Block] = field(default_factory=list)
    _parts: list[str] = field(default_factory=list)
    _links: int = 0
    _brs: int = 0
    _heading: bool = False

    def flush(self) -> None:
        parts = self._parts
        self._parts, self._brs = [], 0
        if parts:  # most flushes (a block element opening right after another closed) have no text
            lines = [" ".join(line.split()) for line in "".join(parts).split("\n")]
            if any(lines):
                self.blocks.append(_Block(lines=lines, link_chars=self._links, heading=self._heading))
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
                self.blocks.append(_Block(lines=[], image=image, alt=alt))
                continue
            if tag == "img":
                continue  # an image outside any box: listed with the images already (or past MAX_BODY_IMAGES)
            if tag in NOISE_TAGS or _hidden_by(attrs) or _noise_token_in(attrs):
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


def extract_html(page: HtmlPage, *, options: CleanOptions) -> Draft:
    """Extract the article of an HTML page into a draft; raises ``NoArticleBodyError`` when it has none."""
    # 1. Site rule.
    rule = None
    if options.site_rules:
        rule = match_rule(host=page.host, urls=(page.url, page.canonical, page.meta.get("og:url")), tree=page.tree)
    # 2. Metadata, in the fixed order of trust.
    draft = metadata.read(page, rule=rule)
    # 3. Body container: the rule's, else the generic choice.
    container = _rule_container(page.tree, rule) if rule else None
    if container is None:
        container = _choose_container(page.tree)
    blocks: list[_Block] = []
    if container is not None:
        # 4. Images out, blocks listed.
        if rule:
            for selector in rule.drop:
                for node in container.css(selector):
                    node.decompose()
        images = _mark_images(container, page, rule)
        walker = _Walker(rule=rule, images=images)
        walker.walk(container)
        walker.flush()
        blocks = walker.blocks
    # 5. A client-rendered page: the body is in a script.
    #    Also when a script holds much more Korean text than the chosen element (a page whose markup shows
    #    only a teaser while a script carries the story).
    dom_text = " ".join(b.text for b in blocks)
    if not _DOM_BODY_HANGUL_RE.match(dom_text) or _script_outweighs(page, _hangul(dom_text)):
        script_blocks = _script_blocks(page, draft)
        if script_blocks and _hangul(" ".join(b.text for b in script_blocks)) > _hangul(dom_text):
            blocks = script_blocks
    blocks = _split_line_block(blocks)
    # 6. Clean the blocks into paragraphs and images.
    _clean_blocks(blocks, draft, rule)
    if not draft.authors:
        draft.authors = metadata.visible_authors(page)
    if not draft.paragraphs:
        raise NoArticleBodyError(
            "no article body found in the HTML page: no block of article text (it may be a list or index page)"
        )
    return draft


# ----------------------------------------------------------------------------------------- 3. container


def _rule_container(tree: LexborHTMLParser, rule: SiteRule) -> LexborNode | None:
    for selector in rule.body:
        node = tree.css_first(selector)
        if node is not None and _UNIT_HANGUL_RE.match(node.text()):
            return node
    return None


def _has_noise_token(node: LexborNode) -> bool:
    return _noise_token_in(node.attributes)


def _noise_token_in(attrs: dict[str, str | None]) -> bool:
    """``_has_noise_token`` on an element's attributes already read (reading them builds a new dict each time)."""
    if attrs.get("itemprop") == "articleBody":
        return False
    for name in ("class", "id"):
        value = attrs.get(name)
        if value and any(t in NOISE_TOKENS for t in class_tokens(value)):
            return True
    return False


def _is_hidden(node: LexborNode) -> bool:
    return _hidden_by(node.attributes)


def _hidden_by(attrs: dict[str, str | None]) -> bool:
    """``_is_hidden`` on an element's attributes already read."""
    if "hidden" in attrs or attrs.get("aria-hidden") == "true":
        return True
    style = attrs.get("style")
    return bool(style and _DISPLAY_NONE_RE.search(style))


def _hangul(text: str) -> int:
    """How many Hangul syllables ``text`` holds, counted on its UTF-8 bytes (no object per syllable)."""
    data = text.encode("utf-8", "surrogatepass")
    count = sum(data.count(lead) for lead in _HANGUL_FULL_LEADS)
    if b"\xea" in data:
        count += len(_HANGUL_EA_RE.findall(data))
    if b"\xed" in data:
        count += len(_HANGUL_ED_RE.findall(data))
    return count


def _unit_score(text: str) -> float:
    # An ASCII text (the spacing between an element's children, mostly) holds no syllable and no sentence ending
    # (each one ends a Korean word); ``isascii`` reads a flag the string carries.
    if len(text) < MIN_UNIT_CHARS or text.isascii():
        return 0.0
    return _hangul(text) + SENTENCE_POINTS * count_sentence_endings(text)


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
            if _noise_token_in(attrs) or _hidden_by(attrs):
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

    for p in body.css("p"):
        points = _unit_score(p.text())
        if points and not in_noise(p):
            parent = p.parent
            credit(parent, points)
            credit(parent.parent if parent is not None else None, points * GRANDPARENT_SHARE)
    for node in body.css(DIRECT_TEXT_CONTAINERS):
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


# ----------------------------------------------------------------------------------------------- 4. images


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
    text = " ".join(text.split())
    for label in bp.CAPTION_SUFFIXES:
        text = text.replace(label, " ")
    return " ".join(text.split())


def _mark_images(
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
        alt = " ".join((img.attributes.get("alt") or "").split()) or None
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


# ------------------------------------------------------------------------------------- 5. script bodies


def _script_outweighs(page: HtmlPage, dom_hangul: int) -> bool:
    """True when one script (other than JSON-LD) holds more Hangul than SCRIPT_OUTWEIGHS times the DOM body's."""
    for script in page.tree.css("script"):
        if (script.attributes.get("type") or "").lower() == "application/ld+json":
            continue
        text = script.text(deep=True) or ""
        if len(text) <= SCRIPT_OUTWEIGHS * dom_hangul or len(text) < MIN_SCRIPT_CHARS or text.isascii():
            continue  # too short to hold that many syllables, or no Korean at all
        if _hangul(text) > SCRIPT_OUTWEIGHS * dom_hangul:
            return True
    return False


def _split_line_block(blocks: list[_Block]) -> list[_Block]:
    """A body laid out as one block of <br>-separated sentences (no <p>, no blank line anywhere): each line
    that ends a sentence is its own paragraph. Bodies with any paragraph structure are left as they are."""
    text_blocks = [b for b in blocks if b.image is None and b.text]
    if len(text_blocks) != 1:
        return blocks
    block = text_blocks[0]
    lines = [line for line in block.lines if line]
    if len(lines) < MIN_LINE_BLOCK_LINES or sum(1 for line in lines if _ENDS_SENTENCE_RE.search(line)) * 2 < len(lines):
        return blocks
    out: list[_Block] = []
    for b in blocks:
        if b is not block:
            out.append(b)
            continue
        current: list[str] = []
        for line in lines:
            current.append(line)
            if _ENDS_SENTENCE_RE.search(line):
                out.append(_Block(lines=current, link_chars=0))
                current = []
        if current:
            out.append(_Block(lines=current, link_chars=0))
    return out


def _script_blocks(page: HtmlPage, draft: Draft) -> list[_Block]:
    """Body blocks from a script: JSON-LD ``articleBody``, then any script JSON holding the longest Korean text
    under a body key (Next.js ``__NEXT_DATA__``, React-Query states, Arc/Fusion globals)."""
    best: tuple[int, str, dict[str, Any]] | None = None
    for obj in _script_objects(page):
        for holder, value in _body_values(obj):
            score = _hangul(value)
            if score >= MIN_SCRIPT_BODY_HANGUL and (best is None or score > best[0]):
                best = (score, value, holder)
    if best is None:
        return []
    value, holder = best[1], best[2]
    metadata.fill_from_script(draft, holder)
    if "<" in value and ">" in value:
        fragment = LexborHTMLParser(f"<html><body><div>{value}</div></body></html>")
        root = fragment.body
        if root is None:
            return []
        fake = HtmlPage(html=value, url=page.url, encoding=page.encoding, tree=fragment)
        images = _mark_images(root, fake, None)
        walker = _Walker(rule=None, images=images)
        walker.walk(root)
        walker.flush()
        return walker.blocks
    return [_Block(lines=[line]) for line in re.split(r"\n\s*\n|\r?\n", value) if line.strip()]


_ASSIGN_RE = re.compile(r"(?:\.push\(|=\s*)(?=[\[{])")


def _script_objects(page: HtmlPage) -> Iterator[object]:
    yield from page.json_ld
    decoder = json.JSONDecoder(strict=False)
    for script in page.tree.css("script"):
        kind = (script.attributes.get("type") or "").lower()
        if kind == "application/ld+json":
            continue
        text = script.text(deep=True) or ""
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


# ----------------------------------------------------------------------------------------------- 6. clean


def _clean_blocks(blocks: list[_Block], draft: Draft, rule: SiteRule | None) -> None:
    paragraphs: list[str] = []
    images: list[DraftImage] = []
    alts: dict[str, DraftImage] = {}  # an image by the dedup key of its alt text
    authors: list[str] = []
    spoken: list[str] = []  # reporters named by a sign-off the transcript keeps ("KBS 뉴스 이윤우입니다.")
    previous_image: DraftImage | None = None
    subtitle_keys = {_spaceless(s) for s in draft.subtitles}
    title_key = _spaceless(draft.title) if draft.title else None
    lead_done = False
    first_lines: list[str] = []
    for block in blocks:
        if block.image is not None:
            image = block.image
            images.append(DraftImage(url=image.url, caption=image.caption))
            previous_image = images[-1]
            if block.alt and len(block.alt) >= MIN_ALT_CHARS:
                alts[dedup_key(block.alt)] = previous_image
            continue
        text = block.text
        if not text:
            continue
        # A block made of links (a promo, a related-article list) is not body text.
        if block.link_chars and block.link_chars / max(1, len(text.replace(" ", ""))) > MAX_BLOCK_LINK_DENSITY:
            previous_image = None
            continue
        kept_lines: list[str] = []
        ended = False
        for index, line in enumerate(block.lines):
            if not line:
                continue
            line = bp.strip_soundbite_label(line)
            prose = len(line) > MIN_PROSE_CHARS and count_sentence_endings(line) >= MIN_PROSE_SENTENCES
            if prose and not (_CAPTION_MARK_RE.match(line) and previous_image is not None):
                kept_lines.append(line)  # prose: no furniture line is this long and this written
                continue
            if bp.is_copyright_line(line):
                ended = True  # the copyright line closes the article
                break
            if bp.is_body_end_marker(line):
                kept_lines = []  # a footer / most-read box header: this block is not body text
                break
            if bp.is_boilerplate_line(line) or is_placeholder(line) or (rule is not None and rule.strips(line)):
                continue
            if "/" in line and bp.is_name_card(line, _next_line(block.lines, index)):
                continue
            if is_photo_credit(line):
                images.append(DraftImage(url=None, caption=line))
                continue
            signoff = bp.split_signoff(line)
            if signoff is not None:
                authors.extend(signoff[0])
                images.extend(DraftImage(url=None, caption=credit) for credit in signoff[1])
                continue
            spoken.extend(bp.spoken_byline(line))
            names = bp.parse_byline(line)
            if names is not None:
                authors.extend(names)
                continue
            spaceless = _spaceless(line)
            if spaceless in subtitle_keys or spaceless == title_key or _is_date_line(line):
                continue
            if _CAPTION_MARK_RE.match(line) and previous_image is not None:
                if previous_image.caption is None:
                    previous_image.caption = line
                else:
                    images.append(DraftImage(url=None, caption=line))
                continue
            kept_lines.append(line)
        previous_image = None
        if kept_lines:
            paragraph = " ".join(kept_lines)
            if (
                rule is not None
                and rule.lead_block_is_subtitle
                and not paragraphs
                and not draft.subtitles
                and _is_deck(paragraph)
            ):
                draft.subtitles.append(paragraph)
            else:
                if not lead_done:
                    # Credits open the article: strip them up to the first paragraph of prose; a short line
                    # before the credit is the deck.
                    before = paragraph
                    paragraph, names = bp.strip_leading_credit(paragraph)
                    authors.extend(names)
                    credited = paragraph != before
                    if credited or count_sentence_endings(paragraph):
                        lead_done = True
                    if credited and len(paragraphs) == 1 and not draft.subtitles and _is_deck(paragraphs[0]):
                        paragraphs.pop()
                        draft.subtitles.extend(first_lines)
                paragraph, names = bp.strip_trailing_byline(paragraph)
                authors.extend(names)
                if paragraph:
                    if not paragraphs:
                        first_lines = kept_lines
                    paragraphs.append(paragraph)
        if ended:
            break
    # An image's alt text printed again as a paragraph is its caption, not body text.
    kept = paragraphs
    if alts:
        kept = []
        for paragraph in paragraphs:
            owner = alts.get(dedup_key(paragraph))
            if owner is None:
                kept.append(paragraph)
            elif owner.caption is None:
                owner.caption = paragraph
    draft.paragraphs = kept
    draft.images = _unique_images(images)
    if not draft.authors:
        draft.authors = authors or spoken


def _next_line(lines: list[str], index: int) -> str | None:
    return next((line for line in lines[index + 1 :] if line), None)


def _unique_images(images: list[DraftImage]) -> list[DraftImage]:
    """One entry per image, and one per caption text (the same photo caption repeated is one caption)."""
    out: list[DraftImage] = []
    seen_urls: set[str] = set()
    seen_captions: set[str] = set()
    for image in images:
        key = dedup_key(image.caption) if image.caption else None
        if (image.url and image.url in seen_urls) or (key and key in seen_captions):
            continue
        if image.url:
            seen_urls.add(image.url)
        if key:
            seen_captions.add(key)
        out.append(image)
    return out


def _spaceless(text: str) -> str:
    """The text composed (NFKC) with its spacing removed: how a line is compared with the title and deck."""
    return "".join(unicodedata.normalize("NFKC", text).split())


def _is_deck(paragraph: str) -> bool:
    """A short text of no prose before the article's first credit: a column's deck."""
    return len(paragraph) <= MAX_LEAD_SUBTITLE_CHARS and not count_sentence_endings(paragraph)


def _is_date_line(line: str) -> bool:
    """A short line that is only a labelled date (``입력 2020.08.27 20:27``)."""
    if len(line) > MAX_DATE_LINE_CHARS or not _YEAR_RE.search(line):
        return False
    dates = find_labelled_dates(line)
    return bool(dates) and any(d.kind is not None for d in dates) and not count_sentence_endings(line)
