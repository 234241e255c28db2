"""Scrapy feed exporter: the items of ``NewscleanPipeline`` -> a Parquet file (``-O articles.parquet``).

The file is written by ``newsclean.corpus.export.ParquetWriter``, so it has the same schema as the Parquet files of
``newsclean warc`` and ``newsclean export`` and reads back with ``newsclean.corpus.export.read_parquet``. Rows are
written one row group at a time as items arrive. The spider and ``newsclean.corpus.scrapy.settings`` register the
exporter as the feed format ``parquet``; elsewhere, add it to Scrapy's ``FEED_EXPORTERS`` setting:
``FEED_EXPORTERS = {"parquet": "newsclean.corpus.scrapy.exporters.ParquetItemExporter"}``.

Parquet needs pyarrow: ``pip install 'newsclean[scrapy,warc]'``.
"""

from __future__ import annotations

import logging
from typing import IO, Any

from itemadapter import ItemAdapter
from pydantic import ValidationError
from scrapy.exporters import BaseItemExporter

from newsclean.corpus.export import ParquetWriter
from newsclean.errors import ExportError
from newsclean.models import Article

__all__ = ["PARQUET_EXPORTER", "ParquetItemExporter"]

logger = logging.getLogger(__name__)

# The import path Scrapy's FEED_EXPORTERS setting names the exporter by.
PARQUET_EXPORTER = "newsclean.corpus.scrapy.exporters.ParquetItemExporter"
ARTICLE_FIELDS = frozenset(Article.model_fields)


class ParquetItemExporter(BaseItemExporter):
    """Write items holding the ``Article`` fields (as ``NewscleanPipeline`` passes them) to a Parquet file.

    ``start_exporting`` opens the Parquet writer on the feed's file, ``finish_exporting`` writes the last row
    group and the footer. Every row has every column of the schema, so the feed option ``fields`` is not used.
    An item that is not an article is refused with an ``ExportError`` (Scrapy logs it; the feed goes on), and
    so is a feed appending to a file that is not empty (``-o``): a Parquet file cannot grow at its end.
    """

    def __init__(self, file: IO[bytes], **kwargs: Any) -> None:
        super().__init__(dont_fail=True, **kwargs)
        self.file = file
        self.writer: ParquetWriter | None = None
        if self.fields_to_export is not None:
            logger.warning("a Parquet feed holds every Article field; the feed option 'fields' is not used")

    def start_exporting(self) -> None:
        if self.writer is None:
            if _position(self.file) > 0:
                raise ExportError(
                    f"cannot append to the Parquet file {getattr(self.file, 'name', '')}: a Parquet file is "
                    "written whole; overwrite it (-O, or the feed option overwrite) or name a new file"
                )
            self.writer = ParquetWriter(self.file)

    def export_item(self, item: Any) -> None:
        if self.writer is None:
            raise ExportError("the Parquet feed is not open: call start_exporting before export_item")
        self.writer.write(self.article(item))

    def finish_exporting(self) -> None:
        if self.writer is not None:
            writer, self.writer = self.writer, None
            writer.close()

    @staticmethod
    def article(item: Any) -> Article:
        """The ``Article`` an item holds; ``ExportError`` if it holds none."""
        fields = ItemAdapter(item).asdict() if ItemAdapter.is_item(item) else None
        if not fields or not ARTICLE_FIELDS & fields.keys():
            raise ExportError(
                f"a Parquet feed takes items with the Article fields (from NewscleanPipeline), "
                f"not {type(item).__name__} {_preview(item)}; filter other items out of the feed (item_filter)"
            )
        try:
            return Article.model_validate(fields)
        except ValidationError as exc:
            url = fields.get("url")
            raise ExportError(
                f"an item of {url or 'no URL'} is not a valid article for the Parquet feed: "
                f"{exc.error_count()} field(s) wrong, first {exc.errors()[0]['loc']}: {exc.errors()[0]['msg']}"
            ) from exc


def _position(file: IO[bytes]) -> int:
    """Where the file is written next (0 for a stream that cannot tell: standard output, a pipe)."""
    try:
        return file.tell()
    except (AttributeError, OSError, ValueError):
        return 0


def _preview(item: Any) -> str:
    text = repr(item)
    return text if len(text) <= 80 else text[:77] + "..."
