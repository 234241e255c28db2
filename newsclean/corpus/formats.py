"""An article as text: the command line's output formats (JSON, JSON Lines, plain text, Markdown, CSV).

Each format renders one article on its own, so a worker process can render what it cleaned and hand back only
text; the batch's main process then writes those texts and never builds an ``Article`` itself.
"""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING

from ..errors import ExportError

if TYPE_CHECKING:  # pragma: no cover
    from ..models import Article

__all__ = [
    "ARTICLE_SEPARATOR",
    "CLEAN_FORMATS",
    "CSV_COLUMNS",
    "CSV_LIST_SEPARATOR",
    "check_format",
    "csv_header",
    "csv_row",
    "render",
]

CLEAN_FORMATS = ("json", "jsonl", "text", "markdown", "csv")
# Between two articles of a text or Markdown batch (a thematic break in Markdown).
ARTICLE_SEPARATOR = "\n---\n\n"
# Separator of multi-valued fields (authors, tags, subtitles) in a CSV cell.
CSV_LIST_SEPARATOR = " | "
CSV_COLUMNS = (
    "url",
    "article_id",
    "site",
    "title",
    "subtitles",
    "published_at",
    "modified_at",
    "authors",
    "section",
    "tags",
    "images",
    "image_captions",
    "text",
)


def csv_row(a: Article) -> tuple[str, ...]:
    """The article's cells under ``CSV_COLUMNS``: lists joined with ``CSV_LIST_SEPARATOR``; ``images`` lists the
    image URLs and ``image_captions`` the captions (of images with or without a URL)."""
    return (
        a.url or "",
        a.article_id or "",
        a.site or "",
        a.title or "",
        CSV_LIST_SEPARATOR.join(a.subtitles),
        a.published_at.isoformat() if a.published_at else "",
        a.modified_at.isoformat() if a.modified_at else "",
        CSV_LIST_SEPARATOR.join(a.authors),
        a.section or "",
        CSV_LIST_SEPARATOR.join(a.tags),
        CSV_LIST_SEPARATOR.join(i.url for i in a.images if i.url),
        CSV_LIST_SEPARATOR.join(i.caption for i in a.images if i.caption),
        a.text,
    )


def _csv_line(cells: tuple[str, ...]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow(cells)
    return buffer.getvalue()


def csv_header() -> str:
    """The CSV header line, ending in a newline."""
    return _csv_line(CSV_COLUMNS)


def check_format(fmt: str) -> None:
    """Raise ``ExportError`` unless ``fmt`` is one of ``CLEAN_FORMATS``."""
    if fmt not in CLEAN_FORMATS:
        raise ExportError(f"unknown format {fmt!r}: choose one of {', '.join(CLEAN_FORMATS)}")


def render(article: Article, fmt: str) -> str:
    """The article in one of ``CLEAN_FORMATS``: JSON (indented), one JSON line, plain text, Markdown, or one CSV
    row. The JSON line and the CSV row end in a newline; JSON has none; text and Markdown end in one."""
    if fmt == "json":
        return article.model_dump_json(indent=1)
    if fmt == "jsonl":
        return article.model_dump_json() + "\n"
    if fmt == "csv":
        return _csv_line(csv_row(article))
    heading: list[str] = []
    meta: list[str] = []
    if article.published_at:
        meta.append(article.published_at.isoformat())
    if article.authors:
        meta.append(", ".join(article.authors))
    if article.url:
        meta.append(article.url)
    if fmt == "markdown":
        if article.title:
            heading.append(f"# {article.title}")
        heading.extend(f"## {s}" for s in article.subtitles)
        if meta:
            heading.append("*" + " · ".join(meta) + "*")
        images = [f"![{i.caption or ''}]({i.url})" if i.url else f"> {i.caption}" for i in article.images]
        return "\n\n".join([*heading, *article.paragraphs, *images]) + "\n"
    check_format(fmt)
    if article.title:
        heading.append(article.title)
    heading.extend(article.subtitles)
    if meta:
        heading.append(" · ".join(meta))
    return "\n\n".join([*heading, *article.paragraphs]) + "\n"
