"""Export: articles (and where they were captured) -> JSONL, CSV or Parquet; Parquet -> articles again.

Every output format lives here. Writers take articles one at a time, so memory is bounded by one Parquet row
group, not by the corpus. The Parquet schema is derived from the ``Article`` model (lists for paragraphs,
subtitles, authors and tags; a list of structs for images; timestamps in Korea time), plus the computed ``text``
and the ``Capture`` columns (WARC record id, target URI, capture date). pyarrow is imported only when Parquet
is written or read: it is in the ``[warc]`` extra, not a dependency of ``pip install newsclean``.
"""

from __future__ import annotations

import csv
import json
import os
import types
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Literal, Protocol, TextIO, Union, get_args, get_origin

from pydantic import AwareDatetime, BaseModel, ValidationError

from ..errors import ExportError, MissingExtraError
from ..models import Article, Capture
from .formats import CSV_COLUMNS, CSV_LIST_SEPARATOR, csv_row

if TYPE_CHECKING:  # pragma: no cover
    import pyarrow as pa

__all__ = [
    "FORMATS",
    "ROW_GROUP_CHARS",
    "ROW_GROUP_ROWS",
    "ArticleWriter",
    "JsonlWriter",
    "ParquetWriter",
    "arrow_schema",
    "article_row",
    "open_writer",
    "read_parquet",
    "read_parquet_captures",
    "read_parquet_rows",
    "write_csv",
    "write_jsonl",
    "write_unique_csv",
    "write_unique_jsonl",
]

Format = Literal["jsonl", "csv", "parquet"]
FORMATS: tuple[Format, ...] = ("jsonl", "csv", "parquet")
# A Parquet row group is written when this many rows, or rows with this many characters of body text, are
# buffered. Buffered rows and their Arrow copy take about 25 bytes per character of text (measured), so a group
# of 250,000 characters (about 150 articles, under 1 MB compressed) keeps a run's peak memory the same at 2,000
# and at 10,000 WARC records (bench/warc.py); 1,000,000 characters let it grow by 13%.
ROW_GROUP_ROWS = 2_000
ROW_GROUP_CHARS = 250_000
# Rows of a Parquet file read (and turned into Python objects) at once.
READ_BATCH_ROWS = 512
# Columns every Parquet file has besides the article's fields: the computed body text.
TEXT_COLUMN = "text"
# Timestamps are stored in microseconds (Python's resolution) and labelled with Korea's zone.
TIMESTAMP_UNIT = "us"
TIMEZONE = "Asia/Seoul"


def _pyarrow() -> tuple[Any, Any]:
    try:
        import pyarrow
        import pyarrow.parquet
    except ImportError as exc:
        raise MissingExtraError('Parquet needs pyarrow, which is not installed: pip install "newsclean[warc]"') from exc
    return pyarrow, pyarrow.parquet


# JSONL and CSV ----------------------------------------------------------------------------------------------


def write_jsonl(articles: Iterable[Article], out: TextIO) -> int:
    """Write one JSON object per line; return how many were written."""
    count = 0
    for article in articles:
        out.write(article.model_dump_json())
        out.write("\n")
        count += 1
    return count


def write_csv(articles: Iterable[Article], out: TextIO) -> int:
    """Write a CSV with a header row (``CSV_COLUMNS``); lists are joined with `` | ``; return the row count.

    ``images`` lists the image URLs, ``image_captions`` the captions (of images with or without a URL); the JSON
    formats keep each caption with its image.
    """
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    count = 0
    for article in articles:
        writer.writerow(csv_row(article))
        count += 1
    return count


def write_unique_jsonl(stories: Iterable[tuple[Article, Sequence[str]]], out: TextIO) -> int:
    """One JSON object per story: its representative article and ``copies``, the other URLs; return the count."""
    count = 0
    for article, copies in stories:
        row = article.model_dump(mode="json")
        row["copies"] = list(copies)
        out.write(json.dumps(row, ensure_ascii=False))
        out.write("\n")
        count += 1
    return count


