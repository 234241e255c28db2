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
from .dates import DATE_RE, DateKind, find_labelled_dates
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


@dataclass(slots=True)
class _Line:
    """One line of a dump (a line and the lines joined to it), classified: where it is is its place in the list of
    lines, its raw text is in the list of raw lines beside it."""

    text: str
    kind: LineKind
    letters: int
    names: tuple[str, ...] = ()
    bulleted: bool = False
    separator: str | None = None  # a family's headline line: what joins its subtitles


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
class _Classified:
    """A dump's lines (broken lines joined), classified, with what later stages look up in them without a loop."""

    lines: list[_Line]
    raws: list[str]  # each line's raw text, as in ``lines``
    texts: list[str]  # each line's normalised text ("" for a blank line), as in ``lines``
    bylines: list[int]  # where the byline lines are, in order
    titles: list[int]  # where a family's headline lines are, in order


def _classify(page: TextPage) -> _Classified:
    raw_lines = page.lines
    raws, texts = _joined_lines(raw_lines, line_forms(raw_lines))
    hangul = hangul_count(page.text)
    # Spaces and line breaks are no letters: when Hangul is a large enough share without them, it is of the letters.
    most_letters = len(page.text) - page.text.count(" ") - page.text.count("\n")
    korean_page = hangul >= KOREAN_PAGE_SHARE * max(1, most_letters) or hangul >= KOREAN_PAGE_SHARE * max(
        1, letter_count(page.text)
    )
    lines: list[_Line] = []
    texted: list[_Line] = []  # the lines that are not blank, in order
    title_markers = sites.title_markers()  # a family's line the headline follows -> its subtitle separator
    marked: list[int] = []  # where in ``texted`` a family's title marker line is
    repeats: list[int] = []  # where in ``texted`` a line prints the same text as the one before it
    caption_keys: set[str] = set()
    bylines: list[int] = []
    # One line stands for every blank line of the page: blank lines are never changed once classified.
    empty = _Line("", LineKind.BLANK, 0)
    append, caption, byline, line_type = lines.append, LineKind.CAPTION, LineKind.BYLINE, _Line
    previous_text = ""
    for raw, text in zip(raws, texts, strict=True):
        if not text:  # a blank line, the commonest kind (or one line form empties): nothing to classify
            append(empty)
            continue
        if len(text) > MAX_REMEMBERED_LINE_CHARS:
            kind, names, letters = _judgment(text, korean_page)
        else:
            kind, names, letters = _remembered_judgment(text, korean_page)
        line = line_type(text, kind, letters, names, raw.lstrip().startswith(_BULLET_LEADS))
        if kind is byline:
            bylines.append(len(lines))
        append(line)
        if text == previous_text:
            repeats.append(len(texted))
        if text in title_markers:
            marked.append(len(texted))
        if kind is caption:
            caption_keys.add(_caption_key(text))
        texted.append(line)
        previous_text = text
    # A family's headline line follows its marker line.
    for i in marked:
        if i + 1 < len(texted):
            nxt = texted[i + 1]
            if nxt.kind is LineKind.SHORT or nxt.kind is LineKind.BODY:
                nxt.kind = LineKind.TITLE
                nxt.separator = title_markers[texted[i].text]
    # A caption line printed twice (an image's alt text and its caption), or a line equal to a caption
    # once its zoom-button suffix is gone, is a caption too.
    if caption_keys:
        _mark_captions(texted, caption_keys)
    else:  # only a line printed twice can be a caption: the lines that repeat the one before them are checked
        body, short = LineKind.BODY, LineKind.SHORT
        for i in repeats:
            line, previous = texted[i], texted[i - 1]
            kind = line.kind
            if (kind is body or kind is short) and previous.kind is body and _CAPTION_END_RE.search(line.text):
                previous.kind = line.kind = caption
    titles = [i for i, line in enumerate(lines) if line.kind is LineKind.TITLE] if marked else []
    return _Classified(lines, raws, texts, bylines, titles)


