"""Discovery: fetched text -> article URLs. Pure functions over list pages, feeds and sitemaps, no I/O.

Every crawler of newsclean (the async engine in ``newsclean.net.crawl`` and the Scrapy spider) makes its discovery
decisions here:

1. a site's CMS family, from its start page (``start_family``), among the registered families that declare a
   ``Discovery`` (``newsclean.sites``);
2. the article links of a page (``article_links``), by the family's article form;
3. the feeds to read (``start_feeds``): those a page announces, then the family's well-known ones;
4. the paged lists to walk (``start_lists``): the family's all-articles list, else each section list, and the
   URL of each page of one (``page_url``, the family's paging parameter);
5. the entries of RSS/Atom feeds (``parse_feed``) and of sitemaps (``parse_sitemap``), and which are worth
   following (``entry_wanted``, ``sitemap_articles``).
"""

from __future__ import annotations

import calendar
import contextlib
import email.utils
import html
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urljoin, urlsplit, urlunsplit

import feedparser
from dateutil.parser import isoparse
from selectolax.lexbor import LexborHTMLParser
from w3lib.url import add_or_replace_parameter, url_query_cleaner

from .. import sites
from ..clean.dates import parse_datetime
from ..clean.page import decode_bytes
from ..clean.urls import canonical_url, site_of
from ..errors import DecodeError, FeedError
from ..models import KST
from ..sites import Discovery, Family

__all__ = [
    "FeedEntry",
    "article_links",
    "canonical_urls",
    "entry_wanted",
    "family_of",
    "feed_links",
    "link_target",
    "list_page_url",
    "page_url",
    "parse_feed",
    "parse_sitemap",
    "same_site",
    "section_links",
    "sitemap_articles",
    "start_family",
    "start_feeds",
    "start_lists",
]

# The XML declaration at the start of a feed or sitemap (dropped once the bytes are decoded), CDATA sections,
# and control characters XML 1.0 forbids (a feed carrying one is otherwise cut short there).
_XML_DECLARATION = re.compile(r"^<\?xml[^>]*\?>")
_CDATA = re.compile(r"<!\[CDATA\[(.*?)\]\]>", re.S)
_XML_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


@dataclass(frozen=True)
class FeedEntry:
    """One URL listed by a feed or sitemap, with its date when given."""

    url: str
    date: datetime | None = None


def link_target(url: str) -> str:
    """A URL's "path?query", the part family patterns are matched against."""
    parts = urlsplit(url)
    return parts.path + ("?" + parts.query if parts.query else "")


def _links(html: str, base_url: str) -> list[str]:
    tree = LexborHTMLParser(html)
    base = base_url
    for node in tree.css("base[href]"):
        with contextlib.suppress(ValueError):
            base = urljoin(base_url, node.attributes.get("href") or "")
        break
    out: list[str] = []
    for node in tree.css("a[href]"):
        href = (node.attributes.get("href") or "").strip()
        if href and not href.startswith(("javascript:", "mailto:", "tel:", "#")):
            with contextlib.suppress(ValueError):  # an unreadable link ("http://[주소]/") is no link
                out.append(urljoin(base, href))
    return out


def same_site(url: str, site: str | None) -> bool:
    """True when ``url`` is an http(s) URL of ``site`` (a host as ``site_of`` gives it)."""
    try:
        return urlsplit(url).scheme in ("http", "https") and site_of(url) == site
    except ValueError:  # an unreadable host
        return False


def canonical_urls(urls: Iterable[str]) -> list[str]:
    """Canonical forms of ``urls``, leaving out those that cannot be read as URLs."""
    out: list[str] = []
    for url in urls:
        with contextlib.suppress(ValueError):
            out.append(canonical_url(url))
    return out


def _unique(urls: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(urls))


def _crawlable() -> list[tuple[Family, Discovery]]:
    """The registered families that declare how their articles are discovered, in the order they are tried."""
    return [(family, family.discovery) for family in sites.families() if family.discovery is not None]


def family_of(urls: Iterable[str]) -> Family | None:
    """The family whose article or section-list URL forms most of ``urls`` take; ``None`` when none fits.

    Only families that declare a ``Discovery`` are considered; on a tie the one tried first wins."""
    crawlable = _crawlable()
    if not crawlable:
        return None
    counts = [0] * len(crawlable)
    for url in urls:
        target = link_target(url)
        for index, (_, discovery) in enumerate(crawlable):
            if discovery.is_article(target) or discovery.is_section(target):
                counts[index] += 1
    best = max(range(len(crawlable)), key=counts.__getitem__)
    return crawlable[best][0] if counts[best] else None


