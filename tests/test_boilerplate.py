"""Every entry of the Korean boilerplate tables, with a real line it must match, and article text it must not."""

from __future__ import annotations

import pytest
from corpus import cases

from newsclean import phrases
from newsclean.clean import boilerplate
from newsclean.phrases import BOILERPLATE_PATTERNS, CREDIT_PATTERNS
from newsclean.text import line_form

# One real line per pattern of BOILERPLATE_PATTERNS.
PATTERN_EXAMPLES: dict[str, str] = {
    BOILERPLATE_PATTERNS["share"][
        0
    ]: "이메일에 공유하기 카카오톡에 공유하기 페이스북에 공유하기 트위터에 공유하기 링크 복사하기",
    BOILERPLATE_PATTERNS["share"][
        1
    ]: "트위터로 기사전송 페이스북으로 기사전송 미투데이로 기사전송 다음요즘으로 기사전송",
    BOILERPLATE_PATTERNS["share"][2]: "공유 : 트위터페이스북미투데이요즘에",
    BOILERPLATE_PATTERNS["share"][3]: "기사 URL공유[                    ]",
    BOILERPLATE_PATTERNS["share"][4]: "Pinterest Facebook twitter 기사보내기",
    BOILERPLATE_PATTERNS["share"][5]: "가1단계 작게",
    BOILERPLATE_PATTERNS["share"][6]: "쏠쏠정보 0",
    BOILERPLATE_PATTERNS["share"][7]: "좋아요 좋아요 0",
    BOILERPLATE_PATTERNS["share"][8]: "100자평 0",
    BOILERPLATE_PATTERNS["share"][9]: "성별 남성 여성",
    BOILERPLATE_PATTERNS["share"][10]: "말하기 속도 느림 보통 빠름",
    BOILERPLATE_PATTERNS["comments"][0]: "※ 로그인 후 의견을 등록하시면, 자신의 의견을 관리하실 수 있습니다. 0/1000",
    BOILERPLATE_PATTERNS["comments"][1]: "댓글을 남기실 수 있습니다.",
    BOILERPLATE_PATTERNS["comments"][2]: "0 댓글달기 0",
    BOILERPLATE_PATTERNS["comments"][3]: "댓글 0",
    BOILERPLATE_PATTERNS["comments"][4]: "0",
    BOILERPLATE_PATTERNS["comments"][5]: "TALK new",
    BOILERPLATE_PATTERNS["notices"][0]: "다른 곳에 퍼가실 때는 아래 고유 링크 주소를 출처로 사용해주세요.",
    BOILERPLATE_PATTERNS["notices"][1]: "기사를 사용하실 때는 아래 고유 링크 주소를 출처로 사용해주세요.",
    BOILERPLATE_PATTERNS["notices"][2]: "http://gginews2.dadamedia.net/news/view.php?idx=66849",
    BOILERPLATE_PATTERNS["notices"][3]: "이 기사가 마음에 들었다면, 좋아요를 눌러주세요.",
    BOILERPLATE_PATTERNS["notices"][4]: "▲ 제보하기",
    BOILERPLATE_PATTERNS["notices"][5]: "[메일] jebo@ksmnews.co.kr",
    BOILERPLATE_PATTERNS["notices"][6]: "유튜브에서 경상매일방송 채널을 구독해주세요!",
    BOILERPLATE_PATTERNS["notices"][7]: "천지일보는 24시간 여러분의 제보를 기다립니다.",
    BOILERPLATE_PATTERNS["notices"][8]: "본문 요약봇",
    BOILERPLATE_PATTERNS["notices"][
        9
    ]: "이동 통신망을 이용하여 음성을 재생하면 별도의 데이터 통화료가 부과될 수 있습니다.",
    BOILERPLATE_PATTERNS["notices"][
        10
    ]: "AI 요약은 OpenAI의 최신 기술을 활용해 핵심 내용을 빠르고 정확하게 제공합니다.",
    BOILERPLATE_PATTERNS["notices"][11]: "핵심 요약쏙은 회원용 콘텐츠입니다.",
    BOILERPLATE_PATTERNS["notices"][12]: "뉴스 요약쏙",
    BOILERPLATE_PATTERNS["notices"][13]: "기사 (전체 28건)",
    BOILERPLATE_PATTERNS["notices"][14]: "2025.06.02 (월)",
    BOILERPLATE_PATTERNS["notices"][15]: "기상청 제공",
    BOILERPLATE_PATTERNS["notices"][16]: "즐겨찾기+ 최종편집:2020-10-22 오후 07:29:15 회원가입기사쓰기전체기사보기",
    BOILERPLATE_PATTERNS["notices"][17]: "최종편집 : 2023.12.06",
    BOILERPLATE_PATTERNS["reporter_card"][0]: "기자 프로필",
    BOILERPLATE_PATTERNS["reporter_card"][1]: "구독자 0",
    BOILERPLATE_PATTERNS["reporter_card"][2]: "이데일리 이데일리 조민정 기자 구독자 0",
    BOILERPLATE_PATTERNS["popular"][0]: "많이 본 뉴스더보기",
    BOILERPLATE_PATTERNS["popular"][1]: "2025-05-27 23:59 기준",
    BOILERPLATE_PATTERNS["popular"][2]: "▶ 관련기사 보기",
    BOILERPLATE_PATTERNS["media_placeholders"][0]: "[58406114]",
    BOILERPLATE_PATTERNS["media_placeholders"][1]: "사진설명 사진 확대",
    BOILERPLATE_PATTERNS["media_placeholders"][2]: "사진 확대",
    BOILERPLATE_PATTERNS["media_placeholders"][3]: "이미지 확대보기",
    BOILERPLATE_PATTERNS["media_placeholders"][4]: "[                    ] 검색어 지우기 검색",
    BOILERPLATE_PATTERNS["media_placeholders"][5]: "[*]",
}

