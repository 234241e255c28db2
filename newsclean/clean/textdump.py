"""Text-dump path: TextPage (a page's plain text, as a browser shows it) -> Draft.

The body is found by what article text looks like, not by position: every line is classified
(furniture, header, byline, caption, body-like, short), body-like lines score their length and everything
else costs a little, and the article body is the run of lines with the highest total score. Titles,
subtitles, dates and reporters are then read from the lines around that run.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from enum import Enum

from .. import sites
from ..errors import NoArticleBodyError
from ..lazy import LazyPattern
from ..phrases import (
    BODY_START_MARKERS,
    CAPTION_CREDIT_RE,
    CAPTION_PREFIXES,
    CAPTION_SUFFIXES,
    DATE_LABELS,
    HEADER_MARKERS,
    INLINE_CREDIT_RE,
    INNER_SENTENCE_END_RE,
    PERMALINK_NOTICES,
    SENTENCE_END_RE,
)
from ..text import (
    MAX_REMEMBERED_LINE_CHARS,
    REMEMBERED_LINES,
    dedup_key,
    hangul_count,
    letter_count,
    line_form,
    line_forms,
)
from . import boilerplate
from .dates import DATE_RE, DateKind, find_labelled_dates, first_published_and_modified
from .draft import Draft, DraftImage
from .page import TextPage
from .urls import article_id

__all__ = ["LineKind", "TextLayout", "classify_line", "layout", "read_body", "read_header"]

# ------------------------------------------------------------------------------------------- thresholds
# Letters (Unicode letters and digits) a sentence-final line needs to count as body text.
MIN_BODY_LETTERS = 15
# Letters from which a line counts as body text even without a sentence ending (a paragraph cut short).
LONG_LINE_LETTERS = 60
# Share of Hangul among a body line's letters, on a page that is mostly Korean.
MIN_HANGUL_SHARE = 0.25
# Score cost of a short non-body line inside the body run (a sub-heading costs little, a menu a lot).
SHORT_LINE_COST = 12
# Score cost of a furniture line (share buttons, menus, dates, bylines) inside the body run.
FURNITURE_COST = 40
# Body-like lines after a body-end marker (most-read teasers, comments) count for this share of their length.
AFTER_END_WEIGHT = 0.2
# How far (lines) the neighbours of a line are looked for across blank lines.
EDGE_REACH_LINES = 8
# Body letters that must come before a body-end marker for it to mark an article's end: the same heading in a
# page's top menu ("많이 본 뉴스" as a menu item) comes before any article text.
MIN_TEXT_BEFORE_END = 150
# Letters a title has at least / at most.
MIN_TITLE_LETTERS = 6
MAX_TITLE_LETTERS = 150
# Title-like lines taken before the header (title plus its subtitles) at most.
MAX_TITLE_BLOCK = 3
# Non-furniture lines searched back from the header for the title.
TITLE_SEARCH_LINES = 4
# Lines searched back from the body for the header (dates, bylines), and from the header for a repeated title.
HEADER_SEARCH_LINES = 200
TITLE_WINDOW_LINES = 30
# Header lines (dates, bylines) inside one run of body text from which the run is a list of articles.
MIN_LIST_ENTRIES = 3
# Lines from the body run within which a list entry's "name | date" line makes the run a list entry.
LIST_ENTRY_REACH = 4
# Short lines between header and body taken as subtitles at most, and their letters at most.
MAX_SUBTITLES = 6
MAX_SUBTITLE_LETTERS = 90
# Letters a line needs to be joined with the next one when it breaks mid-sentence.
MIN_JOIN_LETTERS = 40
# Lines after the body searched for the reporter's byline.
BYLINE_SEARCH_AFTER = 12
# Share of Hangul among all letters under which the page is not treated as Korean.
KOREAN_PAGE_SHARE = 0.2

# A caption printed twice ends like a sentence or with a credit; a headline printed twice does not.
_CAPTION_END_RE = LazyPattern(r"(?:[.!?]|[\])>])\s*$")
_URL_RE = LazyPattern(r"https?://\S+")
_TEASER_END_RE = LazyPattern(r"(?:\.\.|…)\s*$")
_BREADCRUMB_RE = LazyPattern(r"\s>\s")
_LETTER_RE = LazyPattern(r"\w", re.UNICODE)
_YEAR_RE = LazyPattern(r"(?:19|20)\d\d")
# A date label alone on its line (the date follows on the next one): "입력 :", "기사수정".
_BARE_DATE_LABEL_RE = LazyPattern("(?:" + "|".join(map(re.escape, DATE_LABELS)) + r")\s*[:：]?")


# The characters a trimmed line that ``SENTENCE_END_RE`` finds a sentence end in ends with (its match ends the line).
_SENTENCE_END_LAST = (".", "!", "?", "。", '"', "”", "’", "'", "」", "』", ")", "]", ">")

# Notices the article's permanent link is printed under.
_PERMALINK_NOTICES = frozenset(PERMALINK_NOTICES)

# The characters that open a bulleted line (after its indent).
_BULLET_LEADS = ("•", "·", "-", "*")


class LineKind(str, Enum):
    BLANK = "blank"
    END = "end"  # a body-end marker (footer notice, most-read header)
    FURNITURE = "furniture"  # menus, share buttons, notices, copyright
    HEADER = "header"  # a header marker line such as 기사 메일전송
    DATE = "date"
    BYLINE = "byline"
    CAPTION = "caption"
    BODY = "body"
    SHORT = "short"  # short text: a heading, subtitle, title or menu item
    TITLE = "title"  # the headline line that follows a title marker


def _is_date_line(text: str) -> bool:
    found = find_labelled_dates(text) if _YEAR_RE.search(text) else []  # no year, no date
    if not found:
        return _BARE_DATE_LABEL_RE.fullmatch(text) is not None
    if any(d.kind in (DateKind.PUBLISHED, DateKind.MODIFIED, DateKind.SITE_STAMP) for d in found):
        return len(text) <= 100
    stripped = re.sub(r"[\d\s:.\-/()\[\]년월일시분초오전후APMapm]", "", text)
    return len(stripped) <= 2


def classify_line(text: str, *, korean_page: bool = True) -> tuple[LineKind, list[str]]:
    """The kind of one normalised line, and the reporter names when it is a byline."""
    kind, names, _ = _judgment(text, korean_page)
    return kind, list(names)


# Lines judged are remembered as lines put in line form are (``text.MAX_REMEMBERED_LINE_CHARS``, ``REMEMBERED_LINES``).


def _judgment(text: str, korean_page: bool) -> tuple[LineKind, tuple[str, ...], int]:
    """A normalised line's kind, reporter names and letters."""
    if len(text) > MAX_REMEMBERED_LINE_CHARS:
        kind, names = _judge_line(text, korean_page)
        return kind, tuple(names), letter_count(text)
    # Menus, share bars, footers and bylines repeat from page to page of a site: a line already judged is
    # looked up (the judgment depends on the line and the page's language only).
    return _remembered_judgment(text, korean_page)