def article_links(html: str, *, base_url: str, family: Family | None = None) -> list[str]:
    """Canonical, deduplicated same-site article URLs linked from a page, by the family's article form (by any
    registered family's when ``family`` is ``None``)."""
    site = site_of(base_url)
    links = [url for url in _links(html, base_url) if same_site(url, site)]
    if family is None:
        forms = [discovery for _, discovery in _crawlable()]
    else:
        forms = [family.discovery] if family.discovery is not None else []
    return _unique(canonical_urls(url for url in links if any(d.is_article(link_target(url)) for d in forms)))


def section_links(html: str, *, base_url: str, family: Family) -> list[str]:
    """Section list URLs linked from a page (without their page parameter), deduplicated."""
    discovery = family.discovery
    if discovery is None or discovery.section is None:
        return []
    site = site_of(base_url)
    found = (url for url in _links(html, base_url) if same_site(url, site) and discovery.is_section(link_target(url)))
    return _unique(page_url(url, page=None, param=discovery.page_param) for url in found)


def feed_links(html: str, *, base_url: str) -> list[str]:
    """URLs of the RSS/Atom feeds a page announces with ``<link rel="alternate">``."""
    tree = LexborHTMLParser(html)
    out: list[str] = []
    for node in tree.css("link[href]"):
        rel = (node.attributes.get("rel") or "").lower().split()
        kind = (node.attributes.get("type") or "").lower()
        if "alternate" in rel and kind in ("application/rss+xml", "application/atom+xml", "application/rdf+xml"):
            with contextlib.suppress(ValueError):  # an unreadable feed URL is no feed
                out.append(urljoin(base_url, (node.attributes.get("href") or "").strip()))
    return _unique(out)


def page_url(list_url: str, *, page: int | None, param: str = "page") -> str:
    """``list_url`` with its page parameter set to ``page`` (dropped for ``None``), fragment removed."""
    url = url_query_cleaner(list_url, [param], remove=True, unique=False, keep_fragments=False)
    return url if page is None else add_or_replace_parameter(url, param, str(page))


def _parse_date(value: str | None) -> datetime | None:
    """A feed or sitemap date: RFC 822 (RSS), ISO 8601 (Atom, sitemaps), else a Korean form read by
    ``newsclean.clean.dates`` (``2024.01.05 12:00``, ``2024년 1월 5일``); naive times are Korea time."""
    if not value or not value.strip():
        return None
    value = value.strip()
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        try:
            when = isoparse(value)
        except (ValueError, OverflowError):
            return parse_datetime(value)
    return when if when.tzinfo else when.replace(tzinfo=KST)


def _xml_text(content: bytes, *, charset: str | None, what: str) -> str:
    """Feed or sitemap bytes decoded as newsclean decodes pages (BOM, UTF-8, the header's charset, the XML
    declaration, CP949), with the XML declaration dropped: the text is no longer in the encoding it names."""
    if not content.strip():
        raise FeedError(f"the {what} is empty")
    try:
        text = decode_bytes(content, declared=charset)[0]
    except DecodeError as exc:
        raise FeedError(f"the {what} is not text: {exc}") from exc
    return _XML_DECLARATION.sub("", text.lstrip("\ufeff \t\r\n"), count=1)


def parse_feed(content: bytes, *, charset: str | None = None) -> list[FeedEntry]:
    """Entries of an RSS 0.9x/1.0/2.0 or Atom feed, read by feedparser: link and date.

    The bytes are decoded with newsclean's charset logic (``charset`` is the HTTP header's, when there is
    one), so EUC-KR/CP949 feeds read; feedparser reads ill-formed XML (a bare ``&``, control characters)
    leniently. An entry's date is read from its text as ``_parse_date`` reads it (RFC 822, ISO 8601, then the
    Korean forms of ``newsclean.clean.dates``: feedparser takes ``2024.01.05`` for November), feedparser's own reading
    as the last resort. Raises ``FeedError`` when the content is no feed.
    """
    text = _XML_CONTROL.sub("", _xml_text(content, charset=charset, what="feed"))
    parsed = feedparser.parse(text.encode("utf-8"), sanitize_html=False, resolve_relative_uris=False)
    if not parsed.get("version") and not parsed.entries:
        problem = parsed.get("bozo_exception")
        raise FeedError("not an RSS or Atom feed" + (f" ({problem})" if problem else ""))
    entries: list[FeedEntry] = []
    for entry in parsed.entries:
        link = entry.get("link") or (entry.get("id") if entry.get("guidislink") else None)
        if not isinstance(link, str) or not link.strip():
            continue
        when: datetime | None = None
        for key in ("published", "updated", "created"):
            raw = entry.get(key)
            when = _parse_date(raw) if isinstance(raw, str) else None
            parsed_time = entry.get(key + "_parsed")
            if when is None and parsed_time:
                when = datetime.fromtimestamp(calendar.timegm(parsed_time), tz=KST)
            if when is not None:
                break
        entries.append(FeedEntry(url=link.strip(), date=when))
    return entries


