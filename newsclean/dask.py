"""Dask: WARC files (local paths or fsspec URLs) -> a dask DataFrame of articles, one partition per file.

The per-file function ``warc_frame`` reads and cleans one WARC file with ``newsclean.warc`` and returns a pandas
DataFrame with the Parquet schema of ``newsclean.export`` (Arrow-backed columns: lists, a list of structs,
timestamps in Korea time). ``articles_from_warcs`` maps it over the files with ``dask.dataframe.from_map``, so it
runs unchanged on the threaded scheduler, a ``distributed.LocalCluster`` or a remote scheduler; Spark users call
``warc_frame`` (or ``newsclean.warc.articles_from_warc``) the same way from ``mapPartitions``.

dask, distributed and fsspec are in the ``[dask]`` extra.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from .errors import MissingExtraError
from .export import arrow_schema, article_row
from .models import CleanOptions
from .warc import Kept, articles_from_warc

try:
    import dask.dataframe as dd
    import fsspec
    import pandas as pd
    import pyarrow as pa
except ImportError as exc:  # pragma: no cover - the extra is installed wherever this module is used
    raise MissingExtraError('Dask support needs dask, pandas and fsspec: pip install "newsclean[dask]"') from exc

if TYPE_CHECKING:  # pragma: no cover
    from pandas import DataFrame

__all__ = ["articles_from_warcs", "empty_frame", "warc_frame"]


def _to_frame(table: Any) -> DataFrame:
    frame: DataFrame = table.to_pandas(types_mapper=pd.ArrowDtype)
    return frame


def empty_frame() -> DataFrame:
    """A DataFrame with no rows and the columns and types of ``warc_frame`` (dask's ``meta``)."""
    return _to_frame(arrow_schema().empty_table())


def warc_frame(path: str | os.PathLike[str], *, options: CleanOptions | None = None) -> DataFrame:
    """Every article of one WARC file (a local path or any fsspec URL) as a DataFrame of the Parquet schema."""
    with fsspec.open(os.fspath(path), "rb") as stream:
        rows = [
            article_row(outcome.article, outcome.capture)
            for outcome in articles_from_warc(stream, options=options)
            if isinstance(outcome, Kept)
        ]
    return _to_frame(pa.Table.from_pylist(rows, schema=arrow_schema()))


def articles_from_warcs(
    paths: Iterable[str | os.PathLike[str]], *, options: CleanOptions | None = None
) -> dd.DataFrame:
    """A dask DataFrame of the articles of ``paths``, one partition per file (cleaned where dask runs it)."""
    files = [os.fspath(p) for p in paths]
    if not files:
        raise ValueError("articles_from_warcs needs at least one WARC file")
    frame: dd.DataFrame = dd.from_map(  # type: ignore[no-untyped-call]
        warc_frame, files, meta=empty_frame(), label="newsclean-warc", options=options
    )
    return frame
