"""Markup vocabulary: what Korean news markup calls its boilerplate, captions and decks.

Tag names, class/id tokens and the keys of script-embedded article JSON that the HTML body and metadata stages
look for.

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
    "NOISE_TAGS",
    "NOISE_TOKENS",
    "SCRIPT_AUTHOR_KEYS",
    "SCRIPT_BODY_KEYS",
    "SCRIPT_MODIFIED_KEYS",
    "SCRIPT_PUBLISHED_KEYS",
    "SCRIPT_SUBTITLE_KEYS",
    "SCRIPT_TEXT_ELEMENT_KEYS",
    "SCRIPT_TEXT_ELEMENT_TYPES",
    "SCRIPT_TITLE_KEYS",
    "class_tokens",
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