def write_unique_csv(stories: Iterable[tuple[Article, Sequence[str]]], out: TextIO) -> int:
    """A CSV of one row per story: ``CSV_COLUMNS`` plus ``copies`` (the other URLs, joined with `` | ``)."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow((*CSV_COLUMNS, "copies"))
    count = 0
    for article, copies in stories:
        writer.writerow((*csv_row(article), CSV_LIST_SEPARATOR.join(copies)))
        count += 1
    return count


def _arrow_type(annotation: object) -> pa.DataType:
    """The Arrow type of a model field's annotation: optional -> nullable, tuple -> list, model -> struct."""
    pa, _ = _pyarrow()
    origin = get_origin(annotation)
    if origin is Union or origin is types.UnionType:
        (inner,) = [a for a in get_args(annotation) if a is not type(None)]
        return _arrow_type(inner)
    if origin is tuple:
        return pa.list_(_arrow_type(get_args(annotation)[0]))
    if annotation is str:
        return pa.string()
    if annotation is int:
        return pa.int64()
    if annotation is bool:
        return pa.bool_()
    if annotation in (datetime, AwareDatetime):
        return pa.timestamp(TIMESTAMP_UNIT, tz=TIMEZONE)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return pa.struct([pa.field(name, _arrow_type(f.annotation)) for name, f in annotation.model_fields.items()])
    raise TypeError(f"no Arrow type for {annotation!r}")  # pragma: no cover - a new kind of field in a model


def _model_fields(model: type[BaseModel]) -> list[pa.Field]:
    pa, _ = _pyarrow()
    return [pa.field(name, _arrow_type(f.annotation)) for name, f in model.model_fields.items()]


def arrow_schema() -> pa.Schema:
    """The Parquet schema: every ``Article`` field, then ``text``, then every ``Capture`` field."""
    pa, _ = _pyarrow()
    return pa.schema([*_model_fields(Article), pa.field(TEXT_COLUMN, pa.string()), *_model_fields(Capture)])


_CAPTURE_NONE = dict.fromkeys(Capture.model_fields)


def article_row(article: Article, capture: Capture | None = None) -> dict[str, object]:
    """One row of the Parquet schema (a plain dict: lists, dicts, aware datetimes)."""
    row: dict[str, object] = article.model_dump()  # the computed ``text`` is included
    row.update(capture.model_dump() if capture is not None else _CAPTURE_NONE)
    return row


# Writers ----------------------------------------------------------------------------------------------------


class ArticleWriter(Protocol):
    """Takes articles one at a time; ``close`` finishes the file."""

    @property
    def count(self) -> int:
        """Articles written so far."""

    def write(self, article: Article, capture: Capture | None = None) -> None: ...

    def close(self) -> None: ...


class JsonlWriter:
    """One JSON object per line: the article's fields and ``text``, then the capture fields when given."""

    def __init__(self, out: TextIO) -> None:
        self._out = out
        self.count = 0

    def write(self, article: Article, capture: Capture | None = None) -> None:
        line = article.model_dump_json()
        if capture is not None:
            line = line[:-1] + "," + capture.model_dump_json()[1:]
        self._out.write(line)
        self._out.write("\n")
        self.count += 1

    def close(self) -> None:
        self._out.flush()


class ParquetWriter:
    """A Parquet file written one row group at a time (``ROW_GROUP_ROWS`` rows or ``ROW_GROUP_CHARS``) as
    articles arrive.

    ``path`` is a file name, or a binary file object open for writing (it need not be seekable); ``close``
    finishes the Parquet data but leaves such a file object open, for its owner to close.
    """

    def __init__(
        self,
        path: str | os.PathLike[str] | IO[bytes],
        *,
        row_group_rows: int = ROW_GROUP_ROWS,
        row_group_chars: int = ROW_GROUP_CHARS,
    ) -> None:
        pa, pq = _pyarrow()
        self._pa = pa
        self._schema = arrow_schema()
        self._rows: list[dict[str, object]] = []
        self._chars = 0
        self._row_group_rows = row_group_rows
        self._row_group_chars = row_group_chars
        self.count = 0
        where = str(path) if isinstance(path, (str, os.PathLike)) else path
        try:
            self._writer = pq.ParquetWriter(where, self._schema, compression="zstd")
        except OSError as exc:
            raise ExportError(f"cannot write {getattr(path, 'name', path)}: {exc}") from exc

    def write(self, article: Article, capture: Capture | None = None) -> None:
        self._rows.append(article_row(article, capture))
        self._chars += len(article.text)
        self.count += 1
        if len(self._rows) >= self._row_group_rows or self._chars >= self._row_group_chars:
            self._flush()

    def _flush(self) -> None:
        if self._rows:
            self._writer.write_table(self._pa.Table.from_pylist(self._rows, schema=self._schema))
            self._rows = []
            self._chars = 0

    def close(self) -> None:
        self._flush()
        self._writer.close()


