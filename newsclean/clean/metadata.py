"""Metadata: HtmlPage (+ SiteRule) -> Draft fields (title, subtitles, dates, reporters, section, tags, URL).

Every field is read from the page's own signals in a fixed order of trust, and the first source that gives a
value wins:

1. the site rule's selectors;
2. JSON-LD (``NewsArticle`` / ``Article``, ``@graph`` included);
3. Open Graph and ``article:*`` / other ``<meta>`` tags;
4. visible header text (dates through ``dates.py``, bylines through ``boilerplate.parse_byline``).

A client-rendered page's script JSON fills what is still missing (``fill_from_script``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from selectolax.lexbor import LexborNode

from ..lazy import LazyPattern
from ..phrases import LEADING_SITE_NAME_WORDS, REPORTER_ROLES, SITE_NAME_WORDS, TITLE_SEPARATORS
from ..sites import SiteRule
from ..text import fold_spaces, letters_only, line_form
from . import boilerplate
from .dates import DateKind, find_labelled_dates, first_labelled, parse_datetime
from .draft import Draft
from .markup import (
    AUTHOR_TOKENS,
    NOISE_TAGS,
    NOISE_TOKENS,
    SCRIPT_AUTHOR_KEYS,
    SCRIPT_MODIFIED_KEYS,
    SCRIPT_PUBLISHED_KEYS,
    SCRIPT_SUBTITLE_KEYS,
    SCRIPT_TITLE_KEYS,
    SUBTITLE_TOKENS,
    class_tokens,
)
from .page import HtmlPage
from .urls import MAX_URL_CHARS

__all__ = ["clean_title", "fill_from_script", "read"]

# A trailing title segment longer than this (characters) is part of the headline, not a site name.
MAX_SITE_SUFFIX_CHARS = 25
# A subtitle line longer than this (characters) is body text, not a deck.
MAX_SUBTITLE_CHARS = 200
# Elements that may be a deck or a byline: a CSS pre-filter (run in C) before the class tokens are checked.
_SUBTITLE_PARTS = ("sub", "Sub", "SUB", "deck", "Deck", "midtitle", "mid_title")
SUBTITLE_SELECTOR = ", ".join(f"[{attr}*={part}]" for attr in ("class", "id") for part in _SUBTITLE_PARTS)
_AUTHOR_PARTS = ("byline", "Byline", "reporter", "Reporter", "writer", "Writer", "journalist", "author", "Author")
AUTHOR_SELECTOR = ", ".join(f"[{attr}*={part}]" for attr in ("class", "id") for part in _AUTHOR_PARTS)


def _caseless_selector(parts: tuple[str, ...]) -> str:
    """A selector matching every element the ``[class*=part], [id*=part]`` selector of ``parts`` matches (and a few
    more, in other letter cases), with one case-blind test per distinct part: lexbor tries each selector of a list
    on every element, so fewer selectors cost less; ``_parts_in`` then tells the elements of the first."""
    distinct = dict.fromkeys(part.lower() for part in parts)
    return ", ".join(f"[{attr}*={part} i]" for attr in ("class", "id") for part in distinct)


_SUBTITLE_PREFILTER = _caseless_selector(_SUBTITLE_PARTS)
_AUTHOR_PREFILTER = _caseless_selector(_AUTHOR_PARTS)


def _parts_in(class_value: str, id_value: str, parts: tuple[str, ...]) -> int:
    """How many of ``parts`` an element's class and id hold as they are written, counted in each: the number of
    selectors of the ``[class*=part], [id*=part]`` list that match the element."""
    return sum(part in class_value for part in parts) + sum(part in id_value for part in parts)


# A byline element's text is at most this long (characters).
MAX_BYLINE_CHARS = 80
# A deck of more lines than this is a list, not a deck.
MAX_SUBTITLE_LINES = 8
# Headings searched for the visible form of the title.
VISIBLE_TITLE_SELECTOR = "h1, h2, h3, [class*=title], [class*=tit], [id*=title]"
# How many visible headings are compared with the metadata title.
MAX_VISIBLE_TITLE_CANDIDATES = 40
# Deck elements whose text is read at most (each read walks the element's subtree; boxes nested in one another
# would otherwise cost quadratic time). A real page has one to three.
MAX_SUBTITLE_CANDIDATES = 20

_NAME_RE = LazyPattern(r"^[가-힣]{2,4}$")
# Starts only where a run of address characters starts, so a long run without "@" is scanned once.
_EMAIL_RE = LazyPattern(r"(?<![\w.+-])[\w.+-]++@[\w-]+(?:\.[\w-]+)+")
_TAG_SPLIT_RE = LazyPattern(r"[,;#]")  # the spacing around a separator is stripped from each tag


def read(page: HtmlPage, *, rule: SiteRule | None) -> Draft:
    """The draft's metadata fields from ``page`` (body fields are left empty)."""
    draft = Draft()
    ld = page.article_ld
    draft.url = _url(page, ld)
    draft.title = _title(page, rule, ld)
    draft.subtitles = _subtitles(page, rule, draft.title)
    draft.published_at, draft.modified_at = _dates(page, rule, ld)
    draft.authors = _authors(page, rule, ld)
    draft.section = (
        _first_text(page, rule.section if rule else ())
        or _ld_text(ld, "articleSection")
        or (page.meta.get("article:section") or None)
    )
    draft.tags = _tags(page, rule, ld)
    return draft


