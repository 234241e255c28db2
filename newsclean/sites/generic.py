"""Tables of the generic HTML extractor: what Korean news markup calls its boilerplate, captions and decks.

Tokens that also name article wrappers on real pages (``font-size17`` on NDSoft bodies, ``print_area``,
``view-page``, ``series``, ``list``) are left out on purpose.

Class and id values are split into tokens (``article_relation`` -> ``article``, ``relation``; ``relatedNews`` ->
``related``, ``news``) and a token is looked up here, so ``ad`` matches ``ad_wrap`` but not ``header``.
"""

from __future__ import annotations

import re
from functools import lru_cache

__all__ = [
    "AUTHOR_TOKENS",
    "BLOCK_TAGS",
    "CAPTION_TOKENS",
    "IMAGE_BOX_TAGS",
    "IMAGE_URL_ATTRIBUTES",
    "LEADING_SITE_NAME_WORDS",
    "NOISE_TAGS",
    "NOISE_TOKENS",
    "PHOTO_CREDIT_PATTERNS",
    "PLACEHOLDER_PATTERNS",
    "SCRIPT_AUTHOR_KEYS",
    "SCRIPT_BODY_KEYS",
    "SCRIPT_MODIFIED_KEYS",
    "SCRIPT_PUBLISHED_KEYS",
    "SCRIPT_SUBTITLE_KEYS",
    "SCRIPT_TEXT_ELEMENT_KEYS",
    "SCRIPT_TEXT_ELEMENT_TYPES",
    "SCRIPT_TITLE_KEYS",
    "SENTENCE_ENDINGS",
    "SITE_NAME_WORDS",
    "SUBTITLE_TOKENS",
    "TITLE_SEPARATORS",
    "class_tokens",
    "count_sentence_endings",
    "is_photo_credit",
    "is_placeholder",
]

# Elements never part of an article's text.
NOISE_TAGS = frozenset(
    {
        "script",
        "style",
        "noscript",
        "iframe",
        "button",
        "select",
        "option",
        "input",
        "textarea",
        "form",
        "svg",
        "video",
        "audio",
        "object",
        "embed",
        "template",
        "nav",
        "aside",
        "footer",
        "label",
        "canvas",
        "map",
    }
)

# Class/id tokens of boilerplate boxes on Korean news sites (related and most-read lists, reporter cards,
# share bars, comments, ads, subscription prompts, tag lists).
NOISE_TOKENS = frozenset(
    {
        "relation", "related", "relate", "rel", "recommend", "recom", "rank", "ranking", "best", "hot", "popular",
        "most", "copyright", "reporter", "byline", "journalist", "writer", "sns", "share", "social", "reply",
        "cmt", "comment", "comments", "ad", "ads", "advert", "advertisement", "banner", "bnr", "promo", "sponsor",
        "subscribe", "subscription", "newsletter", "tag", "tags", "keyword", "keywords", "hashtag", "gnb", "lnb",
        "breadcrumb", "location", "navigation", "menu", "footer", "sidebar", "aside", "wing", "util", "utility",
        "btn", "button", "toolbar", "popup", "modal", "sr", "blind", "skip", "prev", "next", "widget",
        "기자", "많이본", "인기", "관련기사",
    }
)

# Tokens of elements that hold an image's caption.
CAPTION_TOKENS = frozenset(
    {"caption", "cap", "figcaption", "desc", "img_desc", "photo_desc", "imgtxt", "txt_caption", "fr-inner"}
)

# Tokens of deck / sub-headline elements in an article's header.
SUBTITLE_TOKENS = frozenset({"subtitle", "subheading", "subtit", "midtitle", "deck", "sub"})

# Tokens of byline / reporter elements (read for names, never kept as body text).
AUTHOR_TOKENS = frozenset({"byline", "reporter", "writer", "journalist", "author", "name"})

# Elements that end a paragraph when they open or close.
BLOCK_TAGS = frozenset(
    {
        "p",
        "div",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "ul",
        "ol",
        "li",
        "dl",
        "dt",
        "dd",
        "table",
        "tbody",
        "thead",
        "tfoot",
        "tr",
        "td",
        "th",
        "blockquote",
        "section",
        "article",
        "figure",
        "figcaption",
        "center",
        "pre",
        "hr",
        "address",
        "header",
        "main",
        "caption",
    }
)

