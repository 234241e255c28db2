"""Crawling: site URL -> article URLs (lists, paging, feeds, sitemaps, id walk) -> stored, yielded Articles.

The engine: what to read is decided by the pure functions of ``newsclean.net.discover`` and the site's CMS family
(``newsclean.sites``); this module fetches, stores and hands over. A crawl runs these stages, all through one
``AsyncFetcher`` (so robots.txt and per-host limits hold):

1. articles an earlier run stored but never handed over (its consumer stopped) are handed over first; then
   URLs left over from an earlier run (pending, or failed with attempts left);
2. the site's start page is read: its article links, its feeds, its section lists (by CMS family);
3. feeds: ``<link rel="alternate">`` feeds of the start page and the family's well-known feeds;
4. lists: the family's all-articles list, else each section list, walked page by page until a page brings
   no URL the database did not know (a stopped walk continues where it stopped);
5. sitemaps: those robots.txt names (sitemap indexes followed), else ``/sitemap.xml`` when nothing else
   was found;
6. optionally an id walk (a family with an ``id_url``): article ids from the highest known downward, ending
   after K misses in a row.

Workers fetch and clean each article URL as soon as it is found; each outcome is committed to the
``CrawlStore`` at once, so a killed crawl resumes without fetching again what it finished. Queues are bounded
end to end: discovery waits for the workers, and the workers wait for the consumer. An article counts as
delivered only once the consumer took it; one stored but not taken is handed over by the next run.

A fault in one URL (a malformed link, an undecodable list page, a failing article) is recorded on that URL
and the crawl goes on. A fault of the whole host (it cannot be reached, or its robots.txt cannot be read)
is no fault of the URLs: they stay to do, the run ends early and reports the outage.

Several sites (``crawl_sites``) are crawled side by side in one event loop and one database: each site's run
takes only its own URLs and undelivered articles, and a site that is down ends its own run only.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import multiprocessing
import os
import queue
import re
import threading
from collections.abc import AsyncGenerator, AsyncIterator, Awaitable, Callable, Iterable, Iterator
from concurrent.futures import Executor, ProcessPoolExecutor
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit, urlunsplit

import httpx
from pydantic import BaseModel, ConfigDict, Field

from ..api import clean_article
from ..clean.urls import canonical_url, site_of
from ..errors import (
    EmptyInputError,
    ExtractionError,
    FeedError,
    FetchError,
    HostUnreachableError,
    HTTPStatusError,
    InputError,
    NewscleanError,
    RobotsUnavailableError,
    StoreError,
    UnsupportedURLError,
)
from ..models import KST, Article
from ..sites import Family, install_families, registered_families
from .discover import (
    FeedEntry,
    article_links,
    canonical_urls,
    entry_wanted,
    link_target,
    list_page_url,
    parse_feed,
    parse_sitemap,
    same_site,
    sitemap_articles,
    start_family,
    start_feeds,
    start_lists,
)
from .fetch import AsyncFetcher, FetchedPage, FetchOptions
from .store import CrawlStore, UrlKind

__all__ = [
    "CrawlOptions",
    "CrawlProgress",
    "acrawl",
    "acrawl_sites",
    "crawl",
    "crawl_sites",
    "default_db_path",
]

# How often (seconds) a cleaning process checks that the crawl that started it still runs.
PARENT_CHECK_SECONDS = 1.0
# Article URLs waiting per worker: enough to keep workers busy, few enough that discovery does not run
# far ahead of fetching (a crawl with a limit then reads only the list pages it needs).
QUEUE_PER_WORKER = 4
# Articles stored but not yet taken by the consumer, per worker: the crawl waits for a slow consumer rather than
# holding a pile of articles in memory (at most concurrency × (this + 1) + 1 articles are held at once).
OUT_PER_WORKER = 1
# Safety cap on one list's paging (pages), for a site whose pages never run dry.
MAX_LIST_PAGES = 5000
# Sitemaps read in one crawl (files), counting those an index names; and how deep indexes nest.
MAX_SITEMAPS = 500
MAX_SITEMAP_DEPTH = 3
# Statuses that mean "no such article" during an id walk (a miss, not a failure to record).
MISSING_STATUSES = frozenset({404, 410})


class CrawlOptions(BaseModel):
    """How a crawl runs: fetching (politeness included), workers, retries of failed URLs, the id walk."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    fetch: FetchOptions = Field(default_factory=FetchOptions, description="Options of every request.")
    concurrency: int = Field(default=4, ge=1, description="Articles fetched at once (and per host, at most).")
    max_attempts: int = Field(default=3, ge=1, description="Runs that try a failing URL before it is left alone.")
    refresh: bool = Field(default=False, description="Check done articles again (conditional GET).")
    feeds: bool = Field(default=True, description="Read RSS/Atom feeds.")
    sitemaps: bool = Field(default=True, description="Read sitemaps.")
    lists: bool = Field(default=True, description="Walk list pages.")
    walk_misses: int = Field(default=0, ge=0, description="Id walk: stop after this many misses in a row; 0 = off.")
    walk_from: int | None = Field(default=None, ge=1, description="Id walk start; default the highest id known.")
    max_list_pages: int = Field(default=MAX_LIST_PAGES, ge=1, description="Pages walked per list, at most.")
    refuse_private_redirects: bool = Field(
        default=True,
        description="Refuse redirects from a public host into loopback, private or link-local addresses "
        "(sets FetchOptions.refuse_private_redirects for the crawl).",
    )
    offsite_sitemaps: bool = Field(
        default=False, description="Read sitemaps that robots.txt names on other sites (off: only the site's own)."
    )
    clean_processes: int = Field(
        default=0,
        ge=0,
        description="Processes that run clean_article (CPU-bound) beside the fetching; 0 = clean in the crawl's "
        "own thread. On a machine with several cores, about one per core keeps cleaning from being the bottleneck.",
    )


