"""Dask: WARC files (local paths or fsspec URLs) -> a dask DataFrame of articles, one partition per file.

The per-file function ``warc_frame`` reads and cleans one WARC file with ``newsclean.corpus.warc`` and returns a pandas
DataFrame with the Parquet schema of ``newsclean.corpus.export`` (Arrow-backed columns: lists, a list of structs,
timestamps in Korea time). ``articles_from_warcs`` maps it over the files with ``dask.dataframe.from_map``, so it
runs unchanged on the threaded scheduler, a ``distributed.LocalCluster`` or a remote scheduler; Spark users call
``warc_frame`` (or ``newsclean.corpus.warc.articles_from_warc``) the same way from ``mapPartitions``.

Near-duplicates at corpus scale: ``cluster_frame`` (and ``assign_frame``) run ``newsclean.corpus.neardup``'s stages on a
dask DataFrame of articles: signatures per partition, band keys grouped across the cluster by a shuffle, candidate
pairs confirmed where the signatures are, and union-find over the confirmed pairs in one place. They give the
stories of ``neardup.assign`` over the same articles.

dask, distributed and fsspec are in the ``[dask]`` extra; near-duplicates also need the ``[dedup]`` extra.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from ..errors import MissingExtraError
from ..models import PARAGRAPH_SEPARATOR, CleanOptions
from .export import arrow_schema, article_row
from .records import CLUSTER_COLUMNS
from .warc import Kept, articles_from_warc

try:
    import dask
    import dask.dataframe as dd
    import fsspec
    import numpy as np
    import pandas as pd
    import pyarrow as pa
except ImportError as exc:  # pragma: no cover - the extra is installed wherever this module is used
    raise MissingExtraError('Dask support needs dask, pandas and fsspec: pip install "newsclean[dask]"') from exc

if TYPE_CHECKING:  # pragma: no cover
    from numpy.typing import NDArray
    from pandas import DataFrame

    from .neardup import Membership

__all__ = ["articles_from_warcs", "assign_frame", "cluster_frame", "empty_frame", "warc_frame"]


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


# Near-duplicates across the cluster -----------------------------------------------------------------------------
#
# 1. each partition signs its articles (``neardup.signature``): one row per article, kept on the workers;
# 2. each partition turns its minhashes into (band, key, id) rows (``neardup.band_keys``);
# 3. a shuffle on (band, key) brings the records that share a key into one partition: ``run_pairs`` lists them;
# 4. the candidate pairs are joined back to the signatures of their two records and confirmed (``similarities``);
# 5. the confirmed pairs (far fewer than the records) and each record's URL and time come to the client: union-find
#    and representatives (``components``, ``stories``); each copy's similarity to its representative is joined
#    and computed on the workers again.

# neardup.DEFAULT_THRESHOLD (neardup is imported where it is used: it needs the dedup extra, articles_from_warcs not).
NEARDUP_THRESHOLD = 0.8
# Rows of one partition: an article's id is its partition number times this plus its row in the partition.
_ID_STRIDE = 1 << 32
# Pairs whose two signatures are held at once while their similarity is computed (2 x 2048 rows of 2.5 KiB).
_PAIRS_AT_ONCE = 2048
_BINARY = pd.ArrowDtype(pa.binary())
_STRING = pd.ArrowDtype(pa.string())


def _signed_meta() -> DataFrame:
    return pd.DataFrame(
        {
            "id": pd.Series([], dtype="int64"),
            "url": pd.Series([], dtype=_STRING),
            "published": pd.Series([], dtype="float64"),
            "minhash": pd.Series([], dtype=_BINARY),
            "bottom": pd.Series([], dtype=_BINARY),
        }
    )


def _sign_partition(part: DataFrame, partition_info: dict[str, Any] | None = None) -> DataFrame:
    """Stage 1: the id, URL, publication time (POSIX seconds) and signature of each article of a partition
    (no signature: a body without shingles)."""
    from . import neardup

    number = partition_info["number"] if partition_info else 0
    minhashes: list[bytes | None] = []
    bottoms: list[bytes | None] = []
    texts = part["text"].tolist() if "text" in part else [None] * len(part)
    for paragraphs, text in zip(part["paragraphs"].tolist(), texts, strict=True):
        if paragraphs is None:
            paragraphs = text.split(PARAGRAPH_SEPARATOR) if isinstance(text, str) else []
        values = neardup.signature(paragraphs)
        minhashes.append(None if values is None else values.minhash.tobytes())
        bottoms.append(None if values is None else values.bottom.tobytes())
    published = [
        None if stamp is None or pd.isna(stamp) else stamp.to_pydatetime().timestamp()
        for stamp in part["published_at"].tolist()
    ]
    return pd.DataFrame(
        {
            "id": pd.Series(np.arange(len(part), dtype=np.int64) + number * _ID_STRIDE, dtype="int64"),
            "url": pd.Series(part["url"].tolist(), dtype=_STRING),
            "published": pd.Series(published, dtype="float64"),
            "minhash": pd.Series(minhashes, dtype=_BINARY),
            "bottom": pd.Series(bottoms, dtype=_BINARY),
        }
    )


def _matrix(column: Any, width: int) -> NDArray[np.uint32]:
    """Rows of ``width`` uint32 from a column of their bytes."""
    matrix: NDArray[np.uint32] = np.frombuffer(b"".join(column.tolist()), dtype=np.uint32).reshape(-1, width)
    return matrix


def _keys_partition(part: DataFrame, bands: int, rows: int) -> DataFrame:
    """Stage 2: one (band, key, id) row per band of each signed article."""
    from . import neardup

    signed = part[part["minhash"].notna()]
    minhashes = _matrix(signed["minhash"], neardup.NUM_PERM)
    keys = neardup.band_keys(minhashes, bands=bands, rows=rows) if len(signed) else None
    ids = signed["id"].to_numpy(dtype=np.int64)
    return pd.DataFrame(
        {
            "band": np.tile(np.arange(bands, dtype=np.int64), len(ids)),
            "key": keys.reshape(-1) if keys is not None else np.empty(0, dtype=np.uint64),
            "id": np.repeat(ids, bands),
        }
    )


def _pairs_partition(part: DataFrame) -> DataFrame:
    """Stage 3: the pairs (i < j) of records sharing a band key, among the rows a shuffle on (band, key) sent here."""
    from . import neardup

    part = part.sort_values(["band", "key", "id"], kind="stable")
    band, key = part["band"].to_numpy(), part["key"].to_numpy()
    ids = part["id"].to_numpy(dtype=np.int64)
    starts = np.flatnonzero(np.concatenate([[True], (band[1:] != band[:-1]) | (key[1:] != key[:-1])]))
    lengths = np.diff(np.append(starts, len(ids)))
    pairs = neardup.run_pairs(ids, lengths) if len(ids) else np.empty((0, 2), dtype=np.int64)
    return pd.DataFrame({"i": pairs[:, 0], "j": pairs[:, 1]}).drop_duplicates()


def _similarity_partition(part: DataFrame, threshold: float) -> DataFrame:
    """Stage 4: the estimated Jaccard similarity of each pair, from the two signatures joined to it."""
    from . import neardup

    columns = [part[c].tolist() for c in ("minhash_i", "bottom_i", "minhash_j", "bottom_j")]
    out = np.empty(len(part), dtype=np.float64)
    for start in range(0, len(part), _PAIRS_AT_ONCE):
        store, end = neardup.Signatures(), start + _PAIRS_AT_ONCE
        for minhashes, bottoms in ((columns[0], columns[1]), (columns[2], columns[3])):
            for m, b in zip(minhashes[start:end], bottoms[start:end], strict=True):
                store.add(neardup.Signature(minhash=np.frombuffer(m, np.uint32), bottom=np.frombuffer(b, np.uint32)))
        count = min(_PAIRS_AT_ONCE, len(part) - start)  # rows 0..count-1: the i side, count..2*count-1: the j side
        rows = np.stack([np.arange(count), np.arange(count, 2 * count)], axis=1).astype(np.int64)
        out[start : start + count] = neardup.similarities(rows, store, threshold=threshold)
    return pd.DataFrame(
        {"i": part["i"].to_numpy(dtype=np.int64), "j": part["j"].to_numpy(dtype=np.int64), "similarity": out}
    )


def _similarity_meta() -> DataFrame:
    return pd.DataFrame(
        {
            "i": pd.Series([], dtype="int64"),
            "j": pd.Series([], dtype="int64"),
            "similarity": pd.Series([], dtype="float64"),
        }
    )


def _similar(pairs: dd.DataFrame, signed: dd.DataFrame, threshold: float) -> dd.DataFrame:
    """Stage 4 on the cluster: each pair (i, j) joined to the signatures of its two records, then its similarity."""
    sketches = signed[["id", "minhash", "bottom"]]
    joined = pairs.merge(  # type: ignore[no-untyped-call]
        sketches.rename(columns={"id": "i", "minhash": "minhash_i", "bottom": "bottom_i"}), on="i"
    ).merge(sketches.rename(columns={"id": "j", "minhash": "minhash_j", "bottom": "bottom_j"}), on="j")
    similar: dd.DataFrame = joined.map_partitions(_similarity_partition, threshold, meta=_similarity_meta())
    return similar


def _compute(*frames: dd.DataFrame) -> tuple[DataFrame, ...]:
    """pandas DataFrames of ``frames``, computed together on the current scheduler (a ``Client``'s cluster)."""
    computed: tuple[DataFrame, ...] = dask.compute(*frames)  # type: ignore[attr-defined, no-untyped-call]
    return computed


def assign_frame(frame: dd.DataFrame, *, threshold: float = NEARDUP_THRESHOLD) -> list[Membership]:
    """``neardup.assign`` over a dask DataFrame of articles (the Parquet schema, e.g. ``articles_from_warcs``):
    one ``Membership`` per row, positions counted over the partitions in order; the same stories, representatives
    and similarities as ``assign`` over the same articles.

    Signatures are computed and kept where the partitions are, band keys are grouped by a shuffle and candidate
    pairs confirmed on the workers; only the confirmed pairs and each row's URL and time come to this process.
    """
    from . import neardup

    bands, rows = neardup.lsh_bands(threshold)
    # 1. signatures, kept on the workers for the joins of stages 4 and 5
    signing = frame.map_partitions(_sign_partition, meta=_signed_meta())  # type: ignore[no-untyped-call]
    signed: dd.DataFrame = signing.persist()
    # 2. band keys
    keys = signed.map_partitions(  # type: ignore[no-untyped-call]
        _keys_partition,
        bands,
        rows,
        meta=pd.DataFrame({"band": np.empty(0, np.int64), "key": np.empty(0, np.uint64), "id": np.empty(0, np.int64)}),
    )
    # 3. grouped across the cluster: candidate pairs, each once
    candidates = keys.shuffle(on=["band", "key"]).map_partitions(
        _pairs_partition, meta=pd.DataFrame({"i": np.empty(0, np.int64), "j": np.empty(0, np.int64)})
    )
    candidates = candidates.shuffle(on=["i", "j"]).map_partitions(pd.DataFrame.drop_duplicates)
    # 4. confirmed against the signatures
    confirmed = _similar(candidates, signed, threshold)
    confirmed = confirmed[confirmed["similarity"] >= threshold][["i", "j"]]
    places = signed[["id", "url", "published"]].assign(signed=signed["minhash"].notnull())
    records, links = _compute(places, confirmed)

    # 5. union-find and representatives, here; each copy's similarity to its representative, on the workers
    records = records.sort_values("id", kind="stable")
    ids = records["id"].to_numpy(dtype=np.int64)
    urls: list[str | None] = [None if pd.isna(u) else str(u) for u in records["url"].tolist()]
    times: list[float | None] = [None if np.isnan(t) else float(t) for t in records["published"].tolist()]
    positions = np.flatnonzero(records["signed"].to_numpy(dtype=bool))  # row -> position of the signed records
    signed_ids = ids[positions]
    rows_i = np.searchsorted(signed_ids, links["i"].to_numpy(dtype=np.int64))
    rows_j = np.searchsorted(signed_ids, links["j"].to_numpy(dtype=np.int64))
    roots = neardup.components(len(signed_ids), np.stack([rows_i, rows_j], axis=1).astype(np.int64))
    groups = neardup.stories(positions.tolist(), urls, times, roots=roots)
    heads = [(members[0], index) for members in groups if len(members) > 1 for index in members]
    similarity: dict[int, float] = {}
    if heads:
        asked = pd.DataFrame({"i": ids[[h for h, _ in heads]], "j": ids[[m for _, m in heads]]})
        partitions = dd.from_pandas(asked, npartitions=signed.npartitions)  # type: ignore[no-untyped-call]
        (found,) = _compute(_similar(partitions, signed, threshold))
        similarity = dict(zip(found["j"].tolist(), found["similarity"].tolist(), strict=True))
    result: list[Membership | None] = [None] * len(ids)
    for members in groups:
        for rank, index in enumerate(members):
            result[index] = neardup.Membership(
                index=index,
                url=urls[index],
                representative=members[0],
                rank=rank,
                size=len(members),
                similarity=similarity[int(ids[index])] if len(members) > 1 else 1.0,
            )
    return [m for m in result if m is not None]


def cluster_frame(frame: dd.DataFrame, *, threshold: float = NEARDUP_THRESHOLD) -> DataFrame:
    """The stories of a dask DataFrame of articles as a pandas DataFrame, one row per article in the frame's
    order, with the columns of ``newsclean dedup``'s clusters file (``corpus.CLUSTER_COLUMNS``): ``index``,
    ``url``, ``cluster`` (the representative's URL), ``cluster_index``, ``rank``, ``size``, ``similarity``."""
    found = assign_frame(frame, threshold=threshold)
    return pd.DataFrame(
        {
            "index": pd.Series([m.index for m in found], dtype="int64"),
            "url": pd.Series([m.url for m in found], dtype=_STRING),
            "cluster": pd.Series([found[m.representative].url for m in found], dtype=_STRING),
            "cluster_index": pd.Series([m.representative for m in found], dtype="int64"),
            "rank": pd.Series([m.rank for m in found], dtype="int64"),
            "size": pd.Series([m.size for m in found], dtype="int64"),
            "similarity": pd.Series([m.similarity for m in found], dtype="float64"),
        },
        columns=list(CLUSTER_COLUMNS),
    )
