"""Scrapy item pipeline: a downloaded article page (``ArticlePage``) -> the ``Article`` fields, JSON-ready.

A page that holds no article, or one the run does not want (older than ``since``, past ``limit``), is dropped
with ``DropItem``; each reason is counted in the crawl's stats as ``newsclean/dropped/<reason>``, and each
article passed on as ``newsclean/articles``. No page raises anything else out of the pipeline.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from scrapy.exceptions import DropItem
from scrapy.http import Response
from scrapy.utils.defer import deferred_from_coro

from newsclean.api import clean_article
from newsclean.errors import DecodeError, EmptyInputError, ExtractionError, InputError
from newsclean.models import Article, CleanOptions
from newsclean.net.fetch import FetchedPage

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.statscollectors import StatsCollector

__all__ = ["REQUEUE_META", "STATS_PREFIX", "ArticlePage", "NewscleanPipeline"]

# Prefix of the stats keys the pipeline counts (``newsclean/articles``, ``newsclean/dropped/<reason>``).
STATS_PREFIX = "newsclean"
# Request meta flag: the page was dropped only because the run's limit was reached, so a shared frontier
# (``SharedScheduler``) puts its request back for a later run instead of counting it as done.
REQUEUE_META = "newsclean_requeue"
# Media types taken for HTML pages (anything else is dropped as "not_html").
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml", "text/plain", ""})


@dataclass(frozen=True)
class ArticlePage:
    """An article page as downloaded: final URL, status, body bytes and the Content-Type header."""

    url: str
    body: bytes = field(repr=False)
    status: int = 200
    content_type: str | None = None
    request: Request | None = field(default=None, repr=False, compare=False)

    @classmethod
    def from_response(cls, response: Response) -> ArticlePage:
        header = response.headers.get("Content-Type")
        return cls(
            url=response.url,
            body=response.body,
            status=response.status,
            content_type=header.decode("latin-1") if header else None,
            request=response.request,
        )

    @property
    def media_type(self) -> str:
        return (self.content_type or "").split(";", 1)[0].strip().lower()

    @property
    def charset(self) -> str | None:
        """The charset the HTTP header names, if any."""
        for param in (self.content_type or "").split(";")[1:]:
            key, _, value = param.partition("=")
            if key.strip().lower() == "charset" and value.strip():
                return value.strip().strip("\"'")
        return None


class NewscleanPipeline:
    """Turn each ``ArticlePage`` item into a dict of the ``Article`` fields; pass other items through.

    ``since`` drops articles published before it; ``limit`` passes at most that many articles and then asks
    the engine to close the spider. Both default to the spider's ``since``/``limit`` attributes.
    """

    def __init__(
        self,
        *,
        stats: StatsCollector | None = None,
        options: CleanOptions | None = None,
        since: datetime | None = None,
        limit: int | None = None,
        crawler: Crawler | None = None,
    ) -> None:
        self.stats = stats
        self.options = options
        self.since = since
        self.limit = limit
        self.crawler = crawler
        self.passed = 0

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> NewscleanPipeline:
        spider = crawler.spider
        since = getattr(spider, "since", None)
        limit = getattr(spider, "limit", None)
        return cls(
            stats=crawler.stats,
            since=since if isinstance(since, datetime) else None,
            limit=limit if isinstance(limit, int) else None,
            crawler=crawler,
        )

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, ArticlePage):
            return item
        article = self._article(item)
        if self.limit is not None and self.passed >= self.limit:
            if item.request is not None:
                item.request.meta[REQUEUE_META] = True
            self._drop("limit", f"the run's limit of {self.limit} articles is reached", item)
        self.passed += 1
        self._count("articles")
        if self.limit is not None and self.passed >= self.limit:
            self._close("limit")
        return article.model_dump(mode="json")

    def _article(self, page: ArticlePage) -> Article:
        # 1. Only successful HTML answers are pages to clean.
        if not 200 <= page.status < 300:
            self._drop("http_status", f"HTTP {page.status}", page)
        if page.media_type not in HTML_TYPES:
            self._drop("not_html", f"content type {page.media_type!r} is not an HTML page", page)
        # 2. Clean: the bytes, or the text the header's charset gives when it changes the decoding.
        fetched = FetchedPage(
            url=page.url,
            requested_url=page.url,
            status=page.status,
            content=page.body,
            media_type=page.media_type or None,
            charset=page.charset,
        )
        try:
            article = clean_article(fetched.clean_input(), url=page.url, options=self.options)
        except EmptyInputError as exc:
            self._drop("empty", str(exc), page)
        except DecodeError as exc:
            self._drop("undecodable", str(exc), page)
        except ExtractionError as exc:
            self._drop("no_article", str(exc), page)
        except InputError as exc:
            self._drop("bad_input", str(exc), page)
        # 3. The run's date window.
        if self.since is not None and article.published_at is not None and article.published_at < self.since:
            self._drop("old", f"published {article.published_at.isoformat()}, before {self.since.isoformat()}", page)
        return article

    def _count(self, key: str) -> None:
        if self.stats is not None:
            self.stats.inc_value(f"{STATS_PREFIX}/{key}")

    def _drop(self, reason: str, message: str, page: ArticlePage) -> Any:
        self._count(f"dropped/{reason}")
        raise DropItem(f"{reason}: {message} ({page.url})", log_level="INFO")

    def _close(self, reason: str) -> None:
        crawler = self.crawler
        if crawler is None or crawler.engine is None or crawler.spider is None:
            return
        engine = crawler.engine
        if hasattr(engine, "close_spider_async"):
            deferred_from_coro(engine.close_spider_async(reason=reason))
        else:  # pragma: no cover - Scrapy before 2.14
            engine.close_spider(crawler.spider, reason)
