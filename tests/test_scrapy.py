"""newsclean inside Scrapy: the pipeline, the spider's discovery, and ``scrapy crawl newsclean`` end to end."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
from collections import Counter
from datetime import datetime
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest
from crawl_site import FIXTURES, Site, serve
from scrapy.exceptions import DropItem
from scrapy.http import HtmlResponse, Request, TextResponse
from scrapy.settings import Settings
from scrapy.utils.test import get_crawler
from twisted.python.failure import Failure

from newsclean import clean_article
from newsclean.corpus.export import arrow_schema, read_parquet
from newsclean.corpus.scrapy import (
    ArticlePage,
    NewscleanPipeline,
    NewsSiteSpider,
    ParquetItemExporter,
    SpiderArgumentError,
)
from newsclean.corpus.scrapy.spider import SEED_META
from newsclean.errors import ExportError, UnsupportedURLError
from newsclean.models import KST, Article
from newsclean.net.crawl import CrawlOptions, crawl
from newsclean.net.discover import start_family, start_feeds, start_lists
from newsclean.net.fetch import FetchOptions

ROOT = Path(__file__).resolve().parent.parent
PAGE = FIXTURES / "mk.co.kr" / "mk_11328184.html"
# Settings of every test crawl: no politeness waits (the site is local), no consoles listening.
QUICK = ("AUTOTHROTTLE_ENABLED=0", "DOWNLOAD_DELAY=0", "TELNETCONSOLE_ENABLED=0", "REMOTE_CONTROL_ENABLED=0")


def pipeline(**kwargs: Any) -> NewscleanPipeline:
    crawler = get_crawler(NewsSiteSpider)
    assert crawler.stats is not None
    crawler.stats.open_spider()
    return NewscleanPipeline(stats=crawler.stats, **kwargs)


def page(body: bytes, *, url: str = "http://127.0.0.1/news/view.php?idx=3&mcode=m1", **kwargs: Any) -> ArticlePage:
    return ArticlePage(url=url, body=body, **{"content_type": "text/html; charset=utf-8", **kwargs})


def stats_of(pipe: NewscleanPipeline) -> dict[str, Any]:
    assert pipe.stats is not None
    return {k: v for k, v in pipe.stats.get_stats().items() if k.startswith("newsclean/")}


# The pipeline ---------------------------------------------------------------------------------------------


def test_pipeline_turns_an_article_page_into_json_ready_article_fields() -> None:
    pipe = pipeline()
    raw = PAGE.read_bytes()
    item = pipe.process_item(page(raw))
    expected = clean_article(raw, url="http://127.0.0.1/news/view.php?idx=3")
    assert json.loads(json.dumps(item, ensure_ascii=False)) == item  # JSON-ready as it is
    assert item["url"] == "http://127.0.0.1/news/view.php?idx=3"  # the response's URL, canonical
    assert item["title"] == expected.title and item["paragraphs"] == list(expected.paragraphs)
    assert item["published_at"] == expected.published_at.isoformat() if expected.published_at else True
    assert item["text"] == expected.text and item["site"] == "127.0.0.1"
    assert stats_of(pipe) == {"newsclean/articles": 1}
    other = {"not": "an article page"}
    assert pipe.process_item(other) is other


def test_pipeline_decodes_with_the_http_charset() -> None:
    # A page whose bytes only the header's charset reads (the page declares none): UTF-16 little-endian.
    html = re.sub(r"<meta[^>]*charset[^>]*>", "", PAGE.read_text(encoding="utf-8"), flags=re.IGNORECASE)
    body = html.encode("utf-16-le")
    expected = clean_article(html, url="http://127.0.0.1/news/view.php?idx=3")
    item = pipeline().process_item(page(body, content_type="text/html; charset=UTF-16LE"))
    assert item["title"] == expected.title and item["paragraphs"] == list(expected.paragraphs)
    # Korean legacy encoding named by the header only.
    euc = html.encode("cp949", errors="ignore")
    item = pipeline().process_item(page(euc, content_type="text/html; charset=euc-kr"))
    assert item["title"] == expected.title


@pytest.mark.parametrize(
    ("kwargs", "reason"),
    [
        (
            {"body": b"<html><body><ul><li><a href='/news/list.php?mcode=m1'>m1</a></li></ul></body></html>"},
            "no_article",
        ),
        ({"body": b"\x89PNG\r\n\x1a\n", "content_type": "image/png"}, "not_html"),
        ({"body": b"   "}, "empty"),
        ({"body": b"server error", "status": 500}, "http_status"),
        ({"body": bytes(range(256)) * 40}, "undecodable"),
    ],
)
def test_pipeline_drops_a_page_that_is_no_article_with_a_counted_reason(kwargs: dict[str, Any], reason: str) -> None:
    pipe = pipeline()
    with pytest.raises(DropItem, match=f"^{reason}: "):
        pipe.process_item(page(**kwargs))
    assert stats_of(pipe) == {f"newsclean/dropped/{reason}": 1}


def test_pipeline_since_and_limit() -> None:
    raw = PAGE.read_bytes()
    old = pipeline(since=datetime(2100, 1, 1, tzinfo=KST))
    with pytest.raises(DropItem, match=r"^old: "):
        old.process_item(page(raw))
    assert stats_of(old) == {"newsclean/dropped/old": 1}
    limited = pipeline(limit=2)
    request = Request("http://127.0.0.1/news/view.php?idx=3")
    assert limited.process_item(page(raw))["title"]
    assert limited.process_item(page(raw))["title"]
    with pytest.raises(DropItem, match=r"^limit: "):
        limited.process_item(page(raw, request=request))
    assert request.meta["newsclean_requeue"] is True  # a shared frontier hands it out again later
    assert stats_of(limited) == {"newsclean/articles": 2, "newsclean/dropped/limit": 1}


# The Parquet feed exporter ---------------------------------------------------------------------------------


def test_parquet_exporter_writes_the_pipeline_items_with_the_shared_schema() -> None:
    raw = PAGE.read_bytes()
    pipe = pipeline()
    items = [pipe.process_item(page(raw, url=f"http://127.0.0.1/news/view.php?idx={i}")) for i in (1, 2, 3)]
    out = io.BytesIO()
    exporter = ParquetItemExporter(out)
    exporter.start_exporting()
    for item in items:
        exporter.export_item(item)
    exporter.finish_exporting()
    assert not out.closed  # the feed storage closes its file
    table = pq.read_table(io.BytesIO(out.getvalue()))
    assert table.schema == arrow_schema() and table.num_rows == 3
    assert [Article.model_validate(row) for row in table.to_pylist()] == [Article.model_validate(i) for i in items]


def test_parquet_exporter_refuses_an_item_that_is_not_an_article() -> None:
    out = io.BytesIO()
    exporter = ParquetItemExporter(out)
    with pytest.raises(ExportError, match="not open"):
        exporter.export_item({"url": "http://127.0.0.1/a"})
    exporter.start_exporting()
    with pytest.raises(ExportError, match="Article fields"):
        exporter.export_item({"price": 3})
    with pytest.raises(ExportError, match="Article fields"):
        exporter.export_item("a string")
    with pytest.raises(ExportError, match=r"http://127.0.0.1/a is not a valid article.*published_at"):
        exporter.export_item({"url": "http://127.0.0.1/a", "published_at": "yesterday"})
    exporter.export_item({"url": "http://127.0.0.1/b", "title": "제목", "paragraphs": ["본문"]})  # the feed goes on
    exporter.finish_exporting()
    rows = pq.read_table(io.BytesIO(out.getvalue())).to_pylist()
    assert [(row["url"], row["text"]) for row in rows] == [("http://127.0.0.1/b", "본문")]


def test_parquet_exporter_does_not_append_to_a_file(tmp_path: Path) -> None:
    existing = tmp_path / "articles.parquet"
    existing.write_bytes(b"PAR1 earlier rows PAR1")
    with existing.open("ab") as out, pytest.raises(ExportError, match="cannot append to the Parquet file"):
        ParquetItemExporter(out).start_exporting()
    assert existing.read_bytes() == b"PAR1 earlier rows PAR1"  # left as it was
    with (tmp_path / "new.parquet").open("ab") as out:  # appending to a new, empty file is writing it
        exporter = ParquetItemExporter(out)
        exporter.start_exporting()
        exporter.export_item({"url": "http://127.0.0.1/b", "paragraphs": ["본문"]})
        exporter.finish_exporting()
    assert [a.text for a in read_parquet(tmp_path / "new.parquet")] == ["본문"]


# The spider's discovery, callback by callback --------------------------------------------------------------


def spider(**kwargs: Any) -> NewsSiteSpider:
    crawler = get_crawler(NewsSiteSpider)
    made = NewsSiteSpider.from_crawler(crawler, **kwargs)
    assert crawler.stats is not None
    crawler.stats.open_spider()
    return made


def test_spider_arguments_are_checked() -> None:
    with pytest.raises(SpiderArgumentError, match="needs a site"):
        NewsSiteSpider()
    with pytest.raises(UnsupportedURLError):
        NewsSiteSpider(site="ftp://news.example/")
    with pytest.raises(SpiderArgumentError, match="limit"):
        NewsSiteSpider(site="http://news.example/", limit="ten")
    with pytest.raises(SpiderArgumentError, match="since"):
        NewsSiteSpider(site="http://news.example/", since="yesterday")
    with pytest.raises(SpiderArgumentError, match="feeds"):
        NewsSiteSpider(site="http://news.example/", feeds="maybe")
    made = NewsSiteSpider(site="HTTP://News.Example", limit="5", since="2024-05-01", sitemaps="0")
    assert made.root == "http://news.example/" and made.limit == 5 and not made.read_sitemaps
    assert made.since == datetime(2024, 5, 1, tzinfo=KST)


def test_spider_obeys_robots_and_throttles_by_default_and_settings_decide() -> None:
    settings = Settings()
    NewsSiteSpider.update_settings(settings)
    assert settings.getbool("ROBOTSTXT_OBEY") and settings.getbool("AUTOTHROTTLE_ENABLED")
    assert "newsclean.corpus.scrapy.pipeline.NewscleanPipeline" in settings.getwithbase("ITEM_PIPELINES")
    project = Settings({"AUTOTHROTTLE_ENABLED": False, "ITEM_PIPELINES": {"my.Pipeline": 500}}, priority="project")
    NewsSiteSpider.update_settings(project)
    assert not project.getbool("AUTOTHROTTLE_ENABLED") and project.getbool("ROBOTSTXT_OBEY")
    pipelines = set(project.getwithbase("ITEM_PIPELINES"))
    assert pipelines == {"my.Pipeline", "newsclean.corpus.scrapy.pipeline.NewscleanPipeline"}
    # The feed format parquet joins Scrapy's own; a project's FEED_EXPORTERS adds to them.
    exporters = project.getwithbase("FEED_EXPORTERS")
    assert exporters["parquet"] == "newsclean.corpus.scrapy.exporters.ParquetItemExporter" and "jsonlines" in exporters
    project.set("FEED_EXPORTERS", {"my": "my.Exporter"}, priority="project")
    assert {"my", "parquet", "jsonlines"} <= set(project.getwithbase("FEED_EXPORTERS"))


def test_spider_reads_feeds_robots_and_sitemaps_with_newsclean_discovery() -> None:
    made = spider(site="https://www.news.example/", since="2024-05-01")
    feed = (
        b"<?xml version='1.0'?><rss><channel>"
        b"<item><link>https://www.news.example/news/articleView.html?idxno=7&amp;sc_section_code=S1</link>"
        b"<pubDate>Thu, 02 May 2024 09:00:00 +0900</pubDate></item>"
        b"<item><link>https://www.news.example/news/articleView.html?idxno=6</link>"
        b"<pubDate>Tue, 30 Apr 2024 09:00:00 +0900</pubDate></item>"
        b"<item><link>https://elsewhere.example/news/articleView.html?idxno=5</link></item>"
        b"</channel></rss>"
    )
    response = TextResponse("https://www.news.example/rss/allArticle.xml", body=feed)
    urls = [r.url for r in made.parse_feed(response)]
    assert urls == ["https://www.news.example/news/articleView.html?idxno=7"]  # canonical, on site, not old
    robots = TextResponse(
        "https://www.news.example/robots.txt", body=b"User-agent: *\nSitemap: https://www.news.example/sm.xml\n"
    )
    (sitemap_request,) = made.parse_robots(robots)
    assert sitemap_request.url == "https://www.news.example/sm.xml" and sitemap_request.dont_filter
    sitemap = (
        b"<?xml version='1.0'?><urlset xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'>"
        b"<url><loc>https://www.news.example/news/articleView.html?idxno=9</loc></url>"
        b"<url><loc>https://www.news.example/company/about.html</loc></url></urlset>"
    )
    response = TextResponse("https://www.news.example/sm.xml", body=sitemap, request=sitemap_request)
    assert [r.url for r in made.parse_sitemap(response)] == ["https://www.news.example/news/articleView.html?idxno=9"]
    # An NDSoft start page: its articles, its well-known feed and its all-articles list.
    home = (
        b"<html><body><a href='/news/articleView.html?idxno=11'>a</a>"
        b"<a href='/news/articleList.html?sc_section_code=S1N1'>s</a></body></html>"
    )
    start = HtmlResponse("https://www.news.example/", body=home, encoding="utf-8")
    out = list(made.parse_start(start))
    urls = [r.url for r in out]
    assert urls[0] == "https://www.news.example/news/articleView.html?idxno=11"
    assert "https://www.news.example/rss/allArticle.xml" in urls
    assert "https://www.news.example/news/articleList.html?view_type=sm&page=1" in urls
    assert urls[-1] == "https://www.news.example/robots.txt"
    # The same family, lists and feeds the crawl engine reads.
    family = start_family(home.decode(), base_url="https://www.news.example/")
    assert family is not None and family.name == "ndsoft"
    assert start_lists(home.decode(), base_url="https://www.news.example/", family=family) == [
        "https://www.news.example/news/articleList.html?view_type=sm"
    ]
    assert start_feeds(home.decode(), base_url="https://www.news.example/", family=family) == [
        "https://www.news.example/rss/allArticle.xml"
    ]


def test_spider_walks_a_list_while_it_brings_new_articles() -> None:
    made = spider(site="http://127.0.0.1:9/")
    site = Site(articles_per_section=6, page_size=4)

    def list_response(page_no: int) -> HtmlResponse:
        url = f"http://127.0.0.1:9/news/list.php?mcode=m1&page={page_no}"
        _, _, body = site.answer(f"/news/list.php?mcode=m1&page={page_no}")
        meta = {"list": "http://127.0.0.1:9/news/list.php?mcode=m1", "family": "dadamedia", "page": page_no}
        return HtmlResponse(url, body=body, encoding="utf-8", request=Request(url, meta=meta))

    first = [r.url for r in made.parse_list(list_response(1))]
    assert first[0] == "http://127.0.0.1:9/news/list.php?mcode=m1&page=2"  # the next page goes first
    assert first[1:] == [f"http://127.0.0.1:9/news/view.php?idx={i}" for i in (11, 9, 7, 5)]
    assert [r.url for r in made.parse_list(list_response(1))][0:1] != first[0:1]  # nothing new: the walk stops
    assert [r.url for r in made.parse_list(list_response(3))] == []  # past the end


@pytest.mark.parametrize("name", ["view.php", "no-such-family"])
def test_a_queued_list_page_naming_an_unknown_family_is_walked_by_its_url(name: str) -> None:
    # A shared frontier can hold requests queued by another newsclean version, under a family name this one does
    # not have (the reference family was once "view.php"): the list's URL tells its family.
    made = spider(site="http://127.0.0.1:9/")
    site = Site(articles_per_section=6, page_size=4)
    url = "http://127.0.0.1:9/news/list.php?mcode=m1&page=1"
    _, _, body = site.answer("/news/list.php?mcode=m1&page=1")
    meta = {"list": "http://127.0.0.1:9/news/list.php?mcode=m1", "family": name, "page": 1}
    response = HtmlResponse(url, body=body, encoding="utf-8", request=Request(url, meta=meta))
    urls = [r.url for r in made.parse_list(response)]
    assert urls[0] == "http://127.0.0.1:9/news/list.php?mcode=m1&page=2"
    assert urls[1:] == [f"http://127.0.0.1:9/news/view.php?idx={i}" for i in (11, 9, 7, 5)]


# ``scrapy crawl newsclean`` end to end ---------------------------------------------------------------------


def scrapy_crawl(url: str, *args: str, settings: str = "newsclean.corpus.scrapy.settings", timeout: float = 60) -> str:
    """Run ``scrapy crawl newsclean`` in a process of its own; return its log (stderr)."""
    result = subprocess.run(
        scrapy_command(url, *args), env=scrapy_env(settings), capture_output=True, text=True, timeout=timeout
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stderr


def scrapy_command(url: str, *args: str) -> list[str]:
    quick = [arg for setting in QUICK for arg in ("-s", setting)]
    return [sys.executable, "-m", "scrapy", "crawl", "newsclean", "-a", f"site={url}/", *quick, *args]


def scrapy_env(settings: str) -> dict[str, str]:
    path = os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])
    return {**os.environ, "PYTHONPATH": path, "SCRAPY_SETTINGS_MODULE": settings}


def stat(log: str, key: str) -> int:
    match = re.search(rf"'{re.escape(key)}': (\d+)", log)
    return int(match.group(1)) if match else 0


def urls_of(jsonl: Path) -> list[str]:
    return [json.loads(line)["url"] for line in jsonl.read_text(encoding="utf-8").splitlines()]


def test_scrapy_crawl_stores_every_article_once_as_the_crawl_engine_does(tmp_path: Path) -> None:
    site = Site(failing=frozenset({5}), robots="User-agent: *\nDisallow: /news/view.php?idx=7\n")
    out = tmp_path / "out.jsonl"
    with serve(site) as url:
        log = scrapy_crawl(url, "-O", str(out))
        requested = site.requested("/news/view.php")
        # newsclean's own crawl of the same site finds the same articles.
        options = CrawlOptions(fetch=FetchOptions(delay=0))
        engine = sorted(a.url or "" for a in crawl(url + "/", db=tmp_path / "c.sqlite", options=options))
    expected = sorted(f"{url}/news/view.php?idx={i}" for i in site.all_ids if i not in (5, 7))
    items = urls_of(out)
    assert sorted(items) == expected and engine == expected
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert all(line["title"] and line["paragraphs"] and line["text"] for line in lines)
    assert not [path for path in requested if path.startswith("/news/view.php?idx=7")]  # robots.txt obeyed
    assert Counter(p.split("&")[0] for p in requested)["/news/view.php?idx=3"] == 1
    assert stat(log, "newsclean/articles") == len(expected)
    assert stat(log, "newsclean/failed/http_500") == 1 and stat(log, "newsclean/failed/IgnoreRequest") == 1


def test_scrapy_crawl_writes_a_parquet_feed_with_the_articles_of_the_jsonl_feed(tmp_path: Path) -> None:
    jsonl, parquet = tmp_path / "articles.jsonl", tmp_path / "articles.parquet"
    site = Site(failing=frozenset({4}))
    with serve(site) as url:
        log = scrapy_crawl(url, "-O", str(jsonl), "-O", str(parquet))
    expected = [Article.model_validate_json(line) for line in jsonl.read_text(encoding="utf-8").splitlines()]
    assert len(expected) == len(site.all_ids) - 1 and all(a.paragraphs for a in expected)
    assert list(read_parquet(parquet)) == expected  # the same articles, field for field, in the same order
    assert pq.read_schema(parquet) == arrow_schema()
    assert f"Stored parquet feed ({len(expected)} items)" in log


def test_scrapy_runspider_brings_robots_autothrottle_and_the_pipeline_and_keeps_a_limit(tmp_path: Path) -> None:
    out, parquet = tmp_path / "out.jsonl", tmp_path / "out.parquet"
    site = Site()
    # No project settings: everything comes from the spider, the feed format parquet too (FEEDS names it: the
    # command line checks -o/-O formats before the spider brings its settings). AutoThrottle stays on, told to
    # wait little.
    command = [sys.executable, "-m", "scrapy", "runspider", str(ROOT / "newsclean" / "corpus" / "scrapy" / "spider.py")]
    feeds = {str(path): {"format": path.suffix[1:], "overwrite": True} for path in (out, parquet)}
    command += ["-a", "limit=3", "-a", "sitemaps=0", "-s", f"FEEDS={json.dumps(feeds)}"]
    command += ["-s", "AUTOTHROTTLE_START_DELAY=0", "-s", "AUTOTHROTTLE_MAX_DELAY=0.1", "-s", "CONCURRENT_REQUESTS=2"]
    env = scrapy_env("")
    del env["SCRAPY_SETTINGS_MODULE"]
    with serve(site) as url:
        result = subprocess.run([*command, "-a", f"site={url}/"], env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr[-3000:]
    log = result.stderr
    assert "scrapy.extensions.throttle.AutoThrottle" in log and "robotstxt/request_count': 1" in log
    assert site.requested("/robots.txt")  # fetched by Scrapy's robots.txt middleware (the spider's own is off)
    items = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(items) == len({item["url"] for item in items}) == 3 and all(item["paragraphs"] for item in items)
    assert [a.url for a in read_parquet(parquet)] == [item["url"] for item in items]
    assert "finish_reason': 'limit'" in log


def test_a_start_page_that_fails_still_leads_to_the_sitemaps() -> None:
    made = spider(site="http://127.0.0.1:9/")
    failure = Failure(ConnectionRefusedError("connection refused"))
    failure.request = Request("http://127.0.0.1:9/", meta={SEED_META: True})  # as Scrapy hands it to errbacks
    (robots,) = made.on_error(failure)
    assert robots.url == "http://127.0.0.1:9/robots.txt" and robots.meta["fallback"] is True
    response = TextResponse(robots.url, body=b"User-agent: *\nDisallow: /admin/\n", request=robots)
    assert [r.url for r in made.parse_robots(response)] == ["http://127.0.0.1:9/sitemap.xml"]
    assert made.crawler.stats is not None
    assert made.crawler.stats.get_value("newsclean/failed/ConnectionRefusedError") == 1
    failure.request = Request("http://127.0.0.1:9/news/view.php?idx=1")  # any other page: counted only
    assert list(made.on_error(failure)) == []