@functools.lru_cache(maxsize=REMEMBERED_LINES)
def _remembered_judgment(text: str, korean_page: bool) -> tuple[LineKind, tuple[str, ...], int]:
    kind, names = _judge_line(text, korean_page)
    return kind, tuple(names), letter_count(text)


def _judge_line(text: str, korean_page: bool) -> tuple[LineKind, list[str]]:
    if not text:
        return LineKind.BLANK, []
    if not _LETTER_RE.search(text):
        return LineKind.FURNITURE, []  # rules and bullets: "━━━", "•", "●"
    if text in HEADER_MARKERS:
        return LineKind.HEADER, []
    if boilerplate.is_body_end_marker(text):
        return LineKind.END, []
    prefix = None
    if text.startswith(CAPTION_PREFIXES):  # one test for the commonest case: none of them
        prefix = next((p for p in CAPTION_PREFIXES if text.startswith(p)), None)
    if prefix is not None and letter_count(text[len(prefix) :]) > 2:
        return LineKind.CAPTION, []
    if boilerplate.is_email_line(text):
        return LineKind.BYLINE, []  # a reporter's e-mail alone: part of a byline block
    if boilerplate.is_boilerplate_line(text):
        return LineKind.FURNITURE, []
    if _is_date_line(text):
        return LineKind.DATE, []
    names = boilerplate.parse_byline(text)
    if names is None and DATE_RE.search(text):
        names = boilerplate.parse_byline(DATE_RE.sub("", text).strip(" |/·"))
    if names is not None:
        return LineKind.BYLINE, names
    signoff = boilerplate.split_signoff(text)
    if signoff is not None:
        return LineKind.BYLINE, signoff[0]
    if text.endswith(CAPTION_SUFFIXES) or CAPTION_CREDIT_RE.search(text):
        return LineKind.CAPTION, []
    letters = letter_count(text)
    hangul_ok = not korean_page or hangul_count(text) >= MIN_HANGUL_SHARE * letters
    if letters < LONG_LINE_LETTERS and ("@" in text or "기자" in text):
        text = boilerplate.strip_trailing_byline(text)[0]  # "…처리했다.부산=선수민 기자 sunsoo@…": judged without it
    long_enough = letters >= LONG_LINE_LETTERS or (letters >= MIN_BODY_LETTERS and SENTENCE_END_RE.search(text))
    if hangul_ok and long_enough and not _TEASER_END_RE.search(text):
        return LineKind.BODY, []
    return LineKind.SHORT, []


