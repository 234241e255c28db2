"""Crawl: discovery (lists, paging, feeds, sitemaps, id walk), canonical dedup, limits, resuming."""

from __future__ import annotations

import asyncio
from datetime import date
from pathlib import Path

import httpx
import pytest
import respx
from crawl_site import Site, serve

from newsclean import Article, FeedError
from newsclean.net.crawl import CrawlOptions, CrawlProgress, acrawl, crawl, default_db_path
from newsclean.net.discover import (
    article_links,
    family_of,
    feed_links,
    page_url,
    parse_feed,
    parse_sitemap,
    section_links,
)
from newsclean.net.fetch import FetchOptions
from newsclean.net.store import CrawlStore
from newsclean.sites import family_named

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
FAST = CrawlOptions(fetch=FetchOptions(delay=0, backoff=0.01, max_backoff=0.02), concurrency=4)
REFERENCE = family_named("dadamedia")

# Discovery from page text ------------------------------------------------------------------------------------


def test_article_links_are_canonical_same_site_and_unique() -> None:
    html = """<a href="../news/view.php?idx=5&amp;mcode=m1">a</a>
    <a href="/news/view.php?idx=5&mcode=m2#top">same article, other section</a>
    <a href="view.php?idx=6&sm=w_total&stx=%EA%B8%B0">search result link</a>
    <a href="https://other.test/news/view.php?idx=7">another site</a>
    <a href="https://m.site.test/news/view.php?idx=8">mobile host of the same site</a>
    <a href="/news/list.php?mcode=m1&page=2">a list</a> <a href="javascript:article_view('9')">js</a>"""
    links = article_links(html, base_url="https://www.site.test/news/list.php?mcode=m1")
    assert links == [
        "https://www.site.test/news/view.php?idx=5",
        "https://www.site.test/news/view.php?idx=6",
        "https://m.site.test/news/view.php?idx=8",
    ]


def test_section_links_drop_the_page_number() -> None:
    html = """<a href="/news/list.php?mcode=m1">s1</a><a href="/news/list.php?mcode=m1&page=3">s1 p3</a>
    <a href="/news/list.php?mcode=m2&page=1">s2</a><a href="/news/view.php?idx=1">article</a>"""
    assert section_links(html, base_url="http://s.test/", family=REFERENCE) == [
        "http://s.test/news/list.php?mcode=m1",
        "http://s.test/news/list.php?mcode=m2",
    ]


def test_family_of_urls() -> None:
    assert family_of(["http://a/news/view.php?idx=1&mcode=x"]) is REFERENCE
    assert family_of(["http://a/news/articleView.html?idxno=12"]).name == "ndsoft"  # type: ignore[union-attr]
    assert family_of(["http://a/news/list.php?mcode=m1"]) is REFERENCE
    assert family_of(["http://a/about.html"]) is None


def test_page_url_sets_or_drops_the_page() -> None:
    assert page_url("http://a/news/list.php?mcode=m1&page=2", page=3) == "http://a/news/list.php?mcode=m1&page=3"
    assert page_url("http://a/news/list.php?page=2&mcode=m1#x", page=None) == "http://a/news/list.php?mcode=m1"


def test_feed_links_of_a_page() -> None:
    html = """<link rel="alternate" type="application/rss+xml" href="/rss/allArticle.xml">
    <link rel="alternate" type="application/atom+xml" href="https://a.test/atom">
    <link rel="stylesheet" href="/s.css">"""
    assert feed_links(html, base_url="https://a.test/") == ["https://a.test/rss/allArticle.xml", "https://a.test/atom"]


