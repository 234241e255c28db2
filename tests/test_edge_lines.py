"""The edge lines of broadcast and online stories (credits, contacts, hashtags, disclaimers, speaker labels),
sign-offs, byline boxes, UI words that are never names, and script bodies held as lists of text elements:
every table entry with a real line it must match, and article text it must not."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsclean import CleanOptions, clean_article, phrases
from newsclean.clean import boilerplate
from newsclean.clean.markup import SCRIPT_TEXT_ELEMENT_KEYS, SCRIPT_TEXT_ELEMENT_TYPES
from newsclean.clean.metadata import clean_title
from newsclean.phrases import LEADING_SITE_NAME_WORDS
from newsclean.text import line_form

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"

# One real line per production-credit role.
CREDIT_EXAMPLES = {role: f"{role} : 홍길동" for role in phrases.CREDIT_ROLES}
CREDIT_EXAMPLES["영상편집"] = "영상편집:김선영"
CREDIT_EXAMPLES["취재"] = "( 취재 : 안서현 / 영상편집 : 동준엽 / 제작 : D뉴스플랫폼부 )"
CREDIT_EXAMPLES["화면 출처"] = "(화면 출처 : 연합뉴스)"
CREDIT_EXAMPLES["구성"] = "( 취재 : 박재현, 구성 : 김도균, 편집 : 정용희, 제작 : D콘텐츠기획부 )"


@pytest.mark.parametrize("role", phrases.CREDIT_ROLES)
def test_credit_role(role: str) -> None:
    assert boilerplate.is_edge_line(CREDIT_EXAMPLES[role])
    assert boilerplate.is_boilerplate_line(CREDIT_EXAMPLES[role])


@pytest.mark.parametrize("channel", phrases.CONTACT_CHANNELS)
def test_contact_channel(channel: str) -> None:
    assert boilerplate.is_edge_line(f"▷ {channel} : 'KBS제보' 검색")


@pytest.mark.parametrize("heading", phrases.CONTACT_HEADINGS)
def test_contact_heading(heading: str) -> None:
    assert boilerplate.is_edge_line(f"연합뉴스TV {heading} : 카톡/라인 jebo23")


@pytest.mark.parametrize(
    "line",
    [
        "▷ 전화 02-784-4000 ▷ 이메일 mbcjebo@mbc.co.kr ▷ 카카오톡 @mbc제보",
        "▷ 이메일 mbcjebo@mbc.co.kr",
        "[tgar1@mbn.co.kr]",
        "lkh2011@newsis.com",
        "#고물가 #짠테크 #절약",
        "* 아래 텍스트는 실제 방송 내용과 차이가 있을 수 있으니 보다 정확한 내용은 방송으로 확인하시기 바랍니다.",
        "◀ 앵커 ▶",
        "◀ 리포트 ▶",
        "[앵커]",
        "[리포트]",
        "<앵커 멘트>",
        "[한덕수/국무총리]",
    ],
)
def test_edge_line_forms(line: str) -> None:
    assert boilerplate.is_edge_line(line)


def test_every_edge_pattern_has_an_example() -> None:
    examples = [
        *CREDIT_EXAMPLES.values(),
        "▷ 카카오톡 : 'KBS제보' 검색",
        "연합뉴스TV 기사문의 및 제보 : 카톡/라인 jebo23",
        "lkh2011@newsis.com",
        "#고물가 #짠테크",
        "네이버에서 한국경제 구독하기",
        *phrases.DISCLAIMER_PHRASES,
        "◀ 앵커 ▶",
        "[주호영/국민의힘 원내대표]",
    ]
    for patterns in phrases.EDGE_LINE_PATTERNS.values():
        for pattern in patterns:
            import re

            assert any(re.search(pattern, line_form(e)) for e in examples), pattern


@pytest.mark.parametrize("phrase", phrases.DISCLAIMER_PHRASES)
def test_disclaimer_phrase(phrase: str) -> None:
    assert boilerplate.is_edge_line(f"* 아래 텍스트는 {phrase} 있으니 양해 바랍니다.")


@pytest.mark.parametrize("label", phrases.BROADCAST_LABELS)
def test_broadcast_label(label: str) -> None:
    assert boilerplate.is_edge_line(f"◀ {label} ▶")
    assert boilerplate.is_edge_line(f"[{label}]")


@pytest.mark.parametrize("prompt", phrases.REACTION_PROMPTS)
def test_reaction_prompt(prompt: str) -> None:
    assert boilerplate.is_boilerplate_line(prompt)


@pytest.mark.parametrize(
    "line",
    [
        "취재진은 현장에서 주민들의 이야기를 들었습니다.",
        "편집국장은 이번 결정이 옳았다고 말했다.",
        "시는 전화 상담 창구를 늘리기로 했다.",
        "[앵커가 전하는 오늘의 날씨는 맑겠습니다]",
        '"수위가 계획홍수위에 가까워지면 대피 범위를 넓히겠다"고 말했습니다.',
        "서울 / 부산 간 고속철도는 오늘도 정상 운행됩니다.",
    ],
)
def test_article_text_is_not_an_edge_line(line: str) -> None:
    assert not boilerplate.is_edge_line(line)


def test_soundbite_label_is_removed() -> None:
    line = "[유○○/'배후' 추정 자산가 : \"(범행 직후에 이경우 씨는 왜 만나신 건가요?) ...\"]"
    assert boilerplate.strip_soundbite_label(line) == '"(범행 직후에 이경우 씨는 왜 만나신 건가요?) ..."'
    assert boilerplate.strip_soundbite_label("[서울=뉴시스] 본문이 이어집니다.") == "[서울=뉴시스] 본문이 이어집니다."


def test_name_card_only_before_a_quote() -> None:
    assert boilerplate.is_name_card("토드 블란취 / 트럼프 변호사", '"우리는 무죄를 주장할 것입니다."')
    assert not boilerplate.is_name_card("토드 블란취 / 트럼프 변호사", "변호인단은 입장을 밝히지 않았습니다.")
    assert not boilerplate.is_name_card("서울 / 부산 간 고속철도는 오늘도 정상 운행됩니다.", '"정상입니다"')


@pytest.mark.parametrize(
    ("line", "names"),
    [
        ("KBS 뉴스 이윤우입니다.", ["이윤우"]),
        ("MBC뉴스 구민지입니다.", ["구민지"]),
        ("구민지 기자가 보도합니다.", ["구민지"]),
        ("이윤우 기자의 보도입니다.", ["이윤우"]),
        ("김수연 기자입니다.", ["김수연"]),
        ("오늘 날씨는 맑겠습니다.", []),
    ],
)
def test_spoken_byline(line: str, names: list[str]) -> None:
    assert boilerplate.spoken_byline(line) == names


def test_every_spoken_byline_pattern_is_used() -> None:
    import re

    lines = ["KBS 뉴스 이윤우입니다.", "구민지 기자가 보도합니다.", "이윤우 기자의 보도입니다.", "김수연 기자입니다."]
    for pattern in phrases.SPOKEN_BYLINE_PATTERNS:
        assert any(re.match(pattern, line) for line in lines), pattern


def test_signoff_with_photo_credit() -> None:
    assert boilerplate.split_signoff("백승훈 / 사진제공 쿠팡플레이") == (["백승훈"], ["사진제공 쿠팡플레이"])
    assert boilerplate.split_signoff("서울 / 부산") is None


@pytest.mark.parametrize("label", phrases.BYLINE_UI_LABELS)
def test_byline_ui_label(label: str) -> None:
    assert boilerplate.parse_byline(f"안서현 기자 {label}") == ["안서현"]


@pytest.mark.parametrize("label", phrases.NAME_LABELS)
def test_name_label(label: str) -> None:
    assert boilerplate.parse_byline(f"{label} 변윤재") == ["변윤재"]


@pytest.mark.parametrize(
    ("line", "names"),
    [
        ("안서현 기자 안서현 기자 Seoul 이메일 보내기", ["안서현"]),
        ("이정화 에디터 이정화 에디터 Seoul", ["이정화"]),
        ("(SBS연예뉴스 강경윤 기자)", ["강경윤"]),
    ],
)
def test_byline_box(line: str, names: list[str]) -> None:
    assert boilerplate.parse_byline(line) == names


@pytest.mark.parametrize("word", sorted(phrases.UI_LABEL_WORDS))
def test_ui_word_is_never_a_name(word: str) -> None:
    assert boilerplate.parse_byline(f"{word} 기자") in (None, [])


REFERENCE_WITH_EDIT_BUTTON = """<!DOCTYPE html><html lang="ko"><head><meta charset="utf-8">
<title>시, 청년 창업 지원 확대 - 예시신문</title></head>
<body><div class="view_title"><h2 class="title">시, 청년 창업 지원 확대</h2></div>
<ul class="info-text"><li>기사등록 2023-04-05 11:52:50</li><li><a href="#">기사수정</a></li></ul>
<div id="viewContent" class="fr-view">
<p>시는 올해 청년 창업 지원 예산을 지난해보다 두 배 늘린 20억 원으로 편성했다고 5일 밝혔다.</p>
<p>지원 대상은 창업 3년 이내의 만 39세 이하 청년 기업이며, 최대 5천만 원까지 사업화 자금을 받을 수 있다.</p>
<p>시 관계자는 "청년들이 지역에 정착해 창업할 수 있도록 지원을 아끼지 않겠다"고 말했다.</p>
<p class="byline">권상은 기자</p>
</div></body></html>"""


@pytest.mark.parametrize("site_rules", [True, False])
def test_edit_button_is_not_the_reporter(site_rules: bool) -> None:
    article = clean_article(
        REFERENCE_WITH_EDIT_BUTTON,
        url="http://gginews2.dadamedia.net/news/view.php?idx=1",
        options=CleanOptions(site_rules=site_rules),
    )
    assert article.authors == ("권상은",)
    assert len(article.paragraphs) == 3


def test_script_text_element_tables() -> None:
    page = (FIXTURES / "synthetic" / "fusion_article.html").read_text(encoding="utf-8")
    assert all(f'"{key}"' in page or key != "content" for key in SCRIPT_TEXT_ELEMENT_KEYS)
    assert {"text", "header"} <= SCRIPT_TEXT_ELEMENT_TYPES


@pytest.mark.parametrize("key", SCRIPT_TEXT_ELEMENT_KEYS)
def test_script_text_element_key(key: str) -> None:
    import json

    paragraphs = [
        "시는 올해 청년 창업 지원 예산을 지난해보다 두 배 늘린 20억 원으로 편성했다고 밝혔습니다.",
        "지원 대상은 창업 3년 이내의 만 39세 이하 청년 기업이며 사업화 자금을 받을 수 있습니다.",
        "시 관계자는 청년들이 지역에 정착할 수 있도록 지원을 아끼지 않겠다고 말했습니다.",
        "신청은 다음 달 말까지 시청 누리집에서 받으며, 선정 결과는 6월에 발표됩니다.",
    ]
    state = {"story": {"elements": [{"type": "text", key: p} for p in paragraphs]}}
    html = (
        '<html lang="ko"><head><meta charset="utf-8"><title>예산 확대</title></head><body><div id="app"></div>'
        f"<script>window.__STATE__ = {json.dumps(state, ensure_ascii=False)};</script></body></html>"
    )
    article = clean_article(html)
    assert list(article.paragraphs) == paragraphs


@pytest.mark.parametrize("name", ["br_body.html", "fusion_article.html"])
def test_synthetic_layout_keeps_every_paragraph(name: str) -> None:
    import json

    gold = json.loads((FIXTURES / "synthetic" / name.replace(".html", ".gold.json")).read_text(encoding="utf-8"))
    for site_rules in (True, False):
        options = CleanOptions(site_rules=site_rules)
        article = clean_article((FIXTURES / "synthetic" / name).read_bytes(), options=options)
        assert list(article.paragraphs) == gold["paragraphs"]
        assert list(article.authors) == gold["authors"]
        assert article.title == gold["title"]


@pytest.mark.parametrize("word", LEADING_SITE_NAME_WORDS)
def test_leading_site_name_word(word: str) -> None:
    assert clean_title(f"대전{word} :: 시, 청년 창업 지원 예산 두 배로 늘려") == "시, 청년 창업 지원 예산 두 배로 늘려"


@pytest.mark.parametrize(
    "title",
    [
        "경제 | 물가가 크게 올랐다",
        "시, 청년 창업 지원 확대",
        "[단독] 시장 사퇴 | 후임 인선 착수",
        "코로나19 - 확진자 감소세",
    ],
)
def test_headline_without_a_leading_site_name_stays(title: str) -> None:
    assert clean_title(title) == title


@pytest.mark.parametrize("word", phrases.CONTROL_WORDS)
def test_control_word(word: str) -> None:
    other = "재생" if word != "재생" else "정지"
    assert boilerplate.is_boilerplate_line(f"{word} {other}")
    assert not boilerplate.is_boilerplate_line(word + " 시는 올해 청년 창업 지원 예산을 두 배로 늘렸다.")


@pytest.mark.parametrize(
    "line",
    [
        "고화질 표준화질 자동재생",
        "[noimg_633_] 동영상 시작",
        "Previous Next",
        "확인 내 북마크 보기",
        "프린트기사본문프린트하기 글자 크기 크게보기 글자크기 작게보기",
        "폰트 확대축소 뉴스듣기 여성 남성",
        "PRINT letter clip",
    ],
)
def test_control_bar(line: str) -> None:
    assert boilerplate.is_boilerplate_line(line)


def test_dump_byline_glued_to_the_last_line_and_a_photo_desk_stamp() -> None:
    import json

    page = FIXTURES / "chosun.com" / "chosun_2020082704301.txt"
    gold = json.loads(page.with_name("chosun_2020082704301.gold.json").read_text(encoding="utf-8"))
    article = clean_article(page.read_bytes())
    assert list(article.paragraphs) == gold["paragraphs"]  # "…처리했다.부산=선수민 기자 sunsoo@…" ends the body
    assert [i.caption for i in article.images] == gold["captions"]  # "… 기자 deer@… /2020.08.20/" is a caption
    assert list(article.authors) == gold["authors"]


@pytest.mark.parametrize("ending", phrases.CALL_TO_ACTION_ENDINGS)
def test_call_to_action_ending(ending: str) -> None:
    assert boilerplate.is_boilerplate_line(f"[지역뉴스 앱 {ending}]")
    prose = f"시는 오늘 신청을 받기 시작했다고 밝혔다. 자세한 내용은 누리집 {ending}"
    assert not boilerplate.is_boilerplate_line(prose)


def test_a_url_longer_than_any_real_one_is_not_canonicalised_or_taken() -> None:
    import time

    from newsclean.clean.urls import MAX_URL_CHARS, canonical_url

    huge = "https://news.example.kr/news/" + "1" * 1_000_000
    started = time.perf_counter()
    assert canonical_url(huge) == huge  # returned as given, not quoted character by character
    assert time.perf_counter() - started < 2.0
    page = (FIXTURES / "synthetic" / "br_body.html").read_text(encoding="utf-8")
    page = page.replace("<title>", f"<link rel='canonical' href='{huge}'><title>")
    assert clean_article(page).url is None
    fine = "https://news.example.kr/news/articleView.html?idxno=" + "1" * 20
    assert len(fine) < MAX_URL_CHARS and clean_article(page.replace(huge, fine)).url == fine