# ---------------------------------------------------------------------------------------------- helpers


def _select_values(page: HtmlPage, selector: str) -> list[str]:
    """Text (or the attribute, for ``selector@attribute``) of every element ``selector`` finds."""
    css, _, attribute = selector.partition("@")
    out = []
    for node in page.tree.css(css):
        value = node.attributes.get(attribute) if attribute else node.text(separator=" ")
        if value and value.strip():
            out.append(fold_spaces(value))
    return out


def _first_text(page: HtmlPage, selectors: tuple[str, ...]) -> str | None:
    for selector in selectors:
        # The first element usually has the value: look it up without walking the rest of the tree.
        css, _, attribute = selector.partition("@")
        node = page.tree.css_first(css)
        if node is None:
            continue
        value = node.attributes.get(attribute) if attribute else node.text(separator=" ")
        if value and value.strip():
            return fold_spaces(value)
        values = _select_values(page, selector)
        if values:
            return values[0]
    return None


def _ld_text(ld: list[dict[str, Any]], key: str) -> str | None:
    for item in ld:
        value = item.get(key)
        if isinstance(value, list):
            value = next((v for v in value if isinstance(v, str)), None)
        if isinstance(value, str) and value.strip():
            return fold_spaces(value)
    return None


# ------------------------------------------------------------------------------------------------- URL


def _url(page: HtmlPage, ld: list[dict[str, Any]]) -> str | None:
    candidates: list[str | None] = [page.canonical, page.meta.get("og:url")]
    for item in ld:
        candidates.append(item.get("url") if isinstance(item.get("url"), str) else None)
        entity = item.get("mainEntityOfPage")
        if isinstance(entity, dict):
            entity = entity.get("@id")
        candidates.append(entity if isinstance(entity, str) else None)
    for candidate in candidates:
        if candidate and candidate.startswith(("http://", "https://")) and len(candidate) <= MAX_URL_CHARS:
            return candidate.strip()
    return None


# ----------------------------------------------------------------------------------------------- title


def clean_title(title: str, *, site_name: str | None = None) -> str:
    """The headline without a trailing (or leading) site-name segment: ``제목 - 매일경제`` -> ``제목``."""
    title = fold_spaces(title)
    changed = True
    while changed:
        changed = False
        for separator in TITLE_SEPARATORS:
            head, sep, tail = title.rpartition(separator)
            if sep and head.strip() and _is_site_name(tail.strip(), site_name):
                title, changed = head.strip(), True
                break
            first, sep, rest = title.partition(separator)
            if sep and rest.strip() and _is_leading_site_name(first.strip(), rest.strip(), site_name):
                title, changed = rest.strip(), True
                break
    return title


def _is_leading_site_name(first: str, rest: str, site_name: str | None) -> bool:
    """A site name printed before the headline (``대전일보 모바일 :: 제목``): the page's own site name, or a short
    segment of press words that is shorter than the headline after it."""
    if site_name and letters_only(first) == letters_only(site_name):
        return True
    return (
        len(first) < len(rest)
        and len(first.split()) <= 3
        and any(w in first.lower() for w in LEADING_SITE_NAME_WORDS)
        and _is_site_name(first, site_name)
    )


def _is_site_name(segment: str, site_name: str | None) -> bool:
    if not segment or len(segment) > MAX_SITE_SUFFIX_CHARS:
        return False
    squashed = letters_only(segment)
    if site_name and squashed and (letters_only(site_name) in squashed or squashed in letters_only(site_name)):
        return True
    return any(word in segment.lower() for word in SITE_NAME_WORDS) and len(segment.split()) <= 3