def test_parse_rss_atom_and_rdf() -> None:
    rss = b"""<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>t</title>
    <item><title>one</title><link>https://a.test/news/articleView.html?idxno=1</link>
    <pubDate>Mon, 03 Jul 2023 10:31:14 +0900</pubDate></item>
    <item><guid isPermaLink="true">https://a.test/news/articleView.html?idxno=2</guid>
    <pubDate>2023-07-02 09:00:00</pubDate></item></channel></rss>"""
    entries = parse_feed(rss)
    assert [e.url for e in entries] == [
        "https://a.test/news/articleView.html?idxno=1",
        "https://a.test/news/articleView.html?idxno=2",
    ]
    assert entries[0].date is not None and entries[0].date.isoformat() == "2023-07-03T10:31:14+09:00"
    assert entries[1].date is not None and entries[1].date.utcoffset() is not None  # naive -> Korea time
    atom = b"""<feed xmlns="http://www.w3.org/2005/Atom"><entry><link rel="self" href="https://a.test/self"/>
    <link href="https://a.test/a/1"/><updated>2024-01-02T03:04:05Z</updated></entry></feed>"""
    assert [(e.url, e.date.year if e.date else None) for e in parse_feed(atom)] == [("https://a.test/a/1", 2024)]
    rdf = b"""<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
    xmlns:dc="http://purl.org/dc/elements/1.1/"><item><link>https://a.test/r/1</link><dc:date>2022-05-01</dc:date>
    </item></rdf:RDF>"""
    assert [e.url for e in parse_feed(rdf)] == ["https://a.test/r/1"]
    with pytest.raises(FeedError):
        parse_feed(b"<html><body>not a feed")


def test_parse_sitemap_and_index() -> None:
    urlset = b"""<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
    xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
    <url><loc>https://a.test/news/view.php?idx=1</loc><lastmod>2024-03-01</lastmod></url>
    <url><loc>https://a.test/news/view.php?idx=2</loc><news:news><news:publication_date>2024-03-02T10:00:00+09:00
    </news:publication_date></news:news></url></urlset>"""
    pages, children = parse_sitemap(urlset)
    assert [p.url for p in pages] == ["https://a.test/news/view.php?idx=1", "https://a.test/news/view.php?idx=2"]
    assert children == [] and pages[1].date is not None and pages[1].date.day == 2
    index = b"""<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
    <sitemap><loc>https://a.test/sitemap-1.xml</loc></sitemap></sitemapindex>"""
    assert parse_sitemap(index) == ([], [parse_sitemap(index)[1][0]])
    assert parse_sitemap(index)[1][0].url == "https://a.test/sitemap-1.xml"
    with pytest.raises(FeedError):
        parse_sitemap(b"garbage <<<")


def test_default_db_path_names_the_site() -> None:
    assert default_db_path("https://www.gginews2.dadamedia.net/") == Path("gginews2.dadamedia.net.sqlite")


# Crawling the loopback site of the reference family ----------------------------------------------------------


def _run(url: str, db: Path, **kwargs: object) -> list[Article]:
    return list(crawl(url, db=db, **kwargs))  # type: ignore[arg-type]


def test_crawl_finds_every_article_once_and_records_the_failure(tmp_path: Path) -> None:
    site = Site(failing=frozenset({5}))
    db = tmp_path / "c.sqlite"
    reports: list[CrawlProgress] = []
    with serve(site) as url:
        articles = _run(url + "/", db, options=FAST, progress=reports.append)
    expected = {f"{url}/news/view.php?idx={i}" for i in site.all_ids if i != 5}
    assert sorted(a.url or "" for a in articles) == sorted(expected)
    assert all(a.paragraphs for a in articles)
    # Paging stops at the first page that brings nothing new: 6 articles a section, 4 a page -> pages 1, 2, 3.
    assert sorted(site.requested("/news/list.php")) == sorted(
        f"/news/list.php?mcode={s}&page={p}" for s in ("m1", "m2") for p in (1, 2, 3)
    )
    # Each article page fetched once, though the start page links two of them too (with &mcode=).
    article_requests = site.requested("/news/view.php")
    assert len(article_requests) == len(set(article_requests)) == 12
    assert site.requested("/robots.txt") == ["/robots.txt"]
    with CrawlStore(db) as store:
        assert store.counts().articles == 11
        (failure,) = store.failures()
    assert failure.url.endswith("idx=5") and failure.http_status == 500 and "500" in (failure.last_error or "")
    assert reports[-1].finished and (reports[-1].new, reports[-1].failed) == (11, 1)


def test_second_run_fetches_nothing_done_and_lists_answer_304(tmp_path: Path) -> None:
    site = Site(failing=frozenset({5}))
    db = tmp_path / "c.sqlite"
    with serve(site) as url:
        _run(url + "/", db, options=FAST)
        site.log.clear()
        again = _run(url + "/", db, options=FAST)
    assert again == []
    # Only the failed article is tried again; each list is asked for page 1 only (answered 304 Not Modified).
    assert site.requested("/news/view.php") == ["/news/view.php?idx=5"]
    assert sorted(site.requested("/news/list.php")) == [
        "/news/list.php?mcode=m1&page=1",
        "/news/list.php?mcode=m2&page=1",
    ]