def _join_broken_lines(raw_lines: list[str]) -> list[str]:
    """Join a long line that breaks mid-sentence with the text line right after it."""
    return _joined_lines(raw_lines, line_forms(raw_lines))[0]


def _joined_lines(raw_lines: list[str], forms: list[str]) -> tuple[list[str], list[str]]:
    """``_join_broken_lines`` of ``raw_lines`` (their line forms ``forms``), and the normalised text of each line
    ("" for a blank line)."""
    out: list[str] = []  # each output line's raw line (its first one, for a line others are joined to)
    texts: list[str] = []  # the normalised text of each output line of one raw line
    joins: dict[int, list[str]] = {}  # an output line others are joined to -> the raw lines joined into it
    # What the checks read of the last output line, updated as a line is joined to it (never recomputed from the
    # growing line, which would cost quadratic time): its letters, whether it ends open (no sentence end, comma,
    # colon or ellipsis), its normalised text while it is furniture-sized ("" past that: no longer furniture), and
    # whether it is furniture (None until a join needs to know). Letters and the open end are worked out only when
    # a join asks: ``uncounted`` is the text whose letters are not counted yet, ``tail`` the last text joined, and
    # ``open_end`` None until it is read.
    letters, uncounted, tail, short_text = 0, "", "", ""
    open_end: bool | None = False
    furniture: bool | None = None
    append_raw, append_text, furniture_chars = out.append, texts.append, boilerplate.MAX_FURNITURE_CHARS
    for raw, text in zip(raw_lines, forms, strict=True):
        if not text:  # a blank line: nothing is joined to it
            append_raw(raw)
            append_text("")
            letters, uncounted, open_end, short_text, furniture = 0, "", False, "", None
            continue
        # Only a line that starts with a Hangul syllable, not indented, is joined to the line before.
        joinable = False
        if "가" <= text[0] <= "힣" and out and not raw[:1].isspace():
            if open_end is None:
                open_end = not tail.endswith((",", ":", "…")) and not (
                    tail.endswith(_SENTENCE_END_LAST) and SENTENCE_END_RE.search(tail)
                )
            # A line has at most as many letters as characters: letters are counted only when they may be enough.
            if open_end and letters + len(uncounted) >= MIN_JOIN_LETTERS:
                if uncounted:
                    letters, uncounted = letters + letter_count(uncounted), ""
                joinable = letters >= MIN_JOIN_LETTERS and not boilerplate.is_boilerplate_line(text)
            if joinable and furniture is None:
                furniture = bool(short_text) and boilerplate.is_boilerplate_line(short_text)
        if joinable and not furniture and not DATE_RE.search(text) and boilerplate.parse_byline(text) is None:
            last = len(out) - 1
            parts = joins.get(last)
            if parts is None:
                parts = joins[last] = [out[last]]
            parts.append(raw.strip())
            joined = short_text + " " + text if short_text else ""
            short_text = joined if len(joined) <= furniture_chars else ""
            uncounted = text  # the letters before it were counted when the join was weighed
        else:
            append_raw(raw)
            append_text(text)
            letters, uncounted, short_text = 0, text, text if len(text) <= furniture_chars else ""
        furniture = None
        tail, open_end = text, None
    for index, parts in joins.items():
        raw = " ".join([parts[0].rstrip(), *parts[1:]])
        out[index], texts[index] = raw, line_form(raw)
    return out, texts


@dataclass(slots=True)
class _Lines:
    """A dump's lines (broken lines joined), classified: each list holds one entry per line, in order."""

    raws: list[str]  # the raw text (with the lines joined to it)
    texts: list[str]  # the normalised text ("" for a blank line)
    kinds: list[LineKind]
    letters: list[int]
    names: dict[int, tuple[str, ...]]  # a byline -> the reporters it names
    separators: dict[int, str | None]  # a family's headline line -> what joins its subtitles
    bylines: list[int]  # where the byline lines are
    titles: list[int]  # where a family's headline lines are

    def bulleted(self, index: int) -> bool:
        """Whether the line opens with a list bullet (after its indent)."""
        return self.raws[index].lstrip().startswith(_BULLET_LEADS)