BODY_END_EXAMPLES: dict[str, str] = {
    phrases.BODY_END_PATTERNS[0]: "다른 곳에 퍼가실 때는 아래 고유 링크 주소를 출처로 사용해주세요.",
    phrases.BODY_END_PATTERNS[1]: "기사를 사용하실 때는 아래 고유 링크 주소를 출처로 사용해주세요.",
    phrases.BODY_END_PATTERNS[2]: "나도 한마디",
    phrases.BODY_END_PATTERNS[3]: "많이 본 뉴스더보기",
    phrases.BODY_END_PATTERNS[4]: "인기뉴스",
    phrases.BODY_END_PATTERNS[5]: "인기기사",
    phrases.BODY_END_PATTERNS[6]: "오늘의 핫뉴스 hot",
    phrases.BODY_END_PATTERNS[7]: "이 기사가 마음에 들었다면, 좋아요를 눌러주세요.",
    phrases.BODY_END_PATTERNS[8]: "댓글정책",
    phrases.BODY_END_PATTERNS[9]: "기자프로필",
    phrases.BODY_END_PATTERNS[10]: "주메뉴 바로가기 본문 바로가기",
    phrases.BODY_END_PATTERNS[11]: "▲ 제보하기",
    phrases.BODY_END_PATTERNS[12]: "관련기사",
    phrases.BODY_END_PATTERNS[13]: "모바일 버전 바로가기",
}

COPYRIGHT_EXAMPLES: dict[str, str] = {
    phrases.COPYRIGHT_PATTERNS[0]: "저작권자 © 동양바이오뉴스 무단전재 및 재배포 금지",
    phrases.COPYRIGHT_PATTERNS[1]: "[ⓒ 매일경제 & mk.co.kr, 무단전재 및 재배포 금지]",
    phrases.COPYRIGHT_PATTERNS[2]: "무단전재 및 재배포 금지",
    phrases.COPYRIGHT_PATTERNS[
        3
    ]: "< 경남신문의 콘텐츠는 저작권법의 보호를 받는 바, 무단전재·크롤링·복사·재배포를 금합니다. >",
    phrases.COPYRIGHT_PATTERNS[4]: "중도일보(www.joongdo.co.kr), 무단전재 및 수집, 재배포 금지",
    phrases.COPYRIGHT_PATTERNS[5]: "<ÀúÀÛ±ÇÀÚ © Çѳ²ÀϺ¸, ¹«´Ü ÀüÀç ¹× Àç¹èÆ÷ ±ÝÁö>",
}

# (paragraph, expected rest, expected names) per entry of CREDIT_PATTERNS.
CREDIT_EXAMPLES: dict[str, tuple[str, str, list[str]]] = {
    CREDIT_PATTERNS[0]: ("[서울=뉴시스] 홍길동 기자 = 정부가 발표했다.", "정부가 발표했다.", ["홍길동"]),
    CREDIT_PATTERNS[1]: ("(광명=연합뉴스) 홍길동 기자 = 광명시가 밝혔다.", "광명시가 밝혔다.", ["홍길동"]),
    CREDIT_PATTERNS[2]: ("[이데일리 조민정 기자] 국민의힘 비상대책위원회", "국민의힘 비상대책위원회", ["조민정"]),
    CREDIT_PATTERNS[3]: ("우리투데이 이동현 기자 |  충북도청에 등록된", "충북도청에 등록된", ["이동현"]),
    CREDIT_PATTERNS[4]: ("[헬스컨슈머] 질병관리청(청장 지영미)", "질병관리청(청장 지영미)", []),
    CREDIT_PATTERNS[5]: ("홍길동 기자 = 서울시가 밝혔다.", "서울시가 밝혔다.", ["홍길동"]),
}