def parse_sitemap(content: bytes, *, charset: str | None = None) -> tuple[list[FeedEntry], list[FeedEntry]]:
    """(page entries, child sitemap entries) of a sitemap or sitemap index.

    The bytes are decoded with newsclean's charset logic and read leniently (an HTML parser: a bare ``&`` or
    a stray control character does not lose the file). Raises ``FeedError`` when the content is no sitemap.
    """
    text = _xml_text(content, charset=charset, what="sitemap")
    # CDATA sections are text in XML but comments to an HTML parser: unwrap them first.
    text = _CDATA.sub(lambda m: html.escape(m.group(1), quote=False), text)
    tree = LexborHTMLParser(text)
    nodes = tree.css("url, sitemap")
    if not nodes and not tree.css("urlset, sitemapindex"):
        raise FeedError("not a sitemap: no <urlset> or <sitemapindex>")
    pages: list[FeedEntry] = []
    children: list[FeedEntry] = []
    for node in nodes:
        loc: str | None = None
        when: str | None = None
        for child in node.traverse(include_text=False):
            tag = child.tag or ""
            if tag == "loc" and loc is None:  # the page's own <loc>, not an <image:loc> or <video:loc>
                loc = child.text(deep=True).strip()
            elif tag.rsplit(":", 1)[-1] in ("lastmod", "publication_date") and when is None:
                when = child.text(deep=True)
        if loc:
            (pages if node.tag == "url" else children).append(FeedEntry(url=loc, date=_parse_date(when)))
    return pages, children


def start_family(html: str, *, base_url: str) -> Family | None:
    """A site's CMS family, from its start page: by the article links it shows, else by any link or its URL."""
    links = article_links(html, base_url=base_url) if html else []
    return family_of(links) or family_of([base_url, *(_links(html, base_url) if html else [])])


def start_feeds(html: str, *, base_url: str, family: Family | None) -> list[str]:
    """The feeds to read for a start page: those it announces, then the family's well-known ones."""
    feeds = feed_links(html, base_url=base_url) if html else []
    if family is not None and family.discovery is not None:
        origin = urlunsplit((*urlsplit(base_url)[:2], "", "", ""))
        feeds += [origin + path for path in family.discovery.feeds]
    return _unique(feeds)


def start_lists(html: str, *, base_url: str, family: Family) -> list[str]:
    """The paged lists to walk for a start page: the family's all-articles list, else each section list."""
    discovery = family.discovery
    if discovery is None:
        return []
    if discovery.all_list:
        return [urlunsplit((*urlsplit(base_url)[:2], "", "", "")) + discovery.all_list]
    sections = section_links(html, base_url=base_url, family=family) if html else []
    if discovery.is_section(link_target(base_url)):
        sections.insert(0, page_url(base_url, page=None, param=discovery.page_param))
    return _unique(sections)


def list_page_url(list_url: str, *, page: int, family: Family) -> str:
    """The URL of page ``page`` of one of the family's lists (by its paging parameter)."""
    return page_url(list_url, page=page, param=family.discovery.page_param if family.discovery else "page")


def entry_wanted(entry: FeedEntry, *, site: str | None, since: datetime | None) -> bool:
    """A feed or sitemap entry worth following: on the crawled site, and not dated before ``since``."""
    return same_site(entry.url, site) and not (since is not None and entry.date is not None and entry.date < since)


def sitemap_articles(urls: Iterable[str]) -> list[str]:
    """Of a sitemap's page URLs, those of an article form when there are some (a sitemap may mix in others)."""
    wanted = list(urls)
    family = family_of(wanted)
    if family is None or family.discovery is None:
        return wanted
    discovery = family.discovery
    return [u for u in wanted if discovery.is_article(link_target(u))]
