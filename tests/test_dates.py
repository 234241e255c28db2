"""Korean date forms -> timezone-aware datetimes in Korea time."""

from __future__ import annotations

import random
import re
from datetime import datetime

import pytest

from newsclean.clean import dates
from newsclean.clean.dates import (
    DATE_LABELS,
    DateKind,
    find_dates,
    find_labelled_dates,
    first_labelled,
    iter_labelled_dates,
    parse_datetime,
)
from newsclean.models import KST


def kst(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=KST)  # type: ignore[misc]


@pytest.mark.parametrize(
    ("text", "expected", "kind"),
    [
        ("기사등록 2021-11-26 12:06:03", kst(2021, 11, 26, 12, 6, 3), DateKind.PUBLISHED),
        ("수정 2023-07-04 15:17:02", kst(2023, 7, 4, 15, 17, 2), DateKind.MODIFIED),
        ("승인 2019.12.02 14:08", kst(2019, 12, 2, 14, 8), DateKind.PUBLISHED),
        ("승인 2019.12.02", kst(2019, 12, 2), DateKind.PUBLISHED),
        ("입력 2021.11.26 오후 12:06", kst(2021, 11, 26, 12, 6), DateKind.PUBLISHED),
        ("입력 2021.11.26 오전 12:06", kst(2021, 11, 26, 0, 6), DateKind.PUBLISHED),
        ("입력2022.09.14. 오후 4:04", kst(2022, 9, 14, 16, 4), DateKind.PUBLISHED),
        ("기사입력 : 2018-08-20 07:00:00", kst(2018, 8, 20, 7, 0), DateKind.PUBLISHED),
        ("기사입력 :[ 2018-08-25 15:24 ]", kst(2018, 8, 25, 15, 24), DateKind.PUBLISHED),
        ("최종수정 2023.05.16 15:31", kst(2023, 5, 16, 15, 31), DateKind.MODIFIED),
        ("2021년 11월 26일 12:06", kst(2021, 11, 26, 12, 6), None),
        ("2019년 12월 05일(목) 16:23", kst(2019, 12, 5, 16, 23), None),
        ("1417호입력 : 2019년 12월 05일", kst(2019, 12, 5), DateKind.PUBLISHED),
        ("2020-10-22 오후 07:29:15", kst(2020, 10, 22, 19, 29, 15), None),
        ("최종편집:2020-10-22 오후 07:29:15", kst(2020, 10, 22, 19, 29, 15), DateKind.SITE_STAMP),
        ("2015/11/16 16:12 입력", kst(2015, 11, 16, 16, 12), DateKind.PUBLISHED),
        ("등록 2026-02-01 14:14:16", kst(2026, 2, 1, 14, 14, 16), DateKind.PUBLISHED),
        ("등록일 2023-07-02 20:11 게재일 2023-07-03 2면", kst(2023, 7, 2, 20, 11), DateKind.PUBLISHED),
        ("입력 :\n    2025-05-28 00:13:03", kst(2025, 5, 28, 0, 13, 3), DateKind.PUBLISHED),
        ("2021-11-26T03:06:03Z", kst(2021, 11, 26, 12, 6, 3), None),
        ("2021-11-26T12:06:03+09:00", kst(2021, 11, 26, 12, 6, 3), None),
        ("2021-11-26T12:06:03", kst(2021, 11, 26, 12, 6, 3), None),
        ("2021년 11월 26일 오후 12시 6분", kst(2021, 11, 26, 12, 6), None),
    ],
)
def test_korean_date_forms(text: str, expected: datetime, kind: DateKind | None) -> None:
    found = find_labelled_dates(text)
    assert found, text
    assert found[0].value == expected
    assert found[0].value.utcoffset() is not None
    assert found[0].kind is kind
    assert parse_datetime(text) == expected


@pytest.mark.parametrize(("label", "kind"), DATE_LABELS.items())
def test_every_label(label: str, kind: DateKind) -> None:
    found = find_labelled_dates(f"{label} 2020.01.02 03:04")
    assert [(d.kind, d.value) for d in found] == [(kind, kst(2020, 1, 2, 3, 4))]


@pytest.mark.parametrize(
    "text",
    ["", "기사수정", "2021-13-40 25:61", "전화 02-1234-5678", "제3회 전국 지방자치단체 사회적경제 정책평가", "1999"],
)
def test_no_date(text: str) -> None:
    assert parse_datetime(text) is None


def test_impossible_meridiem_hour_is_not_a_time() -> None:
    assert find_dates("2021.11.26 오후 13:06") == []


def test_dates_in_order() -> None:
    text = "기사입력 2013-10-24 03:00:00 기사수정 2013-10-25 04:00:00"
    assert [(d.kind, d.value) for d in find_labelled_dates(text)] == [
        (DateKind.PUBLISHED, kst(2013, 10, 24, 3)),
        (DateKind.MODIFIED, kst(2013, 10, 25, 4)),
    ]


@pytest.mark.parametrize(
    ("text", "published", "modified"),
    [
        (
            "많이 본 뉴스 2020.01.01 10:00 기사입력 2021.11.26 12:06 수정 2021.11.27 09:00",
            (2021, 11, 26, 12, 6),
            (2021, 11, 27, 9, 0),
        ),
        ("수정 2021.11.27 09:00 입력 2021.11.26 12:06", (2021, 11, 26, 12, 6), (2021, 11, 27, 9, 0)),
        ("2021.11.26 12:06 입력", (2021, 11, 26, 12, 6), None),
        ("관련 기사 2020.01.01", None, None),
    ],
)
def test_first_labelled(
    text: str, published: tuple[int, ...] | None, modified: tuple[int, ...] | None
) -> None:
    assert first_labelled(text) == (kst(*published) if published else None, kst(*modified) if modified else None)