def _title(page: HtmlPage, rule: SiteRule | None, ld: list[dict[str, Any]]) -> str | None:
    if rule:
        found = _first_text(page, rule.title)
        if found:
            return clean_title(found, site_name=page.meta.get("og:site_name"))
    site_name = page.meta.get("og:site_name")
    title_node = page.tree.css_first("title")
    candidates = [
        _ld_text(ld, "headline"),
        page.meta.get("headline"),
        page.meta.get("og:title"),
        page.meta.get("twitter:title"),
        title_node.text() if title_node is not None else None,
    ]
    cleaned = [clean_title(c, site_name=site_name) for c in candidates if c and c.strip()]
    visible = _visible_headings(page)
    if not visible:
        return cleaned[0] if cleaned else None
    heading_keys = [letters_only(heading) for heading in visible]  # once, not once per candidate
    keys = [letters_only(candidate) for candidate in cleaned]
    for key in keys:
        for heading, heading_key in zip(visible, heading_keys, strict=True):
            if heading_key == key:
                return heading
    for key in keys:
        for heading, heading_key in zip(visible, heading_keys, strict=True):
            if len(heading_key) >= 8 and key.startswith(heading_key):
                return heading
    if cleaned:
        return cleaned[0]
    return visible[0] if visible else None


def _visible_headings(page: HtmlPage) -> list[str]:
    body = page.tree.body
    if body is None:
        return []
    out = []
    for node in body.css(VISIBLE_TITLE_SELECTOR)[:MAX_VISIBLE_TITLE_CANDIDATES]:
        if node.tag in NOISE_TAGS or node.tag == "a":
            continue
        text = fold_spaces(node.text())
        if 4 <= len(text) <= 300:
            out.append(text)
    return out


# ------------------------------------------------------------------------------------------- subtitles


def _lines(node: LexborNode) -> list[str]:
    """The <br>/block-separated lines of an element's text."""
    return list(_iter_lines(node))


def _iter_lines(node: LexborNode) -> Iterator[str]:
    """The <br>/block-separated lines of an element's text, normalised one at a time as they are read."""
    html = node.html or ""
    html = re.sub(r"(?i)<br\s*/?>|</(?:p|div|li|h\d)>", "\n", html)
    text = re.sub(r"<[^<>]++>", "", html)  # serialised markup: a "<" in text is escaped, so none is inside a tag
    from html import unescape

    return (line for line in (line_form(unescape(x)) for x in text.split("\n")) if line)


def _subtitles(page: HtmlPage, rule: SiteRule | None, title: str | None) -> list[str]:
    title_key = letters_only(title) if title else None
    if rule:
        out: list[str] = []
        for selector in rule.subtitles:
            for node in page.tree.css(selector)[:MAX_SUBTITLE_CANDIDATES]:
                out.extend(line for line in _lines(node) if len(line) <= MAX_SUBTITLE_CHARS)
            if out:
                return [line for line in out if letters_only(line) != title_key]
    body = page.tree.body
    if body is None:
        return []
    candidates = 0
    previous = None
    for node in body.css(_SUBTITLE_PREFILTER):
        if node.mem_id == previous:
            continue  # the same element again, for another selector of the list
        previous = node.mem_id
        attrs = node.attributes
        class_value, id_value = attrs.get("class") or "", attrs.get("id") or ""
        matched = _parts_in(class_value, id_value, _SUBTITLE_PARTS)
        if not matched:
            continue  # matched by the case-blind pre-filter only: not an element of SUBTITLE_SELECTOR
        tokens = class_tokens(class_value + " " + id_value)
        if not any(t in SUBTITLE_TOKENS for t in tokens) or node.tag in NOISE_TAGS or node.tag == "a":
            continue
        if "sub" in tokens and not any(t.startswith(("title", "tit", "head")) for t in tokens):
            continue
        candidates += 1
        if candidates > MAX_SUBTITLE_CANDIDATES:
            break
        if not _in_noise(node):
            lines: list[str] = []
            for line in _iter_lines(node):
                if (
                    letters_only(line) != title_key
                    and boilerplate.parse_byline(line) is None
                    and not boilerplate.is_boilerplate_line(line)
                ):
                    lines.append(line)
                    if len(lines) > MAX_SUBTITLE_LINES or len(line) > MAX_SUBTITLE_CHARS:
                        break  # not a deck: the rest of a large element is not read
            if (
                lines
                and len(lines) <= MAX_SUBTITLE_LINES
                and all(len(line) <= MAX_SUBTITLE_CHARS for line in lines)
                and node.css_first("a") is None
            ):
                return lines
        # An element counts as a candidate once per selector of SUBTITLE_SELECTOR it matches (as that selector
        # list lists it), read once.
        candidates += matched - 1
        if candidates > MAX_SUBTITLE_CANDIDATES:
            break
    return []


