"""Near-duplicate articles: Article stream -> MinHash signatures -> LSH bands -> confirmed pairs -> clusters.

Korean regional papers print the same press release or wire story almost word for word, with another lead
line, byline or spacing, or a trimmed last paragraph. This module finds such copies across a corpus and groups
them into one cluster per story, whose representative is the earliest published copy (ties: the smaller URL).

The stages, each a pure function of one record or one array, so that an engine (a process pool, Dask) can map
them over partitions and group band keys across the cluster:

1. ``normalise(paragraphs)``: the body only (``Article.paragraphs``: no title, credits or bylines), NFKC,
   zero-width characters and all whitespace removed, since copies differ most in spacing;
2. ``shingle_hashes(text)``: the set of its character ``SHINGLE_SIZE``-grams, each hashed to 32 bits;
3. ``signature(paragraphs)``: a ``datasketch`` MinHash of that set (``NUM_PERM`` uint32 values, fixed seed);
4. ``band_keys(signatures, ...)``: one 64-bit key per LSH band (bands and rows chosen by ``datasketch``'s
   ``MinHashLSH`` for the threshold);
5. ``candidate_pairs(keys)``: records that share a key in some band;
6. ``confirm(pairs, signatures, threshold=...)``: the candidates whose estimated Jaccard reaches the threshold;
7. ``components(n, pairs)``: union-find over the confirmed pairs, one root per cluster.

Memory: ``assign`` (used by the command line) keeps only the signatures (``NUM_PERM * 4`` bytes each), the
record's URL and its publication time; the texts stream through. ``cluster`` returns every ``Article`` in its
clusters, so it keeps the articles it was given: for a corpus larger than memory use ``assign`` (or
``newsclean dedup``), which gives each record's cluster by position and URL, and read the articles again.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from .errors import DedupError
from .models import Article

try:
    import numpy as np
    from datasketch import MinHash, MinHashLSH
except ImportError as exc:  # pragma: no cover - the [dedup] extra is part of [test]
    raise DedupError(
        f"near-duplicate clustering needs the dedup extra: pip install 'newsclean[dedup]' ({exc})"
    ) from exc

__all__ = [
    "DEFAULT_THRESHOLD",
    "NUM_PERM",
    "SHINGLE_SIZE",
    "Cluster",
    "Membership",
    "assign",
    "band_keys",
    "candidate_pairs",
    "cluster",
    "components",
    "confirm",
    "lsh_bands",
    "normalise",
    "shingle_hashes",
    "signature",
]

# Characters per shingle. Measured on the labelled set of bench/neardup.py (5, 6 and 7 compared): 5 keeps the
# copies' Jaccard highest under spacing and number edits while unrelated articles on one topic stay far apart.
SHINGLE_SIZE = 5
# MinHash permutations: 128 uint32 values (512 bytes a record); the estimate's standard error at J = 0.8 is 0.035.
NUM_PERM = 128
# Seed of the MinHash permutations: fixed, so signatures computed apart (other runs, other machines) compare.
SEED = 20211126
# Jaccard similarity of two bodies' shingle sets from which they are copies of one story.
DEFAULT_THRESHOLD = 0.8
# Weights datasketch gives missed pairs and spurious candidates when it picks bands and rows: a spurious
# candidate costs one signature comparison, a missed pair loses a copy, so misses weigh more.
FALSE_POSITIVE_WEIGHT = 0.2
FALSE_NEGATIVE_WEIGHT = 0.8
# Shingles hashed into a MinHash at once: bounds the (shingles x NUM_PERM) matrix of one update to 2 MiB.
HASH_CHUNK = 4096
# Records sharing one band key beyond which only chain and star pairs are compared, not all pairs: bounds the
# work when thousands of records are the same text (each still joins the others' cluster).
MAX_RUN = 200
# Candidate pairs whose signatures are compared at once (two rows of NUM_PERM uint32 each).
CONFIRM_CHUNK = 65536

# Characters that take no space on screen; copies differ in them (U+200B-U+200D, U+2060, U+FEFF, soft hyphen).
ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
_ZERO_WIDTH = re.compile(f"[{ZERO_WIDTH}]")
# Multiplier of the polynomial shingle hash (odd, 64-bit) and the MurmurHash3 64-bit finaliser constants.
_POLY = np.uint64(0x9E3779B97F4A7C15)
_FMIX1 = np.uint64(0xFF51AFD7ED558CCD)
_FMIX2 = np.uint64(0xC4CEB9FE1A85EC53)
_SHIFT33 = np.uint64(33)
_SHIFT32 = np.uint64(32)


# 1. Normalise ---------------------------------------------------------------------------------------------------


def normalise(paragraphs: Iterable[str]) -> str:
    """The body as one string: NFKC, zero-width characters and all whitespace removed."""
    text = unicodedata.normalize("NFKC", "".join(paragraphs))
    if _ZERO_WIDTH.search(text):
        text = _ZERO_WIDTH.sub("", text)
    return "".join(text.split())  # str.split() splits at every Unicode whitespace character


# 2. Shingles ----------------------------------------------------------------------------------------------------


def shingle_hashes(text: str, *, size: int = SHINGLE_SIZE) -> np.ndarray[Any, np.dtype[np.uint32]]:
    """The distinct 32-bit hashes of ``text``'s character ``size``-grams (empty when it is shorter)."""
    if size < 1:
        raise ValueError(f"shingle size must be at least 1, not {size}")
    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    count = len(codes) - size + 1
    if count <= 0:
        return np.empty(0, dtype=np.uint32)
    h = np.zeros(count, dtype=np.uint64)
    for offset in range(size):  # polynomial hash of each window, wrapping modulo 2**64
        h = h * _POLY + codes[offset : offset + count]
    h ^= h >> _SHIFT33  # MurmurHash3 fmix64: every input bit reaches the upper 32 bits kept below
    h *= _FMIX1
    h ^= h >> _SHIFT33
    h *= _FMIX2
    h ^= h >> _SHIFT33
    return np.unique((h >> _SHIFT32).astype(np.uint32))


