"""Korean boilerplate: named tables of the lines and phrases news pages wrap around an article.

Every phrase newsclean matches in page text lives here, grouped by what it is. The text-dump path and the
HTML path both ask these tables; tests check every entry.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from .dates import DATE_LABELS

__all__ = [
    "BODY_END_MARKERS",
    "BOILERPLATE_LINES",
    "BOILERPLATE_PATTERNS",
    "BROADCAST_LABELS",
    "BYLINE_UI_LABELS",
    "CALL_TO_ACTION_ENDINGS",
    "CAPTION_PREFIXES",
    "CAPTION_SUFFIXES",
    "CONTACT_CHANNELS",
    "CONTACT_HEADINGS",
    "CONTROL_WORDS",
    "COPYRIGHT_PATTERNS",
    "CREDIT_PATTERNS",
    "CREDIT_ROLES",
    "DISCLAIMER_PHRASES",
    "EDGE_LINE_PATTERNS",
    "EMAIL_LINE_PATTERN",
    "HEADER_MARKERS",
    "KOREAN_SURNAMES",
    "NAME_LABELS",
    "NON_PERSON_NAME_SUFFIXES",
    "PERMALINK_NOTICES",
    "POPULAR_BOX_HEADINGS",
    "REACTION_BUTTONS",
    "REACTION_PROMPTS",
    "REPORTER_ROLES",
    "SHARE_TARGETS",
    "SPOKEN_BYLINE_PATTERNS",
    "TITLE_FOLLOWS_MARKERS",
    "UI_LABEL_WORDS",
    "is_body_end_marker",
    "is_boilerplate_line",
    "is_copyright_line",
    "is_edge_line",
    "is_email_line",
    "is_name_card",
    "is_person_name",
    "normalise_line",
    "parse_byline",
    "split_signoff",
    "spoken_byline",
    "strip_leading_credit",
    "strip_soundbite_label",
    "strip_trailing_byline",
]

# --------------------------------------------------------------------------------------------- exact lines
# Whole lines (after ``normalise_line``) that are never article text, by where they come from.
BOILERPLATE_LINES: dict[str, frozenset[str]] = {
    # Header/footer markers of the reference CMS family (view.php?idx=).
    "reference_family": frozenset(
        {"기사 메일전송", "기사수정", "기자프로필", "프로필이미지", "나도 한마디", "모바일 버전 바로가기"}
    ),
    # Skip links and menus.
    "navigation": frozenset(
        {
            "주메뉴 바로가기 본문 바로가기",
            "주메뉴 바로가기",
            "본문 바로가기",
            "사이트맵 바로가기",
            "뉴스 바로가기",
            "전체메뉴",
            "전체메뉴 닫기",
            "메뉴",
            "닫기",
            "TOP",
            "맨 위로",
            "상단여백",
            "라인",
            "이전",
            "다음",
            "로그인",
            "로그아웃",
            "회원가입",
            "마이페이지",
            "검색",
            "통합검색 닫기",
            "내가 본 뉴스 맨 위로",
            "내가 본 뉴스 닫기",
            "홈",
            "뉴스홈",
            "언어 변경하기",
            "언어변경",
            "더보기",
            "목록",
            "이전기사",
            "다음기사",
            "기사 상세",
            "상태바",
            "메인이미지",
            "출력 :",
        }
    ),
    # Share, e-mail, print and font-size controls.
    "share": frozenset(
        {
            "이 기사를 공유합니다",
            "공유하기",
            "기사 공유",
            "공유",
            "공유 더보기",
            "인쇄하기",
            "인쇄",
            "프린트",
            "스크랩 하기",
            "스크랩버튼",
            "스크랩",
            "글자 크기 변경하기",
            "글자크기 설정",
            "글자크기",
            "가",
            "+",
            "-",
            "SNS 보내기",
            "SNS 기사보내기",
            "기사보내기",
            "페이스북",
            "트위터",
            "카카오톡",
            "카카오스토리",
            "이메일",
            "URL복사",
            "링크 복사하기",
            "본문듣기 시작",
            "텍스트 음성 변환 서비스 사용하기",
            "Tweet",
            "좋아요",
            "싫어요",
        }
    ),
    # Comment boxes.
    "comments": frozenset(
        {"댓글", "댓글정책", "공감순 최신순 오래된순", "댓글달기", "댓글쓰기", "댓글 0", "댓글보기", "0/1000"}
    ),
    # Reaction, bookmark and copy prompts.
    # Subscription and membership prompts.
    "subscription": frozenset(
        {
            "구독",
            "구독 구독중",
            "구독자",
            "응원수",
            "추천",
            "기사원문",
            "구독하기",
            "무료 회원 가입",
            "회원용",
            "응원수 0",
            "구독자 0",
        }
    ),
}

# ------------------------------------------------------------------------------------------ line patterns
# Headings of most-read, ranking and related-article boxes (a line holding only one of them).
POPULAR_BOX_HEADINGS: tuple[str, ...] = (
    "많이 본 뉴스",
    "많이 본 기사",
    "가장 많이 본 뉴스",
    "인기뉴스",
    "인기 뉴스",
    "인기기사",
    "인기 기사",
    "실시간 인기기사",
    "오늘의 핫뉴스",
    "주요뉴스",
    "추천기사",
    "추천 기사",
    "이 시각 추천뉴스",
    "관련기사",
    "관련 기사",
    "관련뉴스",
    "관련 뉴스",
    "댓글 많은 뉴스",
    "내가 본 뉴스",
    "최신뉴스",
    "랭킹뉴스",
    "랭킹 뉴스",
    "핫이슈",
    "화제의 뉴스",
    "포토",
    "이슈포토",
    "이 시각 인기기사",
    "이시각 주요뉴스",
    "당신이 관심 있을 만한 이슈",
    "함께 보면 좋은 뉴스",
)
# Where a "share to …" button sends the article.
SHARE_TARGETS: tuple[str, ...] = (
    "이메일",
    "카카오톡",
    "페이스북",
    "트위터",
    "네이버블로그",
    "카카오스토리",
    "구글플러스",
    "밴드",
    "라인",
)
# Reaction buttons with their counts ("좋아요 0", Naver's "쏠쏠정보 0").
REACTION_BUTTONS: tuple[str, ...] = (
    "좋아요",
    "후속강추",
    "쏠쏠정보",
    "흥미진진",
    "공감백배",
    "분석탁월",
    "응원해요",
    "슬퍼요",
    "화나요",
    "팬이에요",
    "후속기사 원해요",
)

# Regular expressions a whole line matches when it is boilerplate, by kind.
BOILERPLATE_PATTERNS: dict[str, tuple[str, ...]] = {
    "share": (
        r"^(?:(?:" + "|".join(SHARE_TARGETS) + r")(?:에|으로|로)? ?공유(?:하기)?\s*)+",
        r"^(?:(?:트위터|페이스북|미투데이|다음요즘)(?:으로|로) 기사전송\s*)+$",
        r"^공유\s*:",
        r"^기사 ?URL ?공유",
        r"^(?:(?:Facebook|twitter|Pinterest|me2day|cyworld|naver|google|kakao|band)\S*+\s*+)++(?:기사보내기)?$",
        r"^가\d단계",
        r"^(?:" + "|".join(REACTION_BUTTONS) + r")\s*\d*$",
        r"^좋아요 좋아요 \d+$",
        r"^(?:100자평|조회수?|추천)\s*\d+$",
        r"^성별 남성 여성$",
        r"^말하기 속도",
    ),
    "comments": (
        r"^※ ?로그인 후 의견을 등록하시면",
        r"댓글을 (?:남기실|입력|작성)",
        r"^\d+ 댓글달기 \d+$",
        r"^댓글 ?\d+$",
        r"^\d{1,3}$",  # a counter left alone on its line (comments, likes, shares)
        r"^TALK( new)?$",
    ),
    "notices": (
        r"^다른 곳에 퍼가실 때는 아래 고유 링크 주소를 출처로 사용해주세요",
        r"^기사를 사용하실 때는 아래 고유 링크 주소를 출처로 사용해주세요",
        r"^https?://\S+$",
        r"^이 기사가 마음에 들었다면",
        r"^(?:▲ ?)?제보하기$",
        r"^\[(?:메일|카카오톡|전화)\]",
        r"유튜브에서 .{0,100} 채널을 구독해주세요",  # bounded: a line of repeated "유튜브에서" is scanned once
        r"제보를 기다립니다\.?$",
        r"^본문 요약봇",
        r"^이동 통신망을 이용하여 음성을 재생하면",
        r"^AI 요약은 .*제공합니다",
        r"^핵심 요약쏙은 회원용 콘텐츠입니다",
        r"^(?:뉴스 )?요약쏙$",
        r"^기사 (?:\(전체 [\d,]+건\)|\d+건)",
        r"^\d{4}\.\d{2}\.\d{2} \([월화수목금토일]\)$",
        r"기상청 제공$",
        r"^즐겨찾기\+",
        r"^최종편집 ?:",
    ),
    "reporter_card": (
        r"^기자 ?프로필$",
        r"^구독자 [\d,]+$",
        r"기자 구독자 \d+$",
    ),
    "popular": (
        r"^(?:" + "|".join(map(re.escape, POPULAR_BOX_HEADINGS)) + r")(?:\s*(?:hot|더보기|\+))?$",
        r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2} 기준$",
        r"^[▶☞]",
    ),
    "media_placeholders": (
        r"^\[[\w.-]{1,40}\]$",  # an image's alt/id printed alone: [58406114], [trans_30x1], [news-p]
        r"^사진설명 ?사진 확대$",
        r"^사진 확대$",
        r"^이미지 확대(?:보기|하기)$",
        r"^\[\s+\]",  # an empty form field
        r"^\[\*\]$",
    ),
}

# ------------------------------------------------------------------------------- broadcast and edge lines
# Roles of a production credit at a story's end: "영상편집:김선영", "( 취재 : … / 영상편집 : … / 제작 : … )",
# "(화면 출처 : 연합뉴스)". A short line opening with one of them and a colon credits the crew, not the story.
CREDIT_ROLES: tuple[str, ...] = (
    "영상취재",
    "영상편집",
    "영상제공",
    "영상출처",
    "영상디자인",
    "영상구성",
    "촬영기자",
    "취재지원",
    "취재",
    "편집",
    "구성",
    "제작",
    "촬영",
    "연출",
    "작가",
    "기획",
    "그래픽",
    "디자인",
    "내레이션",
    "번역",
    "CG",
    "PD",
    "화면 출처",
    "화면출처",
    "화면제공",
    "화면 제공",
    "자료제공",
    "자료 제공",
    "영상 제공",
)
# Channels of a tip-off or contact line: "▷ 이메일 mbcjebo@mbc.co.kr", "▷ 카카오톡 : 'KBS제보' 검색".
CONTACT_CHANNELS: tuple[str, ...] = (
    "전화",
    "이메일",
    "메일",
    "e-mail",
    "카카오톡",
    "카톡",
    "라인",
    "문자",
    "팩스",
    "홈페이지",
    "유튜브",
    "인스타그램",
    "페이스북",
    "트위터",
)
# Words that open a tip-off line: "기사문의 및 제보 : 카톡/라인 jebo23".
CONTACT_HEADINGS: tuple[str, ...] = ("기사문의", "제보", "보도자료", "문의")
# Notes a broadcaster prints over a transcript: "* 아래 텍스트는 실제 방송 내용과 차이가 있을 수 있으니 …".
DISCLAIMER_PHRASES: tuple[str, ...] = (
    "실제 방송 내용과 차이가 있을 수",
    "실제 방송 내용과 다를 수",
    "영상 내용과 차이가 있을 수",
    "방송 내용과 일부 차이가 있을 수",
)
# Speaker labels of a broadcast transcript, each on its own line: "◀ 앵커 ▶", "[리포트]", "<앵커 멘트>".
BROADCAST_LABELS: tuple[str, ...] = (
    "앵커",
    "앵커 멘트",
    "앵커멘트",
    "리포트",
    "기자",
    "기자 멘트",
    "인터뷰",
    "녹취",
    "현장음",
    "스탠드업",
    "클로징",
    "반론보도",
    "정정보도",
)
# Reaction and bookmark prompts under an article: "이 기사 어땠나요?".
REACTION_PROMPTS: tuple[str, ...] = (
    "이 기사 어땠나요?",
    "이 기사 어땠나요",
    "이 기사 어때요?",
    "당신의 의견을 남겨주세요",
    "해당 기사를 북마크했습니다.",
    "본문 복사",
    "주소가 복사되었습니다.",
)

# Words of media-player, print and reading controls. A short line made of nothing but these (and an image's
# bracketed id) is a control bar: "고화질 표준화질 자동재생", "동영상영역 시작", "Previous Next", "확인 내 북마크 보기".
CONTROL_WORDS: tuple[str, ...] = (
    "동영상영역",
    "동영상설명",
    "동영상",
    "자동재생",
    "일시정지",
    "재생",
    "정지",
    "음소거",
    "전체화면",
    "고화질",
    "표준화질",
    "화질",
    "자막",
    "키보드",
    "컨트롤",
    "안내",
    "시작",
    "끝",
    "고정",
    "취소",
    "확인",
    "닫기",
    "열기",
    "기사보기",
    "보기",
    "상세",
    "북마크",
    "내",
    "프린트하기",
    "프린트",
    "인쇄하기",
    "기사본문",
    "크게보기",
    "작게보기",
    "글자크기",
    "글자",
    "크기",
    "폰트",
    "확대축소",
    "확대",
    "축소",
    "뉴스듣기",
    "듣기",
    "여성",
    "남성",
    "스크랩",
    "Previous",
    "Next",
    "PRINT",
    "letter",
    "clip",
    "Play",
    "Pause",
    "Mute",
)
# Longest control bar (characters).
MAX_CONTROL_LINE_CHARS = 80
_CONTROL_WORDS_RE = re.compile("|".join(map(re.escape, sorted(CONTROL_WORDS, key=len, reverse=True))), re.I)
_CONTROL_REST_RE = re.compile(r"\[[^\[\]]{0,40}\]|[\W_]+")

# Endings of a call to action under a story: "네이버에서 OO뉴스 구독하기", "[제보하기 바로가기]", "앱 설치하기".
CALL_TO_ACTION_ENDINGS: tuple[str, ...] = (
    "바로가기",
    "구독하기",
    "구독하세요",
    "구독해주세요",
    "후원하기",
    "받아보기",
    "설치하기",
    "다운로드",
    "보러가기",
    "클릭",
)
# Longest call-to-action line (characters): a longer line ending so is text.
MAX_CALL_TO_ACTION_CHARS = 60

# A line that is only an e-mail address, bracketed or not: "lkh2011@newsis.com", "[tgar1@mbn.co.kr]".
EMAIL_LINE_PATTERN = r"^[\[(<]?\s*[\w.+-]+@[\w-]+(?:\.[\w-]+)+\s*[\])>]?$"
_EMAIL_LINE_RE = re.compile(EMAIL_LINE_PATTERN)

_CREDIT_ROLES_ALT = "|".join(map(re.escape, CREDIT_ROLES))
_CHANNELS_ALT = "|".join(map(re.escape, CONTACT_CHANNELS))
_LABELS_ALT = "|".join(map(re.escape, BROADCAST_LABELS))
# Edge lines, by kind: each a whole short line.
EDGE_LINE_PATTERNS: dict[str, tuple[str, ...]] = {
    "credits": (rf"^[\[(<]?\s*(?:{_CREDIT_ROLES_ALT})\s*[:：]\s*\S",),
    "contacts": (
        rf"^[▷▶■☎※*]\s*(?:{_CHANNELS_ALT})\s*[:：]?\s*\S",
        rf"(?:{'|'.join(CONTACT_HEADINGS)})[^:：\n]{{0,12}}[:：]\s*(?:{_CHANNELS_ALT})",
        EMAIL_LINE_PATTERN,  # a reporter's e-mail alone
    ),
    "hashtags": (r"^#[^\s#]+(?:\s+#[^\s#]+)*$",),
    "calls_to_action": (
        rf"^[^.!?]{{0,{MAX_CALL_TO_ACTION_CHARS}}}(?:{'|'.join(map(re.escape, CALL_TO_ACTION_ENDINGS))})[\s\]>)!.]*$",
    ),
    "disclaimers": tuple(re.escape(p) for p in DISCLAIMER_PHRASES),
    "broadcast_labels": (
        rf"^(?:◀|◁|\[|<|【)\s*(?:{_LABELS_ALT})\s*(?:▶|▷|\]|>|】)$",
        # A soundbite's on-screen name card on its own line: "[한덕수/국무총리]".
        r"^\[[^\[\]/:\"“”]{1,20}/[^\[\]/:\"“”]{1,40}\]$",
    ),
}
# Longest edge line (characters): longer lines are text, whatever they start with.
MAX_EDGE_LINE_CHARS = 160
# A soundbite with its speaker label inside the brackets: '[유○○/자산가 : "…"]' -> '"…"'.
_SOUNDBITE_RE = re.compile(r'^\[[^\[\]/:"“”]{1,20}/[^\[\]:"“”]{1,40}:\s*(?P<quote>["“][^\[\]]*)\]$')
# A bare on-screen name card before a quote: "토드 블란취 / 트럼프 변호사".
_NAME_CARD_RE = re.compile(r"^[가-힣A-Za-z○·.]{1,12}(?: [가-힣A-Za-z○·.]{1,12}){0,2}\s/\s[^/:\"“”.!?]{2,30}$")
# A sign-off or hand-over the anchor or reporter speaks, which names the reporter; the line stays in the
# transcript: "KBS 뉴스 이윤우입니다.", "구민지 기자가 보도합니다.", "이윤우 기자의 보도입니다.", "김수연 기자입니다."
SPOKEN_BYLINE_PATTERNS: tuple[str, ...] = (
    r"^[A-Za-z0-9가-힣]{1,10} ?뉴스 (?P<name>[가-힣]{2,4})입니다\.?$",
    r"^(?P<name>[가-힣]{2,4}) ?(?:기자|특파원|앵커|리포터)(?:가|이) 보도합니다\.?$",
    r"^(?P<name>[가-힣]{2,4}) ?(?:기자|특파원|리포터)의 보도입니다\.?$",
    r"^(?P<name>[가-힣]{2,4}) ?(?:기자|특파원|리포터)입니다\.?$",
)
_SPOKEN_BYLINE_RES = tuple(re.compile(p) for p in SPOKEN_BYLINE_PATTERNS)

# A line at which the article body is over: what follows is footer, comments or sidebars.
BODY_END_MARKERS: tuple[str, ...] = (
    r"^다른 곳에 퍼가실 때는",
    r"^기사를 사용하실 때는 아래 고유 링크",
    r"^나도 한마디$",
    r"^많이 본 뉴스",
    r"^인기 ?뉴스$",
    r"^인기 ?기사",
    r"^오늘의 핫뉴스",
    r"^이 기사가 마음에 들었다면",
    r"^댓글정책$",
    r"^기자 ?프로필$",
    r"^주메뉴 바로가기 본문 바로가기$",
    r"^▲ ?제보하기$",
    r"^관련 ?기사$",
    r"^모바일 버전 바로가기$",
)

# Notices followed by the article's permanent link (the reference family and its variants).
PERMALINK_NOTICES: tuple[str, ...] = (
    "다른 곳에 퍼가실 때는 아래 고유 링크 주소를 출처로 사용해주세요.",
    "기사를 사용하실 때는 아래 고유 링크 주소를 출처로 사용해주세요.",
)

# Lines that open an article's header; in the reference family the headline follows "기사 메일전송".
HEADER_MARKERS: tuple[str, ...] = ("기사 메일전송", "이 기사를 공유합니다")
TITLE_FOLLOWS_MARKERS: tuple[str, ...] = ("기사 메일전송",)

# --------------------------------------------------------------------------------------------- copyright
COPYRIGHT_PATTERNS: tuple[str, ...] = (
    r"(?:저작권자|copyrights?|ⓒ|©|\(c\))[^\n]{0,80}(?:무단|전재|재배포|금지|all rights reserved)",
    r"무단\s*전재[^\n]{0,30}재배포[^\n]{0,10}금지",
    r"무단전재\s*(?:및|·|,)\s*재배포\s*금지",
    r"저작권법의 보호를 받",
    r"무단\s*전재[^\n]{0,20}(?:수집|크롤링|AI\s*학습)",
    r"^<ÀúÀÛ±ÇÀÚ",  # an EUC-KR copyright line read as Latin-1
)

# --------------------------------------------------------------------------------------------- captions
# A line that starts with one of these marks an image caption.
CAPTION_PREFIXES: tuple[str, ...] = ("▲", "△", "↑↑", "사진설명", "<사진>", "[사진]", "사진 =", "사진=")
# w3m-style dumps print a caption with the image's zoom button text glued on.
CAPTION_SUFFIXES: tuple[str, ...] = ("사진 확대", "이미지 확대보기", "이미지 확대하기", "이미지 크게보기")

# --------------------------------------------------------------------------------------------- reporters
# Job titles that follow a reporter's name in a byline, longest first.
REPORTER_ROLES: tuple[str, ...] = (
    "객원논설위원",
    "수석논설위원",
    "논설위원실장",
    "대기자",
    "선임기자",
    "수석기자",
    "객원기자",
    "인턴기자",
    "전문기자",
    "사진기자",
    "영상기자",
    "취재기자",
    "논설위원",
    "편집위원",
    "편집국장",
    "칼럼니스트",
    "특파원",
    "통신원",
    "발행인",
    "에디터",
    "리포터",
    "기자",
)
# A "name" ending with one of these is a press or organisation, not a person ("경주신문 기자").
NON_PERSON_NAME_SUFFIXES: tuple[str, ...] = (
    "신문",
    "일보",
    "뉴스",
    "방송",
    "경제",
    "타임즈",
    "타임스",
    "저널",
    "미디어",
    "투데이",
    "데일리",
    "통신",
    "매일",
    "닷컴",
    "편집국",
    "취재팀",
    "기획팀",
    "특별취재팀",
    "온라인팀",
    "디지털뉴스팀",
)

_ROLES = "|".join(REPORTER_ROLES)
# Starts only where a run of spacing starts (or at a role itself), so a long run is scanned once.
_ROLE_RE = re.compile(rf"(?<!\s)\s*+(?:{_ROLES})(?![가-힣])")
# A Korean personal name has 2 to 4 syllables; a byline line is short.
MIN_NAME_CHARS, MAX_NAME_CHARS = 2, 4
MAX_BYLINE_CHARS = 80
_NAME = r"[가-힣]{2,4}"
_EMAIL = r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
_BYLINE_RE = re.compile(
    r"^[\[(]?+\s*+(?:[^\s\[\]=|/]{1,20}+\s*+[=/]\s*+)?(?:[^\s\[\]=|/]{1,15}+\s++)?(?:[가-힣,\s]{0,12}\s)?"
    rf"(?P<names>[가-힣]{{2,10}}(?:\s*+[·,/]\s*+{_NAME})*)\s*+(?:{_ROLES})(?![가-힣])"
    rf"\s*+[(/|:]?+\s*+(?P<email>{_EMAIL})?+\s*+\)?+\s*+[\])]?+\s*+[|ㅣ]?+\s*+$"
)
# First syllables of Korean family names (compound ones, 남궁 황보 제갈 사공 선우 독고 서문 동방, start with one of
# them too). A reporter's "name" that starts with none is a press, desk or button ("뉴스타파", "iMBC 연예").
KOREAN_SURNAMES: frozenset[str] = frozenset(
    "김이박최정강조윤장임한오서신권황안송류유전홍고문양손배백허남심노하곽성차주우구민나진지엄채원천방공현함변염여추도소석선설"
    "마길연위표명기반라왕금옥육인맹제모탁국어은편용예경봉사부가복태목형계피두감음빈동온호범좌팽승간상갈시단견당화창평근순저학묵후판량룡란로뢰리림륙려독"
)
# Words of article furniture that look like a two-to-four-syllable name but never are one: date labels,
# edit/print/share buttons of the byline row ("기사수정" in a reference-family header).
UI_LABEL_WORDS: frozenset[str] = frozenset(
    {
        "기사수정",
        "기사등록",
        "기사입력",
        "기사승인",
        "최종수정",
        "입력",
        "수정",
        "승인",
        "등록",
        "작성",
        "댓글",
        "스크랩",
        "인쇄",
        "프린트",
        "글자크기",
        "공유",
        "공유하기",
        "구독",
        "구독하기",
        "좋아요",
        "목록",
        "이메일",
        "메일",
        "기자명",
        "기자",
        "뉴스",
        "사진",
        "제보",
        "제보하기",
    }
)
# Labels a byline box prints around the reporter's name: buttons, the photo's alt text.
BYLINE_UI_LABELS: tuple[str, ...] = (
    "이메일 보내기",
    "구독",
    "구독하기",
    "기사 모음",
    "다른 기사 보기",
    "다른기사 보기",
    "기자의 다른 기사",
)
# Labels that stand before a reporter's bare name: "기자명 홍길동", "기자이미지 변윤재" (a photo's alt text).
NAME_LABELS: tuple[str, ...] = ("기자명", "기자이미지", "기자사진")
_LABELLED_NAME_RE = re.compile(
    rf"^(?:{'|'.join(NAME_LABELS)})\s*(?P<names>[가-힣]{{2,10}})\s*\(?\s*(?:{_EMAIL})?\s*\)?$"
)
_UI_LABELS_RE = re.compile("|".join(map(re.escape, sorted(BYLINE_UI_LABELS, key=len, reverse=True))))
# A date label glued to a byline, and what follows it: "안진우 기자l기사입력 2023-04-04 19:01", "홍길동 기자 | 입력 …".
# (Found with ``search``; the text before it is kept, less the separators that led to it.)
_BYLINE_DATE_TAIL_RE = re.compile(
    "(?:" + "|".join(sorted(map(re.escape, DATE_LABELS), key=len, reverse=True)) + r")(?![가-힣])"
    r"|(?:19|20)\d\d\s?[-./년]"
)
_BYLINE_SEPARATORS = " |ㅣl/·"
# Co-authors counted, not named: "박준석 기자 외 1명".
_MORE_AUTHORS_RE = re.compile(r"외\s?\d{1,2}\s?명\s*+$")
# A place name in Latin letters after the job title: "안서현 기자 Seoul".
_TRAILING_LATIN_RE = re.compile(rf"(\s?(?:{_ROLES}))(?:\s[A-Za-z]{{2,20}}){{1,2}}$")
_NAME_EMAIL_RE = re.compile(rf"^(?P<names>{_NAME})\s*[(]?\s*{_EMAIL}\s*\)?$")
_PRESS_NAME_RE = re.compile(rf"^[^\s=]{{1,20}}=\s*(?P<names>{_NAME})\s*(?:{_ROLES})$")

# Credits that open a paragraph: "[서울=뉴시스] 홍길동 기자 =", "(광명=연합뉴스) 홍길동 기자 =",
# "[헤럴드경제=한지숙 기자]", "우리투데이 이동현 기자 |", "[헬스컨슈머]".
CREDIT_PATTERNS: tuple[str, ...] = (
    rf"^\[[^\[\]]{{1,30}}=[^\[\]]{{0,30}}\]\s*(?:{_NAME}\s*(?:{_ROLES})\s*=\s*)?",
    rf"^\([^()]{{1,20}}=[^()]{{1,20}}\)\s*(?:{_NAME}\s*(?:{_ROLES})\s*=\s*)?",
    rf"^\[[^\[\]=]{{0,20}}{_NAME}\s*(?:{_ROLES})\]\s*",
    rf"^(?:[^\s|]{{1,15}}\s+)?{_NAME}\s*(?:{_ROLES})\s*[|ㅣ]\s*",
    r"^\[[^\[\]\s]{2,12}\](?=\s*\S)\s*",
    rf"^{_NAME}\s*(?:{_ROLES})\s*=\s*",
)
_TRAILING_BYLINE_RE = re.compile(
    rf"(?<=[.!?”\"’'])\s*+(?:[가-힣,\s]{{0,10}}=)?\s*+(?P<name>{_NAME})\s*+(?:{_ROLES})\s*+(?:{_EMAIL})?+\s*+$"
)

# Lines longer than these (characters) are article text, whatever phrase they hold.
MAX_COPYRIGHT_CHARS = 200
MAX_FURNITURE_CHARS = 300
_BULLET_RE = re.compile(r"^[\s•·◦▪■□●○◆◇\-–*]+(?=\S)")
_SPACE_RE = re.compile(r"\s+")
# What normalise_line would change: a leading bullet or space, a run of spaces, other white space, zero width.
_NEEDS_NORMALISING_RE = re.compile(r"^[\s•·◦▪■□●○◆◇\-–*]|\s$|\s\s|[^\S ]|\u200b")


class _AnyOf:
    """Whether any of ``patterns`` matches a line, with one scan: the patterns anchored at the line's start
    are tried there only (``match``), the others are searched for (``search``)."""

    def __init__(self, patterns: Iterable[str], flags: int = 0) -> None:
        anchored = [p[1:] for p in patterns if p.startswith("^")]
        floating = [p for p in patterns if not p.startswith("^")]
        # \A: the alternation is tried at the line's start only, even by a search.
        anchored_alternation = r"\A(?:" + "|".join(f"(?:{p})" for p in anchored) + ")"
        self._anchored = re.compile(anchored_alternation, flags) if anchored else None
        self._floating = re.compile("|".join(f"(?:{p})" for p in floating), flags) if floating else None

    def __call__(self, text: str) -> bool:
        if self._anchored is not None and self._anchored.match(text):
            return True
        return self._floating is not None and self._floating.search(text) is not None


_EDGE_RE = _AnyOf([p for patterns in EDGE_LINE_PATTERNS.values() for p in patterns])
_BOILERPLATE_RE = _AnyOf([p for patterns in BOILERPLATE_PATTERNS.values() for p in patterns], re.I)
_COPYRIGHT_RE = _AnyOf(COPYRIGHT_PATTERNS, re.I)
_END_RE = _AnyOf(BODY_END_MARKERS)
_CREDIT_RES = tuple(re.compile(p) for p in CREDIT_PATTERNS)
_ALL_LINES = frozenset().union(*BOILERPLATE_LINES.values(), REACTION_PROMPTS)
_BARE_NAME_RE = re.compile(rf"^{_NAME}$")
_PHOTO_CREDIT_RE = re.compile(r"^(?:사진|자료|영상)\s*(?:제공|출처)?\s*[=:：]?\s*\S")
# Separators between the names of a byline; the spacing around them is stripped from each name.
_NAME_SEPARATOR_RE = re.compile(r"[·,/]")
_ROLE_AFTER_RE = re.compile(rf"(?<!\s)\s*+(?:{_ROLES})")
_NAME_ONLY_RE = re.compile(rf"(?P<names>{_NAME}(?:\s*[·,/]\s*{_NAME})*)")


def normalise_line(line: str) -> str:
    """A line as the tables compare it: NFC, list bullets dropped, whitespace folded, trimmed."""
    if _NEEDS_NORMALISING_RE.search(line) is None and unicodedata.is_normalized("NFC", line):
        return line  # already a normalised line: the common case when a line is checked again
    if not unicodedata.is_normalized("NFC", line):
        line = unicodedata.normalize("NFC", line)
    line = line.replace("\u00a0", " ").replace("\u200b", "")
    return _SPACE_RE.sub(" ", _BULLET_RE.sub("", line.strip())).strip()


def is_copyright_line(line: str) -> bool:
    """True for a copyright / no-redistribution line (``저작권자 © … 무단전재 및 재배포 금지`` and variants)."""
    return _is_copyright_text(normalise_line(line))


def _is_copyright_text(text: str) -> bool:
    return len(text) <= MAX_COPYRIGHT_CHARS and _COPYRIGHT_RE(text)


def is_boilerplate_line(line: str) -> bool:
    """True when the whole line is page furniture: menus, share/print/comment controls, notices, copyright."""
    text = normalise_line(line)
    if not text:
        return True
    if text in _ALL_LINES:
        return True
    if len(text) > MAX_FURNITURE_CHARS:
        return False
    return _BOILERPLATE_RE(text) or _is_copyright_text(text) or _is_edge_text(text) or _is_control_text(text)


def _is_control_text(text: str) -> bool:
    """True for a short line made only of player, print and reading control words (two or more of them)."""
    if len(text) > MAX_CONTROL_LINE_CHARS:
        return False
    rest, count = _CONTROL_WORDS_RE.subn("", text)
    return count >= 2 and not _CONTROL_REST_RE.sub("", rest)


def is_edge_line(line: str) -> bool:
    """True for a line found at a story's edges that is not its text: a production credit (``영상편집:김선영``),
    a contact or tip-off line (``▷ 이메일 …``, a lone e-mail), hashtags, a transcript disclaimer or a broadcast
    speaker label (``◀ 앵커 ▶``, ``[한덕수/국무총리]``)."""
    return _is_edge_text(normalise_line(line))


def _is_edge_text(text: str) -> bool:
    return len(text) <= MAX_EDGE_LINE_CHARS and _EDGE_RE(text)


def is_email_line(line: str) -> bool:
    """True for a line that is only an e-mail address (a reporter's, under or over the story)."""
    return _EMAIL_LINE_RE.match(normalise_line(line)) is not None


def strip_soundbite_label(paragraph: str) -> str:
    """A soundbite without its speaker label: ``[유○○/자산가 : "…"]`` -> ``"…"``; other text unchanged."""
    if not paragraph.startswith("["):
        return paragraph
    match = _SOUNDBITE_RE.match(paragraph)
    return match.group("quote").strip() if match else paragraph


def is_name_card(line: str, next_line: str | None) -> bool:
    """True for an on-screen name card (``토드 블란취 / 트럼프 변호사``) printed right before a quote."""
    return (
        next_line is not None
        and next_line.lstrip().startswith(('"', "“", "[", "'", "‘"))
        and _NAME_CARD_RE.match(normalise_line(line)) is not None
    )


def spoken_byline(line: str) -> list[str]:
    """The reporter a spoken sign-off or hand-over names (``KBS 뉴스 이윤우입니다.``, ``구민지 기자가
    보도합니다.``); [] for any other line. The line itself is part of the transcript."""
    text = normalise_line(line)
    if len(text) > MAX_BYLINE_CHARS:
        return []
    for pattern in _SPOKEN_BYLINE_RES:
        match = pattern.match(text)
        if match:
            return _person_names(match.group("name"))
    return []


def split_signoff(line: str) -> tuple[list[str], list[str]] | None:
    """A closing line of a reporter's name and a photo credit (``백승훈 / 사진제공 쿠팡플레이``): the names and
    the credits; ``None`` for any other line."""
    if "/" not in line:
        return None
    parts = [p.strip() for p in normalise_line(line).split(" / ")]
    if len(parts) < 2 or len(parts) > 3:
        return None
    names: list[str] = []
    credits: list[str] = []
    for part in parts:
        if _BARE_NAME_RE.match(part) and _person_names(part):
            names.append(part)
        elif _is_edge_text(part) or _PHOTO_CREDIT_RE.match(part):
            credits.append(part)
        else:
            return None
    return (names, credits) if names and credits else None


def is_body_end_marker(line: str) -> bool:
    """True for a line after which the article body is over (footer notice, comment box, most-read box)."""
    text = normalise_line(line)
    return _END_RE(text)


# The first part of a compound job title ("선임" of 선임기자) is not a name.
_ROLE_PREFIXES = frozenset(
    role[: -len(base)] for role in REPORTER_ROLES for base in ("기자", "위원") if role.endswith(base) and role != base
)


def is_person_name(name: str) -> bool:
    """True when ``name`` can be a Korean reporter's name: 2-4 syllables, a family name first, not a press,
    desk or UI word."""
    return (
        MIN_NAME_CHARS <= len(name) <= MAX_NAME_CHARS
        and not name.endswith(NON_PERSON_NAME_SUFFIXES)
        and name not in _ROLE_PREFIXES
        and name not in UI_LABEL_WORDS
        and name[0] in KOREAN_SURNAMES
    )


def _person_names(names: str) -> list[str]:
    return [name for name in (part.strip() for part in _NAME_SEPARATOR_RE.split(names)) if is_person_name(name)]


# What every byline form holds: a job title, a label before a name, or an e-mail's "@".
_BYLINE_HINT_RE = re.compile("|".join(map(re.escape, (*REPORTER_ROLES, *NAME_LABELS, "@"))))


def _tidy_byline(text: str) -> str:
    """A byline box's text without its buttons, its name printed twice or a Latin place name after the title:
    ``안서현 기자 안서현 기자 Seoul 이메일 보내기`` -> ``안서현 기자``."""
    if _UI_LABELS_RE.search(text):
        text = fold_spaces(_UI_LABELS_RE.sub(" ", text))
    tail = _BYLINE_DATE_TAIL_RE.search(text)
    if tail is not None:
        text = text[: tail.start()].rstrip(_BYLINE_SEPARATORS)
    more = _MORE_AUTHORS_RE.search(text)
    if more is not None:
        text = text[: more.start()].rstrip()
    words = text.split()
    half = len(words) // 2
    if len(words) >= 4 and words[:2] == words[2:4]:
        text = " ".join(words[2:])
    elif half and len(words) % 2 == 0 and words[:half] == words[half:]:
        text = " ".join(words[:half])
    return _TRAILING_LATIN_RE.sub(r"\1", text)


def parse_byline(line: str) -> list[str] | None:
    """Reporter names when the whole line is a byline (``홍길동 기자 hong@x.com``, ``[홍길동 기자]``,
    ``스포츠조선=선수민 기자``, ``한지숙 jshan@heraldcorp.com``); ``None`` when it is not a byline.

    A byline that names no person (``경주신문 기자``) gives an empty list.
    """
    text = normalise_line(line)
    if len(text) > MAX_BYLINE_CHARS or _BYLINE_HINT_RE.search(text) is None:
        return None  # every byline form has a job title, a name label or an e-mail
    text = _tidy_byline(_ROLE_RE.sub(" 기자", text))  # "홍길동 선임기자" reads as "홍길동 기자"
    for pattern in (_LABELLED_NAME_RE, _PRESS_NAME_RE, _BYLINE_RE, _NAME_EMAIL_RE):
        match = pattern.match(text)
        if match:
            return _person_names(match.group("names"))
    return None


def strip_leading_credit(paragraph: str) -> tuple[str, list[str]]:
    """Remove a leading credit (``[서울=뉴시스] 홍길동 기자 =``, ``(광명=연합뉴스)``, ``우리투데이 이동현 기자 |``);
    return the rest of the paragraph and the reporter names the credit gave."""
    for pattern in _CREDIT_RES:
        match = pattern.match(paragraph)
        if match and match.end() < len(paragraph):
            credit = match.group(0)
            rest = paragraph[match.end() :].lstrip(" =|ㅣ")
            names: list[str] = []
            for role_match in re.finditer(rf"({_NAME})\s*(?:{_ROLES})", credit):
                names.extend(_person_names(role_match.group(1)))
            if "=" in credit and not names:
                inner = credit.split("=", 1)[1]
                found = _NAME_ONLY_RE.search(inner)
                if found and _followed_by_role(inner, found.group("names")):
                    names.extend(_person_names(found.group("names")))
            return rest, names
    return paragraph, []


def _followed_by_role(text: str, part: str) -> bool:
    """True when ``part`` occurs in ``text`` followed by a job title (``홍길동 기자``)."""
    at = text.find(part)
    while at >= 0:
        if _ROLE_AFTER_RE.match(text, at + len(part)):
            return True
        at = text.find(part, at + 1)
    return False


def strip_trailing_byline(paragraph: str) -> tuple[str, list[str]]:
    """Remove a byline glued to the end of a paragraph (``…했다.부산=선수민 기자 sunsoo@x.com``)."""
    match = _TRAILING_BYLINE_RE.search(paragraph)
    if not match or match.start() == 0:
        return paragraph, []
    return paragraph[: match.start()].rstrip(), _person_names(match.group("name"))