def _classify(page: TextPage) -> _Lines:
    """The page's lines, broken lines joined, each classified (one pass), then headline and caption lines marked."""
    raw_lines = page.lines
    raws, texts = _joined_lines(raw_lines, line_forms(raw_lines))
    hangul = hangul_count(page.text)
    # Spaces and line breaks are no letters: when Hangul is a large enough share without them, it is of the letters.
    most_letters = len(page.text) - page.text.count(" ") - page.text.count("\n")
    korean_page = hangul >= KOREAN_PAGE_SHARE * max(1, most_letters) or hangul >= KOREAN_PAGE_SHARE * max(
        1, letter_count(page.text)
    )
    kinds: list[LineKind] = []
    letter_counts: list[int] = []
    names_of: dict[int, tuple[str, ...]] = {}
    bylines: list[int] = []
    title_markers = sites.title_markers()  # a family's line the headline follows -> its subtitle separator
    marked: list[int] = []  # where a family's title marker lines are
    repeats: list[tuple[int, int]] = []  # a line printing the same text as the line with text before it: (that, it)
    caption_keys: set[str] = set()
    add_kind, add_letters = kinds.append, letter_counts.append
    blank, caption, byline = LineKind.BLANK, LineKind.CAPTION, LineKind.BYLINE
    previous, previous_text = -1, ""
    for index, text in enumerate(texts):
        if not text:  # a blank line, the commonest kind (or one line form empties): nothing to classify
            add_kind(blank)
            add_letters(0)
            continue
        if len(text) > MAX_REMEMBERED_LINE_CHARS:
            kind, names, letters = _judgment(text, korean_page)
        else:
            kind, names, letters = _remembered_judgment(text, korean_page)
        add_kind(kind)
        add_letters(letters)
        if kind is byline:
            bylines.append(index)
            if names:
                names_of[index] = names
        elif kind is caption:
            caption_keys.add(_caption_key(text))
        if text == previous_text:
            repeats.append((previous, index))
        if text in title_markers:
            marked.append(index)
        previous, previous_text = index, text
    lines = _Lines(raws, texts, kinds, letter_counts, names_of, {}, bylines, [])
    # A family's headline line follows its marker line. Each marker looks ahead to the next line with text only, and
    # a marker is a line with text: the look-aheads never overlap.
    body, short = LineKind.BODY, LineKind.SHORT
    for i in marked:
        nxt = next((j for j in range(i + 1, len(kinds)) if kinds[j] is not blank), None)
        if nxt is not None and (kinds[nxt] is short or kinds[nxt] is body):
            kinds[nxt] = LineKind.TITLE
            lines.separators[nxt] = title_markers[texts[i]]
            lines.titles.append(nxt)
    # A caption line printed twice (an image's alt text and its caption), or a line equal to a caption
    # once its zoom-button suffix is gone, is a caption too.
    if caption_keys:
        _mark_captions(lines, caption_keys)
    else:  # only a line printed twice can be a caption: the lines that repeat the one before them are checked
        for before, i in repeats:
            kind = kinds[i]
            if (kind is body or kind is short) and kinds[before] is body and _CAPTION_END_RE.search(texts[i]):
                kinds[before] = kinds[i] = caption
    return lines


def _mark_captions(lines: _Lines, caption_keys: set[str]) -> None:
    """Mark as captions the body and short lines equal to a caption (``caption_keys``: their dedup keys), and
    a body line printed twice in a row that ends like a caption."""
    body, short, caption, blank = LineKind.BODY, LineKind.SHORT, LineKind.CAPTION, LineKind.BLANK
    kinds, texts = lines.kinds, lines.texts
    previous = -1  # the line with text before
    for index, kind in enumerate(kinds):
        if kind is blank:
            continue
        if kind is body or kind is short:
            text = texts[index]  # its dedup_key, remembered for lines up to MAX_REMEMBERED_LINE_CHARS
            if (_remembered_key(text) if len(text) <= MAX_REMEMBERED_LINE_CHARS else dedup_key(text)) in caption_keys:
                kinds[index] = caption
            elif previous >= 0 and kinds[previous] is body and texts[previous] == text and _CAPTION_END_RE.search(text):
                kinds[previous] = kinds[index] = caption
        previous = index


_remembered_key = functools.lru_cache(maxsize=REMEMBERED_LINES)(dedup_key)


def _caption_key(text: str) -> str:
    return dedup_key(_caption_text(text))


