"""Korean phrase tables: every phrase newsclean matches in page text, grouped by what it is.

The cleaner stages (boilerplate line judgments, the HTML and text-dump bodies, metadata, dates) keep their logic
and ask these tables; every entry has a test, and a test fails when a table here is referenced by no test.

Imports nothing from newsclean: every other module may use it.
"""

from __future__ import annotations

import re

__all__ = [
    "AFTERNOON_WORDS",
    "BODY_END_PATTERNS",
    "BODY_START_MARKERS",
    "BOILERPLATE_PATTERNS",
    "BROADCAST_LABELS",
    "BYLINE_UI_LABELS",
    "CALL_TO_ACTION_ENDINGS",
    "CAPTION_CREDIT_RE",
    "CAPTION_PREFIXES",
    "CAPTION_SUFFIXES",
    "CONTACT_CHANNELS",
    "CONTACT_HEADINGS",
    "CONTROL_WORDS",
    "COPYRIGHT_PATTERNS",
    "CREDIT_PATTERNS",
    "CREDIT_ROLES",
    "DATE_LABELS",
    "DISCLAIMER_PHRASES",
    "EDGE_LINE_PATTERNS",
    "EMAIL_LINE_PATTERN",
    "FURNITURE_LINES",
    "HEADER_MARKERS",
    "INLINE_CREDIT_RE",
    "INNER_SENTENCE_END_RE",
    "KOREAN_SURNAMES",
    "LEADING_SITE_NAME_WORDS",
    "MAX_CALL_TO_ACTION_CHARS",
    "MODIFIED_DATE_LABELS",
    "MORNING_WORDS",
    "NAME_LABELS",
    "NON_PERSON_NAME_SUFFIXES",
    "PERMALINK_NOTICES",
    "PHOTO_CREDIT_PART_RE",
    "PHOTO_CREDIT_PATTERNS",
    "PLACEHOLDER_PATTERNS",
    "POPULAR_BOX_HEADINGS",
    "PUBLISHED_DATE_LABELS",
    "REACTION_BUTTONS",
    "REACTION_PROMPTS",
    "REPORTER_ROLES",
    "SENTENCE_ENDINGS",
    "SENTENCE_END_RE",
    "SHARE_TARGETS",
    "SITE_NAME_WORDS",
    "SITE_STAMP_DATE_LABELS",
    "SPOKEN_BYLINE_PATTERNS",
    "TITLE_SEPARATORS",
    "UI_LABEL_WORDS",
]

# ===================================================================================================================
# Furniture: menus, share and comment controls, notices, most-read boxes, calls to action
# ===================================================================================================================

