"""Korean dates: date labels and date/time forms in page text -> timezone-aware datetimes in Korea time.

Forms read: ``2021-11-26 12:06:03``, ``2019.12.02 14:08``, ``2015/11/16 16:12``, ``2021.11.26 오후 12:06``,
``2021년 11월 26일 12:06``, ``2019년 12월 05일(목) 16:23``, ``2020-10-22 오후 07:29:15``, ``12시 6분``,
and ISO 8601 strings with or without an offset. A time without an offset is Korea time.
``오후 12:xx`` is noon, ``오전 12:xx`` is just after midnight.
"""

from __future__ import annotations

import heapq
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from enum import Enum

from ..lazy import LazyPattern
from ..models import KST
from ..phrases import (
    AFTERNOON_WORDS,
    MODIFIED_DATE_LABELS,
    MORNING_WORDS,
    PUBLISHED_DATE_LABELS,
    SITE_STAMP_DATE_LABELS,
)

__all__ = [
    "DATE_LABELS",
    "DateKind",
    "LabelledDate",
    "find_dates",
    "find_labelled_dates",
    "first_labelled",
    "first_published_and_modified",
    "iter_labelled_dates",
    "parse_datetime",
]


class DateKind(str, Enum):
    PUBLISHED = "published"
    MODIFIED = "modified"
    SITE_STAMP = "site_stamp"  # a site-wide "last edited" stamp: not the article's date


# What each date label (``newsclean.phrases``) says of the date it stands by.
DATE_LABELS: dict[str, DateKind] = {
    **dict.fromkeys(PUBLISHED_DATE_LABELS, DateKind.PUBLISHED),
    **dict.fromkeys(MODIFIED_DATE_LABELS, DateKind.MODIFIED),
    **dict.fromkeys(SITE_STAMP_DATE_LABELS, DateKind.SITE_STAMP),
}

_MERIDIEM = r"(?P<{name}>오전|오후|[AaPp]\.?[Mm]\.?)"

_DATE = (
    r"(?P<year>(?:19|20)\d{2})\s*+(?:[-./]|년)\s*+(?P<month>\d{1,2})\s*+(?:[-./]|월)\s*+(?P<day>\d{1,2})"
    r"(?!\d)\s*+(?:일)?\.?\s*+(?:\(\s*+[월화수목금토일]\s*+\)|[월화수목금토일]요일)?"
)
_TIME = (
    r"(?:\s*+,?\s*+[(\[]?" + _MERIDIEM.format(name="ampm1") + r"?\s*+"
    r"(?P<hour>\d{1,2})\s*+(?::|시)\s*+(?P<minute>\d{1,2})(?:\s*+(?::|분)\s*+(?P<second>\d{1,2})(?:\.\d+)?)?"
    r"\s*+(?:분|초)?(?:\s*+" + _MERIDIEM.format(name="ampm2") + r")?[)\]]?)?"
)
_ISO_RE = LazyPattern(r"(?P<iso>(?:19|20)\d{2}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)")
DATE_RE = LazyPattern(_DATE + _TIME)
_LABELS_ALT = "|".join(sorted(map(re.escape, DATE_LABELS), key=len, reverse=True))
_LABEL_BEFORE_RE = LazyPattern(
    r"(?P<label>" + _LABELS_ALT + r")\s*+(?:시간|일시)?+\s*+[:：]?+\s*+[\[(]?+\s*+(?=(?:19|20)\d{2})"
)
_LABEL_AFTER_RE = LazyPattern(r"(?P<label>" + _LABELS_ALT + r")(?![가-힣])")
# Spacing between a date and a label after it, skipped before the label is matched (a run of spacing is scanned
# once, never again from each of its characters).
_SPACING_RE = LazyPattern(r"\s*")


# Every date form, and every place a date label stands before, starts with a year: 19xx or 20xx. A pattern that
# starts with an alternation is tried by the regular expression engine at every character of a text (about 7 ns a
# character of Korean text, for each pattern), one that starts with a literal is found by a fast string search (about
# 1 ns): in a long text the places where a year starts are found by the two literal prefixes, and the date and label
# patterns are tried only there. A text up to this many characters (a meta value, a byline) is scanned directly.
DIRECT_SCAN_CHARS = 512
# Where years stand closer together than this many characters on average, over a run of YEAR_RUN of them (a list of
# dated headlines, a table of dates), trying the patterns at each in turn costs more than scanning: the rest of the
# text is scanned.
MIN_CHARS_PER_YEAR = 128
YEAR_RUN = 32
_YEAR_START_RES = (LazyPattern(r"19(?=\d\d)"), LazyPattern(r"20(?=\d\d)"))
# The longest date label, in characters: a label that stands before a year starts at most this far before the
# spacing between them.
_LABEL_MAX_CHARS = max(map(len, DATE_LABELS))
# Characters of that spacing other than white space (``_LABEL_BEFORE_RE``: ``시간``/``일시``, a colon, a bracket).
_LABEL_SPACING_CHARS = frozenset(":：[(시간일")
# The last characters of the date labels: where none stands just before a year or in the spacing before it, no label
# does, and the label pattern is not tried.
_LABEL_LAST_CHARS = frozenset(label[-1] for label in DATE_LABELS)