def _best_run(lines: _Lines) -> tuple[int, int] | None:
    """Stage 2: the run of lines with the highest score (maximum-sum subarray); ``None`` when no body line."""
    best_total, first, last = 0.0, -1, -1  # the best run so far; ``last`` -1 while there is none
    total = 0.0
    start = 0
    after_end = False
    body_letters = 0  # letters of body lines seen so far: a marker before any article text is a menu item
    run_letters = 0  # letters of body lines in the current run
    blank, end, date, body, short, caption = (
        LineKind.BLANK,
        LineKind.END,
        LineKind.DATE,
        LineKind.BODY,
        LineKind.SHORT,
        LineKind.CAPTION,
    )
    kinds, letter_counts = lines.kinds, lines.letters
    for i, kind in enumerate(kinds):
        if kind is blank:
            continue  # weighs nothing: the next line starts or extends the run the same way
        if kind is body:
            letters = letter_counts[i]
            body_letters += letters
            if total <= 0:
                total, start, run_letters = 0.0, i, letters
            else:
                run_letters += letters
            total += letters * (AFTER_END_WEIGHT if after_end else 1.0)
            if last < 0 or total > best_total:
                best_total, first, last = total, start, i
            continue
        if kind is end:
            after_end = after_end or body_letters >= MIN_TEXT_BEFORE_END
            total, start = 0.0, i + 1  # nothing runs across a body-end marker
            continue
        if kind is date and total > 0 and run_letters >= MIN_TEXT_BEFORE_END:
            total, start, run_letters = 0.0, i + 1, 0  # a second header: the page prints the article again
            continue
        if total <= 0:
            total, start, run_letters = 0.0, i, 0
        if kind is short:
            total -= SHORT_LINE_COST
        elif kind is not caption:  # a caption weighs nothing
            total -= FURNITURE_COST
    if last < 0:
        return None
    while kinds[first] is not LineKind.BODY:
        first += 1
    return first, last


def _previous_text_line(lines: _Lines, index: int) -> int | None:
    """Where the nearest line with text before ``index`` is, within ``EDGE_REACH_LINES``."""
    kinds = lines.kinds
    for j in range(index - 1, max(-1, index - 1 - EDGE_REACH_LINES), -1):
        if kinds[j] is not LineKind.BLANK:
            return j
    return None


def _next_text_line(lines: _Lines, index: int) -> int | None:
    """Where the nearest line with text after ``index`` is, within ``EDGE_REACH_LINES``."""
    kinds = lines.kinds
    for j in range(index + 1, min(len(kinds), index + 1 + EDGE_REACH_LINES)):
        if kinds[j] is not LineKind.BLANK:
            return j
    return None


def _is_short_sentence(lines: _Lines, index: int) -> bool:
    return (
        lines.kinds[index] is LineKind.SHORT
        and SENTENCE_END_RE.search(lines.texts[index]) is not None
        and not lines.bulleted(index)
    )


def _is_title_like(lines: _Lines, index: int) -> bool:
    text = lines.texts[index]
    return (
        lines.kinds[index] in (LineKind.SHORT, LineKind.BODY)
        and MIN_TITLE_LETTERS <= lines.letters[index] <= MAX_TITLE_LETTERS
        and not text.endswith((".", "..."))
        and not _BREADCRUMB_RE.search(text)
        and not _TEASER_END_RE.search(text)
        and not INNER_SENTENCE_END_RE.search(text)
    )


@dataclass
class _Header:
    title: str | None = None
    subtitles: list[str] = field(default_factory=list)


_HEADER_KINDS = (LineKind.DATE, LineKind.BYLINE, LineKind.HEADER, LineKind.TITLE)


def _find_anchor(lines: _Lines, first: int) -> int | None:
    """The first line of the header cluster nearest before the body (dates, bylines, header markers)."""
    kinds = lines.kinds
    nearest = next(
        (i for i in range(first - 1, max(-1, first - 1 - HEADER_SEARCH_LINES), -1) if kinds[i] in _HEADER_KINDS),
        None,
    )
    if nearest is None:
        return None
    anchor = nearest
    for i in range(nearest - 1, -1, -1):
        kind = kinds[i]
        if kind in _HEADER_KINDS:
            anchor = i
        elif kind not in (LineKind.BLANK, LineKind.FURNITURE):
            break
    return anchor


def _title_line(lines: _Lines, first: int) -> int | None:
    """The family's headline line (the line after its marker) before the body, if the dump has one."""
    return next((i for i in lines.titles if i < first), None)


