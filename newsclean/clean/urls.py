"""Article URLs: canonical form, site host and article id, from the URL forms of Korean news CMS families.

Percent-encoding and URL normal forms are w3lib's (the library Scrapy uses): ``safe_url_string`` makes a URL
ASCII without touching the bytes it already carries (an EUC-KR query value stays the bytes it was), and
``canonicalize_url`` gives equivalent spellings one form. This module adds only what is Korean news specific:
the query parameters that never change which article a URL shows, and where a URL holds its article id. Each
CMS family declares its own (``newsclean.sites``); the generic ones, of no family, are kept here.
"""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import urlsplit, urlunsplit

from .. import sites

__all__ = [
    "GENERIC_ARTICLE_ID_PATTERNS",
    "GENERIC_DROPPED_QUERY_PARAMS",
    "MAX_URL_CHARS",
    "article_id",
    "article_id_patterns",
    "canonical_url",
    "dropped_query_params",
    "site_of",
]

# Query parameters that never change which article a URL shows on any site (list paging and search context,
# tracking); dropped when URLs are compared or stored, with those each CMS family drops (``newsclean.sites``).
GENERIC_DROPPED_QUERY_PARAMS = frozenset(
    {
        "page",
        "find",
        "sch_date",
        "utm_source",
        "utm_medium",
        "utm_campaign",
        "utm_term",
        "utm_content",
        "fbclid",
        "gclid",
    }
)

# Article-id forms of no registered family, tried after the families' own (``newsclean.sites``): compiled
# patterns over "path?query", group 1 holding the id, in order.
GENERIC_ARTICLE_ID_PATTERNS: tuple[re.Pattern[str], ...] = (
    re.compile(r"/n_news/news/view\.html\?(?:[^&]*+&)*no=(\d+)"),
    re.compile(r"newsview\.php\?(?:[^&]*+&)*ncode=(\w+)"),
    re.compile(r"[?&](?:idx|idxno|no|aid|news_id|article_id)=(\d+)"),
    re.compile(r"/((?:[A-Z]\d{6}|\d{6})[0-9A-Za-z]*+)(?:\.html?)?/?(?:$|\?)"),  # trailing id segment
)


def dropped_query_params() -> frozenset[str]:
    """Every query parameter canonical URLs drop: the generic ones and each registered family's."""
    return _dropped(sites.dropped_query_params())[0]


def article_id_patterns() -> tuple[re.Pattern[str], ...]:
    """The article-id patterns ``article_id`` tries, in order: each registered family's, then the generic ones."""
    return _id_patterns(sites.article_id_patterns())


# Both are built again only when the registry changed (it hands out the same tuple and set until then).
@lru_cache(maxsize=4)
def _dropped(families: frozenset[str]) -> tuple[frozenset[str], tuple[str, ...]]:
    every = GENERIC_DROPPED_QUERY_PARAMS | families
    return every, tuple(sorted(every))


@lru_cache(maxsize=4)
def _id_patterns(families: tuple[re.Pattern[str], ...]) -> tuple[re.Pattern[str], ...]:
    return (*families, *GENERIC_ARTICLE_ID_PATTERNS)
# Ports that a scheme implies, dropped from the canonical form (``http://a.kr:80/`` is ``http://a.kr/``).
DEFAULT_PORTS = {"http": 80, "https": 443}


# Longest URL put in canonical form (characters). Browsers and servers keep no longer address (the sitemap
# protocol caps one at 2,048); a longer "URL" is junk, and w3lib's quoting is not linear on one.
MAX_URL_CHARS = 8_192


def canonical_url(url: str) -> str:
    """One form for every spelling of the same URL, so that a crawl fetches and stores it once.

    Context-only query parameters (``dropped_query_params()``) and the fragment are dropped; the rest is w3lib's
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
        dropped = _dropped(sites.dropped_query_params())[1]
        kept = url_query_cleaner(safe, dropped, remove=True, unique=False, keep_fragments=False)
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
    """The article's id in ``url`` for the URL forms of ``article_id_patterns()``; ``None`` when none fits."""
    parts = urlsplit(url.strip())
    target = parts.path + ("?" + parts.query if parts.query else "")
    for pattern in article_id_patterns():
        match = pattern.search(target)
        if match:
            return match.group(1)
    return None
