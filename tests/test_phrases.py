"""newsclean.phrases: the tables not tested entry by entry in the stage tests, and a check that every table is.

The stage tests (test_boilerplate, test_edge_lines, test_body, test_metadata, test_dates) test most tables entry by
entry; the tables left to this module are tested here. ``test_every_table_is_tested`` fails when a table of
``newsclean.phrases`` is named in no test module, so a new table cannot be forgotten.
"""

from __future__ import annotations

import ast
import inspect
import re
from pathlib import Path

import pytest

from newsclean import clean_article, phrases, sites
from newsclean.clean import boilerplate, dates
from newsclean.clean.metadata import clean_title
from newsclean.clean.textdump import LineKind, classify_line

TESTS = Path(__file__).resolve().parent
P1 = "광명시가 전국 지방자치단체를 대상으로 실시한 사회적경제정책 평가에서 최우수기관으로 선정됐다고 26일 밝혔다."
P2 = "고용노동부가 주관하는 사회적경제정책평가는 2019년부터 매년 실시하고 있으며 올해로 세 번째를 맞았다."
P3 = "박승원 시장은 “앞으로도 사회적경제 활성화를 위해 최선을 다하겠다”고 말했다."
TITLE = "광명시, 사회적경제 정책평가 전국 최우수 기관 선정"


def _public_tables() -> list[str]:
    """Names of the public tables (phrases, patterns, compiled patterns) of newsclean.phrases; numbers are left
    out (a threshold is tested with the table it bounds)."""
    return [
        name
        for name in phrases.__all__
        if isinstance(getattr(phrases, name), (tuple, frozenset, dict, str, re.Pattern))
    ]


def test_every_table_is_tested() -> None:
    sources = "\n".join(
        path.read_text(encoding="utf-8") for path in sorted(TESTS.glob("test_*.py")) if path.name != Path(__file__).name
    )
    this = Path(__file__).read_text(encoding="utf-8")
    # This module's own tests count, but not the names listed for the walk itself.
    untested = [
        name
        for name in _public_tables()
        if not re.search(rf"\b{name}\b", sources) and not re.search(rf"phrases\.{name}\b", this)
    ]
    assert not untested, f"phrase tables no test module names: {untested}"


def test_the_walk_sees_every_kind_of_table() -> None:
    tables = _public_tables()
    assert {"FURNITURE_LINES", "CAPTION_CREDIT_RE", "EMAIL_LINE_PATTERN", "KOREAN_SURNAMES"} <= set(tables)
    assert "MAX_CALL_TO_ACTION_CHARS" not in tables


def test_phrases_import_nothing_from_newsclean() -> None:
    tree = ast.parse(inspect.getsource(phrases))
    imported = [n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.level == 0]
    assert imported == ["__future__"]
    assert not [n for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.level > 0]


def test_all_is_sorted_and_complete() -> None:
    public = {name for name in vars(phrases) if name.isupper() and not name.startswith("_")}
    assert phrases.__all__ == sorted(phrases.__all__)
    assert set(phrases.__all__) == public


# ------------------------------------------------------------------------------------------------- furniture
@pytest.mark.parametrize("line", sorted(line for lines in phrases.FURNITURE_LINES.values() for line in lines))
def test_furniture_line(line: str) -> None:
    assert boilerplate.is_boilerplate_line(line)
    assert boilerplate.is_boilerplate_line(f"  {line} ")


def test_furniture_lines_need_the_whole_line() -> None:
    assert not boilerplate.is_boilerplate_line("시는 전체메뉴를 새로 꾸민 누리집을 다음 달 공개한다고 밝혔다.")


# ------------------------------------------------------------------------------------------ start and end
@pytest.mark.parametrize("marker", phrases.HEADER_MARKERS)
def test_header_marker(marker: str) -> None:
    assert classify_line(marker)[0] is LineKind.HEADER


def _dump(*lines: str) -> str:
    return "\n".join(["뉴스홈", "정치", *lines, P1, P2, P3, ""])


@pytest.mark.parametrize("marker", sorted(sites.title_markers()))
def test_title_follows_marker(marker: str) -> None:
    # A headline that reads like a sentence is taken as the title only after the marker.
    title = "광명시, 사회적경제 정책평가에서 전국 최우수 기관으로 선정됐다고 밝혀 눈길을 끌었다. 박 시장 “최선”"
    assert clean_article(_dump(marker, title, "입력 2021.11.26 10:00")).title == title
    assert clean_article(_dump("공유하기", title, "입력 2021.11.26 10:00")).title is None


