"""Article URLs: canonical form, site host and article id, from the URL forms of Korean news CMS families.

Percent-encoding and URL normal forms are w3lib's (the library Scrapy uses): ``safe_url_string`` makes a URL
ASCII without touching the bytes it already carries (an EUC-KR query value stays the bytes it was), and
``canonicalize_url`` gives equivalent spellings one form. This module adds only what is Korean news specific:
the table of query parameters that never change which article a URL shows.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit, urlunsplit

__all__ = ["ARTICLE_ID_PATTERNS", "DROPPED_QUERY_PARAMS", "MAX_URL_CHARS", "article_id", "canonical_url", "site_of"]

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


_DROPPED_SORTED = tuple(sorted(DROPPED_QUERY_PARAMS))
# Ports that a scheme implies, dropped from the canonical form (``http://a.kr:80/`` is ``http://a.kr/``).
DEFAULT_PORTS = {"http": 80, "https": 443}


# Longest URL put in canonical form (characters). Browsers and servers keep no longer address (the sitemap
# protocol caps one at 2,048); a longer "URL" is junk, and w3lib's quoting is not linear on one.
MAX_URL_CHARS = 8_192


def canonical_url(url: str) -> str:
    """One form for every spelling of the same URL, so that a crawl fetches and stores it once.

    Context-only query parameters (``DROPPED_QUERY_PARAMS``) and the fragment are dropped; the rest is w3lib's
    canonical form: query arguments sorted, percent-escapes upper-cased, raw Hangul percent-encoded as UTF-8,
    ``.``/``..`` segments resolved, scheme and host lower-cased; a default port is dropped. The bytes of a
    query value are kept as they are (an EUC-KR ``%B0%A1`` stays ``%B0%A1``). A URL that cannot be parsed
    is returned stripped, unchanged.
    """
    # Imported here: w3lib.url loads urllib.request and http.client, which cleaning a page without a URL (a
    # batch of files) never needs; the import is paid once, on the first URL.
    from w3lib.url import canonicalize_url, safe_url_string, url_query_cleaner

    url = url.strip()
    if len(url) > MAX_URL_CHARS:
        return url
    try:
        safe = safe_url_string(url)
        kept = url_query_cleaner(safe, _DROPPED_SORTED, remove=True, unique=False, keep_fragments=False)
        canonical = canonicalize_url(kept)
        parts = urlsplit(canonical)
        port = parts.port
    except ValueError:
        return url
    netloc = parts.netloc
    if port is not None and DEFAULT_PORTS.get(parts.scheme) == port:
        netloc = netloc.rsplit(":", 1)[0]
    return urlunsplit((parts.scheme, netloc, parts.path or "/", parts.query, ""))


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
