"""``newsclean dedup`` and ``export --unique`` end to end: one article republished by three sites on 127.0.0.1."""

from __future__ import annotations

import csv
import json
import re
import sqlite3
from collections.abc import Iterator
from contextlib import ExitStack
from datetime import UTC, timedelta
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from crawl_site import ARTICLE_FIXTURES, Site, serve

from newsclean import CrawlStore
from newsclean.cli import main
from newsclean.corpus.neardup import cluster

# The article all three sites run, and each site's own articles.
SHARED = ARTICLE_FIXTURES[0]
OWN = (ARTICLE_FIXTURES[1:3], ARTICLE_FIXTURES[3:5], ARTICLE_FIXTURES[5:7])


class Republisher(Site):
    """A site that runs the shared article its own way: other spacing, or a paper's prefix and no last paragraph."""

    def __init__(self, fixtures: tuple[str, ...], variant: int) -> None:
        super().__init__(sections=("m1",), articles_per_section=3, fixtures=fixtures)
        self.variant = variant

    def article(self, idx: int) -> bytes:
        page = super().article(idx)
        if self.fixtures[(idx - 1) % len(self.fixtures)] != SHARED:
            return page
        if self.variant == 1:
            return page.replace("·".encode(), " · ".encode()).replace(b", ", b",")
        if self.variant == 2:
            lead = "서울 시내버스 노조가 28일"
            page = page.replace(lead.encode(), f"[서울지역신문] {lead}".encode())
            return re.sub(rb'<p refId="\d+">[^<]*</p>(<div id="refTotal")', rb"\1", page)
        return page


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, list[str]]]:
    """A crawl database of three sites (three articles each); yields it and the shared article's URLs."""
    db = tmp_path_factory.mktemp("dedup") / "three.sqlite"
    sites = [Republisher((SHARED, *own) if i == 0 else (*own, SHARED), i) for i, own in enumerate(OWN)]
    shared_urls = []
    with ExitStack() as stack:
        for i, site in enumerate(sites):
            url = stack.enter_context(serve(site))
            code = main(["crawl", url + "/", "--db", str(db), "--delay", "0", "--clean-processes", "0"])
            assert code == 0
            shared_idx = 1 if i == 0 else 3
            shared_urls.append(f"{url}/news/view.php?idx={shared_idx}")
    yield db, sorted(shared_urls)


def clusters_of(db: Path) -> dict[str, tuple[str, int, float]]:
    with sqlite3.connect(db) as con:
        return {url: (rep, rank, sim) for url, rep, rank, sim in con.execute("SELECT * FROM clusters")}


def test_dedup_writes_the_cluster_table(crawled: tuple[Path, list[str]], capsys: pytest.CaptureFixture[str]) -> None:
    db, shared = crawled
    assert main(["dedup", str(db)]) == 0
    assert "9 articles in 7 stories (1 with copies)" in capsys.readouterr().err
    table = clusters_of(db)
    assert len(table) == 9
    # One story of three copies; the three were published at the same time, so the smallest URL represents it.
    assert {url: table[url][:2] for url in shared} == {url: (shared[0], rank) for rank, url in enumerate(shared)}
    assert all(table[url][2] > 0.8 for url in shared) and min(table[url][2] for url in shared) < 1.0
    others = [url for url in table if url not in shared]
    assert all(table[url] == (url, 0, 1.0) for url in others)
    # Running it again replaces the table with the same result, and -o writes it as a file too.
    assert main(["dedup", str(db), "-o", "-"]) == 0
    assert clusters_of(db) == table
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert {row["url"]: (row["cluster"], row["rank"]) for row in rows} == {u: t[:2] for u, t in table.items()}


def test_export_unique_gives_one_row_per_story_with_copies(crawled: tuple[Path, list[str]], tmp_path: Path) -> None:
    db, shared = crawled
    assert main(["dedup", str(db)]) == 0
    out = tmp_path / "unique.jsonl"
    assert main(["export", str(db), "--unique", "-o", str(out)]) == 0
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(rows) == 7
    by_url = {row["url"]: row for row in rows}
    assert by_url[shared[0]]["copies"] == shared[1:]
    assert by_url[shared[0]]["paragraphs"] and by_url[shared[0]]["title"]
    assert all(row["copies"] == [] for url, row in by_url.items() if url != shared[0])
    out_csv = tmp_path / "unique.csv"
    assert main(["export", str(db), "--unique", "--format", "csv", "-o", str(out_csv)]) == 0
    table = list(csv.DictReader(out_csv.read_text(encoding="utf-8").splitlines()))
    assert len(table) == 7
    assert {row["url"]: row["copies"] for row in table}[shared[0]] == " | ".join(shared[1:])