# Elements an image box (image + caption) may be built of, climbing up from the <img>.
IMAGE_BOX_TAGS = frozenset(
    {
        "figure",
        "figcaption",
        "table",
        "tbody",
        "tr",
        "td",
        "th",
        "div",
        "span",
        "a",
        "picture",
        "center",
        "dl",
        "dt",
        "dd",
        "em",
        "strong",
        "p",
    }
)

# Attributes holding an image's address, lazy-loading ones first.
IMAGE_URL_ATTRIBUTES = ("data-src", "data-original", "data-lazy-src", "data-url", "src")

# A whole line that only credits the photos: ``[사진=JTBC, 이매진아시아]``, ``<사진 출처=연합뉴스>``, ``(사진=뉴시스)``.
PHOTO_CREDIT_PATTERNS: tuple[str, ...] = (
    r"^[\[(<【]\s*(?:사진|자료|그래픽|이미지|영상|사진 출처|사진출처|자료 출처)\s*[=:：]\s*[^\]\)>】]{1,60}[\])>】]$",
    r"^(?:사진|사진 ?출처|사진 ?제공)\s*[=:：]\s*[^\s.!?][^.!?]{0,40}$",
)
_PHOTO_CREDIT_RES = tuple(re.compile(p) for p in PHOTO_CREDIT_PATTERNS)

# A whole line that is a template placeholder left in the served HTML (``$$ARTICLEAD$$``, ``{{ad}}``).
PLACEHOLDER_PATTERNS: tuple[str, ...] = (r"^\$\$[A-Za-z0-9_]+\$\$$", r"^\{\{\s*[\w.]+\s*\}\}$", r"^%%[A-Z_]+%%$")
_PLACEHOLDER_RES = tuple(re.compile(p) for p in PLACEHOLDER_PATTERNS)

# Endings of a Korean written sentence ("…했다.", "…해요.", "…라고 말했다."), a signal of article prose.
SENTENCE_ENDINGS: tuple[str, ...] = ("다.", "요.", "죠.", "니다.", "까?", "다”", '다"', "다'", "다’", "음.", "함.")
_SENTENCE_END_RE = re.compile("|".join(re.escape(e) for e in SENTENCE_ENDINGS))

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

# Keys of script-embedded article JSON (Next.js, Fusion/Arc, React-Query states, JSON-LD).
SCRIPT_BODY_KEYS = (
    "articleBody",
    "contentHtml",
    "content_html",
    "bodyHtml",
    "body_html",
    "articleHtml",
    "content",
    "body",
    "html",
    "text",
    "contents",
)
# A list of script elements is a body when its items carry text under one of these keys and, when they are
# typed, have one of these types (Arc/Fusion ``content_elements``, block editors' ``blocks``).
SCRIPT_TEXT_ELEMENT_KEYS = ("content", "text", "value", "paragraph", "html", "body")
SCRIPT_TEXT_ELEMENT_TYPES = frozenset(
    {"text", "paragraph", "p", "header", "heading", "subheading", "subhead", "quote", "blockquote", "list_item"}
)
SCRIPT_TITLE_KEYS = ("headline", "title")
SCRIPT_SUBTITLE_KEYS = ("subTitle", "subtitle", "subheadline", "subHeadline")
SCRIPT_PUBLISHED_KEYS = (
    "datePublished",
    "deployDt",
    "publishedAt",
    "published_at",
    "firstPublishDate",
    "first_publish_date",
    "display_date",
    "publishDate",
    "regDt",
    "createdAt",
)
SCRIPT_MODIFIED_KEYS = (
    "dateModified",
    "reDeployDt",
    "modifiedAt",
    "modified_at",
    "last_updated_date",
    "updatedAt",
    "modDt",
)
SCRIPT_AUTHOR_KEYS = ("byLines", "byline", "author", "authors", "writer", "reporter", "reporterName")

_CAMEL_RE = re.compile(r"(?<=[a-z])(?=[A-Z])")
_SPLIT_RE = re.compile(r"[\s_\-.:/]+")


@lru_cache(maxsize=8192)
def class_tokens(value: str) -> tuple[str, ...]:
    """Lower-cased tokens of a class or id value: split on spaces, ``_``, ``-`` and camelCase.

    Memoised: pages of one site repeat the same class values (a pure function, so no state leaks)."""
    return tuple(t for t in _SPLIT_RE.split(_CAMEL_RE.sub(" ", value).lower()) if t)


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