@dataclass(frozen=True)
class CrawlProgress:
    """Counts of one crawl run so far; ``finished`` on the last report."""

    queued: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: int = 0
    old: int = 0
    discovery_failed: int = 0  # list pages, feeds and sitemaps that could not be fetched or read
    start_errors: tuple[str, ...] = ()  # why start pages could not be fetched: one entry per site that failed
    outages: tuple[str, ...] = ()  # sites that were down (unreachable, robots.txt unreadable): their URLs stay to do
    sites: int = 1  # sites crawled in the run
    finished: bool = False

    @property
    def processed(self) -> int:
        return self.new + self.updated + self.unchanged + self.failed + self.old


Outcome = Literal["new", "updated", "unchanged", "failed", "old", "missing", "deferred"]


def default_db_path(site_url: str) -> Path:
    """The crawl database used when none is named: ``<site>.sqlite`` in the current directory."""
    site = site_of(site_url) or "crawl"
    return Path(re.sub(r"[^0-9A-Za-z.-]+", "_", site) + ".sqlite")


def _as_since(since: date | datetime | None) -> datetime | None:
    if since is None:
        return None
    if isinstance(since, datetime):
        return since if since.tzinfo else since.replace(tzinfo=KST)
    return datetime.combine(since, time(0, 0), tzinfo=KST)


# The crawl ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Delivery:
    """A stored article on its way to the consumer; ``key`` is its row in the store (to mark it delivered)."""

    article: Article
    key: str


_Report = _Delivery | BaseException | None  # an article out, a failure that ends the crawl, or the end
# Failures of a whole host, not of one URL: the URL stays to do, and the run ends with the outage.
_OUTAGES = (HostUnreachableError, RobotsUnavailableError)
# What the crawl hands its callers: each stored article with the call that marks it delivered.
_Pairs = AsyncGenerator[tuple[Article, Callable[[], None]], None]


