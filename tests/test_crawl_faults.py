"""Crawls that meet trouble: a consumer that stops or lags, a site that goes away, bad bytes, hostile redirects.

Stored and delivered must agree (nothing lost, nothing twice), memory is bounded by the queues, an outage is
no fault of the URLs, and one bad URL or page never ends a crawl.
"""

from __future__ import annotations

import asyncio
import socket
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
import respx
from crawl_site import FIXTURES, Site, serve
from fault_server import FaultServer, Reply, response
from fault_server import serve as serve_faults

from newsclean import Article, FetchError
from newsclean.net.crawl import OUT_PER_WORKER, CrawlOptions, acrawl, crawl
from newsclean.net.fetch import FetchOptions
from newsclean.net.store import CrawlStore

FAST = CrawlOptions(fetch=FetchOptions(delay=0, backoff=0.01, max_backoff=0.02, retries=1), concurrency=4)


def stored_urls(db: Path) -> list[str]:
    with sqlite3.connect(db) as con:
        return [row[0] for row in con.execute("SELECT url FROM articles")]


# Back-pressure: stored and delivered agree --------------------------------------------------------------------


def test_a_consumer_that_stops_loses_nothing_and_gets_nothing_twice(tmp_path: Path) -> None:
    site = Site(articles_per_section=15)  # 30 articles
    db = tmp_path / "c.sqlite"
    with serve(site) as url:
        first: list[str] = []
        for article in crawl(url + "/", db=db, options=FAST):
            first.append(article.url or "")
            if len(first) == 5:
                time.sleep(0.5)  # the crawl goes on while the consumer dawdles, then stops
                break
        rest = [a.url or "" for a in crawl(url + "/", db=db, options=FAST)]
    assert len(first) == 5
    assert not set(first) & set(rest)  # nothing twice
    assert sorted(first + rest) == sorted(stored_urls(db))  # nothing stored and never delivered
    assert len(stored_urls(db)) == 30


def test_an_async_consumer_that_stops_loses_nothing(tmp_path: Path) -> None:
    site = Site(articles_per_section=10)
    db = tmp_path / "c.sqlite"

    async def run(stop_at: int | None) -> list[str]:
        got: list[str] = []
        async for article in acrawl(url + "/", db=db, options=FAST):
            got.append(article.url or "")
            if stop_at is not None and len(got) == stop_at:
                await asyncio.sleep(0.3)
                break
        return got

    with serve(site) as url:
        first = asyncio.run(run(3))
        rest = asyncio.run(run(None))
    assert len(first) == 3 and not set(first) & set(rest)
    assert sorted(first + rest) == sorted(stored_urls(db)) and len(rest) == 17


def test_a_slow_consumer_holds_the_crawl_back(tmp_path: Path) -> None:
    site = Site(articles_per_section=12)  # 24 articles
    db = tmp_path / "c.sqlite"
    held: list[int] = []
    with serve(site) as url, sqlite3.connect(db) as con:
        consumed = 0
        for _ in crawl(url + "/", db=db, options=FAST):
            consumed += 1
            (stored,) = con.execute("SELECT count(*) FROM articles").fetchone()
            held.append(stored - consumed)
            time.sleep(0.08)  # slower than the crawl
    assert consumed == 24
    # Articles stored but not yet consumed: the queue, one in each worker, one in hand-over; never a pile.
    bound = FAST.concurrency * (OUT_PER_WORKER + 1) + 1
    assert max(held) <= bound, held


# An outage is no fault of the URLs ------------------------------------------------------------------------------


@dataclass
class FlakySite(Site):
    """A site whose robots.txt can answer 503 (the host is "down" though it answers)."""

    robots_down: bool = False

    def answer(self, path: str) -> tuple[int, str, bytes]:
        if self.robots_down and path.startswith("/robots.txt"):
            return 503, "text/plain", b"busy"
        return super().answer(path)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.mark.parametrize("outage", ["connection refused", "robots.txt 503"])
def test_an_outage_leaves_every_url_to_do_and_fails_the_run(tmp_path: Path, outage: str) -> None:
    site = FlakySite(articles_per_section=8)  # 16 articles
    db = tmp_path / "c.sqlite"
    port = _free_port()
    with serve(site, port=port) as url:
        first = [a.url for a in crawl(url + "/", db=db, limit=3, options=FAST)]
        with CrawlStore(db) as store:
            pending = store.counts().pending
        assert pending > 0
        if outage == "robots.txt 503":
            site.robots_down = True
            for _ in range(3):
                with pytest.raises(FetchError, match="could not be crawled"):
                    list(crawl(url + "/", db=db, options=FAST))
            site.robots_down = False
    if outage == "connection refused":
        for _ in range(3):  # nothing listens on the port now
            with pytest.raises(FetchError, match="could not be crawled"):
                list(crawl(url + "/", db=db, options=FAST))
    with CrawlStore(db) as store:
        counts = store.counts()
    assert counts.failed == 0 and counts.pending == pending  # no URL was blamed for the outage
    with serve(site, port=port) as url:
        rest = [a.url for a in crawl(url + "/", db=db, options=FAST)]
    assert len(first) + len(rest) == 16 and len(stored_urls(db)) == 16


# One bad URL or page never ends a crawl ------------------------------------------------------------------------


def _article(idx: int) -> Reply:
    fixtures = ("mk.co.kr/mk_11328184.html", "mk.co.kr/mk_11328187.html", "chosun.com/chosun_2020082704301.html")
    page = (FIXTURES / fixtures[idx % len(fixtures)]).read_bytes()
    return Reply([response(200, page.replace(b"</title>", b" %d</title>" % idx, 1))])