def _find_header(lines: _Lines, first: int, anchor: int | None) -> _Header:
    """Title and subtitles from the lines before the body, above the header that starts at ``anchor``."""
    header = _Header()
    if anchor is None:
        return header
    kinds, all_texts = lines.kinds, lines.texts
    # A family's headline line (its subtitles joined by the family's separator) follows its marker line.
    if anchor < first and kinds[anchor] is LineKind.TITLE:
        separator = lines.separators.get(anchor)
        split = all_texts[anchor].split(separator) if separator else [all_texts[anchor]]
        parts = [p.strip() for p in split if p.strip()]
        header.title, header.subtitles = parts[0], parts[1:]
        return header
    # The title: the block of title-like lines (blank lines between them only) right before the header ...
    block: list[int] = []
    searched = 0
    for j in range(anchor - 1, -1, -1):
        kind = kinds[j]
        if kind is LineKind.BLANK:
            continue
        if kind is LineKind.FURNITURE and not block:
            continue
        searched += 1
        if _is_title_like(lines, j) and len(block) < MAX_TITLE_BLOCK:
            bulleted = lines.bulleted(j)
            if not bulleted or not block:
                block.insert(0, j)
                if bulleted:
                    break
                continue
        if block or searched >= TITLE_SEARCH_LINES:
            break
    # A headline is usually printed more than once (the page title, share boxes): the block starts there.
    counts = _line_counts(lines, [all_texts[j] for j in block])
    first_repeated = next((k for k, j in enumerate(block) if counts.get(all_texts[j], 0) >= 2), 0)
    block = block[first_repeated:]
    texts: list[str] = []
    for j in block:
        if not texts or dedup_key(texts[-1]) != dedup_key(all_texts[j]):
            texts.append(all_texts[j])
    if texts:
        header.title, header.subtitles = texts[0], texts[1:]
        return header
    # ... else a headline the page repeats shortly before the header.
    window = [j for j in range(max(0, anchor - TITLE_WINDOW_LINES), anchor) if _is_title_like(lines, j)]
    counts = _line_counts(lines, [all_texts[j] for j in window])
    repeated = [j for j in window if counts.get(all_texts[j], 0) >= 2]
    if repeated:
        header.title = all_texts[repeated[-1]]
    return header


def _line_counts(lines: _Lines, texts: list[str]) -> dict[str, int]:
    """How many short and body lines print each of ``texts``."""
    counts = dict.fromkeys(texts, 0)
    if not counts:
        return counts
    body, short, kinds = LineKind.BODY, LineKind.SHORT, lines.kinds
    for index, text in enumerate(lines.texts):
        if text in counts and (kinds[index] is body or kinds[index] is short):
            counts[text] += 1
    return counts


def _subtitles_before_body(lines: _Lines, anchor: int, first: int) -> list[str]:
    """Short lines between the header and the body (a deck), unless the body starts right after a marker."""
    out: list[str] = []
    kinds, texts = lines.kinds, lines.texts
    for j in range(anchor + 1, first):
        if _is_title_like(lines, j) and lines.letters[j] <= MAX_SUBTITLE_LETTERS and not lines.bulleted(j):
            out.append(texts[j])
        elif kinds[j] in _HEADER_KINDS or texts[j] in BODY_START_MARKERS or kinds[j] is LineKind.BODY:
            out = []
    return out[-MAX_SUBTITLES:]


@dataclass
class TextLayout:
    """Where a text dump's article is: its classified lines, the body run and the header before it."""

    page: TextPage
    lines: _Lines
    first: int  # the body run, first and last line (inclusive)
    last: int
    anchor: int | None  # the first line of the header (or the family's headline line); None when none is found
    body: list[int]  # where the run's text and byline lines are, name cards before a quote left out
    lead: _Lead  # the first paragraph, split at an inline credit and stripped of an opening credit

    @property
    def header_start(self) -> int:
        return self.anchor if self.anchor is not None else self.first


