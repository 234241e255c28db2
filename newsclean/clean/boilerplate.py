"""Boilerplate line judgments: str -> bool (or the names a byline gives), for the lines news pages wrap around an
article.

Whether a line is furniture, a copyright notice, an edge line of a story, a byline or a credit, asked of the
phrase tables in ``newsclean.phrases`` (and of the reference CMS family's own header and footer lines, below).
The text-dump path and the HTML path both ask these functions.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from .. import sites
from ..lazy import LazyPattern
from ..phrases import (
    BODY_END_PATTERNS,
    BOILERPLATE_PATTERNS,
    BYLINE_UI_LABELS,
    CONTROL_WORDS,
    COPYRIGHT_PATTERNS,
    CREDIT_PATTERNS,
    DATE_LABELS,
    EDGE_LINE_PATTERNS,
    EMAIL_LINE_PATTERN,
    FURNITURE_LINES,
    KOREAN_SURNAMES,
    NAME_LABELS,
    NON_PERSON_NAME_SUFFIXES,
    PHOTO_CREDIT_PART_RE,
    PHOTO_CREDIT_PATTERNS,
    PLACEHOLDER_PATTERNS,
    REACTION_PROMPTS,
    REPORTER_ROLES,
    SENTENCE_ENDINGS,
    SPOKEN_BYLINE_PATTERNS,
    UI_LABEL_WORDS,
)
from ..text import fold_spaces, line_form

__all__ = [
    "count_sentence_endings",
    "is_body_end_marker",
    "is_boilerplate_line",
    "is_copyright_line",
    "is_edge_line",
    "is_email_line",
    "is_name_card",
    "is_person_name",
    "is_photo_credit",
    "is_placeholder",
    "parse_byline",
    "split_signoff",
    "spoken_byline",
    "strip_leading_credit",
    "strip_soundbite_label",
    "strip_trailing_byline",
]


# Longest control bar (characters).
MAX_CONTROL_LINE_CHARS = 80
_CONTROL_WORDS_RE = LazyPattern("|".join(map(re.escape, sorted(CONTROL_WORDS, key=len, reverse=True))), re.I)
_CONTROL_REST_RE = LazyPattern(r"\[[^\[\]]{0,40}\]|[\W_]+")


_EMAIL_LINE_RE = LazyPattern(EMAIL_LINE_PATTERN)

# Longest edge line (characters): longer lines are text, whatever they start with.
MAX_EDGE_LINE_CHARS = 160
# A soundbite with its speaker label inside the brackets: '[유○○/자산가 : "…"]' -> '"…"'.
_SOUNDBITE_RE = LazyPattern(r'^\[[^\[\]/:"“”]{1,20}/[^\[\]:"“”]{1,40}:\s*(?P<quote>["“][^\[\]]*)\]$')
# A bare on-screen name card before a quote: "토드 블란취 / 트럼프 변호사".
_NAME_CARD_RE = LazyPattern(r"^[가-힣A-Za-z○·.]{1,12}(?: [가-힣A-Za-z○·.]{1,12}){0,2}\s/\s[^/:\"“”.!?]{2,30}$")
_SPOKEN_BYLINE_RES = tuple(LazyPattern(p) for p in SPOKEN_BYLINE_PATTERNS)


_ROLES = "|".join(REPORTER_ROLES)
# Starts only where a run of spacing starts (or at a role itself), so a long run is scanned once.
_ROLE_RE = LazyPattern(rf"(?<!\s)\s*+(?:{_ROLES})(?![가-힣])")
# A Korean personal name has 2 to 4 syllables; a byline line is short.
MIN_NAME_CHARS, MAX_NAME_CHARS = 2, 4
MAX_BYLINE_CHARS = 80
_NAME = r"[가-힣]{2,4}"
_EMAIL = r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
_BYLINE_RE = LazyPattern(
    r"^[\[(]?+\s*+(?:[^\s\[\]=|/]{1,20}+\s*+[=/]\s*+)?(?:[^\s\[\]=|/]{1,15}+\s++)?(?:[가-힣,\s]{0,12}\s)?"
    rf"(?P<names>[가-힣]{{2,10}}(?:\s*+[·,/]\s*+{_NAME})*)\s*+(?:{_ROLES})(?![가-힣])"
    rf"\s*+[(/|:]?+\s*+(?P<email>{_EMAIL})?+\s*+\)?+\s*+[\])]?+\s*+[|ㅣ]?+\s*+$"
)
_LABELLED_NAME_RE = LazyPattern(
    rf"^(?:{'|'.join(NAME_LABELS)})\s*(?P<names>[가-힣]{{2,10}})\s*\(?\s*(?:{_EMAIL})?\s*\)?$"
)
_UI_LABELS_RE = LazyPattern("|".join(map(re.escape, sorted(BYLINE_UI_LABELS, key=len, reverse=True))))
# A date label glued to a byline, and what follows it: "안진우 기자l기사입력 2023-04-04 19:01", "홍길동 기자 | 입력 …".
# (Found with ``search``; the text before it is kept, less the separators that led to it.)
_BYLINE_DATE_TAIL_RE = LazyPattern(
    "(?:" + "|".join(sorted(map(re.escape, DATE_LABELS), key=len, reverse=True)) + r")(?![가-힣])"
    r"|(?:19|20)\d\d\s?[-./년]"
)
_BYLINE_SEPARATORS = " |ㅣl/·"
# Co-authors counted, not named: "박준석 기자 외 1명".
_MORE_AUTHORS_RE = LazyPattern(r"외\s?\d{1,2}\s?명\s*+$")
# A place name in Latin letters after the job title: "안서현 기자 Seoul".
_TRAILING_LATIN_RE = LazyPattern(rf"(\s?(?:{_ROLES}))(?:\s[A-Za-z]{{2,20}}){{1,2}}$")
_NAME_EMAIL_RE = LazyPattern(rf"^(?P<names>{_NAME})\s*[(]?\s*{_EMAIL}\s*\)?$")
_PRESS_NAME_RE = LazyPattern(rf"^[^\s=]{{1,20}}=\s*(?P<names>{_NAME})\s*(?:{_ROLES})$")

_TRAILING_BYLINE_RE = LazyPattern(
    rf"(?<=[.!?”\"’'])\s*+(?:[가-힣,\s]{{0,10}}=)?\s*+(?P<name>{_NAME})\s*+(?:{_ROLES})\s*+(?:{_EMAIL})?+\s*+$"
)

# Lines longer than these (characters) are article text, whatever phrase they hold.
MAX_COPYRIGHT_CHARS = 200
MAX_FURNITURE_CHARS = 300


class _PatternSet:
    """Whether any of ``patterns`` matches a line, with one scan: the patterns anchored at the line's start
    are tried there only (``match``), the others are searched for (``search``). Compiled on first use."""

    def __init__(self, patterns: Iterable[str], flags: int = 0) -> None:
        anchored = [p[1:] for p in patterns if p.startswith("^")]
        floating = [p for p in patterns if not p.startswith("^")]
        # \A: the alternation is tried at the line's start only, even by a search.
        anchored_alternation = r"\A(?:" + "|".join(f"(?:{p})" for p in anchored) + ")"
        self._anchored = LazyPattern(anchored_alternation, flags) if anchored else None
        self._floating = LazyPattern("|".join(f"(?:{p})" for p in floating), flags) if floating else None

    def __call__(self, text: str) -> bool:
        if self._anchored is not None and self._anchored.match(text):
            return True
        return self._floating is not None and self._floating.search(text) is not None


_EDGE_RE = _PatternSet([p for patterns in EDGE_LINE_PATTERNS.values() for p in patterns])
_BOILERPLATE_RE = _PatternSet([p for patterns in BOILERPLATE_PATTERNS.values() for p in patterns], re.I)
_COPYRIGHT_RE = _PatternSet(COPYRIGHT_PATTERNS, re.I)
_END_RE = _PatternSet(BODY_END_PATTERNS)
_CREDIT_RES = tuple(LazyPattern(p) for p in CREDIT_PATTERNS)
# Whole lines (in ``text.line_form``) that are never article text; a CMS family's own header and footer lines are
# its markers (``newsclean.sites``).
_ALL_LINES = frozenset().union(*FURNITURE_LINES.values(), REACTION_PROMPTS)
_BARE_NAME_RE = LazyPattern(rf"^{_NAME}$")
# Separators between the names of a byline; the spacing around them is stripped from each name.
_NAME_SEPARATOR_RE = LazyPattern(r"[·,/]")
_ROLE_AFTER_RE = LazyPattern(rf"(?<!\s)\s*+(?:{_ROLES})")
_NAME_ONLY_RE = LazyPattern(rf"(?P<names>{_NAME}(?:\s*[·,/]\s*{_NAME})*)")


def is_copyright_line(line: str) -> bool:
    """True for a copyright / no-redistribution line (``저작권자 © … 무단전재 및 재배포 금지`` and variants)."""
    return _is_copyright_text(line_form(line))


def _is_copyright_text(text: str) -> bool:
    return len(text) <= MAX_COPYRIGHT_CHARS and _COPYRIGHT_RE(text)


def is_boilerplate_line(line: str) -> bool:
    """True when the whole line is page furniture: menus, share/print/comment controls, notices, copyright."""
    text = line_form(line)
    if not text:
        return True
    if text in _ALL_LINES or text in sites.marker_lines():
        return True
    if len(text) > MAX_FURNITURE_CHARS:
        return False
    return _BOILERPLATE_RE(text) or _is_copyright_text(text) or _is_edge_text(text) or _is_control_text(text)


# The letters control words start with, in either case (as _CONTROL_WORDS_RE matches them).
_CONTROL_INITIALS = frozenset(c for word in CONTROL_WORDS for c in (word[0], word[0].lower(), word[0].upper()))


def _is_control_text(text: str) -> bool:
    """True for a short line made only of player, print and reading control words (two or more of them)."""
    if len(text) > MAX_CONTROL_LINE_CHARS:
        return False
    first = text[:1]
    if ((first.isascii() and first.isalnum()) or "가" <= first <= "힣") and first not in _CONTROL_INITIALS:
        return False  # a letter no control word starts with, and nothing before it: that letter stays
    rest, count = _CONTROL_WORDS_RE.subn("", text)
    return count >= 2 and not _CONTROL_REST_RE.sub("", rest)


def is_edge_line(line: str) -> bool:
    """True for a line found at a story's edges that is not its text: a production credit (``영상편집:김선영``),
    a contact or tip-off line (``▷ 이메일 …``, a lone e-mail), hashtags, a transcript disclaimer or a broadcast
    speaker label (``◀ 앵커 ▶``, ``[한덕수/국무총리]``)."""
    return _is_edge_text(line_form(line))


def _is_edge_text(text: str) -> bool:
    return len(text) <= MAX_EDGE_LINE_CHARS and _EDGE_RE(text)


def is_email_line(line: str) -> bool:
    """True for a line that is only an e-mail address (a reporter's, under or over the story)."""
    return _EMAIL_LINE_RE.match(line_form(line)) is not None


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
        and _NAME_CARD_RE.match(line_form(line)) is not None
    )