def _mark_captions(texted: list[_Line], caption_keys: set[str]) -> None:
    """Mark as captions the body and short lines equal to a caption (``caption_keys``: their dedup keys), and
    a body line printed twice in a row that ends like a caption."""
    body, short, caption = LineKind.BODY, LineKind.SHORT, LineKind.CAPTION
    previous: _Line | None = None
    for line in texted:
        kind = line.kind
        if kind is body or kind is short:
            text = line.text  # its dedup_key, remembered for lines up to MAX_REMEMBERED_LINE_CHARS
            if (_remembered_key(text) if len(text) <= MAX_REMEMBERED_LINE_CHARS else dedup_key(text)) in caption_keys:
                line.kind = caption
            elif (
                previous is not None
                and previous.kind is body
                and previous.text == line.text
                and _CAPTION_END_RE.search(line.text)
            ):
                previous.kind = line.kind = caption
        previous = line


_remembered_key = functools.lru_cache(maxsize=REMEMBERED_LINES)(dedup_key)


def _caption_key(text: str) -> str:
    return dedup_key(_caption_text(text))


def _best_run(lines: list[_Line]) -> tuple[int, int] | None:
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
    for i, line in enumerate(lines):
        kind = line.kind
        if kind is blank:
            continue  # weighs nothing: the next line starts or extends the run the same way
        if kind is body:
            letters = line.letters
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
    while lines[first].kind is not LineKind.BODY:
        first += 1
    return first, last


def _previous_text_line(lines: list[_Line], index: int) -> int | None:
    """Where the nearest line with text before ``index`` is, within ``EDGE_REACH_LINES``."""
    for j in range(index - 1, max(-1, index - 1 - EDGE_REACH_LINES), -1):
        if lines[j].kind is not LineKind.BLANK:
            return j
    return None


def _next_text_line(lines: list[_Line], index: int) -> int | None:
    """Where the nearest line with text after ``index`` is, within ``EDGE_REACH_LINES``."""
    for j in range(index + 1, min(len(lines), index + 1 + EDGE_REACH_LINES)):
        if lines[j].kind is not LineKind.BLANK:
            return j
    return None


def _is_short_sentence(line: _Line) -> bool:
    return line.kind is LineKind.SHORT and SENTENCE_END_RE.search(line.text) is not None and not line.bulleted


def _is_title_like(line: _Line) -> bool:
    return (
        line.kind in (LineKind.SHORT, LineKind.BODY)
        and MIN_TITLE_LETTERS <= line.letters <= MAX_TITLE_LETTERS
        and not line.text.endswith((".", "..."))
        and not _BREADCRUMB_RE.search(line.text)
        and not _TEASER_END_RE.search(line.text)
        and not INNER_SENTENCE_END_RE.search(line.text)
    )


@dataclass
class _Header:
    title: str | None = None
    subtitles: list[str] = field(default_factory=list)


_HEADER_KINDS = (LineKind.DATE, LineKind.BYLINE, LineKind.HEADER, LineKind.TITLE)


def _find_anchor(lines: list[_Line], first: int) -> int | None:
    """The first line of the header cluster nearest before the body (dates, bylines, header markers)."""
    nearest = next(
        (i for i in range(first - 1, max(-1, first - 1 - HEADER_SEARCH_LINES), -1) if lines[i].kind in _HEADER_KINDS),
        None,
    )
    if nearest is None:
        return None
    anchor = nearest
    for i in range(nearest - 1, -1, -1):
        kind = lines[i].kind
        if kind in _HEADER_KINDS:
            anchor = i
        elif kind not in (LineKind.BLANK, LineKind.FURNITURE):
            break
    return anchor


def _title_line(classified: _Classified, first: int) -> int | None:
    """The family's headline line (the line after its marker) before the body, if the dump has one."""
    return next((i for i in classified.titles if i < first), None)