class _SiteCrawl:
    """The crawl of one site in one run: its discovery, its workers, its counts; the database may hold others."""

    def __init__(
        self,
        root: str,
        *,
        store: CrawlStore,
        fetcher: AsyncFetcher,
        options: CrawlOptions,
        since: datetime | None,
        progress: Callable[[CrawlProgress], None] | None,
        cleaners: Executor | None = None,
    ) -> None:
        self.root = root
        self.cleaners = cleaners
        self.site = site_of(root)
        self.origin = urlunsplit((*urlsplit(root)[:2], "", "", ""))
        self.store = store
        self.fetcher = fetcher
        self.options = options
        self.since = since
        self.progress_callback = progress
        self.progress = CrawlProgress()
        self.counts = dict.fromkeys(
            ("queued", "new", "updated", "unchanged", "failed", "old", "discovery_failed", "finished"), 0
        )
        self.start_error: str | None = None
        self.limit: int | None = None  # articles this run reports at most
        self.reported = 0
        self.queued: set[str] = set()
        self.work: asyncio.Queue[str | None] = asyncio.Queue(maxsize=options.concurrency * QUEUE_PER_WORKER)
        self.out: asyncio.Queue[_Report] = asyncio.Queue(maxsize=options.concurrency * OUT_PER_WORKER)
        self.outage: FetchError | None = None  # the first host-level failure: the run stops and reports it
        self.family: Family | None = None
        self.sources = 0  # feeds read in this run

    def _set(self, name: str, value: int) -> None:
        self.counts[name] = value
        counts = self.counts
        self.progress = CrawlProgress(
            queued=counts["queued"],
            new=counts["new"],
            updated=counts["updated"],
            unchanged=counts["unchanged"],
            failed=counts["failed"],
            old=counts["old"],
            discovery_failed=counts["discovery_failed"],
            start_errors=(f"{self.root}: {self.start_error}",) if self.start_error else (),
            outages=(f"{self.origin}: {_describe(self.outage)}",) if self.outage else (),
            finished=bool(counts["finished"]),
        )
        if self.progress_callback is not None:
            self.progress_callback(self.progress)

    async def _guard(self, work: Awaitable[None]) -> None:
        """Run a task of the crawl; a failure that ends the crawl (the database, a bug) goes to the caller."""
        try:
            await work
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            await self.out.put(exc)
            raise

    async def deliveries(self, limit: int | None) -> AsyncGenerator[_Delivery, None]:
        """Stored articles for the consumer, at most ``limit``; the caller marks each delivered once taken."""
        self.limit = limit
        producer = asyncio.create_task(self._guard(self._discover()))
        workers = [asyncio.create_task(self._guard(self._worker())) for _ in range(self.options.concurrency)]
        closer = asyncio.create_task(self._guard(self._close(producer, workers)))
        tasks = [producer, *workers, closer]
        yielded = 0
        try:
            while limit is None or yielded < limit:
                report = await self.out.get()
                if report is None:
                    break
                if isinstance(report, BaseException):
                    raise report
                yield report
                yielded += 1
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            self._set("finished", 1)
        if self.outage is not None:
            raise self._outage_error(self.outage)

    def _outage_error(self, cause: FetchError) -> FetchError:
        left = self.store.counts().pending
        error = type(cause)(
            f"{self.origin} could not be crawled: {cause}; the run stopped, and {left} article URLs stay to do "
            "for the next run",
            url=cause.url,
            status=cause.status,
        )
        error.__cause__ = cause
        return error

    def _own(self, url: str) -> bool:
        """True when ``url`` belongs to this run's site (a database may hold several sites)."""
        try:
            return site_of(url) == self.site
        except ValueError:
            return False

    def _host_down(self, exc: FetchError) -> bool:
        """Note a failure of the site's own host (the URL is not to blame); true when ``exc`` is one.

        Another host that cannot be reached (an article redirected elsewhere) is that URL's failure.
        """
        if not isinstance(exc, _OUTAGES) or not same_site(exc.url, self.site):
            return False
        if self.outage is None:
            self.outage = exc
        return True

    async def _close(self, producer: asyncio.Task[None], workers: list[asyncio.Task[None]]) -> None:
        """After discovery, let the workers drain the queue; then report the end."""
        await producer
        for _ in workers:
            await self.work.put(None)
        await asyncio.gather(*workers)
        await self.out.put(None)

    # Fetching articles -------------------------------------------------------------------------------------

    async def _enqueue(self, urls: Iterable[str]) -> None:
        for url in urls:
            if url not in self.queued:
                self.queued.add(url)
                self._set("queued", len(self.queued))
                await self.work.put(url)

    async def _worker(self) -> None:
        while True:
            url = await self.work.get()
            try:
                if url is None:
                    return
                if self.outage is None:  # after an outage the URLs left in the queue stay to do
                    await self._process(url)
            finally:
                self.work.task_done()

    async def _process(self, url: str, *, walking: bool = False) -> Outcome:
        outcome = await self._fetch_and_store(url, walking=walking)
        if outcome not in ("missing", "deferred"):
            self._set(outcome, self.counts[outcome] + 1)
        return outcome

    async def _fetch_and_store(self, url: str, *, walking: bool) -> Outcome:
        record = self.store.get(url)
        conditional = record is not None and record.status == "done"
        try:
            page = await self.fetcher.fetch(
                url,
                etag=record.etag if record and conditional else None,
                last_modified=record.last_modified if record and conditional else None,
            )
        except FetchError as exc:
            if self._host_down(exc):
                return "deferred"
            if walking and isinstance(exc, HTTPStatusError) and exc.status in MISSING_STATUSES:
                return "missing"
            self.store.record_failure(url, kind="article", error=_describe(exc), http_status=exc.status)
            return "failed"
        if page.not_modified:
            self.store.record_unchanged(url, http_status=page.status)
            return "unchanged"
        try:
            article = await self._clean(page)
        except (InputError, ExtractionError) as exc:
            if walking and isinstance(exc, (EmptyInputError, ExtractionError)):
                return "missing"
            self.store.record_failure(url, kind="article", error=_describe(exc), http_status=page.status)
            return "failed"
        except (StoreError, asyncio.CancelledError):
            raise
        except Exception as exc:  # a fault in one page (a cleaning process that died, …) is this page's alone
            self.store.record_failure(url, kind="article", error=_describe(exc), http_status=page.status)
            return "failed"
        if self.since is not None and article.published_at is not None and article.published_at < self.since:
            self.store.add_urls([url])
            self.store.record_old(url, http_status=page.status)
            return "old"
        if self.limit is not None and self.reported >= self.limit:
            # The run's limit is reached while this page was in flight: it stays to do for the next run rather
            # than being stored without ever being reported. (No await between this test and the count below.)
            return "deferred"
        saved = self.store.save_article(
            url, article, http_status=page.status, etag=page.etag, last_modified=page.last_modified
        )
        if saved != "unchanged":
            self.reported += 1
            # Waits while the consumer is behind: stored but not yet delivered, it is handed over next run if
            # the consumer stops before taking it.
            await self.out.put(_Delivery(article, CrawlStore.article_key(url, article)))
        return saved

    async def _clean(self, page: FetchedPage) -> Article:
        job = functools.partial(clean_article, page.clean_input(), url=page.url, options=self.fetcher.options.clean)
        if self.cleaners is None:
            return job()
        return await asyncio.get_running_loop().run_in_executor(self.cleaners, job)

    # Discovery ---------------------------------------------------------------------------------------------

    async def _discover(self) -> None:
        options = self.options
        # 1. What an earlier run left: this site's articles stored but never handed over, then its URLs to do.
        for key, article in self.store.undelivered():
            if self.limit is not None and self.reported >= self.limit:
                break
            if not self._own(key):  # another site's, in a database shared by several sites
                continue
            self.reported += 1
            await self.out.put(_Delivery(article, key))
        left = self.store.todo(max_attempts=options.max_attempts, refresh=options.refresh, retry_old=self.since is None)
        await self._enqueue(url for url in left if self._own(url))
        # 2. The start page.
        start = await self._fetch_page(self.root, kind="list", conditional=False)
        html = self._page_text(self.root, "list", start)
        links = self._article_links(html, self.root) if html else []
        self.family = start_family(html, base_url=self.root)
        found = await self._found(links)
        if self.outage is not None:
            return
        # 3. Feeds.
        if options.feeds:
            for feed in start_feeds(html, base_url=self.root, family=self.family):
                if self.outage is not None:
                    return
                found += await self._source(feed, "feed", self._read_feed(feed))
                self.sources += 1
        # 4. Lists.
        if options.lists and self.family:
            family = self.family
            for list_url in start_lists(html, base_url=self.root, family=family):
                if self.outage is not None:
                    return
                found += await self._source(list_url, "list", self._walk_list(list_url, family))
        # 5. Sitemaps.
        if options.sitemaps and self.outage is None:
            sitemaps: list[str] = []
            if options.fetch.robots:
                named = await self.fetcher.robots_sitemaps(self.root)
                # A sitemap on another site is not read unless asked for: robots.txt must not steer the crawl away.
                sitemaps = [u for u in named if options.offsite_sitemaps or same_site(u, self.site)]
            if not sitemaps and not found and self.family is None and not self.sources:
                sitemaps = [self.origin + "/sitemap.xml"]
            budget = [MAX_SITEMAPS]
            for sitemap in sitemaps:
                if self.outage is not None:
                    return
                await self._source(sitemap, "sitemap", self._read_sitemap(sitemap, depth=0, budget=budget))
        # 6. The id walk, once everything found is done.
        if options.walk_misses and self.family and self.family.urls.id_url and self.outage is None:
            await self.work.join()
            await self._walk_ids(self.family)

    async def _found(self, urls: Iterable[str]) -> int:
        """Record discovered article URLs; queue the new ones; return how many were new."""
        new = self.store.add_urls(list(dict.fromkeys(urls)))
        await self._enqueue(new)
        return len(new)

    async def _fetch_page(self, url: str, *, kind: UrlKind, conditional: bool = True) -> FetchedPage | None:
        """A discovery page (list, feed, sitemap); ``None`` when it failed (the failure is recorded)."""
        record = self.store.get(url) if conditional else None
        if record is not None and record.status == "failed":
            record = None  # a page that could not be read last time is read again in full
        try:
            page = await self.fetcher.fetch(
                url,
                kind="html" if kind == "list" else "xml",
                etag=record.etag if record else None,
                last_modified=record.last_modified if record else None,
            )
        except FetchError as exc:
            if not self._host_down(exc):
                self._discovery_failed(url, kind=kind, error=exc, http_status=exc.status)
            elif url == self.root:  # the site is down: no failure of the start page, but the reason the run ends
                self.start_error = _describe(exc)
            return None
        self.store.record_page(
            url, kind=kind, http_status=page.status, etag=page.etag, last_modified=page.last_modified
        )
        return page

    def _page_text(self, url: str, kind: UrlKind, page: FetchedPage | None) -> str:
        """The text of a discovery page; ``""`` when there is none or it cannot be decoded (recorded on it)."""
        if page is None or page.not_modified:
            return ""
        try:
            return page.text()
        except (NewscleanError, ValueError, LookupError) as exc:
            self._discovery_failed(url, kind=kind, error=exc, http_status=page.status)
            return ""

    def _article_links(self, html: str, base_url: str, family: Family | None = None) -> list[str]:
        return article_links(html, base_url=base_url, family=family)

    async def _source(self, url: str, kind: UrlKind, work: Awaitable[int]) -> int:
        """Read one discovery source (feed, list walk, sitemap); a fault in it is recorded on it, not raised."""
        try:
            return await work
        except (StoreError, asyncio.CancelledError):
            raise
        except Exception as exc:
            self._discovery_failed(url, kind=kind, error=exc)
            return 0

    def _wanted(self, entry: FeedEntry) -> bool:
        return entry_wanted(entry, site=self.site, since=self.since)

    async def _read_feed(self, url: str) -> int:
        page = await self._fetch_page(url, kind="feed")
        if page is None or page.not_modified:
            return 0
        try:
            entries = parse_feed(page.content, charset=page.charset)
        except FeedError as exc:
            self._discovery_failed(url, kind="feed", error=exc, http_status=page.status)
            return 0
        return await self._found(canonical_urls(e.url for e in entries if self._wanted(e)))

    def _discovery_failed(
        self, url: str, *, kind: UrlKind, error: BaseException, http_status: int | None = None
    ) -> None:
        """A list, feed or sitemap could not be fetched or read: recorded on its URL and counted; the crawl goes on."""
        self.store.record_failure(url, kind=kind, error=_describe(error), http_status=http_status)
        if url == self.root:
            self.start_error = _describe(error)
        self._set("discovery_failed", self.counts["discovery_failed"] + 1)

    async def _read_sitemap(self, url: str, *, depth: int, budget: list[int]) -> int:
        if budget[0] <= 0:
            return 0
        budget[0] -= 1
        page = await self._fetch_page(url, kind="sitemap")
        if page is None or page.not_modified:
            return 0
        try:
            pages, children = parse_sitemap(page.content, charset=page.charset)
        except FeedError as exc:
            self._discovery_failed(url, kind="sitemap", error=exc, http_status=page.status)
            return 0
        found = await self._found(sitemap_articles(canonical_urls(e.url for e in pages if self._wanted(e))))
        if depth < MAX_SITEMAP_DEPTH:
            for child in children:
                if self._wanted(child) and self.outage is None:
                    found += await self._source(
                        child.url, "sitemap", self._read_sitemap(child.url, depth=depth + 1, budget=budget)
                    )
        return found

    async def _walk_list(self, list_url: str, family: Family) -> int:
        """Walk one paged list until a page brings nothing new; continue a walk an earlier run stopped."""
        state = self.store.walk_state(list_url)
        page_no = state[0] if state is not None and not state[1] else 1
        total = 0
        while page_no <= self.options.max_list_pages:
            url = list_page_url(list_url, page=page_no, family=family)
            page = await self._fetch_page(url, kind="list")
            if page is None:
                return total  # the walk stays where it is; the next run tries this page again
            text = self._page_text(url, "list", page)
            if not text and not page.not_modified:
                return total  # an unreadable page (recorded on it): the walk stays here, the crawl goes on
            links = self._article_links(text, url, family) if text else []
            new = self.store.add_urls(links, walk=(list_url, page_no + 1))
            await self._enqueue(new)
            total += len(new)
            if not new:
                break
            page_no += 1
        self.store.set_walk_state(list_url, next_page=1, complete=True)
        return total

    async def _walk_ids(self, family: Family) -> None:
        id_url = family.urls.id_url
        assert id_url is not None
        start = self.options.walk_from or self._highest_id(family)
        if start is None:
            return
        misses = 0
        ident = start
        batch_size = self.options.concurrency
        while ident >= 1 and misses < self.options.walk_misses and self.outage is None:
            ids = list(range(ident, max(0, ident - batch_size), -1))
            ident -= len(ids)
            urls = [canonical_url(self.origin + id_url.format(id=i)) for i in ids]
            outcomes = await asyncio.gather(*(self._walk_one(url) for url in urls))
            for hit in outcomes:
                misses = 0 if hit else misses + 1
                if misses >= self.options.walk_misses:
                    break

    async def _walk_one(self, url: str) -> bool:
        record = self.store.get(url)
        if record is not None and record.status in ("done", "old"):
            return True
        if record is not None and record.status == "failed" and record.attempts >= self.options.max_attempts:
            return False
        if url in self.queued:
            return True
        self.queued.add(url)
        self._set("queued", len(self.queued))
        return await self._process(url, walking=True) != "missing"

    def _highest_id(self, family: Family) -> int | None:
        assert family.urls.id_url is not None
        pattern = re.compile(re.escape(family.urls.id_url).replace(re.escape("{id}"), r"(\d+)"))
        known = (url for url in self.store.known_urls() if site_of(url) == self.site)
        ids = [int(m.group(1)) for url in known if (m := pattern.search(link_target(url)))]
        return max(ids) if ids else None


