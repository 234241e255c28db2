"""``crawl --sites FILE``: several sites in one event loop, each host with its own politeness, one database."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from crawl_site import Site, serve

from newsclean import HostUnreachableError
from newsclean.cli import main
from newsclean.net.crawl import CrawlOptions, CrawlProgress, crawl_sites
from newsclean.net.fetch import FetchOptions
from newsclean.net.store import CrawlStore


@dataclass
class TimedSite(Site):
    """The loopback site, logging when each path was asked for into a log shared by several sites."""

    name: str = ""
    shared: list[tuple[float, str, str]] = field(default_factory=list)
    shared_lock: threading.Lock = field(default_factory=threading.Lock)

    def answer(self, path: str) -> tuple[int, str, bytes]:
        with self.shared_lock:
            self.shared.append((time.monotonic(), self.name, path))
        return super().answer(path)


def test_two_sites_in_one_loop_and_one_database(tmp_path: Path) -> None:
    shared: list[tuple[float, str, str]] = []
    lock = threading.Lock()
    a = TimedSite(sections=("m1",), articles_per_section=6, name="a", shared=shared, shared_lock=lock)
    b = TimedSite(sections=("m1",), articles_per_section=6, name="b", shared=shared, shared_lock=lock)
    # Each host may take one request every 0.05 s, one at a time: sites crawled one after the other would
    # not overlap; crawled together, each keeps its own pace.
    options = CrawlOptions(fetch=FetchOptions(delay=0.05, retries=0), concurrency=1)
    reports: list[CrawlProgress] = []
    db = tmp_path / "sites.sqlite"
    with serve(a) as url_a, serve(b) as url_b:
        url_b = url_b.replace("127.0.0.1", "localhost")
        articles = list(crawl_sites([url_a + "/", url_b + "/"], db=db, options=options, progress=reports.append))
    assert len(articles) == 12
    assert {a.site for a in articles} == {"127.0.0.1", "localhost"}
    with CrawlStore(db) as store:
        assert store.counts().articles == 12
    assert [p for _, name, p in shared if name == "a" and p == "/robots.txt"] == ["/robots.txt"]
    assert [p for _, name, p in shared if name == "b" and p == "/robots.txt"] == ["/robots.txt"]
    a_times = [t for t, name, p in shared if name == "a" and p.startswith("/news/view.php")]
    b_times = [t for t, name, p in shared if name == "b" and p.startswith("/news/view.php")]
    assert min(b_times) < max(a_times) and min(a_times) < max(b_times)  # the sites were crawled together
    last = reports[-1]
    assert last.finished and last.sites == 2 and last.new == 12 and last.start_errors == ()


def test_sites_file_on_the_command_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    site = Site(sections=("m1",), articles_per_section=3)
    sites_file = tmp_path / "sites.txt"
    with serve(site) as url:
        sites_file.write_text(f"# Korean news sites\n{url}/\n\nhttp://127.0.0.1:1/\n", encoding="utf-8")
        code = main(["crawl", "--sites", str(sites_file), "--delay", "0", "--retries", "0", "--clean-processes", "0"])
    err = capsys.readouterr().err
    assert code == 0
    assert "3 new" in err and "1 of 2 start pages failed" in err
    assert (tmp_path / "sites.sqlite").exists()  # the default database is named after the sites file


def test_sites_file_of_dead_sites_exits_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sites_file = tmp_path / "dead.txt"
    sites_file.write_text("http://127.0.0.1:1/\nhttp://127.0.0.1:2/\n", encoding="utf-8")
    db = tmp_path / "dead.sqlite"
    assert main(["crawl", "--sites", str(sites_file), "--db", str(db), "--retries", "0", "--clean-processes", "0"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "all 2 start pages failed" in err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["crawl"], "a site URL or --sites FILE"),
        (["crawl", "http://a.kr/", "--sites", "x.txt"], "a site URL or --sites FILE"),
        (["crawl", "--sites", "/nonexistent/sites.txt"], "cannot read the --sites file"),
    ],
)
def test_crawl_misuse_is_one_line(args: list[str], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(args) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err


def test_sites_deliver_each_article_once_across_runs(tmp_path: Path) -> None:
    a = Site(sections=("m1",), articles_per_section=8)
    b = Site(sections=("m1",), articles_per_section=8)
    options = CrawlOptions(fetch=FetchOptions(delay=0, retries=0), concurrency=2)
    db = tmp_path / "sites.sqlite"
    with serve(a) as url_a, serve(b) as url_b:
        sites = [url_a + "/", url_b.replace("127.0.0.1", "localhost") + "/"]
        first: list[str] = []
        for article in crawl_sites(sites, db=db, options=options):
            first.append(article.url or "")
            if len(first) == 5:
                time.sleep(0.3)  # both sites go on storing while the consumer dawdles, then it stops
                break
        rest = [article.url or "" for article in crawl_sites(sites, db=db, options=options)]
    with CrawlStore(db) as store:
        stored = [article.url or "" for article in store.articles()]
        assert list(store.undelivered()) == []
    assert len(first) == 5 and not set(first) & set(rest)  # nothing twice
    assert sorted(first + rest) == sorted(stored) and len(stored) == 16  # nothing stored and never delivered


def test_a_site_that_is_down_ends_only_its_own_run(tmp_path: Path) -> None:
    site = Site(sections=("m1",), articles_per_section=4)
    options = CrawlOptions(fetch=FetchOptions(delay=0, retries=0), concurrency=2)
    reports: list[CrawlProgress] = []
    got: list[str] = []
    with serve(site) as url:
        articles = crawl_sites(
            [url + "/", "http://127.0.0.1:1/"], db=tmp_path / "s.sqlite", options=options, progress=reports.append
        )
        with pytest.raises(HostUnreachableError, match="1 of 2 sites could not be crawled"):
            for article in articles:
                got.append(article.url or "")
    assert len(got) == 4  # every article of the live site came before the error
    last = reports[-1]
    assert last.finished and len(last.outages) == 1 and last.outages[0].startswith("http://127.0.0.1:1:")
