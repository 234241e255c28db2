"""Article URLs: canonical form, site host and article id, from the URL forms of Korean news CMS families."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

__all__ = ["ARTICLE_ID_PATTERNS", "DROPPED_QUERY_PARAMS", "article_id", "canonical_url", "site_of"]

# Query parameters that never change which article a URL shows (section codes, search and paging context,
# tracking); dropped when URLs are compared or stored.
DROPPED_QUERY_PARAMS = frozenset(
    {
        "mcode",  # reference family: section code (view.php?idx=N&mcode=m292ksm)
        "sm",
        "stx",
        "stx2",
        "w_section1",
        "sdate",
        "edate",  # reference family: search-result context
        "page",
        "find",
        "sch_date",
        "bc",
        "mc",  # list context (entermedia news_view.html)
        "sc_section_code",
        "sc_sub_section_code",
        "sc_serial_code",
        "sc_area",
        "sc_level",  # NDSoft list context
        "sc_article_type",
        "sc_view_level",
        "sc_sdate",
        "sc_edate",
        "sc_serial_number",
        "sc_word",
        "sc_multi_code",
        "sc_is_image",
        "sc_is_movie",
        "sc_user_name",
        "sc_order_by",
        "view_type",
        "replyAll",
        "reply_sc_order_by",
        "total",
        "box_idxno",
        "sid",  # Naver section id
        "utm_source",
        "utm_medium",
        "utm_campaign",
        "utm_term",
        "utm_content",
        "fbclid",
        "gclid",
    }
)

# (compiled pattern over "path?query", group holding the id), tried in order.
ARTICLE_ID_PATTERNS: tuple[re.Pattern[str], ...] = (
    re.compile(r"/news/view\.php\?(?:[^&]*+&)*idx=(\d+)"),  # reference family
    re.compile(r"articleView(?:Amp)?\.html\?(?:[^&]*+&)*idxno=(\d+)"),  # NDSoft
    re.compile(r"/news/article\.html\?(?:[^&]*+&)*no=(\d+)"),  # /news/article.html?no= family
    re.compile(r"/n_news/news/view\.html\?(?:[^&]*+&)*no=(\d+)"),
    re.compile(r"newsview\.php\?(?:[^&]*+&)*ncode=(\w+)"),
    re.compile(r"/(?:m)?article/(\d{3}/\d{10})"),  # Naver: press/article
    re.compile(r"[?&]gid=(\d+)"),  # donga legacy
    re.compile(r"[?&](?:idx|idxno|no|aid|news_id|article_id)=(\d+)"),
    re.compile(r"/((?:[A-Z]\d{6}|\d{6})[0-9A-Za-z]*+)(?:\.html?)?/?(?:$|\?)"),  # trailing id segment
)


def canonical_url(url: str) -> str:
    """The URL without fragment and context-only query parameters; scheme and host lower-cased."""
    parts = urlsplit(url.strip())
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k not in DROPPED_QUERY_PARAMS]
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path or "/", urlencode(query), ""))


def site_of(url: str) -> str | None:
    """The host of ``url`` without a leading ``www.`` or ``m.``."""
    host = urlsplit(url.strip()).hostname
    if not host:
        return None
    for prefix in ("www.", "m."):
        if host.startswith(prefix) and host.count(".") >= 2:
            host = host[len(prefix) :]
    return host


def article_id(url: str) -> str | None:
    """The article's id in ``url`` for the URL forms in ``ARTICLE_ID_PATTERNS``; ``None`` when none fits."""
    parts = urlsplit(url.strip())
    target = parts.path + ("?" + parts.query if parts.query else "")
    for pattern in ARTICLE_ID_PATTERNS:
        match = pattern.search(target)
        if match:
            return match.group(1)
    return None