def _find_header(lines: list[_Line], first: int, anchor: int | None) -> _Header:
    """Title and subtitles from the lines before the body, above the header that starts at ``anchor``."""
    header = _Header()
    if anchor is None:
        return header
    # A family's headline line (its subtitles joined by the family's separator) follows its marker line.
    if anchor < first and lines[anchor].kind is LineKind.TITLE:
        line = lines[anchor]
        split = line.text.split(line.separator) if line.separator else [line.text]
        parts = [p.strip() for p in split if p.strip()]
        header.title, header.subtitles = parts[0], parts[1:]
        return header
    # The title: the block of title-like lines (blank lines between them only) right before the header ...
    block: list[_Line] = []
    searched = 0
    for j in range(anchor - 1, -1, -1):
        line = lines[j]
        if line.kind is LineKind.BLANK:
            continue
        if line.kind is LineKind.FURNITURE and not block:
            continue
        searched += 1
        if _is_title_like(line) and (not line.bulleted or not block) and len(block) < MAX_TITLE_BLOCK:
            block.insert(0, line)
            if line.bulleted:
                break
            continue
        if block or searched >= TITLE_SEARCH_LINES:
            break
    # A headline is usually printed more than once (the page title, share boxes): the block starts there.
    counts = _line_counts(lines, [ln.text for ln in block])
    first_repeated = next((k for k, ln in enumerate(block) if counts.get(ln.text, 0) >= 2), 0)
    block = block[first_repeated:]
    texts: list[str] = []
    for line in block:
        if not texts or dedup_key(texts[-1]) != dedup_key(line.text):
            texts.append(line.text)
    if texts:
        header.title, header.subtitles = texts[0], texts[1:]
        return header
    # ... else a headline the page repeats shortly before the header.
    window = [ln for ln in lines[max(0, anchor - TITLE_WINDOW_LINES) : anchor] if _is_title_like(ln)]
    counts = _line_counts(lines, [ln.text for ln in window])
    repeated = [ln for ln in window if counts.get(ln.text, 0) >= 2]
    if repeated:
        header.title = repeated[-1].text
    return header


def _line_counts(lines: list[_Line], texts: list[str]) -> dict[str, int]:
    """How many short and body lines print each of ``texts``."""
    counts = dict.fromkeys(texts, 0)
    if not counts:
        return counts
    body, short = LineKind.BODY, LineKind.SHORT
    for line in lines:
        if line.text in counts and (line.kind is body or line.kind is short):
            counts[line.text] += 1
    return counts


def _subtitles_before_body(lines: list[_Line], anchor: int, first: int) -> list[str]:
    """Short lines between the header and the body (a deck), unless the body starts right after a marker."""
    out: list[str] = []
    for line in lines[anchor + 1 : first]:
        if _is_title_like(line) and line.letters <= MAX_SUBTITLE_LETTERS and not line.bulleted:
            out.append(line.text)
        elif line.kind in _HEADER_KINDS or line.text in BODY_START_MARKERS or line.kind is LineKind.BODY:
            out = []
    return out[-MAX_SUBTITLES:]


@dataclass
class TextLayout:
    """Where a text dump's article is: its classified lines, the body run and the header before it."""

    page: TextPage
    lines: list[_Line]
    raws: list[str]  # each line's raw text (with the lines joined to it), as in ``lines``
    texts: list[str]  # each line's normalised text ("" for a blank line), as in ``lines``
    first: int  # the body run, first and last line (inclusive)
    last: int
    anchor: int | None  # the first line of the header (or the family's headline line); None when none is found
    body: list[_Line]  # the run's text and byline lines, name cards before a quote left out
    lead: _Lead  # the first paragraph, split at an inline credit and stripped of an opening credit

    @property
    def header_start(self) -> int:
        return self.anchor if self.anchor is not None else self.first