def _every_date_sorted(text: str) -> list[datetime]:
    """Every date of ``text`` the plain way: the ISO dates, then the other forms outside them, sorted by place."""
    found = []
    for match in dates._ISO_RE.finditer(text):
        built = dates._build(match)
        if built is not None:
            found.append((match.start(), match.end(), built[0]))
    isos = [(start, end) for start, end, _ in found]
    for match in dates.DATE_RE.finditer(text):
        if any(start < match.end() and match.start() < end for start, end in isos):
            continue
        built = dates._build(match)
        if built is not None:
            found.append((match.start(), match.end(), built[0]))
    return [value for _, _, value in sorted(found, key=lambda item: item[0])]


_DATE_PIECES = [
    "2021-11-26T12:06:03+09:00",  # ISO, holding a dashed date the other forms would read too
    "2021-13-26T12:06:03",  # an ISO form that is no date: the dashed date inside it is not read either
    "2021-02-30T10:00",  # an ISO form of an impossible day
    "2020.01.05 12:00",
    "2019년 12월 05일(목) 16:23",
    "2021.11.26 오후 12:06",
    "2015/11/16",
    "입력 ",
    "수정 ",
    " 기사입력:",
    " 승인",
    " ",
    "\n",
    "관련 기사",
    "2021",
    "20",
]


@pytest.mark.parametrize("direct_scan_chars", [dates.DIRECT_SCAN_CHARS, 0])
def test_dates_are_read_in_order_as_far_as_the_caller_reads(
    direct_scan_chars: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Dates are given one at a time, ISO ones and the others merged by place: the same dates, in the same order, as
    # sorting every date found; the labelled dates likewise. With no text scanned directly, every text is read by
    # trying the patterns where years start.
    monkeypatch.setattr(dates, "DIRECT_SCAN_CHARS", direct_scan_chars)
    rng = random.Random(11)
    for _ in range(400):
        text = "".join(rng.choice(_DATE_PIECES) for _ in range(rng.randrange(1, 14)))
        assert find_dates(text) == _every_date_sorted(text), text
        assert parse_datetime(text) == (_every_date_sorted(text) or [None])[0]
        labelled = find_labelled_dates(text)
        assert [d.value for d in labelled] == find_dates(text)
        assert list(iter_labelled_dates(text)) == labelled


def test_labelled_dates_are_read_lazily() -> None:
    # A reader that stops after the first date reads no further: the date after it is never built.
    built: list[str] = []
    original = dates._build

    def counting(match: re.Match[str]) -> tuple[datetime, bool] | None:
        built.append(match.group(0))
        return original(match)

    text = "입력 2021.11.26 12:06 " + "관련 2020.01.01 " * 1000
    dates._build = counting
    try:
        first = next(iter_labelled_dates(text))
    finally:
        dates._build = original
    assert (first.kind, first.value) == (DateKind.PUBLISHED, kst(2021, 11, 26, 12, 6))
    assert len(built) <= 2  # the first date, and at most the next one looked at


# Pieces of text around the places where years start: labels (one with a space, some ending in a spacing character),
# the spacing allowed between a label and its date, digits before and after a year, other digits (Unicode ones too).
_YEAR_PIECES = [
    *_DATE_PIECES,
    "19",
    "1",
    "0",
    "일",
    "시",
    "간",
    "시간",
    "일시",
    "(",
    "[",
    ":",
    "：",
    "\u3000",
    "기사",
    "입력일",
    "등록일시 ",
    "작성일시간 ",
    "게시",
    "최종 수정 ",
    "Posted ",
    "Updated:",
    "１",
    "٢٠٢٠",
    "관련 기사 " * 8,
]


@pytest.mark.parametrize(
    ("year_run", "min_chars_per_year"),
    [(dates.YEAR_RUN, dates.MIN_CHARS_PER_YEAR), (1, 10**6), (2, 10**6), (3, 20), (5, 0)],
)
def test_patterns_are_tried_where_years_start(
    year_run: int, min_chars_per_year: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    # In a long text the date and label patterns are tried only where a year starts, and the label pattern only in a
    # window before each year: the same matches as scanning the whole text. So too when the years stand so close
    # that the rest is scanned: from the first year (a run of 1), the second, the third, or never.
    monkeypatch.setattr(dates, "YEAR_RUN", year_run)
    monkeypatch.setattr(dates, "MIN_CHARS_PER_YEAR", min_chars_per_year)
    rng = random.Random(17)
    for _ in range(3000):
        text = "".join(rng.choice(_YEAR_PIECES) for _ in range(rng.randrange(1, 60)))
        assert [m.span() for m in dates._labels_before_each_year(text)] == [
            m.span() for m in dates._LABEL_BEFORE_RE.finditer(text)
        ], text
        for pattern in (dates._ISO_RE, dates.DATE_RE):
            assert [m.span() for m in dates._matches_at(pattern, text)] == [
                m.span() for m in pattern.finditer(text)
            ], text


def test_year_starts() -> None:
    # Every place where 19 or 20 and two digits start, in order, overlapping ones too; no other place.
    text = "2019 120201 1999x19 20 2020202 ２０２０ 19٢٠"
    expected = [i for i in range(len(text)) if re.match(r"(?:19|20)\d\d", text[i:])]
    assert list(dates._year_starts(text)) == expected
    assert expected == [0, 6, 12, 23, 25, 36]