# 3. Signatures --------------------------------------------------------------------------------------------------


def _identity(value: int) -> int:
    return value


@lru_cache(maxsize=8)
def _permutations(num_perm: int) -> np.ndarray[Any, np.dtype[np.uint32]]:
    permutations: np.ndarray[Any, np.dtype[np.uint32]] = MinHash(num_perm=num_perm, seed=SEED).permutations
    return permutations


def signature(
    paragraphs: Iterable[str], *, num_perm: int = NUM_PERM, shingle_size: int = SHINGLE_SIZE
) -> np.ndarray[Any, np.dtype[np.uint32]] | None:
    """The MinHash signature (``num_perm`` uint32) of a body, or ``None`` when it has no shingle at all.

    A pure function of the paragraphs: the same body gives the same signature in any process.
    """
    hashes = shingle_hashes(normalise(paragraphs), size=shingle_size)
    if not len(hashes):
        return None
    minhash = MinHash(
        num_perm=num_perm, seed=SEED, hashfunc=_identity, permutations=_permutations(num_perm), scheme="affine32"
    )
    for start in range(0, len(hashes), HASH_CHUNK):
        minhash.update_batch(hashes[start : start + HASH_CHUNK])
    values: np.ndarray[Any, np.dtype[np.uint32]] = minhash.hashvalues
    return values


# 4. Band keys ---------------------------------------------------------------------------------------------------


@lru_cache(maxsize=64)
def lsh_bands(threshold: float, num_perm: int = NUM_PERM) -> tuple[int, int]:
    """(bands, rows per band) for a Jaccard threshold, as ``datasketch.MinHashLSH`` chooses them."""
    if not 0.0 < threshold <= 1.0:
        raise DedupError(f"the similarity threshold must be above 0 and at most 1, not {threshold}")
    lsh = MinHashLSH(
        threshold=threshold, num_perm=num_perm, weights=(FALSE_POSITIVE_WEIGHT, FALSE_NEGATIVE_WEIGHT)
    )
    return int(lsh.b), int(lsh.r)


def band_keys(
    signatures: np.ndarray[Any, np.dtype[np.uint32]], *, bands: int, rows: int
) -> np.ndarray[Any, np.dtype[np.uint64]]:
    """One 64-bit key per band of each signature: ``(n, NUM_PERM)`` in, ``(n, bands)`` out (a row: 1-D)."""
    matrix = np.atleast_2d(signatures)
    sig = matrix[:, : bands * rows].astype(np.uint64).reshape(len(matrix), bands, rows)
    keys = np.zeros(sig.shape[:2], dtype=np.uint64)
    for r in range(rows):
        keys = keys * _POLY + sig[:, :, r]
    keys ^= keys >> _SHIFT33
    keys *= _FMIX1
    keys ^= keys >> _SHIFT33
    keys += np.arange(bands, dtype=np.uint64)  # the same values in two bands are different keys
    return keys if signatures.ndim == 2 else keys[0]