def layout(page: TextPage) -> TextLayout:
    """Stage 2 of the text path: classify every line and find the body run and the header before it.

    Raises ``NoArticleBodyError`` when no run of article text stands out, or the best run is a teaser list.
    """
    # 2a. Classify every line.
    classified = _classify(page)
    lines = classified.lines
    # 2b. The body: the best-scoring run of lines.
    run = _best_run(lines)
    if run is None or _looks_like_list(classified, *run):
        raise NoArticleBodyError("no article body found: the input has no run of article text")
    first, last = run
    # 2c. Headings right after a body-start marker belong to the body; so do short lines that end a cut dump.
    # One scan back over the short and blank lines before the body: when a marker stands before them, the body
    # starts at the first short line.
    before, earliest_short = first - 1, None
    while before >= 0 and lines[before].kind in (LineKind.BLANK, LineKind.SHORT):
        if lines[before].kind is LineKind.SHORT:
            earliest_short = before
        before -= 1
    if earliest_short is not None and before >= 0 and lines[before].text in BODY_START_MARKERS:
        first = earliest_short
    if all(ln.kind in (LineKind.BLANK, LineKind.SHORT) for ln in lines[last + 1 :]):
        last = max([last] + [i for i in range(last + 1, len(lines)) if lines[i].kind is LineKind.SHORT])
    # 2d. A short whole sentence right at either edge of the run is text too (a transcript's opening line,
    #     a reporter's spoken sign-off).
    while (prev := _previous_text_line(lines, first)) is not None and _is_short_sentence(lines[prev]):
        first = prev
    while (nxt := _next_text_line(lines, last)) is not None and _is_short_sentence(lines[nxt]):
        last = nxt
    # 2e. The header: a family's headline line, else the cluster of dates, bylines and markers nearest before
    #     the body; a credit opening the body is a header too.
    anchor = _title_line(classified, first)
    if anchor is None:
        anchor = _find_anchor(lines, first)
    body = _body_lines(lines, first, last)
    lead = _lead_split(body)
    if anchor is None and lead.credit is not None:
        anchor = first
    return TextLayout(
        page=page,
        lines=lines,
        raws=classified.raws,
        texts=classified.texts,
        first=first,
        last=last,
        anchor=anchor,
        body=body,
        lead=lead,
    )


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
    header_lines = lines[text.header_start : first]
    draft.authors = [name for line in header_lines if line.kind is LineKind.BYLINE for name in line.names]
    # 3c. Dates: labelled dates in the header and body first, else anywhere on the page.
    scope = "\n".join(text.raws[: last + 1])
    _read_dates(draft, scope) or _read_dates(draft, text.page.text)
    # 3d. The permanent link printed under a notice gives the URL when the caller gave none.
    if draft.url is None:
        draft.url = _permalink(lines, text.texts)
    return draft


def read_body(text: TextLayout, draft: Draft) -> None:
    """Stage 4 of the text path: paragraphs, captions and the reporters of the body's credits and bylines."""
    lines, last = text.lines, text.last
    # 4a. Paragraphs and in-body bylines; a credit opening the body and a byline closing it are taken off.
    body_lines = text.body
    texts = [line.text for line in body_lines if line.kind is not LineKind.BYLINE]
    paragraphs = [boilerplate.strip_soundbite_label(text) for text in texts]
    spoken = [name for text in texts for name in boilerplate.spoken_byline(text)]
    authors = [name for line in body_lines if line.kind is LineKind.BYLINE for name in line.names]
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
    captions = [ln for ln in lines[text.header_start : last + 1] if ln.kind is LineKind.CAPTION]
    for line in lines[last + 1 : last + 1 + EDGE_REACH_LINES]:
        if line.kind is LineKind.CAPTION and CAPTION_CREDIT_RE.search(line.text):
            captions.append(line)
        elif line.kind not in (LineKind.BLANK, LineKind.BYLINE):
            break
    for line in captions:
        caption = _caption_text(line.text)
        if caption not in CAPTION_PREFIXES:  # a zoom button's label alone ("사진설명 사진 확대") is no caption
            draft.images.append(DraftImage(url=None, caption=caption))
    # 4c. A byline after the body. A copy of the article printed again after it (a print area) does not count
    #     towards the distance.
    printed = {dedup_key(p) for p in paragraphs} | ({dedup_key(draft.title)} if draft.title else set())
    searched = 0
    for line in lines[last + 1 :]:
        if searched >= BYLINE_SEARCH_AFTER:
            break
        if line.kind is LineKind.BLANK or dedup_key(line.text) in printed:
            continue
        searched += 1
        if line.kind is LineKind.BYLINE:
            authors.extend(line.names)
            break
    if not authors:  # a byline printed above the headline ("기자이미지 변윤재" over the title)
        for line in lines[max(0, text.header_start - TITLE_WINDOW_LINES) : text.header_start]:
            if line.kind is LineKind.BYLINE and line.names:
                authors = list(line.names)
    draft.authors = list(dict.fromkeys(authors or spoken))
    draft.paragraphs = paragraphs
    # A later near-copy of a body paragraph in a dump is a photo caption echoing it (``finish`` keeps it so).
    draft.echoes_are_captions = True