def layout(page: TextPage) -> TextLayout:
    """Stage 2 of the text path: classify every line and find the body run and the header before it.

    Raises ``NoArticleBodyError`` when no run of article text stands out, or the best run is a teaser list.
    """
    # 2a. Classify every line.
    lines = _classify(page)
    kinds = lines.kinds
    # 2b. The body: the best-scoring run of lines.
    run = _best_run(lines)
    if run is None or _looks_like_list(lines, *run):
        raise NoArticleBodyError("no article body found: the input has no run of article text")
    first, last = run
    # 2c. Headings right after a body-start marker belong to the body; so do short lines that end a cut dump.
    # One scan back over the short and blank lines before the body: when a marker stands before them, the body
    # starts at the first short line.
    before, earliest_short = first - 1, None
    while before >= 0 and kinds[before] in (LineKind.BLANK, LineKind.SHORT):
        if kinds[before] is LineKind.SHORT:
            earliest_short = before
        before -= 1
    if earliest_short is not None and before >= 0 and lines.texts[before] in BODY_START_MARKERS:
        first = earliest_short
    if all(kind in (LineKind.BLANK, LineKind.SHORT) for kind in kinds[last + 1 :]):
        last = max([last] + [i for i in range(last + 1, len(kinds)) if kinds[i] is LineKind.SHORT])
    # 2d. A short whole sentence right at either edge of the run is text too (a transcript's opening line,
    #     a reporter's spoken sign-off).
    while (prev := _previous_text_line(lines, first)) is not None and _is_short_sentence(lines, prev):
        first = prev
    while (nxt := _next_text_line(lines, last)) is not None and _is_short_sentence(lines, nxt):
        last = nxt
    # 2e. The header: a family's headline line, else the cluster of dates, bylines and markers nearest before
    #     the body; a credit opening the body is a header too.
    anchor = _title_line(lines, first)
    if anchor is None:
        anchor = _find_anchor(lines, first)
    body = _body_lines(lines, first, last)
    lead = _lead_split(lines, body)
    if anchor is None and lead.credit is not None:
        anchor = first
    return TextLayout(page=page, lines=lines, first=first, last=last, anchor=anchor, body=body, lead=lead)


def read_header(text: TextLayout) -> Draft:
    """Stage 3 of the text path: title, subtitles, dates, the header's reporters and the permanent link."""
    lines, first, last = text.lines, text.first, text.last
    draft = Draft(url=text.page.url)
    # 3a. Title and subtitles from the lines before the body.
    header = _find_header(lines, first, text.anchor)
    draft.title = header.title
    draft.subtitles = list(header.subtitles)
    if text.anchor is not None and text.anchor < first:
        extra = _subtitles_before_body(lines, text.anchor, first)
        if text.lead.deck:
            extra.append(text.lead.deck)
        seen = {dedup_key(s).strip("\"'“”‘’") for s in [*draft.subtitles, draft.title or ""]}
        for subtitle in extra:
            key = dedup_key(subtitle).strip("\"'“”‘’")
            if key not in seen:
                seen.add(key)
                draft.subtitles.append(subtitle)
    # 3b. Reporters named in the header.
    header_start = text.header_start
    draft.authors = [name for i in lines.bylines if header_start <= i < first for name in lines.names.get(i, ())]
    # 3c. Dates: labelled dates in the header and body first, else anywhere on the page.
    scope = "\n".join(lines.raws[: last + 1])
    _read_dates(draft, scope) or _read_dates(draft, text.page.text)
    # 3d. The permanent link printed under a notice gives the URL when the caller gave none.
    if draft.url is None:
        draft.url = _permalink(lines)
    return draft


def read_body(text: TextLayout, draft: Draft) -> None:
    """Stage 4 of the text path: paragraphs, captions and the reporters of the body's credits and bylines."""
    lines, last = text.lines, text.last
    kinds, all_texts, names_of = lines.kinds, lines.texts, lines.names
    # 4a. Paragraphs and in-body bylines; a credit opening the body and a byline closing it are taken off.
    body = text.body
    texts = [all_texts[i] for i in body if kinds[i] is not LineKind.BYLINE]
    paragraphs = [boilerplate.strip_soundbite_label(text) for text in texts]
    spoken = [name for text in texts for name in boilerplate.spoken_byline(text)]
    authors = [name for i in body if kinds[i] is LineKind.BYLINE for name in names_of.get(i, ())]
    if paragraphs:
        paragraphs[0] = text.lead.text
        if text.lead.credit is not None:
            authors = [*text.lead.credit, *authors]
        rest, names = boilerplate.strip_trailing_byline(paragraphs[-1])
        if names:
            paragraphs[-1] = rest
            authors.extend(names)
    authors.extend(draft.authors)  # the header's reporters
    # 4b. Captions from the header to the body's end, and a photo credit right under the last paragraph.
    captions = [i for i in range(text.header_start, last + 1) if kinds[i] is LineKind.CAPTION]
    for i in range(last + 1, min(len(kinds), last + 1 + EDGE_REACH_LINES)):
        if kinds[i] is LineKind.CAPTION and CAPTION_CREDIT_RE.search(all_texts[i]):
            captions.append(i)
        elif kinds[i] not in (LineKind.BLANK, LineKind.BYLINE):
            break
    for i in captions:
        caption = _caption_text(all_texts[i])
        if caption not in CAPTION_PREFIXES:  # a zoom button's label alone ("사진설명 사진 확대") is no caption
            draft.images.append(DraftImage(url=None, caption=caption))
    # 4c. A byline after the body. A copy of the article printed again after it (a print area) does not count
    #     towards the distance.
    printed = {dedup_key(p) for p in paragraphs} | ({dedup_key(draft.title)} if draft.title else set())
    searched = 0
    for i in range(last + 1, len(kinds)):
        if searched >= BYLINE_SEARCH_AFTER:
            break
        if kinds[i] is LineKind.BLANK or dedup_key(all_texts[i]) in printed:
            continue
        searched += 1
        if kinds[i] is LineKind.BYLINE:
            authors.extend(names_of.get(i, ()))
            break
    if not authors:  # a byline printed above the headline ("기자이미지 변윤재" over the title)
        for i in range(max(0, text.header_start - TITLE_WINDOW_LINES), text.header_start):
            if kinds[i] is LineKind.BYLINE and i in names_of:
                authors = list(names_of[i])
    draft.authors = list(dict.fromkeys(authors or spoken))
    draft.paragraphs = paragraphs
    # A later near-copy of a body paragraph in a dump is a photo caption echoing it (``finish`` keeps it so).
    draft.echoes_are_captions = True


