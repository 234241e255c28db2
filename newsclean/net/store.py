"""Crawl store: URL states and Article JSON in one SQLite file (WAL), so a crawl resumes and loses nothing.

Two tables hold everything a crawl knows:

- ``urls``: every URL seen (articles, list pages, feeds, sitemaps), canonical, with its status
  (``pending``, ``done``, ``failed``, ``old``), attempts, last error, HTTP status and ETag/Last-Modified;
- ``articles``: every article once, keyed by its canonical URL, as the JSON of its ``Article``, with whether
  it was handed to the crawl's consumer (``delivered``): one stored but never handed over (the consumer
  stopped first) is handed over by the next run.

A third, ``walks``, remembers how far the paging of each list got, so a stopped walk continues.
A fourth, ``clusters``, written by ``newsclean dedup``, puts every article in its story (near-duplicate
cluster): the URL of the story's representative, the article's rank in it and its similarity to it.
Every write is committed at once; in WAL mode a process killed mid-crawl leaves every committed row behind.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from pydantic import ValidationError

from ..errors import StoreError
from ..models import Article
from .closing import Closing

__all__ = [
    "CrawlStore",
    "SaveOutcome",
    "StoreCounts",
    "UrlKind",
    "UrlRecord",
    "UrlStatus",
]

SCHEMA_VERSION = 2
# Rows read at a time by the streaming readers (``articles``, ``undelivered``): memory stays flat in the
# number of articles, and no read transaction is held open while the caller works on a batch.
READ_BATCH = 200
# Milliseconds a connection waits for another one's write lock (an export running beside a crawl).
BUSY_TIMEOUT_MS = 10_000

UrlKind = Literal["article", "list", "feed", "sitemap"]
UrlStatus = Literal["pending", "done", "failed", "old"]
SaveOutcome = Literal["new", "updated", "unchanged"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS urls (
    url TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending',
    attempts INTEGER NOT NULL DEFAULT 0,
    http_status INTEGER,
    last_error TEXT,
    etag TEXT,
    last_modified TEXT,
    article_url TEXT,
    discovered_at TEXT NOT NULL,
    fetched_at TEXT
);
CREATE INDEX IF NOT EXISTS urls_kind_status ON urls (kind, status);
CREATE TABLE IF NOT EXISTS articles (
    url TEXT PRIMARY KEY,
    article_id TEXT,
    site TEXT,
    title TEXT,
    published_at TEXT,
    json TEXT NOT NULL,
    stored_at TEXT NOT NULL,
    updated_at TEXT,
    delivered INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS walks (
    list_url TEXT PRIMARY KEY,
    next_page INTEGER NOT NULL,
    complete INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS clusters (
    url TEXT PRIMARY KEY,
    cluster TEXT NOT NULL,
    rank INTEGER NOT NULL,
    similarity REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS clusters_cluster ON clusters (cluster, rank);
"""


@dataclass(frozen=True)
class UrlRecord:
    """What the store knows of one URL."""

    url: str
    kind: UrlKind
    status: UrlStatus
    attempts: int
    http_status: int | None
    last_error: str | None
    etag: str | None
    last_modified: str | None
    article_url: str | None
    discovered_at: str
    fetched_at: str | None


@dataclass(frozen=True)
class StoreCounts:
    """How many articles are stored and how many article URLs are in each state."""

    articles: int
    pending: int
    done: int
    failed: int
    old: int