def test_bad_links_pages_and_redirects_are_recorded_and_the_crawl_goes_on(tmp_path: Path) -> None:
    server = FaultServer(robots="User-agent: *\nCrawl-delay: ²\nRequest-rate: ²/²\nAllow: /\n".encode())
    db = tmp_path / "c.sqlite"
    with serve_faults(server) as url:
        feed = (
            f"<rss><channel><item><link>http://[주소]/news/view.php?idx=98</link></item>"
            f"<item><link>{url}/news/view.php?idx=6</link></item></channel></rss>"
        ).encode()
        start = (
            '<html><head><link rel="alternate" type="application/rss+xml" href="/rss.xml"></head><body>'
            '<a href="/news/list.php?mcode=m1">섹션</a><a href="http://[주소]/news/view.php?idx=99">x</a>'
            '<a href="http://[::1/news/view.php?idx=97">y</a></body></html>'
        ).encode()
        list_one = (
            "<html><body>"
            + "".join(f'<a href="/news/view.php?idx={i}&amp;mcode=m1">{i}</a>' for i in range(1, 6))
            + '<a href="http://[주소]/news/view.php?idx=96">z</a></body></html>'
        ).encode()
        server.routes.update(
            {
                "/": Reply([response(200, start)]),
                "/rss.xml": Reply([response(200, feed, content_type="application/rss+xml")]),
                "/news/list.php?mcode=m1&page=1": Reply(
                    [response(200, list_one, content_type="text/html; charset=undefined")]
                ),
                "/news/list.php?mcode=m1&page=2": Reply([response(200, bytes(range(256)) * 64)]),
                "/news/view.php?idx=5": Reply([response(302, b"", headers=[("Location", "data:text/html,<p>x</p>")])]),
                # Another host that cannot be reached is this URL's failure, not an outage of the site.
                "/news/view.php?idx=3": Reply(
                    [response(302, b"", headers=[("Location", f"http://localhost:{_free_port()}/gone")])]
                ),
                **{f"/news/view.php?idx={i}": _article(i) for i in (1, 2, 4, 6)},
            }
        )
        articles = list(crawl(url + "/", db=db, options=FAST))
        again = list(crawl(url + "/", db=db, options=FAST))  # a later run does not stop at the same point
    assert sorted(int(a.article_id or 0) for a in articles) == [1, 2, 4, 6]
    assert again == []
    with CrawlStore(db) as store:
        failures = {record.url.replace(url, ""): record for record in store.failures()}
    assert "UnsupportedURLError" in (failures["/news/view.php?idx=5"].last_error or "")
    assert "localhost" in (failures["/news/view.php?idx=3"].last_error or "")
    assert failures["/news/list.php?mcode=m1&page=2"].kind == "list"


# Security: no redirect into the crawler's own network, no sitemaps elsewhere -----------------------------------

PUBLIC = "http://93.184.216.34"  # a public address literal (mocked: nothing leaves the machine)


@pytest.mark.parametrize(
    "target",
    ["http://127.0.0.1:9/admin", "http://10.0.0.5/x", "http://169.254.169.254/latest/meta-data", "http://[::1]/"],
)
def test_the_crawler_refuses_a_redirect_from_a_public_host_into_a_private_one(tmp_path: Path, target: str) -> None:
    async def main() -> list[Article]:
        with respx.mock(assert_all_called=False) as mock:
            mock.get(PUBLIC + "/robots.txt").respond(404)
            mock.get(PUBLIC + "/").respond(200, html='<a href="/news/view.php?idx=1">1</a>')
            mock.get(PUBLIC + "/news/view.php?idx=1").respond(302, headers={"Location": target})
            inside = mock.get(url__startswith=target.split("/", 3)[0] + "//" + target.split("/", 3)[2]).respond(
                200, html="<p>secret</p>"
            )
            found = [a async for a in acrawl(PUBLIC + "/", db=tmp_path / "c.sqlite", options=FAST)]
            assert inside.call_count == 0
            return found

    assert asyncio.run(main()) == []
    with CrawlStore(tmp_path / "c.sqlite") as store:
        (failure,) = store.failures()
    assert "UnsafeRedirectError" in (failure.last_error or "")


def test_sitemaps_on_other_sites_named_by_robots_are_not_read(tmp_path: Path) -> None:
    base = "https://sm.test"
    sitemap = f"<urlset><url><loc>{base}/news/article/1</loc></url></urlset>"

    async def main() -> None:
        with respx.mock(assert_all_called=False) as mock:
            mock.get(base + "/robots.txt").respond(
                200, text=f"User-agent: *\nSitemap: https://elsewhere.test/sm.xml\nSitemap: {base}/sm.xml\n"
            )
            mock.get(base + "/").respond(200, html="<html><body>home</body></html>")
            own = mock.get(base + "/sm.xml").respond(200, headers={"Content-Type": "text/xml"}, text=sitemap)
            other = mock.get("https://elsewhere.test/sm.xml").respond(200, text=sitemap)
            mock.get(url__startswith=base + "/news/").respond(404)
            async with httpx.AsyncClient() as client:
                _ = [a async for a in acrawl(base + "/", db=tmp_path / "c.sqlite", options=FAST, client=client)]
            assert own.call_count == 1 and other.call_count == 0

    asyncio.run(main())
