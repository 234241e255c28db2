"""Corpus files for near-duplicate clustering: articles in (JSONL, Parquet), cluster rows out (JSONL, Parquet).

Articles are read one at a time (Parquet in record batches), so a corpus streams through ``neardup.assign``.
A record that does not load as an ``Article`` is skipped and named in ``Corpus.skipped``; the run goes on.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from pydantic import ValidationError

from ..errors import DedupError, ExportError, MissingExtraError
from ..models import PARAGRAPH_SEPARATOR, Article
from .export import read_parquet_rows

__all__ = ["CLUSTER_COLUMNS", "ClusterRow", "Corpus", "detect_format", "write_cluster_rows"]

CorpusFormat = Literal["sqlite", "jsonl", "parquet"]
# Records read from a Parquet file at once.
PARQUET_BATCH = 512
# Skipped records named one by one in ``Corpus.skipped``; past this only counted.
MAX_SKIPPED_NAMED = 20
CLUSTER_COLUMNS = ("index", "url", "cluster", "cluster_index", "rank", "size", "similarity")

_SQLITE_MAGIC = b"SQLite format 3\x00"
_PARQUET_MAGIC = b"PAR1"


@dataclass(frozen=True)
class ClusterRow:
    """One article's place: input position and URL, its story's representative, rank, size and similarity."""

    index: int
    url: str | None
    cluster: str | None  # URL of the story's representative
    cluster_index: int  # input position of the representative
    rank: int
    size: int
    similarity: float


def detect_format(path: Path) -> CorpusFormat:
    """What a corpus file is, by its first bytes: a crawl database, a Parquet file or JSONL."""
    try:
        with path.open("rb") as handle:
            head = handle.read(16)
    except OSError as exc:
        raise DedupError(f"cannot read {path}: {exc.strerror or exc}") from exc
    if head.startswith(_SQLITE_MAGIC):
        return "sqlite"
    if head.startswith(_PARQUET_MAGIC):
        return "parquet"
    if not head.strip() or head.lstrip()[:1] == b"{":
        return "jsonl"
    raise DedupError(f"{path} is neither a crawl database, a Parquet file nor JSONL (one article object a line)")


@dataclass
class Corpus:
    """The articles of a JSONL or Parquet file, read as a stream; ``positions`` and ``skipped`` fill as it goes."""

    path: Path
    format: CorpusFormat
    positions: list[int] = field(default_factory=list)  # record number (from 0) of each article yielded
    skipped: list[str] = field(default_factory=list)
    skipped_count: int = 0

    def __iter__(self) -> Iterator[Article]:
        records = _jsonl_records(self.path) if self.format == "jsonl" else read_parquet_records(self.path)
        for number, record in records:
            try:
                article = (
                    Article.model_validate_json(record)
                    if isinstance(record, str)
                    else Article.model_validate(_from_columns(record))
                )
            except (ValidationError, ValueError) as exc:
                self._skip(number, exc)
                continue
            self.positions.append(number)
            yield article

    def _skip(self, number: int, exc: Exception) -> None:
        self.skipped_count += 1
        if len(self.skipped) < MAX_SKIPPED_NAMED:
            first = str(exc).splitlines()[0]
            self.skipped.append(f"record {number + 1}: {first}")


def _jsonl_records(path: Path) -> Iterator[tuple[int, str]]:
    number = 0
    try:
        with path.open(encoding="utf-8", errors="replace") as handle:
            for line in handle:
                if line.strip():
                    yield number, line
                    number += 1
    except OSError as exc:
        raise DedupError(f"cannot read {path}: {exc.strerror or exc}") from exc


def _from_columns(record: Mapping[str, Any]) -> Mapping[str, Any]:
    """A Parquet row as Article fields: a body stored only as ``text`` is split into its paragraphs, and a
    timestamp column without a time zone is read as UTC (Parquet's convention)."""
    fields = dict(record)
    if fields.get("paragraphs") is None and isinstance(fields.get("text"), str):
        fields["paragraphs"] = tuple(fields["text"].split(PARAGRAPH_SEPARATOR))
    for name in ("published_at", "modified_at"):
        value = fields.get(name)
        if isinstance(value, datetime) and value.tzinfo is None:
            fields[name] = value.replace(tzinfo=UTC)
    return fields


def read_parquet_records(path: Path) -> Iterator[tuple[int, Mapping[str, Any]]]:
    """Rows of a Parquet file of articles (one column per ``Article`` field), numbered from 0, read by the
    package's Parquet reader (``newsclean.corpus.export.read_parquet_rows``)."""
    try:
        yield from enumerate(read_parquet_rows(path, batch_rows=PARQUET_BATCH))
    except MissingExtraError as exc:  # pragma: no cover - the [dedup] extra installs pyarrow
        raise DedupError(f"reading Parquet needs the dedup extra: pip install 'newsclean[dedup]' ({exc})") from exc
    except ExportError as exc:
        raise DedupError(f"cannot read Parquet file {path}: {exc.__cause__ or exc}") from exc


def write_cluster_rows(rows: Sequence[ClusterRow], target: str) -> None:
    """Write cluster rows as JSONL (``-`` is stdout, or any name not ending in ``.parquet``) or Parquet."""
    if target.endswith(".parquet"):
        _write_parquet(rows, Path(target))
        return
    if target == "-":
        import sys

        _write_jsonl(rows, sys.stdout)
        return
    path = Path(target)
    partial = path.with_name(path.name + ".partial")
    try:
        with partial.open("w", encoding="utf-8") as out:
            _write_jsonl(rows, out)
        os.replace(partial, path)
    except OSError as exc:
        raise DedupError(f"cannot write {target}: {exc.strerror or exc}") from exc


def _write_jsonl(rows: Sequence[ClusterRow], out: Any) -> None:
    for row in rows:
        out.write(json.dumps({name: getattr(row, name) for name in CLUSTER_COLUMNS}, ensure_ascii=False) + "\n")


def _write_parquet(rows: Sequence[ClusterRow], path: Path) -> None:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError as exc:  # pragma: no cover - the [dedup] extra installs pyarrow
        raise DedupError(f"writing Parquet needs the dedup extra: pip install 'newsclean[dedup]' ({exc})") from exc
    schema = pa.schema(
        [
            ("index", pa.int64()),
            ("url", pa.string()),
            ("cluster", pa.string()),
            ("cluster_index", pa.int64()),
            ("rank", pa.int32()),
            ("size", pa.int32()),
            ("similarity", pa.float32()),
        ]
    )
    table = pa.table({name: [getattr(row, name) for row in rows] for name in CLUSTER_COLUMNS}, schema=schema)
    partial = path.with_name(path.name + ".partial")
    try:
        pq.write_table(table, partial)
        os.replace(partial, path)
    except OSError as exc:
        raise DedupError(f"cannot write {path}: {exc.strerror or exc}") from exc
