"""Scrapy spider: a news site's URL -> article pages, found by newsclean's own discovery (``newsclean.net.discover``).

``scrapy crawl newsclean -a site=URL`` (settings module ``newsclean.corpus.scrapy.settings``) or
``scrapy runspider newsclean/scrapy/spider.py -a site=URL``. Spider arguments: ``site`` (required),
``limit`` (articles kept at most), ``since`` (an ISO date or datetime; older articles are dropped, older
feed and sitemap entries not followed), ``feeds``/``sitemaps``/``lists`` (``0`` turns a source off),
``max_list_pages`` and ``family`` (a Python file declaring a CMS family of one's own, see ``newsclean.sites``).

Discovery follows the same stages as ``newsclean crawl``, through the same functions, so both crawlers agree
on what an article URL is:

1. the start page: its article links, its CMS family (``start_family``), its feeds and its lists;
2. feeds (``start_feeds``, ``parse_feed``), entries on the site and not older than ``since``;
3. lists (``start_lists``), walked page by page (``list_page_url``) while a page brings an article not known yet;
4. robots.txt's sitemaps (``parse_sitemap``, indexes followed), else ``/sitemap.xml`` when nothing else
   was found.

Article URLs are canonical (``canonical_url``) and go out as requests of a higher priority than list pages;
each answer becomes an ``ArticlePage`` item that ``NewscleanPipeline`` cleans. robots.txt is obeyed and
AutoThrottle is on unless the settings say otherwise.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable, Iterator
from datetime import date, datetime, time
from typing import Any, Protocol
from urllib.parse import urlsplit, urlunsplit

import scrapy
from protego import Protego
from scrapy.http import Request, Response
from scrapy.settings import BaseSettings
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from newsclean.clean.page import decode_bytes
from newsclean.clean.urls import canonical_url, site_of
from newsclean.corpus.scrapy.exporters import PARQUET_EXPORTER
from newsclean.corpus.scrapy.pipeline import STATS_PREFIX, ArticlePage
from newsclean.errors import DecodeError, InputError, UnsupportedURLError
from newsclean.models import KST
from newsclean.net.crawl import MAX_LIST_PAGES, MAX_SITEMAP_DEPTH, MAX_SITEMAPS
from newsclean.net.discover import (
    article_links,
    entry_wanted,
    family_of,
    list_page_url,
    parse_feed,
    parse_sitemap,
    sitemap_articles,
    start_family,
    start_feeds,
    start_lists,
)
from newsclean.sites import Family, family_named, install_families, load_family

__all__ = ["ARTICLE_PRIORITY", "SEED_META", "SPIDER_DEFAULTS", "ArticleIndex", "NewsSiteSpider", "SpiderArgumentError"]

# Request priority of article pages over discovery pages: articles found are fetched before more lists are
# read, so the frontier stays short and a run with a limit reads only the lists it needs.
ARTICLE_PRIORITY = 10
# Request meta flag of a crawl's start request: a shared frontier lets one such request in per crawl.
SEED_META = "newsclean_seed"


# Settings the spider brings (a project's settings or ``-s`` override them): robots.txt obeyed, AutoThrottle
# on, newsclean's pipeline in the base list of pipelines (so a project's ITEM_PIPELINES adds to it), and
# the feed format ``parquet`` (``-O articles.parquet``).
SPIDER_DEFAULTS_PRIORITY = 5
SPIDER_DEFAULTS: dict[str, Any] = {
    "ROBOTSTXT_OBEY": True,
    "AUTOTHROTTLE_ENABLED": True,
    "ITEM_PIPELINES_BASE": {"newsclean.corpus.scrapy.pipeline.NewscleanPipeline": 300},
    "FEED_EXPORT_ENCODING": "utf-8",
}


class SpiderArgumentError(InputError, ValueError):
    """A spider argument (``-a name=value``) that cannot be used."""


class ArticleIndex(Protocol):
    """What the spider asks to decide whether a list page brought anything new."""

    def known(self, urls: Iterable[str]) -> set[str]:
        """The URLs among ``urls`` already known (stored, or seen in this run)."""
        ...


class _SeenInRun:
    """The default index: article URLs seen by this process in this run."""

    def __init__(self) -> None:
        self.seen: set[str] = set()

    def known(self, urls: Iterable[str]) -> set[str]:
        urls = list(urls)
        known = {url for url in urls if url in self.seen}
        self.seen.update(urls)
        return known


def _flag(value: str | bool, name: str) -> bool:
    if isinstance(value, bool):
        return value
    text = value.strip().lower()
    if text in ("1", "true", "yes", "on"):
        return True
    if text in ("0", "false", "no", "off"):
        return False
    raise SpiderArgumentError(f"spider argument {name}={value!r} must be 1 or 0 (true or false)")


def _positive(value: str | int | None, name: str) -> int | None:
    if value is None or value == "":
        return None
    try:
        number = int(value)
    except ValueError as exc:
        raise SpiderArgumentError(f"spider argument {name}={value!r} must be a whole number") from exc
    if number < 1:
        raise SpiderArgumentError(f"spider argument {name}={value!r} must be 1 or more")
    return number


def _since(value: str | date | datetime | None) -> datetime | None:
    if value is None or value == "":
        return None
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.strip()) if "T" in value or ":" in value else date.fromisoformat(value)
        except ValueError as exc:
            raise SpiderArgumentError(
                f"spider argument since={value!r} must be an ISO date (2024-05-01) or datetime"
            ) from exc
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=KST)
    return datetime.combine(value, time(0, 0), tzinfo=KST)


def _root(site: str | None) -> str:
    if not site:
        raise SpiderArgumentError("the newsclean spider needs a site: -a site=https://www.example.co.kr/")
    parts = urlsplit(site.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UnsupportedURLError(f"the spider crawls an http(s) site URL, not {site!r}", url=site)
    return urlunsplit((parts.scheme, parts.netloc.lower(), parts.path or "/", parts.query, ""))


def _text(response: Response) -> str:
    """A discovery page's text: newsclean's decoding, trusting the header's charset as ``FetchedPage`` does."""
    header = response.headers.get("Content-Type")
    charset = None
    for param in (header.decode("latin-1") if header else "").split(";")[1:]:
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset" and value.strip():
            charset = value.strip().strip("\"'")
    try:
        return decode_bytes(response.body, declared=charset)[0] if response.body else ""
    except DecodeError:
        return ""