ARTICLE_LINES = [
    "광명시는 2013년 3월 중간지원조직인 사회적경제센터를 설치해 이를 중심으로 사회적경제 활성화에 꾸준히 노력해왔다.",
    "복합경제 위기 타개·미래 신산업 육성, 소재 개발 필요",
    "<고성군 최초로 주민들이 만든 인터넷 신문>",
    "안녕하십니까",
    "“어려운 시기, 함께 해쳐 나가야”",
]


def test_every_pattern_has_an_example() -> None:
    patterns = [p for group in BOILERPLATE_PATTERNS.values() for p in group]
    assert sorted(patterns) == sorted(PATTERN_EXAMPLES)
    assert sorted(phrases.BODY_END_PATTERNS) == sorted(BODY_END_EXAMPLES)
    assert sorted(phrases.COPYRIGHT_PATTERNS) == sorted(COPYRIGHT_EXAMPLES)
    assert sorted(CREDIT_PATTERNS) == sorted(CREDIT_EXAMPLES)


@pytest.mark.parametrize(("pattern", "line"), PATTERN_EXAMPLES.items())
def test_pattern_entry(pattern: str, line: str) -> None:
    import re

    assert re.search(pattern, line_form(line), re.I)
    assert boilerplate.is_boilerplate_line(line)


@pytest.mark.parametrize("line", sorted(frozenset().union(*phrases.FURNITURE_LINES.values())))
def test_exact_line_entry(line: str) -> None:
    assert boilerplate.is_boilerplate_line(line)
    assert boilerplate.is_boilerplate_line(f"  • {line}  ")


@pytest.mark.parametrize("heading", phrases.POPULAR_BOX_HEADINGS)
def test_popular_box_heading(heading: str) -> None:
    assert boilerplate.is_boilerplate_line(heading)
    assert boilerplate.is_boilerplate_line(heading + "더보기")


@pytest.mark.parametrize("target", phrases.SHARE_TARGETS)
def test_share_target(target: str) -> None:
    assert boilerplate.is_boilerplate_line(f"{target}에 공유하기")


@pytest.mark.parametrize("button", phrases.REACTION_BUTTONS)
def test_reaction_button(button: str) -> None:
    assert boilerplate.is_boilerplate_line(f"{button} 12")


@pytest.mark.parametrize(("marker", "line"), BODY_END_EXAMPLES.items())
def test_body_end_marker(marker: str, line: str) -> None:
    assert boilerplate.is_body_end_marker(line)


@pytest.mark.parametrize(("pattern", "line"), COPYRIGHT_EXAMPLES.items())
def test_copyright_entry(pattern: str, line: str) -> None:
    assert boilerplate.is_copyright_line(line)
    assert boilerplate.is_boilerplate_line(line)


@pytest.mark.parametrize(("pattern", "example"), CREDIT_EXAMPLES.items())
def test_credit_entry(pattern: str, example: tuple[str, str, list[str]]) -> None:
    paragraph, rest, names = example
    assert boilerplate.strip_leading_credit(paragraph) == (rest, names)


@pytest.mark.parametrize("notice", phrases.PERMALINK_NOTICES)
def test_permalink_notice(notice: str) -> None:
    assert boilerplate.is_boilerplate_line(notice)
    assert boilerplate.is_body_end_marker(notice)


@pytest.mark.parametrize("prefix", phrases.CAPTION_PREFIXES)
def test_caption_prefix(prefix: str) -> None:
    from newsclean.clean.textdump import LineKind, classify_line

    assert classify_line(f"{prefix}지난달 26일 고성군에서 월례회가 열렸다.")[0] is LineKind.CAPTION


@pytest.mark.parametrize("suffix", phrases.CAPTION_SUFFIXES)
def test_caption_suffix(suffix: str) -> None:
    from newsclean.clean.textdump import LineKind, classify_line

    assert classify_line(f"비트코인 2025에서 연설 중인 JD 밴스 미국 부통령. {suffix}")[0] is LineKind.CAPTION


