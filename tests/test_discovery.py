"""Feeds and sitemaps: EUC-KR and ill-formed files read, Korean dates read, unreadable ones recorded."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import pytest
from crawl_site import Site, serve

from newsclean import FeedError
from newsclean.cli import main
from newsclean.models import KST
from newsclean.net.crawl import CrawlOptions, CrawlProgress, crawl
from newsclean.net.discover import parse_feed, parse_sitemap
from newsclean.net.fetch import FetchOptions
from newsclean.net.store import CrawlStore

FAST = CrawlOptions(fetch=FetchOptions(delay=0, retries=0), concurrency=2)


def euc_kr_feed(links: list[str], *, date: str = "2024.01.05 12:00") -> bytes:
    items = "".join(
        f"<item><title>경기도 소식 {i}</title><link>{link}</link><pubDate>{date}</pubDate>"
        f"<description>똠방각하 뷁 {i}</description></item>"  # 똠, 뷁: CP949 extensions outside strict EUC-KR
        for i, link in enumerate(links)
    )
    channel = f"<channel><title>뉴스</title>{items}</channel>"
    rss = f'<?xml version="1.0" encoding="euc-kr"?><rss version="2.0">{channel}</rss>'
    return rss.encode("cp949")


def test_euc_kr_feed_with_korean_dates() -> None:
    entries = parse_feed(euc_kr_feed(["http://a.kr/news/view.php?idx=1", "http://a.kr/news/view.php?idx=2"]))
    assert [e.url for e in entries] == ["http://a.kr/news/view.php?idx=1", "http://a.kr/news/view.php?idx=2"]
    assert entries[0].date == datetime(2024, 1, 5, 12, 0, tzinfo=KST)


def test_feed_with_bare_ampersand_and_control_character_keeps_its_entries() -> None:
    rss = (
        b'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>A & B</title>'
        b"<item><title>\x0b\xec\x95\x88\xeb\x85\x95</title><link>http://a.kr/v.php?idx=1&mcode=m</link></item>"
        b"<item><title>two</title><link>http://a.kr/v.php?idx=2</link>"
        b"<pubDate>Fri, 05 Jan 2024 12:00:00 +0900</pubDate></item></channel></rss>"
    )
    entries = parse_feed(rss)
    assert [e.url for e in entries] == ["http://a.kr/v.php?idx=1&mcode=m", "http://a.kr/v.php?idx=2"]
    assert entries[1].date == datetime(2024, 1, 5, 12, 0, tzinfo=KST)


def test_header_charset_reads_a_feed_without_a_declaration() -> None:
    rss = '<rss version="2.0"><channel><item><title>한글 제목</title><link>http://a.kr/1</link></item></channel></rss>'
    assert [e.url for e in parse_feed(rss.encode("cp949"), charset="euc-kr")] == ["http://a.kr/1"]


def test_euc_kr_and_ill_formed_sitemaps() -> None:
    sitemap = (
        '<?xml version="1.0" encoding="EUC-KR"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        "<url><loc>http://a.kr/뉴스?idx=1&mcode=m</loc><lastmod>2024년 1월 5일 12:00</lastmod></url>"
        "<url><image:image><image:loc>http://a.kr/1.jpg</image:loc></image:image>"
        "<loc><![CDATA[http://a.kr/v.php?idx=2&x=1]]></loc></url></urlset>"
    ).encode("cp949")
    pages, children = parse_sitemap(sitemap)
    assert [p.url for p in pages] == ["http://a.kr/뉴스?idx=1&mcode=m", "http://a.kr/v.php?idx=2&x=1"]
    assert pages[0].date == datetime(2024, 1, 5, 12, 0, tzinfo=KST) and children == []


@pytest.mark.parametrize(
    "content", [b"", b"\x00\x01\x02\x03" * 100, b"<html><body><p>not a feed</p></body></html>", b"{}"]
)
def test_unreadable_feeds_and_sitemaps_raise_feed_error(content: bytes) -> None:
    with pytest.raises(FeedError):
        parse_feed(content)
    with pytest.raises(FeedError):
        parse_sitemap(content)


@dataclass
class FeedSite(Site):
    """The loopback site, announcing an EUC-KR feed and a broken one, with an EUC-KR sitemap in robots.txt."""

    extra: dict[str, tuple[int, str, bytes]] = field(default_factory=dict)

    def answer(self, path: str) -> tuple[int, str, bytes]:
        if path in self.extra:
            return self.extra[path]
        status, kind, body = super().answer(path)
        if path == "/":
            links = (
                b'<link rel="alternate" type="application/rss+xml" href="/rss.xml">'
                b'<link rel="alternate" type="application/rss+xml" href="/broken.xml">'
            )
            body = body.replace(b"<title>", links + b"<title>", 1)
        return status, kind, body


def test_crawl_reads_euc_kr_feeds_and_records_unreadable_ones(tmp_path: Path) -> None:
    site = FeedSite(sections=("m1",), articles_per_section=6)
    site.extra["/broken.xml"] = (200, "application/xml", b"\x00\x01\x02\x03\x04\x05" * 50)
    reports: list[CrawlProgress] = []
    with serve(site) as url:
        site.extra["/rss.xml"] = (200, "application/rss+xml", euc_kr_feed([f"{url}/news/view.php?idx=3"]))
        sitemap = (
            '<?xml version="1.0" encoding="euc-kr"?><urlset><url><loc>'
            f"{url}/news/view.php?idx=1&mcode=m1</loc><lastmod>2024.01.05</lastmod></url></urlset>"
        )
        site.extra["/sitemap.xml"] = (200, "text/xml", sitemap.encode("cp949"))
        site.robots = f"User-agent: *\nSitemap: {url}/sitemap.xml\n"
        db = tmp_path / "c.sqlite"
        # Lists off: the feed and the sitemap are the only sources besides the start page's two links.
        options = FAST.model_copy(update={"lists": False})
        articles = list(crawl(url + "/", db=db, options=options, progress=reports.append))
    found = {a.url for a in articles}
    assert f"{url}/news/view.php?idx=3" in found and f"{url}/news/view.php?idx=1" in found
    assert reports[-1].discovery_failed == 1
    with CrawlStore(db) as store:
        failures = {f.url: f for f in store.failures()}
    assert "FeedError" in (failures[f"{url}/broken.xml"].last_error or "")


def test_dead_site_exits_non_zero_and_counts_discovery_failures(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "dead.sqlite"
    code = main(["crawl", "http://127.0.0.1:1/", "--db", str(db), "--retries", "0", "--clean-processes", "0"])
    err = capsys.readouterr().err
    assert code == 1
    assert "start page" in err and "could not be reached" in err
    assert err.count("\n") == 1


def test_site_with_a_missing_sitemap_counts_it(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    site = FeedSite(sections=("m1",), articles_per_section=2)
    with serve(site) as url:
        site.robots = f"User-agent: *\nSitemap: {url}/missing-sitemap.xml\n"
        db = tmp_path / "c.sqlite"
        code = main(["crawl", url + "/", "--db", str(db), "--delay", "0", "--clean-processes", "0", "--retries", "0"])
    err = capsys.readouterr().err
    assert code == 0
    # The two announced feeds 404 and the sitemap 404s: three discovery failures, counted in the summary.
    assert "3 discovery pages failed" in err