@pytest.mark.parametrize("marker", phrases.BODY_START_MARKERS)
def test_body_start_marker(marker: str) -> None:
    # A short line right after the marker is the body's first heading, not a subtitle.
    lines = ("기사 메일전송", TITLE, "홍길동 기자", "입력 2021.11.26 10:00")
    after_marker = clean_article(_dump(*lines, marker, "평가 결과와 의미"))
    assert after_marker.subtitles == ()
    assert after_marker.paragraphs[0] == "평가 결과와 의미"
    after_other = clean_article(_dump(*lines, "공유하기", "평가 결과와 의미"))
    assert after_other.subtitles == ("평가 결과와 의미",)


# ------------------------------------------------------------------------------------------- edge lines
@pytest.mark.parametrize(
    "line", ["lkh2011@newsis.com", "[tgar1@mbn.co.kr]", "(hong.gildong@example.co.kr)", "<news+tip@x.kr>"]
)
def test_email_line(line: str) -> None:
    assert re.match(phrases.EMAIL_LINE_PATTERN, line)
    assert boilerplate.is_email_line(line)


@pytest.mark.parametrize("line", ["문의: lkh2011@newsis.com", "lkh2011@newsis", "메일 주소는 a@b.kr 입니다."])
def test_email_line_is_only_an_address(line: str) -> None:
    assert not boilerplate.is_email_line(line)


@pytest.mark.parametrize("ending", phrases.CALL_TO_ACTION_ENDINGS)
def test_call_to_action_longer_than_its_bound_is_text(ending: str) -> None:
    head = "가" * phrases.MAX_CALL_TO_ACTION_CHARS
    assert re.search(phrases.EDGE_LINE_PATTERNS["calls_to_action"][0], f"{head[:-1]} {ending}")
    assert not re.search(phrases.EDGE_LINE_PATTERNS["calls_to_action"][0], f"{head}나 {ending}")


# -------------------------------------------------------------------------------------------------- captions
# One caption per kind of credit CAPTION_CREDIT_RE knows.
CAPTION_CREDITS = [
    *(
        f"지난달 26일 고성군에서 월례회가 열렸다. [{credit}]"
        for credit in (
            "사진",
            "자료",
            "그래픽",
            "출처",
            "사진 출처",
            "사진출처",
            "사진 제공",
            "사진제공",
            "제공",
            "연합뉴스",
            "연합",
            "뉴시스",
            "뉴스1",
            "AP",
            "AFP",
            "로이터",
            "게티이미지",
            "EPA",
            "신화",
            "이종화 기자",
        )
    ),
    "지난달 26일 고성군에서 월례회가 열렸다. (사진=국회사진취재단)",
    "지난달 26일 고성군에서 월례회가 열렸다. <이종화 기자>",
    "고성군 월례회 모습 사진=고성군",
    "지난달 26일 고성군에서 월례회가 열렸다. [SR 제공]",
    "경기도소방재난본부 제공",
    "사진 제공 : 고성군",
    "잠실=최문영 기자 deer@sportschosun.com /2020.08.20/",
]


@pytest.mark.parametrize("line", CAPTION_CREDITS)
def test_caption_credit(line: str) -> None:
    assert phrases.CAPTION_CREDIT_RE.search(line)


@pytest.mark.parametrize(
    "line", ["시는 사진 공모전 수상작을 다음 달 전시한다고 밝혔다.", "정부가 자료를 제공하기로 했다는 소식이 전해졌다."]
)
def test_caption_credit_not_in_prose(line: str) -> None:
    assert not phrases.CAPTION_CREDIT_RE.search(line)


# ----------------------------------------------------------------------------------------------------- names
@pytest.mark.parametrize("surname", sorted(phrases.KOREAN_SURNAMES))
def test_korean_surname(surname: str) -> None:
    assert boilerplate.is_person_name(f"{surname}민수")


@pytest.mark.parametrize("word", ["뉴스타파", "스포츠", "브리핑"])
def test_name_needs_a_surname(word: str) -> None:
    assert not boilerplate.is_person_name(word)