@pytest.mark.parametrize("role", phrases.REPORTER_ROLES)
def test_reporter_role(role: str) -> None:
    assert boilerplate.parse_byline(f"홍길동 {role}") == ["홍길동"]
    assert boilerplate.parse_byline(f"홍길동 {role} hong@example.co.kr") == ["홍길동"]


@pytest.mark.parametrize("suffix", phrases.NON_PERSON_NAME_SUFFIXES)
def test_non_person_suffix(suffix: str) -> None:
    assert boilerplate.parse_byline(f"경주{suffix} 기자") == []


@pytest.mark.parametrize(
    ("line", "names"),
    [
        ("안병준 기자", ["안병준"]),
        ("  • 이남숙 기자", ["이남숙"]),
        ("• 장인선 기자 (insun@k-health.com)", ["장인선"]),
        ("[신윤재 기자]", ["신윤재"]),
        ("[류영상 기자 ifyouare@mkinternet.com]", ["류영상"]),
        ("순천, 광양 구현모 기자 ninek@hankookilbo.com", ["구현모"]),
        ("• 스포츠조선=선수민 기자", ["선수민"]),
        ("한지숙 jshan@heraldcorp.com", ["한지숙"]),
        ("조민정(jjung@edaily.co.kr)", ["조민정"]),
        ("정순형 선임기자", ["정순형"]),
        ("경주신문 기자", []),
        ("이재명 더불어민주당 대선 후보", None),
        ("광명시는 2013년 3월 중간지원조직인 사회적경제센터를 설치했다.", None),
    ],
)
def test_parse_byline(line: str, names: list[str] | None) -> None:
    assert boilerplate.parse_byline(line) == names


@pytest.mark.parametrize(
    ("paragraph", "rest", "names"),
    [
        ("…4-6-3 병살타로 처리했다.부산=선수민 기자 sunsoo@sportschosun.com", "…4-6-3 병살타로 처리했다.", ["선수민"]),
        (
            "포털로 거듭나기 위한 구색을 갖추기로 했다.이채근기자",
            "포털로 거듭나기 위한 구색을 갖추기로 했다.",
            ["이채근"],
        ),
        (
            "시진핑 이후 중국엔 무슨 일이?> 등이다. 조길상 기자 pcop@ggilbo.com",
            "시진핑 이후 중국엔 무슨 일이?> 등이다.",
            ["조길상"],
        ),
        ("기자들이 모였다.", "기자들이 모였다.", []),
    ],
)
def test_strip_trailing_byline(paragraph: str, rest: str, names: list[str]) -> None:
    assert boilerplate.strip_trailing_byline(paragraph) == (rest, names)


@pytest.mark.parametrize("line", ARTICLE_LINES)
def test_article_text_is_not_boilerplate(line: str) -> None:
    assert not boilerplate.is_boilerplate_line(line)
    assert not boilerplate.is_body_end_marker(line)


def test_no_gold_paragraph_is_boilerplate() -> None:
    flagged = [
        (case.id, paragraph)
        for case in cases()
        for paragraph in case.gold["paragraphs"]
        if boilerplate.is_boilerplate_line(paragraph) or boilerplate.is_body_end_marker(paragraph)
    ]
    assert flagged == []