def _year_starts(text: str) -> Iterator[int]:
    """The places where a year (``19`` or ``20`` and two digits) starts in ``text``, in order, found one at a time.
    The two prefixes never start at one place, and neither overlaps itself: each place is given once."""
    return heapq.merge(*((match.start() for match in pattern.finditer(text)) for pattern in _YEAR_START_RES))


def _sparse_year_starts(text: str) -> Iterator[int | None]:
    """``_year_starts(text)`` while the years stand apart; ``None``, and no more, once YEAR_RUN years in a row stand
    closer than MIN_CHARS_PER_YEAR on average: trying a pattern at each in turn would cost more than scanning the rest
    of the text (from after the last year given)."""
    mark = 0
    for count, year in enumerate(_year_starts(text), 1):
        if count % YEAR_RUN == 0:
            if year - mark < YEAR_RUN * MIN_CHARS_PER_YEAR:
                yield None
                return
            mark = year
        yield year


def _matches_at(pattern: re.Pattern[str] | LazyPattern, text: str) -> Iterator[re.Match[str]]:
    """``pattern.finditer(text)`` for a pattern that can match only where a year starts: tried at each such place at
    or after the end of the last match, as ``finditer`` finds it; where the years stand close together, the rest is
    scanned from after the last place tried."""
    end = resume = 0
    for year in _sparse_year_starts(text):
        if year is None:
            yield from pattern.finditer(text, max(end, resume))
            return
        resume = year + 1
        if year >= end:
            match = pattern.match(text, year)
            if match is not None:
                yield match
                end = match.end()


def _finditer(pattern: re.Pattern[str] | LazyPattern, text: str) -> Iterator[re.Match[str]]:
    """``pattern.finditer(text)`` for a date pattern (one that starts with a year)."""
    if len(text) <= DIRECT_SCAN_CHARS:
        return pattern.finditer(text)
    return _matches_at(pattern, text)


def _labels_before(text: str) -> Iterator[re.Match[str]]:
    """``_LABEL_BEFORE_RE.finditer(text)``: scanned directly in a short text, else ``_labels_before_each_year``."""
    if len(text) <= DIRECT_SCAN_CHARS:
        return _LABEL_BEFORE_RE.finditer(text)
    return _labels_before_each_year(text)


def _labels_before_each_year(text: str) -> Iterator[re.Match[str]]:
    """``_LABEL_BEFORE_RE.finditer(text)``, the label looked for just before each year.

    A match ends where a year starts, and starts no further back than the longest label before the run of spacing
    characters there. Those characters hold no digit, so the match for one year overlaps no other year, nor the
    match of another year, and each run is walked once. Where years stand close together, the rest of the text is
    scanned from after the last year's digits."""
    spacing, last = _LABEL_SPACING_CHARS, _LABEL_LAST_CHARS
    resume = 0  # a match for a year not yet reached starts here or after (after the last year's digits)
    for year in _sparse_year_starts(text):
        if year is None:
            yield from _LABEL_BEFORE_RE.finditer(text, resume)
            return
        resume = year + 4
        start = year
        while start > 0 and (text[start - 1] in spacing or text[start - 1].isspace()):
            start -= 1
        # A label ends where the spacing starts or inside it (``입력일`` ends in a spacing character).
        if text[start - 1 : start] not in last and not any(ch in last for ch in text[start:year]):
            continue
        for match in _LABEL_BEFORE_RE.finditer(text, max(0, start - _LABEL_MAX_CHARS), year + 4):
            if match.end() == year:
                yield match
                break


@dataclass(frozen=True)
class LabelledDate:
    kind: DateKind | None
    value: datetime
    has_time: bool


# The minutes of an ISO date's offset (``+09:00``, ``+0900``).
_ISO_OFFSET_MINUTES_RE = LazyPattern(r"[+-]\d{2}:?(\d{2})\Z")


def _isoparse(text: str) -> datetime:
    """dateutil's ``isoparse`` of a date ``_ISO_RE`` matched, read by the standard library's (C) reader where the
    two agree: everywhere but offsets with 60 minutes or more, which only dateutil refuses (and what the standard
    library refuses, such as ``T24:00``, goes to dateutil)."""
    offset = _ISO_OFFSET_MINUTES_RE.search(text)
    if offset is None or int(offset.group(1)) < 60:
        try:
            return datetime.fromisoformat(text)
        except ValueError:
            pass
    from dateutil.parser import isoparse  # imported by the first date only it reads: cleaning starts without it

    return isoparse(text)