def _describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"


def _check_root(site_url: str) -> str:
    try:
        parts = urlsplit(site_url.strip())
        host = parts.hostname
    except ValueError as exc:  # "http://[::1" and other unreadable hosts
        message = f"crawl needs an http(s) site URL; {site_url!r} is malformed: {exc}"
        raise UnsupportedURLError(message, url=site_url) from exc
    if parts.scheme not in ("http", "https") or not host:
        raise UnsupportedURLError(f"crawl needs an http(s) site URL, not {site_url!r}", url=site_url)
    return urlunsplit((parts.scheme, parts.netloc.lower(), parts.path or "/", parts.query, ""))


@contextlib.asynccontextmanager
async def _session(
    db: str | os.PathLike[str], options: CrawlOptions, client: httpx.AsyncClient | None
) -> AsyncIterator[tuple[CrawlStore, AsyncFetcher, Executor | None]]:
    """The store, the fetcher (robots.txt and politeness per host) and the cleaning processes of one crawl."""
    fetch_options = options.fetch
    if fetch_options.per_host_concurrency < options.concurrency:
        fetch_options = fetch_options.model_copy(update={"per_host_concurrency": options.concurrency})
    if options.refuse_private_redirects and not fetch_options.refuse_private_redirects:
        fetch_options = fetch_options.model_copy(update={"refuse_private_redirects": True})
    store = CrawlStore(db)
    # Spawned, not forked: the crawl may run in a thread (``crawl``), and forking a threaded process is unsafe.
    # A spawned process starts with the built-in families only: the caller's own are handed to it.
    cleaners = (
        ProcessPoolExecutor(
            options.clean_processes,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_start_cleaner,
            initargs=(os.getpid(), registered_families()),
        )
        if options.clean_processes
        else None
    )
    try:
        async with AsyncFetcher(client=client, options=fetch_options) as fetcher:
            yield store, fetcher, cleaners
    finally:
        if cleaners is not None:
            cleaners.shutdown(wait=True, cancel_futures=True)
        store.close()