def test_limit_stops_early_and_the_next_run_resumes(tmp_path: Path) -> None:
    site = Site(articles_per_section=10)
    db = tmp_path / "c.sqlite"
    with serve(site) as url:
        first = _run(url + "/", db, limit=3, options=FAST)
        assert len(first) == 3
        fetched_first = set(site.requested("/news/view.php"))
        site.log.clear()
        rest = _run(url + "/", db, options=FAST)
    assert len(first) + len(rest) == 20
    assert not {a.url for a in first} & {a.url for a in rest}
    with CrawlStore(db) as store:
        done = {r for r in store.known_urls() if (rec := store.get(r)) and rec.status == "done"}
    assert len(done) == 20
    # Nothing stored in the first run was fetched again.
    stored_first = {"/" + (a.url or "").split("/", 3)[3] for a in first}
    assert not stored_first & set(site.requested("/news/view.php"))
    assert fetched_first  # (some fetched but unstored pages may be fetched again: they were not finished)


def test_closing_the_generator_stops_the_crawl(tmp_path: Path) -> None:
    site = Site(articles_per_section=30, latency=0.01)
    with serve(site) as url:
        gen = crawl(url + "/", db=tmp_path / "c.sqlite", options=FAST.model_copy(update={"concurrency": 1}))
        next(gen)
        gen.close()
        count = len(site.requested("/news/view.php"))
        asyncio.run(asyncio.sleep(0.1))
        assert len(site.requested("/news/view.php")) == count  # nothing more is fetched
    assert count < 60


def test_since_skips_older_articles(tmp_path: Path) -> None:
    # Fixture pages: mk.co.kr of 2025, naver and chosun.com of 2020-2021 (or other years): split by 2024.
    site = Site()
    db = tmp_path / "c.sqlite"
    with serve(site) as url:
        articles = _run(url + "/", db, since=date(2024, 1, 1), options=FAST)
    assert articles and all(a.published_at and a.published_at.year >= 2024 for a in articles)
    with CrawlStore(db) as store:
        counts = store.counts()
    assert counts.old > 0 and counts.articles == len(articles)


def test_id_walk_finds_what_the_lists_miss(tmp_path: Path) -> None:
    site = Site(failing=frozenset({4}))
    db = tmp_path / "c.sqlite"
    options = FAST.model_copy(update={"walk_misses": 3, "walk_from": 14})
    with serve(site) as url:
        # Start from one section's list: only its (odd) ids are listed; the walk finds the even ones.
        articles = _run(url + "/news/list.php?mcode=m1", db, options=options)
    ids = sorted(int(a.article_id or 0) for a in articles)
    assert ids == [i for i in range(1, 13) if i != 4]
    # 14 and 13 are misses (404), two in a row, fewer than 3: the walk goes on down to idx 1.
    walked = site.requested("/news/view.php")
    assert "/news/view.php?idx=2" in walked and "/news/view.php?idx=14" in walked
    with CrawlStore(db) as store:
        assert store.get(f"{url}/news/view.php?idx=14") is None  # a miss is not a failure
        record = store.get(f"{url}/news/view.php?idx=4")
        assert record is not None and record.status == "failed"


def test_id_walk_stops_after_k_misses(tmp_path: Path) -> None:
    site = Site()
    options = FAST.model_copy(update={"walk_misses": 2, "walk_from": 30, "lists": False})
    with serve(site) as url:
        articles = _run(url + "/news/list.php?mcode=m1", tmp_path / "c.sqlite", options=options)
    assert sorted(int(a.article_id or 0) for a in articles) == [5, 7, 9, 11]  # linked from the start page
    # Ids are walked in batches of `concurrency` (4): one batch of four misses ends the walk.
    walked = {int(path.rsplit("=", 1)[1]) for path in site.requested("/news/view.php?idx=")} - {5, 7, 9, 11}
    assert walked == {27, 28, 29, 30}


# Other families and sources, through an injected client ------------------------------------------------------

ND = "https://nd.test"


def _ndsoft_article(idxno: int, fixture: str = "chosun.com/chosun_2020082704301.html") -> httpx.Response:
    raw = (FIXTURES / fixture).read_bytes()
    return httpx.Response(
        200, headers={"Content-Type": "text/html"}, content=raw.replace(b"</title>", b" %d</title>" % idxno)
    )