def _build(match: re.Match[str]) -> tuple[datetime, bool] | None:
    parts = match.groupdict()
    if parts.get("iso"):
        try:
            value = _isoparse(parts["iso"])
        except (ValueError, OverflowError):
            return None
        return (value.replace(tzinfo=KST) if value.tzinfo is None else value.astimezone(KST)), True
    year, month, day = int(parts["year"]), int(parts["month"]), int(parts["day"])
    hour = minute = second = 0
    has_time = parts.get("hour") is not None
    if has_time:
        hour, minute = int(parts["hour"]), int(parts["minute"])
        second = int(parts["second"]) if parts.get("second") else 0
        meridiem = parts.get("ampm1") or parts.get("ampm2") or ""
        if meridiem in AFTERNOON_WORDS or meridiem.upper().startswith("P"):
            if hour > 12:
                return None
            hour = 12 if hour == 12 else hour + 12
        elif meridiem in MORNING_WORDS or meridiem.upper().startswith("A"):
            if hour > 12:
                return None
            hour = 0 if hour == 12 else hour
    try:
        return datetime(year, month, day, hour, minute, second, tzinfo=KST), has_time
    except ValueError:
        return None


def _iter_dates(text: str) -> Iterator[tuple[re.Match[str], datetime, bool]]:
    """Every date of ``text`` in text order, read as it is reached (a caller that needs the first ones stops early):
    the ISO dates, and the other forms outside them."""
    isos = _finditer(_ISO_RE, text)

    def next_iso() -> tuple[re.Match[str], datetime, bool] | None:
        for match in isos:
            built = _build(match)
            if built is not None:
                return match, *built
        return None

    iso = next_iso()  # the first ISO date not yet given: the dates before it are given first
    for match in _finditer(DATE_RE, text):
        while iso is not None and iso[0].end() <= match.start():
            yield iso
            iso = next_iso()
        if iso is not None and iso[0].start() < match.end():
            continue  # inside an ISO date
        built = _build(match)
        if built is not None:
            yield match, *built
    while iso is not None:
        yield iso
        iso = next_iso()


def parse_datetime(text: str) -> datetime | None:
    """The first date (with its time, when shown) in ``text``, in Korea time; ``None`` when there is none."""
    first = next(_iter_dates(text), None)
    return first[1] if first is not None else None


def find_dates(text: str) -> list[datetime]:
    """Every date in ``text``, in order."""
    return [value for _, value, _ in _iter_dates(text)]


def find_labelled_dates(text: str) -> list[LabelledDate]:
    """Dates in ``text`` with the kind their label gives: ``기사등록 …`` and ``… 16:12 입력`` are published."""
    return list(iter_labelled_dates(text))


def iter_labelled_dates(text: str) -> Iterator[LabelledDate]:
    """``find_labelled_dates``, one date at a time, as far as the caller reads."""
    labels = _labels_before(text)  # in text order, as the dates are: each is passed once
    label = next(labels, None)
    for match, value, has_time in _iter_dates(text):
        start = match.start()
        while label is not None and label.end() < start:
            label = next(labels, None)
        kind = DATE_LABELS[label.group("label")] if label is not None and label.end() == start else None
        if kind is None:
            spacing = _SPACING_RE.match(text, match.end())
            after = _LABEL_AFTER_RE.match(text, spacing.end() if spacing else match.end())
            if after:
                kind = DATE_LABELS[after.group("label")]
        yield LabelledDate(kind=kind, value=value, has_time=has_time)


def first_labelled(text: str) -> tuple[datetime | None, datetime | None]:
    """The first published and the first modified date in ``text`` that a label stands before (``입력 …``,
    ``수정 …``), found from the labels, without listing every date of the text; when no published date has a
    label before it, every date is read for those a label follows (``… 16:12 입력``)."""
    published = modified = None
    for label in _labels_before(text):
        kind = DATE_LABELS[label.group("label")]
        if (kind is DateKind.PUBLISHED and published) or (kind is DateKind.MODIFIED and modified):
            continue
        if kind not in (DateKind.PUBLISHED, DateKind.MODIFIED):
            continue
        match = _ISO_RE.match(text, label.end()) or DATE_RE.match(text, label.end())
        built = _build(match) if match else None
        if built is None:
            continue
        if kind is DateKind.PUBLISHED:
            published = built[0]
        else:
            modified = built[0]
        if published and modified:
            return published, modified
    if published is None:
        return first_published_and_modified(text, modified=modified)
    return published, modified


def first_published_and_modified(
    text: str, *, published: datetime | None = None, modified: datetime | None = None
) -> tuple[datetime | None, datetime | None]:
    """The first published and the first modified date of ``find_labelled_dates(text)``, for the one of them not
    given; the dates are read only until both are known."""
    for found in iter_labelled_dates(text):
        if found.kind is DateKind.PUBLISHED and published is None:
            published = found.value
        elif found.kind is DateKind.MODIFIED and modified is None:
            modified = found.value
        if published is not None and modified is not None:
            break  # no later date changes either
    return published, modified
