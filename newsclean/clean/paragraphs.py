"""Body paragraphs: list[Block] -> the draft's paragraphs, images and reporters.

Stage 4c of the HTML path: a single ``<br>`` block of sentences is split per sentence line; link blocks, furniture,
copyright, bylines and credits, captions and photo credits, repeats of the title and deck, and date lines are
taken out of the text; a column's deck and an image's alt text printed again go where they belong.
"""

from __future__ import annotations

from ..lazy import LazyPattern
from ..sites import SiteRule
from ..text import dedup_key
from . import boilerplate
from .blocks import Block
from .boilerplate import count_sentence_endings, is_photo_credit, is_placeholder
from .dates import find_labelled_dates
from .draft import Draft, DraftImage

__all__ = ["clean_blocks"]

_YEAR_RE = LazyPattern(r"(?:19|20)\d\d")


# A block whose link text is more than this share of its text is a promo or a link list.
MAX_BLOCK_LINK_DENSITY = 0.5
# An alt text shorter than this (characters) is a placeholder ("사진", "image"), never matched with paragraphs.
MIN_ALT_CHARS = 10
# A single block of at least this many <br>-separated lines, most of them whole sentences, is split per line.
MIN_LINE_BLOCK_LINES = 4
# The deck block of a column page (rule ``lead_block_is_subtitle``) is at most this long (characters).
MAX_LEAD_SUBTITLE_CHARS = 120
# A line longer than this (characters) with at least this many sentence endings is prose: the furniture
# checks (bylines, copyright, menus, dates) are skipped for it.
MIN_PROSE_CHARS = 120
MIN_PROSE_SENTENCES = 2
# A date line (``입력 2020.08.27 20:27``) is at most this long (characters).
MAX_DATE_LINE_CHARS = 60
_CAPTION_MARK_RE = LazyPattern(r"^\s*[▲△↑]")
_ENDS_SENTENCE_RE = LazyPattern(r"[.!?。][\"'”’)]*$")


def _split_line_block(blocks: list[Block]) -> list[Block]:
    """A body laid out as one block of <br>-separated sentences (no <p>, no blank line anywhere): each line
    that ends a sentence is its own paragraph. Bodies with any paragraph structure are left as they are."""
    text_blocks = [b for b in blocks if b.image is None and b.text]
    if len(text_blocks) != 1:
        return blocks
    block = text_blocks[0]
    lines = [line for line in block.lines if line]
    if len(lines) < MIN_LINE_BLOCK_LINES or sum(1 for line in lines if _ENDS_SENTENCE_RE.search(line)) * 2 < len(lines):
        return blocks
    out: list[Block] = []
    for b in blocks:
        if b is not block:
            out.append(b)
            continue
        current: list[str] = []
        for line in lines:
            current.append(line)
            if _ENDS_SENTENCE_RE.search(line):
                out.append(Block(lines=current, link_chars=0))
                current = []
        if current:
            out.append(Block(lines=current, link_chars=0))
    return out


def clean_blocks(blocks: list[Block], draft: Draft, *, rule: SiteRule | None) -> None:
    """Clean the body's blocks into the draft's paragraphs, images (captions, photo credits) and reporters."""
    blocks = _split_line_block(blocks)
    paragraphs: list[str] = []
    images: list[DraftImage] = []
    alts: dict[str, DraftImage] = {}  # an image by the dedup key of its alt text
    authors: list[str] = []
    spoken: list[str] = []  # reporters named by a sign-off the transcript keeps ("KBS 뉴스 이윤우입니다.")
    previous_image: DraftImage | None = None
    subtitle_keys = {dedup_key(s) for s in draft.subtitles}
    title_key = dedup_key(draft.title) if draft.title else None
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
            line = boilerplate.strip_soundbite_label(line)
            prose = len(line) > MIN_PROSE_CHARS and count_sentence_endings(line) >= MIN_PROSE_SENTENCES
            if prose and not (_CAPTION_MARK_RE.match(line) and previous_image is not None):
                kept_lines.append(line)  # prose: no furniture line is this long and this written
                continue
            if boilerplate.is_copyright_line(line):
                ended = True  # the copyright line closes the article
                break
            if boilerplate.is_body_end_marker(line):
                kept_lines = []  # a footer / most-read box header: this block is not body text
                break
            if is_placeholder(line) or boilerplate.is_boilerplate_line(line) or (rule and rule.drops_line(line)):
                continue
            if "/" in line and boilerplate.is_name_card(line, _next_line(block.lines, index)):
                continue
            if is_photo_credit(line):
                images.append(DraftImage(url=None, caption=line))
                continue
            signoff = boilerplate.split_signoff(line)
            if signoff is not None:
                authors.extend(signoff[0])
                images.extend(DraftImage(url=None, caption=credit) for credit in signoff[1])
                continue
            spoken.extend(boilerplate.spoken_byline(line))
            names = boilerplate.parse_byline(line)
            if names is not None:
                authors.extend(names)
                continue
            spaceless = dedup_key(line)
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
                    paragraph, names = boilerplate.strip_leading_credit(paragraph)
                    authors.extend(names)
                    credited = paragraph != before
                    if credited or count_sentence_endings(paragraph):
                        lead_done = True
                    if credited and len(paragraphs) == 1 and not draft.subtitles and _is_deck(paragraphs[0]):
                        paragraphs.pop()
                        draft.subtitles.extend(first_lines)
                paragraph, names = boilerplate.strip_trailing_byline(paragraph)
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


def _is_deck(paragraph: str) -> bool:
    """A short text of no prose before the article's first credit: a column's deck."""
    return len(paragraph) <= MAX_LEAD_SUBTITLE_CHARS and not count_sentence_endings(paragraph)


def _is_date_line(line: str) -> bool:
    """A short line that is only a labelled date (``입력 2020.08.27 20:27``)."""
    if len(line) > MAX_DATE_LINE_CHARS or not _YEAR_RE.search(line):
        return False
    dates = find_labelled_dates(line)
    return bool(dates) and any(d.kind is not None for d in dates) and not count_sentence_endings(line)