def test_export_unique_before_dedup_says_what_to_do(
    crawled: tuple[Path, list[str]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "copy.sqlite"
    with sqlite3.connect(crawled[0]) as source, sqlite3.connect(db) as target:
        source.backup(target)
    with sqlite3.connect(db) as con:
        con.execute("DELETE FROM clusters WHERE rank > 0")
    assert main(["export", str(db), "--unique"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "2 articles" in err and f"newsclean dedup {db}" in err


def test_python_api_on_the_crawl_database(crawled: tuple[Path, list[str]]) -> None:
    db, shared = crawled
    with CrawlStore(db, create=False) as store:
        clusters = cluster(store.articles())
    assert sorted(len(c.members) for c in clusters) == [1] * 6 + [3]
    story = next(c for c in clusters if len(c.members) == 3)
    assert [m.url for m in story.members] == shared and story.representative.url == shared[0]


def test_dedup_jsonl_and_parquet_files(crawled: tuple[Path, list[str]], tmp_path: Path) -> None:
    db, shared = crawled
    articles = tmp_path / "articles.jsonl"
    assert main(["export", str(db), "-o", str(articles)]) == 0
    # JSONL in, Parquet out; a record that is no article is skipped and named, the run goes on.
    lines = articles.read_text(encoding="utf-8").splitlines()
    articles.write_text("\n".join([lines[0], '{"title": 5, "paragraphs": "x"}', *lines[1:]]) + "\n", encoding="utf-8")
    clusters_parquet = tmp_path / "clusters.parquet"
    assert main(["dedup", str(articles), "-o", str(clusters_parquet)]) == 0
    rows = pq.read_table(clusters_parquet).to_pylist()
    assert len(rows) == 9 and {row["index"] for row in rows} == set(range(10)) - {1}
    copies = sorted((row["url"], row["cluster"], row["rank"]) for row in rows if row["size"] == 3)
    assert copies == [(url, shared[0], rank) for rank, url in enumerate(shared)]
    # Parquet in (one column per Article field), JSONL out.
    records = [json.loads(line) for line in lines]
    for record in records:
        record.pop("text")
    table = pa.Table.from_pylist(records)
    articles_parquet = tmp_path / "articles.parquet"
    pq.write_table(table, articles_parquet)
    clusters_jsonl = tmp_path / "clusters.jsonl"
    assert main(["dedup", str(articles_parquet), "-o", str(clusters_jsonl)]) == 0
    out = [json.loads(line) for line in clusters_jsonl.read_text(encoding="utf-8").splitlines()]
    assert sorted((row["url"], row["cluster"]) for row in out if row["size"] == 3) == [(u, shared[0]) for u in shared]


def test_dedup_reports_bad_input_in_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    junk = tmp_path / "junk.bin"
    junk.write_bytes(b"\x00\x01binary")
    articles = tmp_path / "a.jsonl"
    articles.write_text('{"url": "http://a/1", "paragraphs": ["가나다라마바사"]}\n', encoding="utf-8")
    broken = tmp_path / "broken.parquet"
    broken.write_bytes(b"PAR1 but nothing more")
    for argv, message in [
        (["dedup", str(junk), "-o", "-"], "neither a crawl database"),
        (["dedup", str(tmp_path / "missing.jsonl"), "-o", "-"], "cannot read"),
        (["dedup", str(articles)], "give -o"),
        (["dedup", str(articles), "-o", "-", "--threshold", "1.5"], "threshold"),
        (["dedup", str(broken), "-o", "-"], "cannot read Parquet"),
    ]:
        assert main(argv) == 1
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and message in err and "Traceback" not in err


def test_dedup_parquet_with_timestamps_and_text_only(crawled: tuple[Path, list[str]], tmp_path: Path) -> None:
    db, shared = crawled
    with CrawlStore(db, create=False) as store:
        articles = list(store.articles())
    # Another writer's layout: the body as `text` only, times as timestamps without a zone (UTC), one of the
    # shared copies published an hour earlier than the others so that it represents the story.
    early = shared[-1]
    rows = []
    for a in articles:
        published = a.published_at.astimezone(UTC).replace(tzinfo=None) if a.published_at else None
        if a.url == early and published:
            published -= timedelta(hours=1)
        rows.append({"url": a.url, "title": a.title, "text": a.text, "published_at": published})
    path = tmp_path / "text.parquet"
    pq.write_table(pa.Table.from_pylist(rows), path)
    out = tmp_path / "clusters.jsonl"
    assert main(["dedup", str(path), "-o", str(out)]) == 0
    result = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    story = sorted((row["rank"], row["url"]) for row in result if row["size"] == 3)
    assert story == [(0, early), *((rank + 1, url) for rank, url in enumerate(shared[:-1]))]
    assert all(row["cluster"] == early for row in result if row["size"] == 3)