def _load(path: Path, url: str, data: str) -> Article:
    try:
        return Article.model_validate_json(data)
    except (ValidationError, ValueError, TypeError) as exc:
        raise StoreError(f"crawl database {path}: article {url} does not load: {exc}") from exc


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class CrawlStore(Closing):
    """A crawl database. Use from one thread; open it again in another process to read beside a crawl."""

    def __init__(self, path: str | os.PathLike[str], *, create: bool = True) -> None:
        self.path = Path(path)
        if not create and not self.path.exists():
            raise StoreError(f"no crawl database at {self.path}")
        try:
            self._db = sqlite3.connect(self.path, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
            self._db.execute("PRAGMA journal_mode=WAL")
            # NORMAL: in WAL mode a committed transaction survives the process being killed.
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            self._db.executescript(_SCHEMA)
            row = self._db.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
            if row is None:
                self._db.execute("INSERT OR IGNORE INTO meta VALUES ('schema', ?)", (str(SCHEMA_VERSION),))
            elif row[0] == "1":  # schema 1 had no delivered flag: what it stored was handed over as it was stored
                with self._db:
                    self._db.execute("BEGIN IMMEDIATE")
                    self._db.execute("ALTER TABLE articles ADD COLUMN delivered INTEGER NOT NULL DEFAULT 1")
                    self._db.execute("UPDATE meta SET value = ? WHERE key = 'schema'", (str(SCHEMA_VERSION),))
            elif row[0] != str(SCHEMA_VERSION):
                raise StoreError(f"{self.path} has crawl schema {row[0]}, this newsclean reads {SCHEMA_VERSION}")
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open crawl database {self.path}: {exc}") from exc

    def close(self) -> None:
        """Close the database (everything is already committed)."""
        self._db.close()

    def _run(self, sql: str, params: tuple[object, ...] = ()) -> sqlite3.Cursor:
        try:
            return self._db.execute(sql, params)
        except sqlite3.Error as exc:
            raise StoreError(f"crawl database {self.path}: {exc}") from exc

    def _rows(self, sql: str, params: tuple[object, ...] = ()) -> list[Any]:
        """All rows of a query; a damaged database found while reading them is a ``StoreError`` too."""
        try:
            return self._db.execute(sql, params).fetchall()
        except sqlite3.Error as exc:
            raise StoreError(
                f"crawl database {self.path}: {exc} (the file is damaged; a copy may be recovered with "
                "sqlite3's .recover)"
            ) from exc

    # URLs ---------------------------------------------------------------------------------------------------

    def add_urls(
        self, urls: Iterable[str], *, kind: UrlKind = "article", walk: tuple[str, int] | None = None
    ) -> list[str]:
        """Record URLs as pending; return those that were not known before, in order.

        ``walk=(list_url, next_page)`` records, in the same transaction, that the list's walk goes on at
        ``next_page``: a crawl killed in between can neither lose the page's URLs nor walk it twice.
        """
        added: list[str] = []
        now = _now()
        try:
            with self._db:
                self._db.execute("BEGIN")
                for url in urls:
                    cursor = self._db.execute(
                        "INSERT OR IGNORE INTO urls (url, kind, discovered_at) VALUES (?, ?, ?)", (url, kind, now)
                    )
                    if cursor.rowcount:
                        added.append(url)
                if walk is not None:
                    self._db.execute(
                        "INSERT INTO walks (list_url, next_page, complete) VALUES (?, ?, 0) ON CONFLICT (list_url) "
                        "DO UPDATE SET next_page = excluded.next_page, complete = 0",
                        walk,
                    )
        except sqlite3.Error as exc:
            raise StoreError(f"crawl database {self.path}: {exc}") from exc
        return added

    def get(self, url: str) -> UrlRecord | None:
        """The record of ``url``, or ``None`` when it was never seen."""
        row = self._run(
            "SELECT url, kind, status, attempts, http_status, last_error, etag, last_modified, article_url, "
            "discovered_at, fetched_at FROM urls WHERE url = ?",
            (url,),
        ).fetchone()
        return UrlRecord(*row) if row else None

    def known_urls(self, *, kind: UrlKind = "article") -> list[str]:
        """Every URL of ``kind`` the store has seen, whatever its state."""
        return [row[0] for row in self._rows("SELECT url FROM urls WHERE kind = ?", (kind,))]

    def todo(self, *, max_attempts: int, refresh: bool = False, retry_old: bool = False) -> list[str]:
        """Article URLs to fetch: pending ones, failed ones with attempts left, and with ``refresh`` done ones."""
        statuses = ["pending", "failed"] + (["done"] if refresh else []) + (["old"] if retry_old else [])
        marks = ", ".join("?" * len(statuses))
        rows = self._rows(
            f"SELECT url FROM urls WHERE kind = 'article' AND status IN ({marks}) "
            "AND (status != 'failed' OR attempts < ?) ORDER BY discovered_at, rowid",
            (*statuses, max_attempts),
        )
        return [row[0] for row in rows]

    def record_page(
        self,
        url: str,
        *,
        kind: UrlKind,
        http_status: int,
        etag: str | None = None,
        last_modified: str | None = None,
    ) -> None:
        """A list page, feed or sitemap was fetched (or found unchanged); keep its validators."""
        now = _now()
        self._run(
            "INSERT INTO urls (url, kind, status, attempts, http_status, etag, last_modified, discovered_at, "
            "fetched_at) VALUES (?, ?, 'done', 1, ?, ?, ?, ?, ?) ON CONFLICT (url) DO UPDATE SET status = 'done', "
            "attempts = attempts + 1, http_status = excluded.http_status, last_error = NULL, "
            "etag = coalesce(excluded.etag, etag), last_modified = coalesce(excluded.last_modified, last_modified), "
            "fetched_at = excluded.fetched_at",
            (url, kind, http_status, etag, last_modified, now, now),
        )

    def record_failure(self, url: str, *, kind: UrlKind, error: str, http_status: int | None = None) -> None:
        """A fetch or clean of ``url`` failed; keep the error and count the attempt."""
        now = _now()
        self._run(
            "INSERT INTO urls (url, kind, status, attempts, http_status, last_error, discovered_at, fetched_at) "
            "VALUES (?, ?, 'failed', 1, ?, ?, ?, ?) ON CONFLICT (url) DO UPDATE SET status = 'failed', "
            "attempts = attempts + 1, http_status = excluded.http_status, last_error = excluded.last_error, "
            "fetched_at = excluded.fetched_at",
            (url, kind, http_status, error, now, now),
        )

    def record_unchanged(self, url: str, *, http_status: int) -> None:
        """A done article URL answered 304 Not Modified (or served the same article again)."""
        self._run(
            "UPDATE urls SET status = 'done', attempts = attempts + 1, http_status = ?, last_error = NULL, "
            "fetched_at = ? WHERE url = ?",
            (http_status, _now(), url),
        )

    def record_old(self, url: str, *, http_status: int) -> None:
        """The article at ``url`` was published before the crawl's ``since``; it is not stored."""
        self._run(
            "UPDATE urls SET status = 'old', attempts = attempts + 1, http_status = ?, last_error = NULL, "
            "fetched_at = ? WHERE url = ?",
            (http_status, _now(), url),
        )

    # Articles -----------------------------------------------------------------------------------------------

    def save_article(
        self,
        url: str,
        article: Article,
        *,
        http_status: int = 200,
        etag: str | None = None,
        last_modified: str | None = None,
    ) -> SaveOutcome:
        """Store ``article`` (fetched from ``url``) under its canonical URL, once; mark ``url`` done."""
        key = article.url or url
        data = article.model_dump_json(exclude={"text"})
        published = article.published_at.isoformat() if article.published_at else None
        now = _now()
        outcome: SaveOutcome
        try:
            with self._db:
                self._db.execute("BEGIN IMMEDIATE")
                row = self._db.execute("SELECT json FROM articles WHERE url = ?", (key,)).fetchone()
                if row is None:
                    outcome = "new"
                    self._db.execute(
                        "INSERT INTO articles (url, article_id, site, title, published_at, json, stored_at) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?)",
                        (key, article.article_id, article.site, article.title, published, data, now),
                    )
                elif row[0] == data:
                    outcome = "unchanged"
                else:
                    outcome = "updated"
                    self._db.execute(
                        "UPDATE articles SET article_id = ?, site = ?, title = ?, published_at = ?, json = ?, "
                        "updated_at = ?, delivered = 0 WHERE url = ?",
                        (article.article_id, article.site, article.title, published, data, now, key),
                    )
                self._db.execute(
                    "INSERT INTO urls (url, kind, status, attempts, http_status, etag, last_modified, article_url, "
                    "discovered_at, fetched_at) VALUES (?, 'article', 'done', 1, ?, ?, ?, ?, ?, ?) "
                    "ON CONFLICT (url) DO UPDATE SET status = 'done', attempts = attempts + 1, "
                    "http_status = excluded.http_status, last_error = NULL, etag = excluded.etag, "
                    "last_modified = excluded.last_modified, article_url = excluded.article_url, "
                    "fetched_at = excluded.fetched_at",
                    (url, http_status, etag, last_modified, key, now, now),
                )
        except sqlite3.Error as exc:
            raise StoreError(f"crawl database {self.path}: cannot store {key}: {exc}") from exc
        return outcome

    @staticmethod
    def article_key(url: str, article: Article) -> str:
        """The key ``save_article`` stores ``article`` (fetched from ``url``) under: its canonical URL."""
        return article.url or url

    def mark_delivered(self, key: str) -> None:
        """The article stored under ``key`` was handed to the crawl's consumer."""
        self._run("UPDATE articles SET delivered = 1 WHERE url = ?", (key,))

    def articles(self) -> Iterator[Article]:
        """Every stored article, in the order they were first stored; read in batches, never all at once."""
        return self._stream("")

    def keyed_articles(self) -> Iterator[tuple[str, Article]]:
        """Every stored article with the URL it is stored under, in the order they were first stored."""
        return self._stream("", keyed=True)

    def undelivered(self) -> Iterator[tuple[str, Article]]:
        """(key, article) of each stored article never handed to a crawl's consumer (it stopped first)."""
        return self._stream("AND delivered = 0", keyed=True)

    def _stream(self, condition: str, *, keyed: bool = False) -> Iterator[Any]:
        last = 0
        while True:
            rows = self._rows(
                f"SELECT rowid, url, json FROM articles WHERE rowid > ? {condition} ORDER BY rowid LIMIT ?",
                (last, READ_BATCH),
            )
            for rowid, url, data in rows:
                article = _load(self.path, url, data)
                last = rowid
                yield (url, article) if keyed else article
            if len(rows) < READ_BATCH:
                return

    # Clusters -----------------------------------------------------------------------------------------------

    def write_clusters(self, rows: Iterable[tuple[str, str, int, float]], *, threshold: float) -> int:
        """Replace the cluster table with ``(url, representative url, rank, similarity)`` rows, at once."""
        count = 0
        try:
            with self._db:
                self._db.execute("BEGIN IMMEDIATE")
                self._db.execute("DELETE FROM clusters")
                for row in rows:
                    self._db.execute("INSERT OR REPLACE INTO clusters VALUES (?, ?, ?, ?)", row)
                    count += 1
                self._db.execute(
                    "INSERT OR REPLACE INTO meta VALUES ('clusters', ?)", (f"threshold={threshold} at {_now()}",)
                )
        except sqlite3.Error as exc:
            raise StoreError(f"crawl database {self.path}: cannot write clusters: {exc}") from exc
        return count

    def clusters(self) -> list[tuple[str, str, int, float]]:
        """The cluster table: ``(url, representative url, rank, similarity)``, story by story."""
        return self._run("SELECT url, cluster, rank, similarity FROM clusters ORDER BY cluster, rank").fetchall()

    def unique_articles(self) -> Iterator[tuple[Article, list[str]]]:
        """One article per story (its representative) with the URLs of its other copies, in stored order.

        Raises ``StoreError`` when an article was stored after the last ``newsclean dedup``.
        """
        (missing,) = self._run(
            "SELECT count(*) FROM articles WHERE url NOT IN (SELECT url FROM clusters)"
        ).fetchone()
        if missing:
            raise StoreError(
                f"{missing} articles in {self.path} are in no cluster yet: run `newsclean dedup {self.path}` first"
            )
        cursor = self._run(
            "SELECT a.url, a.json, (SELECT json_group_array(url) FROM (SELECT c.url FROM clusters c "
            "WHERE c.cluster = a.url AND c.url != a.url ORDER BY c.rank)) FROM articles a "
            "JOIN clusters k ON k.url = a.url WHERE k.cluster = a.url ORDER BY a.rowid"
        )
        while rows := self._more(cursor):
            for url, data, copies in rows:
                yield _load(self.path, url, data), json.loads(copies)

    def _more(self, cursor: sqlite3.Cursor) -> list[Any]:
        """The next batch of a cursor's rows; a damaged database found while reading is a ``StoreError``."""
        try:
            return cursor.fetchmany(READ_BATCH)
        except sqlite3.Error as exc:
            raise StoreError(f"crawl database {self.path}: {exc} (the file is damaged)") from exc

    def counts(self) -> StoreCounts:
        """Stored articles and article URLs by state."""
        by_status = dict(self._rows("SELECT status, count(*) FROM urls WHERE kind = 'article' GROUP BY status"))
        (articles,) = self._run("SELECT count(*) FROM articles").fetchone()
        return StoreCounts(
            articles=articles,
            pending=by_status.get("pending", 0),
            done=by_status.get("done", 0),
            failed=by_status.get("failed", 0),
            old=by_status.get("old", 0),
        )

    def failures(self) -> list[UrlRecord]:
        """Records of every URL whose last attempt failed."""
        rows = self._rows("SELECT url FROM urls WHERE status = 'failed' ORDER BY rowid")
        return [record for (url,) in rows if (record := self.get(url)) is not None]

    # List walks ---------------------------------------------------------------------------------------------

    def walk_state(self, list_url: str) -> tuple[int, bool] | None:
        """(next page to fetch, whether the last walk reached its end) of a paged list."""
        row = self._run("SELECT next_page, complete FROM walks WHERE list_url = ?", (list_url,)).fetchone()
        return (int(row[0]), bool(row[1])) if row else None

    def set_walk_state(self, list_url: str, *, next_page: int, complete: bool) -> None:
        """Remember how far the paging of ``list_url`` got."""
        self._run(
            "INSERT INTO walks (list_url, next_page, complete) VALUES (?, ?, ?) ON CONFLICT (list_url) "
            "DO UPDATE SET next_page = excluded.next_page, complete = excluded.complete",
            (list_url, next_page, int(complete)),
        )

