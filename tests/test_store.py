"""Crawl store: URL states, articles once, walk state, export."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from pathlib import Path

import pytest

from newsclean import Article, Image, StoreError
from newsclean.corpus.export import write_csv, write_jsonl
from newsclean.corpus.formats import CSV_COLUMNS
from newsclean.net.store import CrawlStore

A = Article(url="https://n.test/news/view.php?idx=1", article_id="1", title="제목", paragraphs=("첫 문단", "둘째 문단"))


@pytest.fixture
def store(tmp_path: Path) -> CrawlStore:
    with CrawlStore(tmp_path / "crawl.sqlite") as s:
        yield s


def test_wal_mode_and_reopen(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite"
    with CrawlStore(path) as s:
        s.add_urls(["u1", "u2"])
        s.save_article("u1", A)
    with sqlite3.connect(path) as raw:
        assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    with CrawlStore(path, create=False) as again:
        assert again.counts().articles == 1 and again.todo(max_attempts=3) == ["u2"]


def test_missing_database_is_a_store_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError):
        CrawlStore(tmp_path / "nope.sqlite", create=False)


def test_not_a_database_is_a_store_error(tmp_path: Path) -> None:
    path = tmp_path / "junk.sqlite"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError) as info:
        CrawlStore(path)
    assert isinstance(info.value.__cause__, sqlite3.Error)


def test_add_urls_returns_only_new_ones(store: CrawlStore) -> None:
    assert store.add_urls(["a", "b", "a"]) == ["a", "b"]
    assert store.add_urls(["b", "c"]) == ["c"]
    assert store.known_urls() == ["a", "b", "c"]


def test_an_article_is_stored_once_and_changes_are_updates(store: CrawlStore) -> None:
    assert store.save_article("u?mcode=1", A) == "new"
    assert store.save_article("u?mcode=2", A) == "unchanged"  # another URL, same canonical article
    assert store.save_article("u", A.model_copy(update={"title": "새 제목"})) == "updated"
    articles = list(store.articles())
    assert len(articles) == 1 and articles[0].title == "새 제목"
    record = store.get("u?mcode=1")
    assert record is not None and record.status == "done" and record.article_url == A.url


def test_failures_are_recorded_and_retried_while_attempts_last(store: CrawlStore) -> None:
    store.add_urls(["bad", "good"])
    store.record_failure("bad", kind="article", error="HTTPStatusError: HTTP 500", http_status=500)
    record = store.get("bad")
    assert record is not None and (record.status, record.attempts, record.http_status) == ("failed", 1, 500)
    assert record.last_error == "HTTPStatusError: HTTP 500"
    assert store.todo(max_attempts=2) == ["bad", "good"]
    store.record_failure("bad", kind="article", error="again", http_status=500)
    assert store.todo(max_attempts=2) == ["good"]
    assert [r.url for r in store.failures()] == ["bad"]
    assert store.counts().failed == 1


def test_done_urls_come_back_only_on_refresh(store: CrawlStore) -> None:
    store.add_urls(["u"])
    store.save_article("u", A, etag='"e1"', last_modified="Tue, 01 Jul 2025 00:00:00 GMT")
    assert store.todo(max_attempts=3) == []
    assert store.todo(max_attempts=3, refresh=True) == ["u"]
    store.record_unchanged("u", http_status=304)
    record = store.get("u")
    assert record is not None and record.etag == '"e1"' and record.http_status == 304 and record.attempts == 2


def test_old_articles_wait_for_a_crawl_without_since(store: CrawlStore) -> None:
    store.add_urls(["u"])
    store.record_old("u", http_status=200)
    assert store.todo(max_attempts=3) == []
    assert store.todo(max_attempts=3, retry_old=True) == ["u"]


def test_discovery_pages_keep_their_validators(store: CrawlStore) -> None:
    store.record_page("list?page=1", kind="list", http_status=200, etag='"x"')
    store.record_page("list?page=1", kind="list", http_status=304)
    record = store.get("list?page=1")
    assert record is not None and record.etag == '"x"' and record.kind == "list"
    assert store.todo(max_attempts=3) == []  # only article URLs are fetched as articles


def test_walk_state_is_written_with_the_urls(store: CrawlStore) -> None:
    assert store.walk_state("list") is None
    store.add_urls(["a"], walk=("list", 2))
    assert store.walk_state("list") == (2, False)
    store.set_walk_state("list", next_page=1, complete=True)
    assert store.walk_state("list") == (1, True)


def test_export_jsonl_and_csv(store: CrawlStore) -> None:
    store.save_article("u1", A)
    store.save_article("u2", A.model_copy(update={"url": "https://n.test/2", "authors": ("김기자", "이기자")}))
    out = io.StringIO()
    assert write_jsonl(store.articles(), out) == 2
    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [r["url"] for r in rows] == [A.url, "https://n.test/2"]
    assert rows[0]["text"] == "첫 문단\n\n둘째 문단"
    out = io.StringIO()
    assert write_csv(store.articles(), out) == 2
    table = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert tuple(table[0]) == CSV_COLUMNS
    assert table[1]["authors"] == "김기자 | 이기자" and table[0]["text"] == "첫 문단\n\n둘째 문단"


def test_csv_keeps_image_captions() -> None:
    article = A.model_copy(
        update={
            "images": (
                Image(url="https://n.test/1.jpg", caption="광명시청 전경"),
                Image(url=None, caption="시상식 모습"),
                Image(url="https://n.test/2.jpg", caption=None),
            )
        }
    )
    out = io.StringIO()
    write_csv([article], out)
    (row,) = csv.DictReader(io.StringIO(out.getvalue()))
    assert row["images"] == "https://n.test/1.jpg | https://n.test/2.jpg"
    assert row["image_captions"] == "광명시청 전경 | 시상식 모습"


def _fill(path: Path, count: int) -> None:
    """A database of ``count`` articles of about 5 KB each."""
    article = A.model_copy(update={"paragraphs": tuple(f"문단 {n} " + "가" * 300 for n in range(6))})
    with CrawlStore(path) as s:
        s.save_article("seed", article)
    data = article.model_dump_json(exclude={"text"})
    with sqlite3.connect(path) as raw:
        raw.executemany(
            "INSERT INTO articles (url, json, stored_at) VALUES (?, ?, '')",
            ((f"https://n.test/{n}", data) for n in range(count - 1)),
        )


def _peak_while_reading(path: Path) -> tuple[int, int]:
    import tracemalloc

    with CrawlStore(path, create=False) as s:
        tracemalloc.start()
        try:
            count = sum(1 for _ in s.articles())
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
    return count, peak


def test_articles_stream_in_flat_memory(tmp_path: Path) -> None:
    small, large = tmp_path / "small.sqlite", tmp_path / "large.sqlite"
    _fill(small, 400)
    _fill(large, 4000)
    small_count, small_peak = _peak_while_reading(small)
    large_count, large_peak = _peak_while_reading(large)
    assert (small_count, large_count) == (400, 4000)
    # Ten times the articles, about the same memory: rows are read in batches, never all at once.
    assert large_peak < 2 * small_peak, (small_peak, large_peak)


def test_undelivered_articles_come_back_until_marked(store: CrawlStore) -> None:
    b = A.model_copy(update={"url": "https://n.test/news/view.php?idx=2", "article_id": "2"})
    store.save_article("u1", A)
    store.save_article("u2", b)
    assert [key for key, _ in store.undelivered()] == [A.url, b.url]
    store.mark_delivered(CrawlStore.article_key("u1", A))
    assert [article for _, article in store.undelivered()] == [b]
    changed = A.model_copy(update={"title": "바뀐 제목"})
    assert store.save_article("u1", changed) == "updated"  # a changed article is to be delivered again
    assert [article.title for _, article in store.undelivered()] == ["바뀐 제목", b.title]


def test_a_schema_1_database_is_migrated_with_its_articles_delivered(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    with sqlite3.connect(path) as raw:
        raw.executescript(
            "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
            "INSERT INTO meta VALUES ('schema', '1');"
            "CREATE TABLE articles (url TEXT PRIMARY KEY, article_id TEXT, site TEXT, title TEXT, "
            "published_at TEXT, json TEXT NOT NULL, stored_at TEXT NOT NULL, updated_at TEXT);"
        )
        raw.execute("INSERT INTO articles (url, json, stored_at) VALUES (?, ?, '')", (A.url, A.model_dump_json()))
    with CrawlStore(path) as s:
        assert [a.url for a in s.articles()] == [A.url] and list(s.undelivered()) == []
    with sqlite3.connect(path) as raw:
        assert raw.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone() == ("2",)


def test_a_damaged_database_is_a_store_error_when_read(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite"
    _fill(path, 600)
    with sqlite3.connect(path) as raw:
        raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data = bytearray(path.read_bytes())
    page = 4096
    for start in range(page * 4, len(data) - page, page * 3):  # overwrite every third page past the schema
        data[start : start + page] = b"\xa5" * page
    path.write_bytes(bytes(data))
    with pytest.raises(StoreError), CrawlStore(path, create=False) as s:
        sum(1 for _ in s.articles())