# --------------------------------------------------------------------------------------------------- dates
def test_date_labels_by_kind() -> None:
    assert (
        *phrases.PUBLISHED_DATE_LABELS,
        *phrases.MODIFIED_DATE_LABELS,
        *phrases.SITE_STAMP_DATE_LABELS,
    ) == phrases.DATE_LABELS
    assert len(set(phrases.DATE_LABELS)) == len(phrases.DATE_LABELS)
    assert set(dates.DATE_LABELS) == set(phrases.DATE_LABELS)


@pytest.mark.parametrize(
    ("label", "kind"),
    [
        *((label, dates.DateKind.PUBLISHED) for label in phrases.PUBLISHED_DATE_LABELS),
        *((label, dates.DateKind.MODIFIED) for label in phrases.MODIFIED_DATE_LABELS),
        *((label, dates.DateKind.SITE_STAMP) for label in phrases.SITE_STAMP_DATE_LABELS),
    ],
)
def test_date_label_kind(label: str, kind: dates.DateKind) -> None:
    found = dates.find_labelled_dates(f"{label} 2021.11.26 10:00")
    assert [d.kind for d in found] == [kind]


@pytest.mark.parametrize("label", phrases.DATE_LABELS)
def test_date_label_alone_is_header(label: str) -> None:
    # A label alone on its line (its date on the next) is never body text: a date line, or furniture.
    for line in (label, f"{label} :"):
        expected = LineKind.FURNITURE if boilerplate.is_boilerplate_line(line) else LineKind.DATE
        assert classify_line(line)[0] is expected


@pytest.mark.parametrize(
    ("word", "hour"), [*((w, 15) for w in phrases.AFTERNOON_WORDS), *((w, 3) for w in phrases.MORNING_WORDS)]
)
def test_meridiem_word(word: str, hour: int) -> None:
    for text in (f"입력 2021.11.26 {word} 3:05", f"입력 2021.11.26 3:05 {word}"):
        assert [d.hour for d in dates.find_dates(text)] == [hour]


# ----------------------------------------------------------------------------------------------- site names
@pytest.mark.parametrize("separator", [s for s in phrases.TITLE_SEPARATORS if s.strip() in ("-", "|")])
def test_bare_title_separator(separator: str) -> None:
    assert clean_title(f"기사 제목이 여기에{separator}가나일보") == "기사 제목이 여기에"


@pytest.mark.parametrize("part", ["사진제공 쿠팡플레이", "사진 = 고성군", "자료 출처: 고성군", "영상=KBS"])
def test_photo_credit_part(part: str) -> None:
    assert phrases.PHOTO_CREDIT_PART_RE.match(part)
    assert boilerplate.split_signoff(f"백승훈 / {part}") == (["백승훈"], [part])


# --------------------------------------------------------------------------------------------------- credits
def test_inline_credit() -> None:
    line = "헌재, 尹탄핵심판 변론[이데일리 조민정 기자] 헌법재판소가 25일 변론을 열었다."
    found = phrases.INLINE_CREDIT_RE.search(line)
    assert found is not None and line[: found.start()] == "헌재, 尹탄핵심판 변론"
    assert not phrases.INLINE_CREDIT_RE.search("[서울=뉴시스] 홍길동 기자 = 정부가 발표했다.")


# ------------------------------------------------------------------------------------------ sentence endings
@pytest.mark.parametrize(
    "line",
    [
        "시는 예산을 늘렸다.",
        "정말 그럴까?",
        "대단하다!",
        "예산을 늘렸다。",
        "시장은 “최선을 다하겠다”",
        "그는 '괜찮아요'",
        '그렇죠"',
        "과연 그럴까’",
        "시는 예산을 늘렸다.)",
        "그는 “괜찮다”」",
    ],
)
def test_sentence_end(line: str) -> None:
    assert phrases.SENTENCE_END_RE.search(line)


@pytest.mark.parametrize("line", ["광명시, 사회적경제 정책평가 전국 최우수", "“최선 다할 것”", "[포토] 월례회"])
def test_no_sentence_end_in_a_headline(line: str) -> None:
    assert not phrases.SENTENCE_END_RE.search(line)


@pytest.mark.parametrize(
    ("line", "inner"), [("자세히 알아봤습니다. 보러가기", True), ("괜찮아요. 정말", True), ("1.5배 늘어", False)]
)
def test_inner_sentence_end(line: str, inner: bool) -> None:
    assert (phrases.INNER_SENTENCE_END_RE.search(line) is not None) is inner