def _in_noise(node: LexborNode) -> bool:
    current: LexborNode | None = node
    while current is not None and current.tag not in ("body", "html"):
        if current.tag in NOISE_TAGS or current.tag == "a":
            return True
        value = (current.attributes.get("class") or "") + " " + (current.attributes.get("id") or "")
        if any(t in NOISE_TOKENS for t in class_tokens(value)):
            return True
        current = current.parent
    return False


# ----------------------------------------------------------------------------------------------- dates


def _dates(page: HtmlPage, rule: SiteRule | None, ld: list[dict[str, Any]]) -> tuple[datetime | None, datetime | None]:
    published = modified = stated_modified = None
    if rule:
        published = _rule_date(page, rule.published, DateKind.PUBLISHED)
        modified = _rule_date(page, rule.modified, DateKind.MODIFIED)
        if published is not None and modified is not None:
            return published, modified
        # A field the rule finds nothing for falls through to the generic sources below.
    for key, meta_keys in (
        (
            "datePublished",
            (
                "article:published_time",
                "og:published_time",
                "og:regdate",
                "pubdate",
                "publishdate",
                "publish-date",
                "date",
                "dc.date.issued",
                "article:published",
            ),
        ),
        (
            "dateModified",
            ("article:modified_time", "og:updated_time", "article:modified", "lastmod", "dc.date.modified"),
        ),
    ):
        value = _ld_text(ld, key)
        parsed = parse_datetime(value) if value else None
        if parsed is None:
            for meta_key in meta_keys:
                content = page.meta.get(meta_key)
                parsed = parse_datetime(content) if content else None
                if parsed is not None:
                    break
        if key == "datePublished":
            published = published or parsed
        else:
            stated_modified = parsed
    if published is not None and stated_modified is not None and stated_modified != published:
        return published, modified or stated_modified  # both stated: the visible text has nothing to add
    visible_published, visible_modified = _visible_dates(page)
    published = published or visible_published
    # A stated modified time equal to the published one is kept only when the page shows a modified date.
    if modified is None and stated_modified is not None and (stated_modified != published or visible_modified):
        modified = stated_modified
    if modified is None and visible_modified is not None and (published is None or visible_modified >= published):
        modified = visible_modified
    return published, modified


def _rule_date(page: HtmlPage, selectors: tuple[str, ...], kind: DateKind) -> datetime | None:
    for selector in selectors:
        values = _select_values(page, selector)
        if not values:
            continue
        if "@" in selector:
            parsed = parse_datetime(values[0])
            if parsed is not None:
                return parsed
            continue
        found = find_labelled_dates(" / ".join(values))
        for date in found:
            if date.kind is kind:
                return date.value
        if kind is DateKind.PUBLISHED:
            unlabelled = [d for d in found if d.kind is None]
            if unlabelled:
                return unlabelled[0].value
    return None


def _visible_dates(page: HtmlPage) -> tuple[datetime | None, datetime | None]:
    body = page.tree.body
    for value in page.times:
        parsed = parse_datetime(value)
        if parsed is not None:
            return parsed, None
    if body is None:
        return None, None
    # Text nodes of spacing only are left out: the date patterns read any run of spacing alike, and one space
    # still stands between the text nodes read.
    return first_labelled(body.text(separator=" ", skip_empty=True))


# --------------------------------------------------------------------------------------------- authors


def _names(text: str, *, site_name: str | None = None) -> list[str]:
    """Reporter names in a byline-like text; [] when it names no person."""
    text = fold_spaces(text)
    names = boilerplate.parse_byline(text)
    if names is not None:
        return names
    bare = _EMAIL_RE.sub("", text).strip(" ()[]/|")
    for role in REPORTER_ROLES:
        if bare.endswith(role):
            bare = bare[: -len(role)].strip()
            break
    person = _NAME_RE.match(bare) and boilerplate.is_person_name(bare)
    if person and (not site_name or letters_only(site_name) != letters_only(bare)):
        return [bare]
    return []