def _body_lines(lines: _Lines, first: int, last: int) -> list[int]:
    """Where the run's text and byline lines are; a name card ("이름 / 직함") is dropped when a quote follows it."""
    out: list[int] = []
    kinds, texts = lines.kinds, lines.texts
    for index in range(first, last + 1):
        kind = kinds[index]
        if kind in (LineKind.BODY, LineKind.SHORT):
            if "/" in texts[index]:
                nxt = _next_text_line(lines, index)
                if boilerplate.is_name_card(texts[index], texts[nxt] if nxt is not None else None):
                    continue
            out.append(index)
        elif kind is LineKind.BYLINE:
            out.append(index)
    return out


@dataclass(frozen=True)
class _Lead:
    deck: str | None  # the text before an inline credit ("제목 [홍길동 기자] 본문"): a deck
    text: str  # the first paragraph after the deck, its opening credit taken off
    credit: tuple[str, ...] | None  # the reporters of that opening credit; None when it opens with none


def _lead_split(lines: _Lines, body: list[int]) -> _Lead:
    """The first paragraph, split: a deck before an inline credit, the rest, and the credit the rest opens with."""
    lead_line = next((i for i in body if lines.kinds[i] is not LineKind.BYLINE), None)
    if lead_line is None:
        return _Lead(None, "", None)
    lead = boilerplate.strip_soundbite_label(lines.texts[lead_line])
    deck: str | None = None
    inline = INLINE_CREDIT_RE.search(lead)
    if inline and inline.start() > 0 and letter_count(lead[: inline.start()]) <= MAX_SUBTITLE_LETTERS:
        deck, lead = lead[: inline.start()].strip(), lead[inline.start() :]
    rest, names = boilerplate.strip_leading_credit(lead)
    return _Lead(deck, rest, tuple(names)) if rest != lead else _Lead(deck, lead, None)


def _looks_like_list(lines: _Lines, first: int, last: int) -> bool:
    """True when the best run sits in a list of article teasers, each entry closed by a "name | date" line."""
    texts = lines.texts
    entries = [i for i in lines.bylines if DATE_RE.search(texts[i])]
    if len(entries) < MIN_LIST_ENTRIES:
        return False
    before = any(first - LIST_ENTRY_REACH <= i < first for i in entries)
    after = any(last < i <= last + LIST_ENTRY_REACH for i in entries) or any(first <= i <= last for i in entries)
    return before or after


def _permalink(lines: _Lines) -> str | None:
    """The article URL printed on the first line with text after a permalink notice, if the page has one."""
    texts = lines.texts
    if _PERMALINK_NOTICES.isdisjoint(texts):
        return None  # the commonest case, told without a loop over the lines
    for i, text in enumerate(texts):
        if text in PERMALINK_NOTICES:
            nxt = next((j for j in range(i + 1, len(texts)) if lines.kinds[j] is not LineKind.BLANK), None)
            if nxt is not None and _URL_RE.fullmatch(texts[nxt]) and article_id(texts[nxt]):
                return texts[nxt]
    return None


def _caption_text(text: str) -> str:
    for suffix in CAPTION_SUFFIXES:
        if text.endswith(suffix):
            return text[: -len(suffix)].strip()
    return text


def _read_dates(draft: Draft, text: str) -> bool:
    draft.published_at, draft.modified_at = first_published_and_modified(
        text, published=draft.published_at, modified=draft.modified_at
    )
    return draft.published_at is not None