class _FileWriter:
    """A writer into ``path`` through ``path.partial``, renamed into place only when it is complete."""

    def __init__(self, path: Path, fmt: Format) -> None:
        self.path = path
        self.partial = path.with_name(path.name + ".partial")
        self._text: TextIO | None = None
        try:
            if fmt == "parquet":
                self._inner: JsonlWriter | ParquetWriter = ParquetWriter(self.partial)
            else:
                self._text = self.partial.open("w", encoding="utf-8", newline="")
                self._inner = JsonlWriter(self._text)
        except OSError as exc:
            raise ExportError(f"cannot write {path}: {exc.strerror or exc}") from exc

    @property
    def count(self) -> int:
        return self._inner.count

    def write(self, article: Article, capture: Capture | None = None) -> None:
        self._inner.write(article, capture)

    def close(self) -> None:
        try:
            self._inner.close()
            if self._text is not None:
                self._text.close()
            os.replace(self.partial, self.path)
        except OSError as exc:
            raise ExportError(f"cannot write {self.path}: {exc.strerror or exc}") from exc


def open_writer(path: str | os.PathLike[str], fmt: Format) -> ArticleWriter:
    """A JSONL or Parquet writer into ``path``; the file appears complete when the writer is closed."""
    if fmt not in ("jsonl", "parquet"):
        raise ExportError(f"articles with their capture are written as jsonl or parquet, not {fmt}")
    return _FileWriter(Path(path), fmt)


# Reading Parquet back ---------------------------------------------------------------------------------------


def read_parquet_rows(path: str | os.PathLike[str], *, batch_rows: int = READ_BATCH_ROWS) -> Iterator[dict[str, Any]]:
    """Every row of a Parquet file as a dict of its columns, ``batch_rows`` rows read at a time.

    The one Parquet reader of the package: ``read_parquet`` validates its rows as articles, the near-duplicate
    corpus reader (which also takes Parquet files written by other tools) as best it can, row by row. A file
    that is missing, is not Parquet or is damaged is an ``ExportError`` (its ``__cause__`` is pyarrow's error).
    """
    _, pq = _pyarrow()
    try:
        parquet = pq.ParquetFile(str(path))
        for batch in parquet.iter_batches(batch_size=batch_rows):
            yield from batch.to_pylist()
    except (OSError, ValueError) as exc:  # pyarrow's ArrowInvalid is a ValueError
        raise ExportError(f"cannot read {path} as Parquet: {exc}") from exc


def read_parquet_captures(path: str | os.PathLike[str]) -> Iterator[tuple[Article, Capture | None]]:
    """Every row of a Parquet file written here, as ``(Article, Capture or None)``, a batch of rows at a time."""
    for row in read_parquet_rows(path):
        try:
            article = Article.model_validate(row)
            capture = (
                Capture.model_validate({k: row[k] for k in Capture.model_fields if k in row})
                if row.get("warc_record_id") is not None
                else None
            )
        except ValidationError as exc:
            raise ExportError(f"{path}: a row is not an article: {exc}") from exc
        yield article, capture


def read_parquet(path: str | os.PathLike[str]) -> Iterator[Article]:
    """Every article of a Parquet file written here (by ``newsclean warc`` or ``newsclean export``)."""
    for article, _ in read_parquet_captures(path):
        yield article