def _authors(page: HtmlPage, rule: SiteRule | None, ld: list[dict[str, Any]]) -> list[str]:
    site_name = page.meta.get("og:site_name")
    if rule:
        for selector in rule.authors:
            names = [n for value in _select_values(page, selector) for n in _names(value, site_name=site_name)]
            if names:
                return names
    names = []
    for item in ld:
        authors = item.get("author")
        for author in authors if isinstance(authors, list) else [authors]:
            if isinstance(author, dict) and author.get("@type") in (None, "Person"):
                author = author.get("name")
            if isinstance(author, str):
                names.extend(_names(author, site_name=site_name))
    if names:
        return names
    for key in ("author", "dable:author", "byl", "article:author", "twitter:creator", "dc.creator"):
        for value in page.meta_values.get(key, []):
            if value.startswith(("http", "@")):
                continue
            names.extend(_names(value, site_name=site_name))
        if names:
            return names
    return []


def visible_authors(page: HtmlPage) -> list[str]:
    """Names from byline / reporter elements of the page (the last source of trust)."""
    body = page.tree.body
    if body is None:
        return []
    site_name = page.meta.get("og:site_name")
    for node in body.css(_AUTHOR_PREFILTER):
        attrs = node.attributes
        class_value, id_value = attrs.get("class") or "", attrs.get("id") or ""
        value = class_value + " " + id_value
        if _parts_in(class_value, id_value, _AUTHOR_PARTS) and any(t in AUTHOR_TOKENS for t in class_tokens(value)):
            text = node.text(separator=" ")
            if len(text) <= MAX_BYLINE_CHARS:
                names = _names(text, site_name=site_name)
                if names:
                    return names
    # Last: a short header item that is a byline ("장인선 기자 (insun@k-health.com)"), outside boilerplate boxes.
    for node in body.css("li, span, em, dd, p"):
        text = node.text(separator=" ")
        if (
            len(text) <= MAX_BYLINE_CHARS
            and ("@" in text or any(r in text for r in REPORTER_ROLES))
            and not _in_noise(node)
        ):
            found = boilerplate.parse_byline(text)
            if found:
                return found
    return []


# ------------------------------------------------------------------------------------------------ tags


def _tags(page: HtmlPage, rule: SiteRule | None, ld: list[dict[str, Any]]) -> list[str]:
    if rule:
        for selector in rule.tags:
            values = [v.lstrip("#") for v in _select_values(page, selector)]
            if values:
                return values
    for item in ld:
        keywords = item.get("keywords")
        if isinstance(keywords, list):
            return [k.strip() for k in keywords if isinstance(k, str) and k.strip()]
        if isinstance(keywords, str) and keywords.strip():
            return [k for k in (part.strip() for part in _TAG_SPLIT_RE.split(keywords)) if k]
    return [t for t in page.meta_values.get("article:tag", []) if t]


# -------------------------------------------------------------------------------------------- scripts


def fill_from_script(draft: Draft, holder: dict[str, Any]) -> None:
    """Fill missing fields from the script JSON object that held the body (a client-rendered page)."""
    if not draft.title:
        draft.title = _script_str(holder, SCRIPT_TITLE_KEYS)
    if not draft.subtitles:
        sub = _script_str(holder, SCRIPT_SUBTITLE_KEYS)
        if sub:
            draft.subtitles = [line for line in (line_form(x) for x in re.split(r"(?i)<br\s*/?>|\n", sub)) if line]
    if draft.published_at is None:
        value = _script_str(holder, SCRIPT_PUBLISHED_KEYS)
        draft.published_at = parse_datetime(value) if value else None
    if draft.modified_at is None:
        value = _script_str(holder, SCRIPT_MODIFIED_KEYS)
        parsed = parse_datetime(value) if value else None
        draft.modified_at = parsed if parsed != draft.published_at else None
    if not draft.authors:
        for key in SCRIPT_AUTHOR_KEYS:
            value = holder.get(key)
            for item in value if isinstance(value, list) else [value]:
                if isinstance(item, dict):
                    item = item.get("name") or item.get("reporterName") or item.get("byline")
                if isinstance(item, str):
                    draft.authors.extend(_names(item))
            if draft.authors:
                break


def _script_str(holder: dict[str, Any], keys: tuple[str, ...]) -> str | None:
    for key in keys:
        value = holder.get(key)
        if isinstance(value, str) and value.strip():
            return fold_spaces(value)
    return None