def _body_lines(lines: list[_Line], first: int, last: int) -> list[_Line]:
    """The run's text and byline lines; a name card ("이름 / 직함") is dropped when a quote follows it."""
    out: list[_Line] = []
    for index in range(first, last + 1):
        line = lines[index]
        if line.kind in (LineKind.BODY, LineKind.SHORT):
            if "/" in line.text:
                nxt = _next_text_line(lines, index)
                if boilerplate.is_name_card(line.text, lines[nxt].text if nxt is not None else None):
                    continue
            out.append(line)
        elif line.kind is LineKind.BYLINE:
            out.append(line)
    return out


@dataclass(frozen=True)
class _Lead:
    deck: str | None  # the text before an inline credit ("제목 [홍길동 기자] 본문"): a deck
    text: str  # the first paragraph after the deck, its opening credit taken off
    credit: tuple[str, ...] | None  # the reporters of that opening credit; None when it opens with none


def _lead_split(body_lines: list[_Line]) -> _Lead:
    """The first paragraph, split: a deck before an inline credit, the rest, and the credit the rest opens with."""
    lead_line = next((ln for ln in body_lines if ln.kind is not LineKind.BYLINE), None)
    if lead_line is None:
        return _Lead(None, "", None)
    lead = boilerplate.strip_soundbite_label(lead_line.text)
    deck: str | None = None
    inline = INLINE_CREDIT_RE.search(lead)
    if inline and inline.start() > 0 and letter_count(lead[: inline.start()]) <= MAX_SUBTITLE_LETTERS:
        deck, lead = lead[: inline.start()].strip(), lead[inline.start() :]
    rest, names = boilerplate.strip_leading_credit(lead)
    return _Lead(deck, rest, tuple(names)) if rest != lead else _Lead(deck, lead, None)


def _looks_like_list(classified: _Classified, first: int, last: int) -> bool:
    """True when the best run sits in a list of article teasers, each entry closed by a "name | date" line."""
    texts = classified.texts
    entries = [i for i in classified.bylines if DATE_RE.search(texts[i])]
    if len(entries) < MIN_LIST_ENTRIES:
        return False
    before = any(first - LIST_ENTRY_REACH <= i < first for i in entries)
    after = any(last < i <= last + LIST_ENTRY_REACH for i in entries) or any(first <= i <= last for i in entries)
    return before or after


def _permalink(lines: list[_Line], texts: list[str]) -> str | None:
    """The article URL printed on the first line with text after a permalink notice, if the page has one."""
    if _PERMALINK_NOTICES.isdisjoint(texts):
        return None  # the commonest case, told without a loop over the lines
    for i, line in enumerate(lines):
        if line.text in PERMALINK_NOTICES:
            nxt = next((ln for ln in lines[i + 1 :] if ln.kind is not LineKind.BLANK), None)
            if nxt is not None and _URL_RE.fullmatch(nxt.text) and article_id(nxt.text):
                return nxt.text
    return None


def _caption_text(text: str) -> str:
    for suffix in CAPTION_SUFFIXES:
        if text.endswith(suffix):
            return text[: -len(suffix)].strip()
    return text


def _read_dates(draft: Draft, text: str) -> bool:
    for found in find_labelled_dates(text):
        if found.kind is DateKind.PUBLISHED and draft.published_at is None:
            draft.published_at = found.value
        elif found.kind is DateKind.MODIFIED and draft.modified_at is None:
            draft.modified_at = found.value
    return draft.published_at is not None