# 5. Candidates --------------------------------------------------------------------------------------------------


def _run_pairs(members: np.ndarray[Any, np.dtype[np.int64]]) -> np.ndarray[Any, np.dtype[np.int64]]:
    """Pairs (i < j) to compare among records that share a band key."""
    m = len(members)
    if m <= MAX_RUN:
        first, second = np.triu_indices(m, k=1)
        return np.stack([members[first], members[second]], axis=1)
    chain = np.stack([members[:-1], members[1:]], axis=1)
    star = np.stack([np.full(m - 1, members[0]), members[1:]], axis=1)
    return np.concatenate([chain, star])


def candidate_pairs(keys: np.ndarray[Any, np.dtype[np.uint64]]) -> np.ndarray[Any, np.dtype[np.int64]]:
    """Distinct pairs ``(i, j)``, ``i < j``, of rows of ``keys`` (n x bands) that share a key in some band."""
    n = len(keys)
    found: list[np.ndarray[Any, np.dtype[np.int64]]] = []
    for band in range(keys.shape[1] if keys.ndim == 2 else 0):
        column = keys[:, band]
        order = np.argsort(column, kind="stable")
        ordered = column[order]
        starts = np.flatnonzero(np.concatenate([[True], ordered[1:] != ordered[:-1]]))
        ends = np.append(starts[1:], n)
        for start, end in zip(starts[ends - starts > 1], ends[ends - starts > 1], strict=True):
            found.append(_run_pairs(np.sort(order[start:end]).astype(np.int64)))
    if not found:
        return np.empty((0, 2), dtype=np.int64)
    pairs = np.concatenate(found)
    codes = np.unique(pairs[:, 0] * n + pairs[:, 1])
    return np.stack([codes // n, codes % n], axis=1)


# 6. Confirmation ------------------------------------------------------------------------------------------------


def similarities(
    pairs: np.ndarray[Any, np.dtype[np.int64]], signatures: np.ndarray[Any, np.dtype[np.uint32]]
) -> np.ndarray[Any, np.dtype[np.float64]]:
    """The estimated Jaccard similarity of each pair: the share of equal signature values."""
    out = np.empty(len(pairs), dtype=np.float64)
    width = signatures.shape[1]
    for start in range(0, len(pairs), CONFIRM_CHUNK):
        chunk = pairs[start : start + CONFIRM_CHUNK]
        equal = np.count_nonzero(signatures[chunk[:, 0]] == signatures[chunk[:, 1]], axis=1)
        out[start : start + len(chunk)] = equal / width
    return out


def confirm(
    pairs: np.ndarray[Any, np.dtype[np.int64]],
    signatures: np.ndarray[Any, np.dtype[np.uint32]],
    *,
    threshold: float = DEFAULT_THRESHOLD,
) -> np.ndarray[Any, np.dtype[np.int64]]:
    """The candidate pairs whose estimated Jaccard similarity is at least ``threshold``."""
    return pairs[similarities(pairs, signatures) >= threshold]


# 7. Components --------------------------------------------------------------------------------------------------


def components(n: int, pairs: np.ndarray[Any, np.dtype[np.int64]]) -> list[int]:
    """Union-find over ``pairs`` of ``n`` records: each record's root (the smallest index of its component)."""
    parent = list(range(n))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]  # path halving
            x = parent[x]
        return x

    for i, j in pairs.tolist():
        a, b = find(i), find(j)
        if a != b:
            parent[max(a, b)] = min(a, b)
    return [find(x) for x in range(n)]


# The streaming driver ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Membership:
    """Where one input record belongs: its story's representative, by input position."""

    index: int  # position of the record in the input
    url: str | None
    representative: int  # position of the story's representative (the record itself when it is one)
    rank: int  # 0 for the representative, then its copies by publication time and URL
    size: int  # records in the story
    similarity: float  # estimated Jaccard with the representative (1.0 for the representative)


class _Signatures:
    """Signatures of a stream, one uint32 row each, in an array grown by doubling (no per-record objects)."""

    def __init__(self, width: int) -> None:
        self.rows = np.zeros((1024, width), dtype=np.uint32)
        self.count = 0

    def add(self, values: np.ndarray[Any, np.dtype[np.uint32]]) -> int:
        if self.count == len(self.rows):
            grown = np.zeros((2 * len(self.rows), self.rows.shape[1]), dtype=np.uint32)
            grown[: self.count] = self.rows
            self.rows = grown
        self.rows[self.count] = values
        self.count += 1
        return self.count - 1

    def array(self) -> np.ndarray[Any, np.dtype[np.uint32]]:
        return self.rows[: self.count]


def _order_key(published: float | None, url: str | None, index: int) -> tuple[bool, float, bool, str, int]:
    return (published is None, published or 0.0, url is None, url or "", index)


def assign(articles: Iterable[Article], *, threshold: float = DEFAULT_THRESHOLD) -> list[Membership]:
    """Cluster a stream of articles keeping only signatures, URLs and times; one ``Membership`` per article.

    An article whose body has no shingle (empty, or shorter than ``SHINGLE_SIZE`` characters) is a story of
    its own. Memory: ``NUM_PERM * 4`` bytes per article plus its URL; the articles themselves are not kept.
    """
    bands, rows = lsh_bands(threshold)
    store = _Signatures(NUM_PERM)
    signed: list[int] = []  # input position of each stored signature
    urls: list[str | None] = []
    times: list[float | None] = []
    for index, article in enumerate(articles):
        urls.append(article.url)
        times.append(article.published_at.timestamp() if article.published_at else None)
        values = signature(article.paragraphs)
        if values is not None:
            store.add(values)
            signed.append(index)
    return _memberships(store.array(), signed, urls, times, threshold=threshold, bands=bands, rows=rows)


def _memberships(
    signatures: np.ndarray[Any, np.dtype[np.uint32]],
    signed: Sequence[int],
    urls: Sequence[str | None],
    times: Sequence[float | None],
    *,
    threshold: float,
    bands: int,
    rows: int,
) -> list[Membership]:
    n = len(urls)
    pairs = confirm(candidate_pairs(band_keys(signatures, bands=bands, rows=rows)), signatures, threshold=threshold)
    roots = components(len(signed), pairs)
    position = np.asarray(signed, dtype=np.int64)
    root_of = list(range(n))  # by input position; records without a signature stay their own root
    row_of: dict[int, int] = {}
    for row, root in enumerate(roots):
        root_of[signed[row]] = int(position[root])
        row_of[signed[row]] = row
    groups: dict[int, list[int]] = {}
    for index in range(n):
        groups.setdefault(root_of[index], []).append(index)
    result: list[Membership | None] = [None] * n
    for members in groups.values():
        members.sort(key=lambda i: _order_key(times[i], urls[i], i))
        head = members[0]
        if len(members) > 1:
            others = np.asarray([[row_of[head], row_of[i]] for i in members], dtype=np.int64)
            similarity = similarities(others, signatures).tolist()
        else:
            similarity = [1.0]
        for rank, (index, sim) in enumerate(zip(members, similarity, strict=True)):
            result[index] = Membership(
                index=index, url=urls[index], representative=head, rank=rank, size=len(members), similarity=sim
            )
    return [m for m in result if m is not None]


# The Python API -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cluster:
    """One story: its representative (earliest published, ties by URL) and every copy, representative first."""

    representative: Article
    members: tuple[Article, ...]


def cluster(articles: Iterable[Article], *, threshold: float = DEFAULT_THRESHOLD) -> list[Cluster]:
    """Group near-duplicate articles (estimated Jaccard of body shingles >= ``threshold``) into stories.

    Every article is in exactly one cluster; an article with no copy is a cluster of one. Clusters come in the
    order of their first article in the input. The articles are kept to be returned (see ``assign`` for a
    stream that keeps only signatures).
    """
    kept: list[Article] = []

    def keep(stream: Iterable[Article]) -> Iterator[Article]:
        for article in stream:
            kept.append(article)
            yield article

    memberships = assign(keep(articles), threshold=threshold)
    groups: dict[int, list[Membership]] = {}
    for m in memberships:
        groups.setdefault(m.representative, []).append(m)
    clusters = []
    for members in sorted(groups.values(), key=lambda ms: min(m.index for m in ms)):
        members.sort(key=lambda m: m.rank)
        chosen = tuple(kept[m.index] for m in members)
        clusters.append(Cluster(representative=chosen[0], members=chosen))
    return clusters

