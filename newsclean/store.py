"""Crawl store: URL states and Article JSON in one SQLite file (WAL), so a crawl resumes and loses nothing.

Two tables hold everything a crawl knows:

- ``urls``: every URL seen (articles, list pages, feeds, sitemaps), canonical, with its status
  (``pending``, ``done``, ``failed``, ``old``), attempts, last error, HTTP status and ETag/Last-Modified;
- ``articles``: every article once, keyed by its canonical URL, as the JSON of its ``Article``.

A third, ``walks``, remembers how far the paging of each list got, so a stopped walk continues.
Every write is committed at once; in WAL mode a process killed mid-crawl leaves every committed row behind.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from types import TracebackType
from typing import Literal

from pydantic import ValidationError

from .errors import StoreError
from .export import CSV_COLUMNS, write_csv, write_jsonl  # the writers live in export; kept importable here
from .models import Article

__all__ = [
    "CSV_COLUMNS",
    "CrawlStore",
    "SaveOutcome",
    "StoreCounts",
    "UrlKind",
    "UrlRecord",
    "UrlStatus",
    "write_csv",
    "write_jsonl",
]

SCHEMA_VERSION = 1
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
    updated_at TEXT
);
CREATE TABLE IF NOT EXISTS walks (
    list_url TEXT PRIMARY KEY,
    next_page INTEGER NOT NULL,
    complete INTEGER NOT NULL DEFAULT 0
);
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


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class CrawlStore:
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
            elif row[0] != str(SCHEMA_VERSION):
                raise StoreError(f"{self.path} has crawl schema {row[0]}, this newsclean reads {SCHEMA_VERSION}")
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open crawl database {self.path}: {exc}") from exc

    def __enter__(self) -> CrawlStore:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        """Close the database (everything is already committed)."""
        self._db.close()

    def _run(self, sql: str, params: tuple[object, ...] = ()) -> sqlite3.Cursor:
        try:
            return self._db.execute(sql, params)
        except sqlite3.Error as exc:
            raise StoreError(f"crawl database {self.path}: {exc}") from exc

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
        return [row[0] for row in self._run("SELECT url FROM urls WHERE kind = ?", (kind,)).fetchall()]

    def todo(self, *, max_attempts: int, refresh: bool = False, retry_old: bool = False) -> list[str]:
        """Article URLs to fetch: pending ones, failed ones with attempts left, and with ``refresh`` done ones."""
        statuses = ["pending", "failed"] + (["done"] if refresh else []) + (["old"] if retry_old else [])
        marks = ", ".join("?" * len(statuses))
        rows = self._run(
            f"SELECT url FROM urls WHERE kind = 'article' AND status IN ({marks}) "
            "AND (status != 'failed' OR attempts < ?) ORDER BY discovered_at, rowid",
            (*statuses, max_attempts),
        ).fetchall()
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
                        "updated_at = ? WHERE url = ?",
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

    def articles(self) -> Iterator[Article]:
        """Every stored article, in the order they were first stored."""
        for url, data in self._run("SELECT url, json FROM articles ORDER BY rowid").fetchall():
            try:
                yield Article.model_validate_json(data)
            except ValidationError as exc:
                raise StoreError(f"crawl database {self.path}: article {url} does not load: {exc}") from exc

    def counts(self) -> StoreCounts:
        """Stored articles and article URLs by state."""
        by_status = dict(
            self._run("SELECT status, count(*) FROM urls WHERE kind = 'article' GROUP BY status").fetchall()
        )
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
        rows = self._run("SELECT url FROM urls WHERE status = 'failed' ORDER BY rowid").fetchall()
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