# Whole lines (in ``text.line_form``) that are never article text, by where they come from (the reference
# CMS family's own header and footer lines are kept with its other text-dump markers).
FURNITURE_LINES: dict[str, frozenset[str]] = {
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

# A whole line that is a template placeholder left in the served HTML (``$$ARTICLEAD$$``, ``{{ad}}``).
PLACEHOLDER_PATTERNS: tuple[str, ...] = (r"^\$\$[A-Za-z0-9_]+\$\$$", r"^\{\{\s*[\w.]+\s*\}\}$", r"^%%[A-Z_]+%%$")

# ===================================================================================================================
# Where an article starts and ends: header markers, body-end markers, permalink notices
# ===================================================================================================================

# Lines that open an article's header (the line a family's headline follows is in its markers, ``newsclean.sites``).
HEADER_MARKERS: tuple[str, ...] = ("기사 메일전송", "이 기사를 공유합니다")

# Lines after which the body starts at once: short lines that follow are body headings, not subtitles.
BODY_START_MARKERS: frozenset[str] = frozenset({"기사수정"})

# A line at which the article body is over: what follows is footer, comments or sidebars.
BODY_END_PATTERNS: tuple[str, ...] = (
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

# ===================================================================================================================
# Copyright lines
# ===================================================================================================================

COPYRIGHT_PATTERNS: tuple[str, ...] = (
    r"(?:저작권자|copyrights?|ⓒ|©|\(c\))[^\n]{0,80}(?:무단|전재|재배포|금지|all rights reserved)",
    r"무단\s*전재[^\n]{0,30}재배포[^\n]{0,10}금지",
    r"무단전재\s*(?:및|·|,)\s*재배포\s*금지",
    r"저작권법의 보호를 받",
    r"무단\s*전재[^\n]{0,20}(?:수집|크롤링|AI\s*학습)",
    r"^<ÀúÀÛ±ÇÀÚ",  # an EUC-KR copyright line read as Latin-1
)

# ===================================================================================================================
# Edge lines of a story: production credits, contacts, hashtags, transcript notes and labels
# ===================================================================================================================

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

# A line that is only an e-mail address, bracketed or not: "lkh2011@newsis.com", "[tgar1@mbn.co.kr]".
EMAIL_LINE_PATTERN = r"^[\[(<]?\s*[\w.+-]+@[\w-]+(?:\.[\w-]+)+\s*[\])>]?$"

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

# ===================================================================================================================
# Captions and photo credits
# ===================================================================================================================

# A line that starts with one of these marks an image caption.
CAPTION_PREFIXES: tuple[str, ...] = ("▲", "△", "↑↑", "사진설명", "<사진>", "[사진]", "사진 =", "사진=")

# w3m-style dumps print a caption with the image's zoom button text glued on.
CAPTION_SUFFIXES: tuple[str, ...] = ("사진 확대", "이미지 확대보기", "이미지 확대하기", "이미지 크게보기")

# A whole line that only credits the photos: ``[사진=JTBC, 이매진아시아]``, ``<사진 출처=연합뉴스>``, ``(사진=뉴시스)``.
PHOTO_CREDIT_PATTERNS: tuple[str, ...] = (
    r"^[\[(<【]\s*(?:사진|자료|그래픽|이미지|영상|사진 출처|사진출처|자료 출처)\s*[=:：]\s*[^\]\)>】]{1,60}[\])>】]$",
    r"^(?:사진|사진 ?출처|사진 ?제공)\s*[=:：]\s*[^\s.!?][^.!?]{0,40}$",
)

# A line ending with a credit like these is a photo caption: "[연합]", "(사진=국회사진취재단)", "<이종화 기자>".
CAPTION_CREDIT_RE = re.compile(
    r"(?:[\[(<]\s*(?:사진|자료|그래픽|출처|사진 ?출처|사진 ?제공|제공|연합뉴스|연합|뉴시스|뉴스1|AP|AFP|로이터|"
    r"게티이미지|EPA|신화|[가-힣]{2,4} ?기자)[^\])>]{0,40}[\])>]\s*$)|(?:사진\s*=\s*[^.]{1,30}$)"
    # a provider credit: "[SR 제공]" after a caption, or a line of its own ("경기도소방재난본부 제공")
    r"|(?:[\[(<][^\[\]()<>]{1,30} ?제공[\])>]\s*$)|(?:^[^\s.!?]{2,20}(?: [^\s.!?]{1,20}){0,2} ?제공$)"
    r"|(?:^사진 ?(?:제공|출처)\s*[=:：]\s*[^.]{1,30}$)"
    # a photo desk's stamp closing a caption: "… 잠실=최문영 기자 deer@sportschosun.com /2020.08.20/"
    r"|(?:기자 [\w.+-]{1,40}@[\w.-]{1,40} ?/(?:19|20)\d\d\.\d{1,2}\.\d{1,2}/$)"
)

# A part of a closing sign-off line that credits the pictures: "백승훈 / 사진제공 쿠팡플레이", "자료 출처: 고성군".
PHOTO_CREDIT_PART_RE = re.compile(r"^(?:사진|자료|영상)\s*(?:제공|출처)?\s*[=:：]?\s*\S")

# ===================================================================================================================
# Credits and bylines: job titles, byline labels, spoken sign-offs, credits that open a paragraph
# ===================================================================================================================

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

# A sign-off or hand-over the anchor or reporter speaks, which names the reporter; the line stays in the
# transcript: "KBS 뉴스 이윤우입니다.", "구민지 기자가 보도합니다.", "이윤우 기자의 보도입니다.", "김수연 기자입니다."
SPOKEN_BYLINE_PATTERNS: tuple[str, ...] = (
    r"^[A-Za-z0-9가-힣]{1,10} ?뉴스 (?P<name>[가-힣]{2,4})입니다\.?$",
    r"^(?P<name>[가-힣]{2,4}) ?(?:기자|특파원|앵커|리포터)(?:가|이) 보도합니다\.?$",
    r"^(?P<name>[가-힣]{2,4}) ?(?:기자|특파원|리포터)의 보도입니다\.?$",
    r"^(?P<name>[가-힣]{2,4}) ?(?:기자|특파원|리포터)입니다\.?$",
)

# Pattern parts of the credits below: a personal name, a job title.
_NAME = r"[가-힣]{2,4}"
_ROLES = "|".join(REPORTER_ROLES)

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

# A credit inside the first body line: the text before it is the deck's last line ("…변론[이데일리 조민정 기자] …").
INLINE_CREDIT_RE = re.compile(r"\[[^\[\]=]{0,20}[가-힣]{2,4}\s*기자\]\s*")

# ===================================================================================================================
# Names: what a reporter's name starts with, and what a name never is
# ===================================================================================================================

# First syllables of Korean family names (compound ones, 남궁 황보 제갈 사공 선우 독고 서문 동방, start with one of
# them too). A reporter's "name" that starts with none is a press, desk or button ("뉴스타파", "iMBC 연예").
KOREAN_SURNAMES: frozenset[str] = frozenset(
    "김이박최정강조윤장임한오서신권황안송류유전홍고문양손배백허남심노하곽성차주우구민나진지엄채원천방공현함변염여추도소석선설"
    "마길연위표명기반라왕금옥육인맹제모탁국어은편용예경봉사부가복태목형계피두감음빈동온호범좌팽승간상갈시단견당화창평근순저학묵후판량룡란로뢰리림륙려독"
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

# ===================================================================================================================
# Date labels and clock words
# ===================================================================================================================

# Labels that stand before (or after) an article date, by what the date is. A line holding only a label (the
# date on the next line) is a date line too.
# The date the article was published.
PUBLISHED_DATE_LABELS: tuple[str, ...] = (
    "기사등록",
    "기사입력",
    "입력일",
    "입력",
    "등록일",
    "등록",
    "승인",
    "발행일",
    "발행",
    "게재일",
    "송고",
    "작성일",
    "작성",
    "입력일자",
    "등록일자",
    "게시일",
    "게시",
    "기사전송",
    "전송",
    "Posted",
    "Published",
)
# The date it was last changed.
MODIFIED_DATE_LABELS: tuple[str, ...] = (
    "수정일자",
    "최종 수정",
    "Updated",
    "기사수정",
    "최종수정",
    "수정일",
    "수정",
    "업데이트",
)
# A site-wide "last edited" stamp: not the article's date.
SITE_STAMP_DATE_LABELS: tuple[str, ...] = ("최종편집",)

# Every date label, of any kind.
DATE_LABELS: tuple[str, ...] = (*PUBLISHED_DATE_LABELS, *MODIFIED_DATE_LABELS, *SITE_STAMP_DATE_LABELS)

# Meridiem words: a 12-hour clock time follows (or precedes) them.
AFTERNOON_WORDS = ("오후", "PM", "pm", "P.M.")

MORNING_WORDS = ("오전", "AM", "am", "A.M.")

# ===================================================================================================================
# Sentence endings
# ===================================================================================================================

# Endings of a Korean written sentence ("…했다.", "…해요.", "…라고 말했다."), a signal of article prose.
SENTENCE_ENDINGS: tuple[str, ...] = ("다.", "요.", "죠.", "니다.", "까?", "다”", '다"', "다'", "다’", "음.", "함.")

# A line that ends a sentence: final punctuation, or a sentence's last syllable before a closing quote.
SENTENCE_END_RE = re.compile(r"(?:[.!?。]|[다요죠까]\s*[\"”’'])[\"”’'」』)\]>]*\s*$")
# A sentence ending inside a line ("…있습니다. 보러가기"): prose, not a headline.
INNER_SENTENCE_END_RE = re.compile(r"[다요]\.\s+\S")

# ===================================================================================================================
# Site names and title separators
# ===================================================================================================================

# Separators between a headline and the site name in <title> / og:title.
TITLE_SEPARATORS: tuple[str, ...] = (" | ", " - ", " – ", " — ", " :: ", " : ", "ㅣ", "-", "|", " < ", " > ")

# Words a trailing site-name segment of a title is made of (when og:site_name does not say).
SITE_NAME_WORDS: tuple[str, ...] = (
    "뉴스",
    "일보",
    "신문",
    "경제",
    "닷컴",
    "방송",
    "매일",
    "데일리",
    "타임즈",
    "타임스",
    "미디어",
    "투데이",
    "저널",
    "통신",
    "네이버",
    "다음",
    "모바일",
    "news",
    "daily",
    "times",
    "media",
)

# Words that mark a segment before a headline as the press's name rather than a section or a tag
# ("대전일보 모바일 :: 제목"); "경제" or "매일" alone are common words of headlines and sections, so not here.
LEADING_SITE_NAME_WORDS: tuple[str, ...] = (
    "일보",
    "신문",
    "뉴스",
    "방송",
    "닷컴",
    "타임즈",
    "타임스",
    "미디어",
    "모바일",
    "news",
    "daily",
    "times",
)