async def acrawl(
    site_url: str,
    *,
    limit: int | None = None,
    since: date | datetime | None = None,
    db: str | os.PathLike[str] | None = None,
    options: CrawlOptions | None = None,
    client: httpx.AsyncClient | None = None,
    progress: Callable[[CrawlProgress], None] | None = None,
) -> AsyncIterator[Article]:
    """Crawl a site; yield each article stored new or changed in this run, at most ``limit`` of them.

    State lives in the SQLite database ``db`` (default ``default_db_path(site_url)``): a later run resumes,
    fetches nothing already done and never stores an article twice. Articles published before ``since``
    are not stored. ``progress`` is called with the counts after every change.

    The crawl runs no further ahead of the consumer than its bounded queues allow. An article stored but not
    yet yielded when the consumer stops is yielded by the next run: every stored article is yielded once.
    When the site cannot be reached (no connection, robots.txt unreadable) the run stops, its URLs stay to do,
    and the ``HostUnreachableError`` or ``RobotsUnavailableError`` is raised after the articles yielded.
    """
    pairs = _deliveries(site_url, limit=limit, since=since, db=db, options=options, client=client, progress=progress)
    async with contextlib.aclosing(pairs):  # a consumer that stops closes the crawl at once
        async for article, delivered in pairs:
            delivered()  # no await between this and the yield: the consumer gets the article it was marked for
            yield article