def spoken_byline(line: str) -> list[str]:
    """The reporter a spoken sign-off or hand-over names (``KBS 뉴스 이윤우입니다.``, ``구민지 기자가
    보도합니다.``); [] for any other line. The line itself is part of the transcript."""
    text = line_form(line)
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
    parts = [p.strip() for p in line_form(line).split(" / ")]
    if len(parts) < 2 or len(parts) > 3:
        return None
    names: list[str] = []
    credits: list[str] = []
    for part in parts:
        if _BARE_NAME_RE.match(part) and _person_names(part):
            names.append(part)
        elif _is_edge_text(part) or PHOTO_CREDIT_PART_RE.match(part):
            credits.append(part)
        else:
            return None
    return (names, credits) if names and credits else None


def is_body_end_marker(line: str) -> bool:
    """True for a line after which the article body is over (footer notice, comment box, most-read box)."""
    text = line_form(line)
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
_BYLINE_HINT_RE = LazyPattern("|".join(map(re.escape, (*REPORTER_ROLES, *NAME_LABELS, "@"))))


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
    text = line_form(line)
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


_PHOTO_CREDIT_RES = tuple(LazyPattern(p) for p in PHOTO_CREDIT_PATTERNS)
_PLACEHOLDER_RES = tuple(LazyPattern(p) for p in PLACEHOLDER_PATTERNS)
_SENTENCE_END_RE = LazyPattern("|".join(re.escape(e) for e in SENTENCE_ENDINGS))


def count_sentence_endings(text: str) -> int:
    """How many Korean sentence endings ``text`` holds."""
    return len(_SENTENCE_END_RE.findall(text))


def is_placeholder(line: str) -> bool:
    """True when the whole line is a template placeholder (``$$ARTICLEAD$$``)."""
    line = line.strip()
    return any(p.match(line) for p in _PLACEHOLDER_RES)


def is_photo_credit(line: str) -> bool:
    """True when the whole line only credits photos (``[사진=JTBC, 이매진아시아]``)."""
    line = line.strip()
    return any(p.match(line) for p in _PHOTO_CREDIT_RES)