# Every line form of the CMS families' text dumps (reference family, its old skin, NDSoft and others), with
# what the text path must take it for.
FAMILY_LINES = [
    ("기사 메일전송", "header"),
    ("  • 기사등록 2023-07-03 10:31:14", "date"),
    ("  • 수정 2023-07-04 15:17:02", "date"),
    ("기사수정", "furniture"),
    ("0", "furniture"),
    ("다른 곳에 퍼가실 때는 아래 고유 링크 주소를 출처로 사용해주세요.", "end"),
    ("http://amenews.kr/news/view.php?idx=30316", "furniture"),
    ("기자프로필", "end"),
    ("프로필이미지", "furniture"),
    ("나도 한마디", "end"),
    ("※ 로그인 후 의견을 등록하시면, 자신의 의견을 관리하실 수 ", "furniture"),
    ("기사를 사용하실 때는 아래 고유 링크 주소를 출처로 사용해주세요.", "end"),
    ("주메뉴 바로가기 본문 바로가기", "end"),
    ("▲ 제보하기", "end"),
    ("[메일] jebo@ksmnews.co.kr", "furniture"),
    ("[카카오톡] 경상매일신문 채널 검색, 채널 추가", "furniture"),
    ("유튜브에서 경상매일방송 채널을 구독해주세요!", "furniture"),
    ("댓글을 남기실 수 있습니다.", "furniture"),
    ("즐겨찾기+ 최종편집:2020-10-22 오후 07:29:15 회원가입기사쓰기전체기사보기", "furniture"),
    ("경주신문 기자 / gjnews21@hanmail.net1417호입력 : 2019년 12월 05일", "date"),
    ("경주신문 기자 / 1417호입력 : 2019년 12월 05일(목) 16:23", "date"),
    ("공유 : 트위터페이스북미투데이요즘에", "furniture"),
    ("↑↑ 백승관", "caption"),
    ("경북신문 기자 : 2018년 04월 15일", "byline"),
    ("출력 :", "furniture"),
    ("  최종편집 : 2018-04-25 오전 02:32:44", "furniture"),
    ("  • 이남숙 기자", "byline"),
    ("  • 장인선 기자 (insun@k-health.com)", "byline"),
    ("  • 최수환 발행인", "byline"),
    ("  • 승인 2019.12.02", "date"),
    ("  • 승인 2021.01.06 16:33", "date"),
    ("  • 기사입력 2023.05.16 15:31", "date"),
    ("  • 최종수정 2023.05.16 15:31", "date"),
    ("  • 댓글 0", "furniture"),
    ("이 기사를 공유합니다", "header"),
    ("▲지난달 26일 고성군 대웅예식장에서 경지협 11월 월례회·이사회가 열렸다.", "caption"),
    ("상태바", "furniture"),
    ("저작권자 © 동양바이오뉴스 무단전재 및 재배포 금지", "furniture"),
    ("천지일보는 24시간 여러분의 제보를 기다립니다.", "furniture"),
    ("<ÀúÀÛ±ÇÀÚ © Çѳ²ÀϺ¸, ¹«´Ü ÀüÀç ¹× Àç¹èÆ÷ ±ÝÁö>", "furniture"),
    ("기자명 성대신문 (webmaster@skkuw.com)", "byline"),
    ("조길상 기자 pcop@ggilbo.com", "byline"),
    ("상단여백", "furniture"),
    ("기사 (전체 28건)", "furniture"),
    ("정순형 선임기자  |  2018-12-05 09:24", "byline"),
    ("라인", "furniture"),
    ("기사 (전체 14,357건) 제목보기제목+내용", "furniture"),
    ("기상청 제공", "furniture"),
    ("전승원 기자 segyenews7@gmail.com | 2020-10-08 13:58:20", "byline"),
    ("  • 글자크기", "furniture"),
    ("  • 인쇄", "furniture"),
    ("최종편집 : 2023.12.06", "furniture"),
    ("2015/11/16 16:12 입력", "date"),
    ("트위터로 기사전송 페이스북으로 기사전송 미투데이로 기사전송 다음요즘으로 기사전송", "furniture"),
    ("기사입력 : 2018-08-20 07:00:00", "date"),
    ("메인이미지", "furniture"),
    ("< 경남신문의 콘텐츠는 저작권법의 보호를 받는 바, 무단전재·크롤링·복사·재배포를 금합니다. >", "furniture"),
    ("댓글 많은 뉴스", "furniture"),
    ("등록일 2023-07-02 20:11 게재일 2023-07-03 2면", "date"),
    ("스크랩버튼", "furniture"),
    ("중도일보(www.joongdo.co.kr), 무단전재 및 수집, 재배포 금지", "furniture"),
]


@pytest.mark.parametrize(("line", "kind"), FAMILY_LINES)
def test_cms_family_line(line: str, kind: str) -> None:
    from newsclean.clean.textdump import classify_line

    assert classify_line(line_form(line))[0].value == kind


@pytest.mark.parametrize(
    ("paragraph", "rest", "names"),
    [
        ("[경상매일신문=성낙성기자] 경북도가 밝혔다.", "경북도가 밝혔다.", ["성낙성"]),
        ("[글로벌 외식정보=진익준 논설위원] 외식업계가", "외식업계가", ["진익준"]),
        ("[글로벌외식정보｜발행인 안형상 기자] 외식업계가", "외식업계가", ["안형상"]),
        ("(내외방송=최수환 발행인) 행사가 열렸다.", "행사가 열렸다.", ["최수환"]),
        ("[한국방송/김주창기자] 행사가 열렸다.", "행사가 열렸다.", ["김주창"]),
        ("[금요저널] 행사가 열렸다.", "행사가 열렸다.", []),
    ],
)
def test_family_credit(paragraph: str, rest: str, names: list[str]) -> None:
    assert boilerplate.strip_leading_credit(paragraph) == (rest, names)