async def _deliveries(
    site_url: str,
    *,
    limit: int | None,
    since: date | datetime | None,
    db: str | os.PathLike[str] | None,
    options: CrawlOptions | None,
    client: httpx.AsyncClient | None = None,
    progress: Callable[[CrawlProgress], None] | None,
) -> _Pairs:
    """The crawl: (article, mark it delivered) pairs; the caller marks each once the consumer took it."""
    options = options or CrawlOptions()
    root = _check_root(site_url)
    async with _session(db if db is not None else default_db_path(root), options, client) as (store, fetcher, pool):
        site_crawl = _SiteCrawl(
            root,
            store=store,
            fetcher=fetcher,
            options=options,
            since=_as_since(since),
            progress=progress,
            cleaners=pool,
        )
        async with contextlib.aclosing(site_crawl.deliveries(limit)) as deliveries:  # its tasks end here, not at GC
            async for delivery in deliveries:
                yield delivery.article, functools.partial(store.mark_delivered, delivery.key)


async def acrawl_sites(
    site_urls: Iterable[str],
    *,
    db: str | os.PathLike[str],
    limit: int | None = None,
    since: date | datetime | None = None,
    options: CrawlOptions | None = None,
    client: httpx.AsyncClient | None = None,
    progress: Callable[[CrawlProgress], None] | None = None,
) -> AsyncIterator[Article]:
    """Crawl several sites at once in one event loop, into one database; yield articles as they are stored.

    Each site is crawled as ``acrawl`` crawls one (``limit`` is per site), all through one fetcher: every host
    keeps its own robots.txt, delay and ``concurrency`` requests in flight, so sites do not wait for each other.
    ``progress`` is called with the counts summed over the sites. Each site's articles are yielded once, as
    ``acrawl`` yields them: one stored but not taken is yielded by the next run of that site.

    A site that is down (no connection, robots.txt unreadable) ends only its own run, its URLs left to do; once
    the other sites are done, a ``HostUnreachableError`` or ``RobotsUnavailableError`` naming each site that
    was down is raised.
    """
    pairs = _sites_deliveries(
        site_urls, db=db, limit=limit, since=since, options=options, client=client, progress=progress
    )
    async with contextlib.aclosing(pairs):
        async for article, delivered in pairs:
            delivered()
            yield article