def test_ndsoft_list_paging_and_rss(tmp_path: Path) -> None:
    def article_list(request: httpx.Request) -> httpx.Response:
        page = int(request.url.params.get("page", "1"))
        ids = {1: [10, 9, 8], 2: [7, 6, 5], 3: [4]}.get(page, [])
        links = "".join(f'<a href="/news/articleView.html?idxno={i}&replyAll=">{i}</a>' for i in ids)
        return httpx.Response(200, html=f"<html><body>{links}</body></html>")

    rss = """<rss version="2.0"><channel>
    <item><link>https://nd.test/news/articleView.html?idxno=11</link></item>
    <item><link>https://nd.test/news/articleView.html?idxno=10</link></item></channel></rss>"""

    async def main() -> list[Article]:
        with respx.mock(assert_all_called=False) as mock:
            mock.get(ND + "/robots.txt").respond(404)
            mock.get(ND + "/").respond(200, html='<a href="/news/articleView.html?idxno=10">top</a>')
            mock.get(ND + "/rss/allArticle.xml").respond(200, headers={"Content-Type": "application/xml"}, text=rss)
            lists = mock.get(url__startswith=ND + "/news/articleList.html").mock(side_effect=article_list)
            mock.get(url__startswith=ND + "/news/articleView.html").mock(
                side_effect=lambda r: _ndsoft_article(int(r.url.params["idxno"]))
            )
            async with httpx.AsyncClient() as client:
                found = [a async for a in acrawl(ND + "/", db=tmp_path / "nd.sqlite", options=FAST, client=client)]
            assert lists.call_count == 4  # pages 1-3 bring new ids, page 4 nothing
            return found

    articles = asyncio.run(main())
    assert sorted(int(a.article_id or 0) for a in articles) == list(range(4, 12))
    assert all(a.url and "replyAll" not in a.url for a in articles)


def test_sitemap_index_from_robots(tmp_path: Path) -> None:
    base = "https://sm.test"
    index = f"""<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
    <sitemap><loc>{base}/sm-new.xml</loc><lastmod>2025-06-01</lastmod></sitemap>
    <sitemap><loc>{base}/sm-old.xml</loc><lastmod>2019-01-01</lastmod></sitemap></sitemapindex>"""
    new = f"""<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
    <url><loc>{base}/news/article/2025/1</loc></url><url><loc>{base}/news/article/2025/2</loc></url>
    <url><loc>https://elsewhere.test/x</loc></url></urlset>"""

    async def main() -> list[Article]:
        with respx.mock(assert_all_called=False) as mock:
            mock.get(base + "/robots.txt").respond(200, text=f"User-agent: *\nAllow: /\nSitemap: {base}/sm-index.xml\n")
            mock.get(base + "/").respond(200, html="<html><body>home</body></html>")
            mock.get(base + "/sm-index.xml").respond(200, headers={"Content-Type": "text/xml"}, text=index)
            mock.get(base + "/sm-new.xml").respond(200, headers={"Content-Type": "text/xml"}, text=new)
            old = mock.get(base + "/sm-old.xml").respond(404)
            mock.get(url__startswith=base + "/news/article/").mock(
                side_effect=lambda r: _ndsoft_article(1, "mk.co.kr/mk_11328184.html")
            )
            found = [
                a async for a in acrawl(base + "/", db=tmp_path / "sm.sqlite", since=date(2024, 1, 1), options=FAST)
            ]
            assert old.call_count == 0  # older than --since: not read
            return found

    articles = asyncio.run(main())
    assert sorted(a.url or "" for a in articles) == [f"{base}/news/article/2025/1", f"{base}/news/article/2025/2"]


def test_cleaning_in_processes_gives_the_same_articles(tmp_path: Path) -> None:
    site = Site(failing=frozenset({5}))
    with serve(site) as url:
        in_thread = _run(url + "/", tmp_path / "a.sqlite", options=FAST)
        in_processes = _run(url + "/", tmp_path / "b.sqlite", options=FAST.model_copy(update={"clean_processes": 1}))
    assert sorted(a.model_dump_json() for a in in_processes) == sorted(a.model_dump_json() for a in in_thread)
    with CrawlStore(tmp_path / "b.sqlite") as store:
        assert store.counts().failed == 1
