"""Korean dates: date labels and date/time forms in page text -> timezone-aware datetimes in Korea time.

Forms read: ``2021-11-26 12:06:03``, ``2019.12.02 14:08``, ``2015/11/16 16:12``, ``2021.11.26 오후 12:06``,
``2021년 11월 26일 12:06``, ``2019년 12월 05일(목) 16:23``, ``2020-10-22 오후 07:29:15``, ``12시 6분``,
and ISO 8601 strings with or without an offset. A time without an offset is Korea time.
``오후 12:xx`` is noon, ``오전 12:xx`` is just after midnight.
"""

from __future__ import annotations

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
    isos = _ISO_RE.finditer(text)

    def next_iso() -> tuple[re.Match[str], datetime, bool] | None:
        for match in isos:
            built = _build(match)
            if built is not None:
                return match, *built
        return None

    iso = next_iso()  # the first ISO date not yet given: the dates before it are given first
    for match in DATE_RE.finditer(text):
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
    labels = _LABEL_BEFORE_RE.finditer(text)  # in text order, as the dates are: each is passed once
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
    for label in _LABEL_BEFORE_RE.finditer(text):
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