class NewsSiteSpider(scrapy.Spider):
    """Crawl one Korean news site for its articles, with newsclean's discovery; see the module docstring."""

    name = "newsclean"

    @classmethod
    def update_settings(cls, settings: BaseSettings) -> None:
        super().update_settings(settings)
        # This spider's defaults: above Scrapy's own (which are applied again later, at priority 0), below
        # everything a user sets (command 10, add-ons 15, project 20, -s 40).
        for name, value in SPIDER_DEFAULTS.items():
            settings.set(name, value, priority=SPIDER_DEFAULTS_PRIORITY)
        # The feed format ``parquet``, added to Scrapy's base exporters (a project's FEED_EXPORTERS adds to it).
        exporters = settings.getdict("FEED_EXPORTERS_BASE")
        exporters.setdefault("parquet", PARQUET_EXPORTER)
        settings.set("FEED_EXPORTERS_BASE", exporters, priority=SPIDER_DEFAULTS_PRIORITY)

    def __init__(
        self,
        site: str | None = None,
        *,
        limit: str | int | None = None,
        since: str | date | datetime | None = None,
        feeds: str | bool = True,
        sitemaps: str | bool = True,
        lists: str | bool = True,
        max_list_pages: str | int | None = None,
        family: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        if family:  # a CMS family of one's own, declared in a Python file, for this process's discovery and cleaning
            install_families((load_family(family),))
        self.root = _root(site)
        self.site = site_of(self.root)
        self.origin = urlunsplit((*urlsplit(self.root)[:2], "", "", ""))
        self.limit = _positive(limit, "limit")
        self.since = _since(since)
        self.read_feeds = _flag(feeds, "feeds")
        self.read_sitemaps = _flag(sitemaps, "sitemaps")
        self.walk_lists = _flag(lists, "lists")
        self.max_list_pages = _positive(max_list_pages, "max_list_pages") or MAX_LIST_PAGES
        self.article_index: ArticleIndex = _SeenInRun()
        self.sitemap_budget = MAX_SITEMAPS

    # Requests ---------------------------------------------------------------------------------------------

    async def start(self) -> AsyncIterator[Request]:
        # dont_filter: the start page is read on every run; a shared frontier lets one in per crawl (SEED_META).
        yield self._discovery(self.root, self.parse_start, meta={SEED_META: True})

    def _discovery(self, url: str, callback: Any, *, meta: dict[str, Any] | None = None) -> Request:
        # Discovery pages are read again on each run (they change); article pages are fetched once.
        return Request(url, callback=callback, errback=self.on_error, dont_filter=True, meta=meta or {})

    def _articles(self, urls: Iterable[str]) -> Iterator[Request]:
        for url in urls:
            yield Request(url, callback=self.parse_article, errback=self.on_error, priority=ARTICLE_PRIORITY)

    def _count(self, key: str, count: int = 1) -> None:
        if self.crawler.stats is not None:
            self.crawler.stats.inc_value(f"{STATS_PREFIX}/{key}", count)

    # Callbacks --------------------------------------------------------------------------------------------

    def parse_start(self, response: Response) -> Iterator[Request]:
        # 1. The start page: its article links and its family.
        html = _text(response)
        links = article_links(html, base_url=response.url) if html else []
        family = start_family(html, base_url=self.root)
        self._count("found/start", len(links))
        yield from self._articles(links)
        # 2. Feeds.
        feeds = start_feeds(html, base_url=self.root, family=family) if self.read_feeds else []
        for feed in feeds:
            yield self._discovery(feed, self.parse_feed)
        # 3. Lists, each from its first page.
        lists = start_lists(html, base_url=self.root, family=family) if self.walk_lists and family else []
        for list_url in lists:
            assert family is not None
            yield self._list_page(list_url, family, 1)
        # 4. Sitemaps: those robots.txt names; /sitemap.xml when nothing else was found.
        if self.read_sitemaps:
            fallback = not links and family is None and not feeds
            yield self._discovery(self.origin + "/robots.txt", self.parse_robots, meta={"fallback": fallback})

    def _list_page(self, list_url: str, family: Family, page: int) -> Request:
        meta = {"list": list_url, "family": family.name, "page": page}
        return self._discovery(list_page_url(list_url, page=page, family=family), self.parse_list, meta=meta)

    def parse_list(self, response: Response) -> Iterator[Request]:
        try:
            family: Family | None = family_named(response.meta["family"])
        except KeyError:  # queued by a newsclean with other family names: the list's URL tells the family
            family = family_of([response.meta["list"]])
        if family is None:
            self._count("dropped/unknown_family")
            return
        page: int = response.meta["page"]
        html = _text(response)
        links = article_links(html, base_url=response.url, family=family) if html else []
        known = self.article_index.known(links)
        new = [url for url in links if url not in known]
        self._count("found/list", len(links))
        # The next page goes out first: once this page's articles are stored, the walk has moved on.
        if new and page < self.max_list_pages:
            yield self._list_page(response.meta["list"], family, page + 1)
        yield from self._articles(links)

    def parse_feed(self, response: Response) -> Iterator[Request]:
        entries = parse_feed(response.body)
        urls = [canonical_url(e.url) for e in entries if entry_wanted(e, site=self.site, since=self.since)]
        self._count("found/feed", len(urls))
        yield from self._articles(urls)

    def parse_robots(self, response: Response) -> Iterator[Request]:
        sitemaps = list(Protego.parse(_text(response)).sitemaps) if response.status == 200 else []
        if not sitemaps and response.meta.get("fallback"):
            sitemaps = [self.origin + "/sitemap.xml"]
        for sitemap in sitemaps:
            yield from self._sitemap(sitemap, depth=0)

    def _sitemap(self, url: str, *, depth: int) -> Iterator[Request]:
        if self.sitemap_budget > 0:
            self.sitemap_budget -= 1
            yield self._discovery(url, self.parse_sitemap, meta={"depth": depth})

    def parse_sitemap(self, response: Response) -> Iterator[Request]:
        pages, children = parse_sitemap(response.body)
        urls = sitemap_articles(
            canonical_url(e.url) for e in pages if entry_wanted(e, site=self.site, since=self.since)
        )
        self._count("found/sitemap", len(urls))
        yield from self._articles(urls)
        depth: int = response.meta.get("depth", 0)
        if depth < MAX_SITEMAP_DEPTH:
            for child in children:
                if entry_wanted(child, site=self.site, since=self.since):
                    yield from self._sitemap(child.url, depth=depth + 1)

    def parse_article(self, response: Response) -> Iterator[ArticlePage]:
        yield ArticlePage.from_response(response)

    def on_error(self, failure: Failure) -> Iterator[Request]:
        """A page that could not be fetched: counted by kind (``newsclean/failed/<kind>``) and logged.

        When it is the start page, the sitemaps are still read (``/sitemap.xml`` when robots.txt names none),
        as ``newsclean crawl`` does.
        """
        error = failure.value
        kind = f"http_{error.response.status}" if isinstance(error, HttpError) else type(error).__name__
        request = getattr(failure, "request", None)
        self._count(f"failed/{kind}")
        self.logger.info("could not fetch %s: %s", getattr(request, "url", "?"), kind)
        if request is not None and request.meta.get(SEED_META) and self.read_sitemaps:
            yield self._discovery(self.origin + "/robots.txt", self.parse_robots, meta={"fallback": True})