async def _sites_deliveries(
    site_urls: Iterable[str],
    *,
    db: str | os.PathLike[str],
    limit: int | None,
    since: date | datetime | None,
    options: CrawlOptions | None,
    client: httpx.AsyncClient | None = None,
    progress: Callable[[CrawlProgress], None] | None,
) -> _Pairs:
    """Several sites' crawls in one loop: (article, mark it delivered) pairs, as ``_deliveries`` gives them."""
    options = options or CrawlOptions()
    roots = list(dict.fromkeys(_check_root(url) for url in site_urls))
    if not roots:
        raise UnsupportedURLError("no site URL to crawl was given", url="")
    latest: dict[str, CrawlProgress] = {}

    def report(root: str) -> Callable[[CrawlProgress], None]:
        def on_progress(p: CrawlProgress) -> None:
            latest[root] = p
            if progress is not None:
                progress(_sum_progress(list(latest.values()), sites=len(roots)))

        return on_progress

    since_at = _as_since(since)
    async with _session(db, options, client) as (store, fetcher, pool):
        site_crawls = [
            _SiteCrawl(
                root,
                store=store,
                fetcher=fetcher,
                options=options,
                since=since_at,
                progress=report(root),
                cleaners=pool,
            )
            for root in roots
        ]
        # Stored articles of every site on their way to the consumer: bounded, like each run's own queue.
        out: asyncio.Queue[_Report] = asyncio.Queue(maxsize=len(site_crawls))
        outages: list[FetchError] = []

        async def pump(site_crawl: _SiteCrawl) -> None:
            try:
                async with contextlib.aclosing(site_crawl.deliveries(limit)) as deliveries:
                    async for delivery in deliveries:
                        await out.put(delivery)
            except FetchError as exc:
                if site_crawl.outage is None:
                    await out.put(exc)
                    return
                outages.append(exc)  # this site is down: its URLs stay to do, the other sites go on
                await out.put(None)
            except Exception as exc:  # a failure that ends the crawl (the database, a bug) goes to the caller
                await out.put(exc)
            else:
                await out.put(None)

        tasks = [asyncio.create_task(pump(site_crawl)) for site_crawl in site_crawls]
        try:
            running = len(tasks)
            while running:
                report_ = await out.get()
                if report_ is None:
                    running -= 1
                elif isinstance(report_, BaseException):
                    raise report_
                else:
                    yield report_.article, functools.partial(store.mark_delivered, report_.key)
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
        if outages:
            raise _sites_down(outages, sites=len(roots))


def _sites_down(outages: list[FetchError], *, sites: int) -> FetchError:
    """One error for the sites of a crawl that were down (raised once every other site is done)."""
    first = outages[0]
    error = type(first)(
        f"{len(outages)} of {sites} sites could not be crawled: " + "; ".join(str(e) for e in outages),
        url=first.url,
        status=first.status,
    )
    error.__cause__ = first
    return error


def _sum_progress(reports: list[CrawlProgress], *, sites: int) -> CrawlProgress:
    return CrawlProgress(
        queued=sum(p.queued for p in reports),
        new=sum(p.new for p in reports),
        updated=sum(p.updated for p in reports),
        unchanged=sum(p.unchanged for p in reports),
        failed=sum(p.failed for p in reports),
        old=sum(p.old for p in reports),
        discovery_failed=sum(p.discovery_failed for p in reports),
        start_errors=tuple(error for p in reports for error in p.start_errors),
        outages=tuple(outage for p in reports for outage in p.outages),
        sites=sites,
        finished=len(reports) == sites and all(p.finished for p in reports),
    )


def _start_cleaner(parent: int, families: tuple[Family, ...]) -> None:
    """In a cleaning process: register the crawl's own families; end the process when the crawl's process is
    gone (even killed with SIGKILL)."""
    install_families(families)

    def watch() -> None:
        pause = threading.Event()
        while os.getppid() == parent:
            pause.wait(PARENT_CHECK_SECONDS)
        os._exit(0)

    threading.Thread(target=watch, name="newsclean-parent-watch", daemon=True).start()


def crawl(
    site_url: str,
    *,
    limit: int | None = None,
    since: date | datetime | None = None,
    db: str | os.PathLike[str] | None = None,
    options: CrawlOptions | None = None,
    progress: Callable[[CrawlProgress], None] | None = None,
) -> Iterator[Article]:
    """The sync twin of ``acrawl``: the crawl runs in a thread of its own; ``progress`` is called here.

    The crawl hands over one article at a time and waits until this generator's consumer took it, so a
    slow consumer slows the crawl. Closing the generator early (``break``) cancels the crawl; what it finished
    stays in the database, and what it stored but did not hand over is yielded by the next run.
    """

    def start(on_progress: Callable[[CrawlProgress], None] | None) -> _Pairs:
        return _deliveries(site_url, limit=limit, since=since, db=db, options=options, progress=on_progress)

    return _in_thread(start, progress)


def crawl_sites(
    site_urls: Iterable[str],
    *,
    db: str | os.PathLike[str],
    limit: int | None = None,
    since: date | datetime | None = None,
    options: CrawlOptions | None = None,
    progress: Callable[[CrawlProgress], None] | None = None,
) -> Iterator[Article]:
    """The sync twin of ``acrawl_sites``, run in a thread like ``crawl``."""
    roots = list(site_urls)

    def start(on_progress: Callable[[CrawlProgress], None] | None) -> _Pairs:
        return _sites_deliveries(roots, db=db, limit=limit, since=since, options=options, progress=on_progress)

    return _in_thread(start, progress)


def _in_thread(
    start: Callable[[Callable[[CrawlProgress], None] | None], _Pairs],
    progress: Callable[[CrawlProgress], None] | None,
) -> Iterator[Article]:
    """Run an async crawl in a thread of its own; yield its articles and call ``progress`` in this thread."""
    reports: queue.SimpleQueue[tuple[str, object]] = queue.SimpleQueue()
    running: dict[str, object] = {}

    async def run() -> None:
        loop = asyncio.get_running_loop()
        running["loop"] = loop
        running["task"] = asyncio.current_task()
        on_progress = (lambda p: reports.put(("progress", p))) if progress is not None else None
        pairs = start(on_progress)
        async with contextlib.aclosing(pairs):
            async for article, delivered in pairs:
                taken: asyncio.Future[None] = loop.create_future()
                reports.put(("article", (article, taken)))
                try:
                    await taken  # until the consumer's thread took it
                finally:
                    if taken.done() and not taken.cancelled():
                        delivered()

    def main() -> None:
        try:
            asyncio.run(run())
        except asyncio.CancelledError:
            reports.put(("end", None))
        except BaseException as exc:  # handed to the caller's thread and raised there
            reports.put(("error", exc))
        else:
            reports.put(("end", None))

    def took(taken: asyncio.Future[None]) -> None:
        if not taken.done():
            taken.set_result(None)

    thread = threading.Thread(target=main, name="newsclean-crawl", daemon=True)
    thread.start()
    try:
        while True:
            kind, value = reports.get()
            if kind == "article":
                assert isinstance(value, tuple)
                article, taken = value
                loop = running["loop"]
                assert isinstance(loop, asyncio.AbstractEventLoop) and isinstance(article, Article)
                with contextlib.suppress(RuntimeError):  # the loop closed meanwhile
                    loop.call_soon_threadsafe(took, taken)
                yield article
            elif kind == "progress":
                assert isinstance(value, CrawlProgress) and progress is not None
                progress(value)
            elif kind == "error":
                assert isinstance(value, BaseException)
                raise value
            else:
                return
    finally:
        while thread.is_alive():  # cancel the crawl once its task exists (it may be starting still)
            loop, task = running.get("loop"), running.get("task")
            if isinstance(loop, asyncio.AbstractEventLoop) and isinstance(task, asyncio.Task):
                with contextlib.suppress(RuntimeError):  # the loop closed meanwhile: nothing left to cancel
                    loop.call_soon_threadsafe(task.cancel)
                break
            thread.join(timeout=0.01)
        thread.join()
