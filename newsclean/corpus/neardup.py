"""Near-duplicate articles: Article stream -> MinHash signatures -> LSH bands -> confirmed pairs -> clusters.

Korean regional papers print the same press release or wire story almost word for word, with another lead
line, byline or spacing, or a trimmed last paragraph. This module finds such copies across a corpus and groups
them into one cluster per story, whose representative is the earliest published copy (ties: the smaller URL).

The stages, each a pure function of one record or of arrays, so that an engine (a process pool, Dask) can map
them over partitions and group band keys across the cluster:

1. ``normalise(paragraphs)``: the body only (``Article.paragraphs``: no title, credits or bylines), NFKC,
   zero-width characters and all whitespace removed, since copies differ most in spacing;
2. ``shingle_hashes(text)``: the set of its character ``SHINGLE_SIZE``-grams, each hashed to 32 bits;
3. ``signature(paragraphs)``: a ``datasketch`` MinHash of that set (``NUM_PERM`` uint32, fixed seed) and its
   ``BOTTOM_K`` smallest hashes (a bottom-k sketch), stored row by row in ``Signatures`` arrays;
4. ``band_keys(minhashes, ...)``: one 64-bit key per LSH band, bands and rows set by ``lsh_bands`` so that a
   pair at the threshold shares a band with probability ``CANDIDATE_RECALL``;
5. ``candidate_pairs(keys)``: records that share a key in some band;
6. ``confirm(pairs, signatures, threshold=...)``: the candidates whose estimated Jaccard reaches the threshold
   (the MinHash estimate; within ``MARGIN`` of the threshold, the sharper bottom-k one);
7. ``components(n, pairs)``: union-find over the confirmed pairs, one root per cluster (``link`` does 6 and 7
   together, looking closer at a pair near the threshold only when it would join two clusters);
8. ``memberships(...)``: each record's story; the representative is the earliest published, ties by URL.

On a cluster of machines the same functions split the work: each partition maps ``signature`` over its
records and ``band_keys`` over the minhashes, emitting ``(band, key, record id)`` rows; grouping those rows by
``(band, key)`` across partitions gives the candidate pairs; the pairs (far fewer than the records) are then
confirmed against the signatures of their two records and joined by union-find in one place.

Memory: ``assign`` (used by the command line) keeps only the signatures (2.5 KiB each), the
record's URL and its publication time; the texts stream through. ``cluster`` returns every ``Article`` in its
clusters, so it keeps the articles it was given: for a corpus larger than memory use ``assign`` (or
``newsclean dedup``), which gives each record's cluster by position and URL, and read the articles again.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache

from ..errors import DedupError
from ..models import Article
from ..text import ZERO_WIDTH_CHARACTERS

try:
    import numpy as np
    from datasketch import MinHash
    from numpy.typing import NDArray
except ImportError as exc:  # pragma: no cover - the [dedup] extra is part of [test]
    raise DedupError(
        f"near-duplicate clustering needs the dedup extra: pip install 'newsclean[dedup]' ({exc})"
    ) from exc

__all__ = [
    "DEFAULT_THRESHOLD",
    "NUM_PERM",
    "SEED",
    "SHINGLE_SIZE",
    "Cluster",
    "Membership",
    "Signature",
    "Signatures",
    "UnionFind",
    "assign",
    "band_keys",
    "bottom",
    "candidate_pairs",
    "cluster",
    "components",
    "confirm",
    "link",
    "lsh_bands",
    "memberships",
    "minhash",
    "normalise",
    "run_pairs",
    "shingle_hashes",
    "signature",
    "similarities",
    "stories",
]

# Characters per shingle. Measured on the labelled set of bench/neardup.py, 5, 6 and 7 separate copies from
# other articles alike (87 % of copies at Jaccard >= 0.8 for each, no other pair there, the closest at 0.64);
# 5 is kept: an edit of one Korean word (2-4 syllables) spoils the fewest shingles.
SHINGLE_SIZE = 5
# MinHash permutations: 128 uint32 values (512 bytes a record); the estimate's standard error at J = 0.8 is 0.035.
NUM_PERM = 128
# Seed of the MinHash permutations: fixed, so signatures computed apart (other runs, other machines) compare.
SEED = 20211126
# Jaccard similarity of two bodies' shingle sets from which they are copies of one story.
DEFAULT_THRESHOLD = 0.8
# Probability with which a pair exactly at the threshold shares an LSH band (so becomes a candidate); bands and
# rows are the fewest-candidate choice that reaches it (21 x 6 at 0.8). datasketch's MinHashLSH optimiser
# weighs the whole range above the threshold and picks 9 x 13, which finds a pair at 0.8 only 40 % of the time.
CANDIDATE_RECALL = 0.995
# Smallest shingle hashes kept per body (2 KiB): the bottom-k estimate of a pair's Jaccard is exact when both
# bodies have at most this many shingles (most articles) and sharper than the MinHash's otherwise. Measured on
# the labelled set of bench/neardup.py: 256 leaves pair precision at 0.97, 512 reaches 0.99.
BOTTOM_K = 512
# MinHash estimates this close to the threshold (about three standard errors at NUM_PERM = 128) are settled by
# the bottom-k sketches; farther ones are decided by the MinHash alone.
MARGIN = 0.1
# Shingles hashed into a MinHash at once: bounds the (shingles x NUM_PERM) matrix of one update to 2 MiB.
HASH_CHUNK = 4096
# Records sharing one band key beyond which only chain and star pairs are compared, not all pairs: bounds the
# work when thousands of records are the same text (each still joins the others' cluster).
MAX_RUN = 200
# Signatures stored per block of rows (a block of minhashes and bottom-k sketches is 10 MiB).
SIGNATURE_BLOCK = 4096
# Candidate pairs whose signatures are compared at once (two rows of NUM_PERM uint32 each).
CONFIRM_CHUNK = 65536

# Every code point removed from a body, as a lookup table over the Basic Multilingual Plane: all Unicode
# whitespace (all of it below U+3001) and the zero-width characters.
_REMOVED = np.zeros(0x10000, dtype=bool)
_REMOVED[[c for c in range(0x3001) if chr(c).isspace()] + [ord(c) for c in ZERO_WIDTH_CHARACTERS]] = True
_BMP_LAST = np.uint32(0xFFFF)
# Multiplier of the polynomial shingle hash (odd, 64-bit) and the MurmurHash3 64-bit finaliser constants.
_POLY = np.uint64(0x9E3779B97F4A7C15)
_FMIX1 = np.uint64(0xFF51AFD7ED558CCD)
_FMIX2 = np.uint64(0xC4CEB9FE1A85EC53)
_SHIFT33 = np.uint64(33)
_SHIFT32 = np.uint64(32)
_MAX_HASH = 0xFFFFFFFF


# 1. Normalise ---------------------------------------------------------------------------------------------------


def normalise(paragraphs: Iterable[str]) -> str:
    """The body as one string: NFKC, zero-width characters and all whitespace removed."""
    return _codes(paragraphs).tobytes().decode("utf-32-le")


def _codes(paragraphs: Iterable[str]) -> NDArray[np.uint32]:
    """The normalised body as code points (removing them from an array is faster than from a str)."""
    # Paragraph by paragraph: most are NFKC already (a quick check), and one "…" then costs one paragraph only.
    text = "".join([unicodedata.normalize("NFKC", paragraph) for paragraph in paragraphs])
    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    kept: NDArray[np.uint32] = codes[~_REMOVED[np.minimum(codes, _BMP_LAST)]]
    return kept


# 2. Shingles ----------------------------------------------------------------------------------------------------


def shingle_hashes(text: str, *, size: int = SHINGLE_SIZE) -> NDArray[np.uint32]:
    """The distinct 32-bit hashes of ``text``'s character ``size``-grams, sorted (empty when it is shorter)."""
    return _shingle_hashes(np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32), size)


def _shingle_hashes(codes: NDArray[np.uint32], size: int) -> NDArray[np.uint32]:
    if size < 1:
        raise ValueError(f"shingle size must be at least 1, not {size}")
    count = len(codes) - size + 1
    if count <= 0:
        return np.empty(0, dtype=np.uint32)
    wide = codes.astype(np.uint64)
    h = np.zeros(count, dtype=np.uint64)
    for offset in range(size):  # polynomial hash of each window, wrapping modulo 2**64
        h = h * _POLY + wide[offset : offset + count]
    h ^= h >> _SHIFT33  # MurmurHash3 fmix64: every input bit reaches the upper 32 bits kept below
    h *= _FMIX1
    h ^= h >> _SHIFT33
    h *= _FMIX2
    h ^= h >> _SHIFT33
    hashes = np.sort((h >> _SHIFT32).astype(np.uint32))
    return hashes[np.concatenate(([True], hashes[1:] != hashes[:-1]))]  # distinct (np.unique is slower here)


# 3. Signatures --------------------------------------------------------------------------------------------------


def _whole_batch(values: NDArray[np.uint32]) -> NDArray[np.uint32]:
    """The MinHash's hash function: it is handed a whole chunk of shingle hashes, already computed, at once."""
    return values


@lru_cache(maxsize=8)
def _permutations(num_perm: int) -> NDArray[np.uint32]:
    permutations: NDArray[np.uint32] = MinHash(num_perm=num_perm, seed=SEED).permutations
    return permutations


def minhash(
    hashes: NDArray[np.uint32], *, num_perm: int = NUM_PERM
) -> NDArray[np.uint32]:
    """The MinHash (``num_perm`` uint32, datasketch's affine32 scheme, fixed seed) of a set of shingle hashes."""
    sketch = MinHash(
        num_perm=num_perm, seed=SEED, hashfunc=_whole_batch, permutations=_permutations(num_perm), scheme="affine32"
    )
    for start in range(0, len(hashes), HASH_CHUNK):
        # One item, the chunk: datasketch turns the one "hash value" it gets into a column and applies every
        # permutation to all of it in one numpy expression, instead of calling a hash function per shingle.
        sketch.update_batch([hashes[start : start + HASH_CHUNK]])
    values: NDArray[np.uint32] = sketch.hashvalues
    return values


def bottom(hashes: NDArray[np.uint32], *, k: int = BOTTOM_K) -> NDArray[np.uint32]:
    """The ``k`` smallest of a sorted set of shingle hashes (a bottom-k sketch; the whole set when smaller)."""
    smallest: NDArray[np.uint32] = hashes[:k].copy()
    return smallest


@dataclass(frozen=True)
class Signature:
    """A body's two sketches: ``minhash`` (``NUM_PERM`` uint32, datasketch) for LSH and a first estimate, and
    ``bottom``, its ``BOTTOM_K`` smallest shingle hashes (sorted; all of them for a shorter body), which settles
    the pairs the MinHash leaves near the threshold."""

    minhash: NDArray[np.uint32]
    bottom: NDArray[np.uint32]


def signature(
    paragraphs: Iterable[str],
    *,
    num_perm: int = NUM_PERM,
    shingle_size: int = SHINGLE_SIZE,
    bottom_k: int = BOTTOM_K,
) -> Signature | None:
    """The signature of a body, or ``None`` when it has no shingle at all.

    A pure function of the paragraphs: the same body gives the same signature in any process.
    """
    hashes = _shingle_hashes(_codes(paragraphs), shingle_size)
    if not len(hashes):
        return None
    return Signature(minhash=minhash(hashes, num_perm=num_perm), bottom=bottom(hashes, k=bottom_k))


class Signatures:
    """The signatures of many records, in blocks of ``SIGNATURE_BLOCK`` rows (no object per record, and no copy
    of everything when they grow): minhashes (num_perm uint32 a row) and bottom-k sketches (bottom_k uint32 a
    row, zero-padded, with the count used)."""

    def __init__(self, *, num_perm: int = NUM_PERM, bottom_k: int = BOTTOM_K) -> None:
        self.num_perm, self.bottom_k = num_perm, bottom_k
        self._minhashes: list[NDArray[np.uint32]] = []
        self._bottoms: list[NDArray[np.uint32]] = []
        self._sizes: list[NDArray[np.int32]] = []
        self._joined: NDArray[np.uint32] = np.zeros((0, num_perm), dtype=np.uint32)
        self.count = 0

    @classmethod
    def of(cls, signatures: Iterable[Signature]) -> Signatures:
        """The signatures of a sequence of records, in order."""
        rows = list(signatures)
        out = cls(num_perm=len(rows[0].minhash) if rows else NUM_PERM)
        for row in rows:
            out.add(row)
        return out

    def add(self, signature: Signature) -> int:
        """Append a signature; return its row."""
        block, row = divmod(self.count, SIGNATURE_BLOCK)
        if row == 0:
            self._minhashes.append(np.zeros((SIGNATURE_BLOCK, self.num_perm), dtype=np.uint32))
            self._bottoms.append(np.zeros((SIGNATURE_BLOCK, self.bottom_k), dtype=np.uint32))
            self._sizes.append(np.zeros(SIGNATURE_BLOCK, dtype=np.int32))
        self._minhashes[block][row] = signature.minhash
        size = min(len(signature.bottom), self.bottom_k)
        self._bottoms[block][row, :size] = signature.bottom[:size]
        self._sizes[block][row] = size
        self.count += 1
        return self.count - 1

    def __len__(self) -> int:
        return self.count

    @property
    def minhashes(self) -> NDArray[np.uint32]:
        """Every minhash, one row per record (joined once, then again only after more were added)."""
        if len(self._joined) != self.count:
            joined = np.concatenate(self._minhashes) if self._minhashes else self._joined
            self._joined = joined[: self.count]
        return self._joined

    def bottom(self, row: int) -> NDArray[np.uint32]:
        """The bottom-k sketch of a record: its smallest shingle hashes, sorted."""
        block, offset = divmod(row, SIGNATURE_BLOCK)
        sketch: NDArray[np.uint32] = self._bottoms[block][offset, : self._sizes[block][offset]]
        return sketch


# 4. Band keys ---------------------------------------------------------------------------------------------------


@lru_cache(maxsize=64)
def lsh_bands(threshold: float, num_perm: int = NUM_PERM) -> tuple[int, int]:
    """(bands, rows per band) for a Jaccard threshold: the most rows per band (the fewest spurious candidates)
    with which a pair at the threshold still shares a band with probability ``CANDIDATE_RECALL``."""
    if not 0.0 < threshold <= 1.0:
        raise DedupError(f"the similarity threshold must be above 0 and at most 1, not {threshold}")
    for rows in range(num_perm, 0, -1):
        bands = num_perm // rows
        if 1.0 - (1.0 - threshold**rows) ** bands >= CANDIDATE_RECALL:
            return bands, rows
    return num_perm, 1


def band_keys(
    signatures: NDArray[np.uint32], *, bands: int, rows: int
) -> NDArray[np.uint64]:
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


def _big_run_pairs(members: NDArray[np.int64]) -> NDArray[np.int64]:
    """Pairs to compare among more than ``MAX_RUN`` records sharing a band key: a chain and a star."""
    chain = np.stack([members[:-1], members[1:]], axis=1)
    star = np.stack([np.full(len(members) - 1, members[0]), members[1:]], axis=1)
    return np.concatenate([chain, star])


def run_pairs(members: NDArray[np.int64], lengths: NDArray[np.int64]) -> NDArray[np.int64]:
    """Pairs ``(i, j)``, ``i < j``, of records in one run: ``members`` lists runs one after another (``lengths``
    records each), each run in ascending order. Every pair of a run is listed, one distance along the runs at a
    time (vectorised), except in runs longer than ``MAX_RUN``, which give a chain and a star. Not deduplicated:
    a pair in two runs is listed twice."""
    run = np.repeat(np.arange(len(lengths)), lengths)  # run number of each position
    small = np.repeat(lengths <= MAX_RUN, lengths)
    longest = int(lengths[lengths <= MAX_RUN].max(initial=1))
    found: list[NDArray[np.int64]] = [np.empty((0, 2), dtype=np.int64)]
    for distance in range(1, longest):
        same = (run[:-distance] == run[distance:]) & small[distance:]
        found.append(np.stack([members[:-distance][same], members[distance:][same]], axis=1))
    starts = np.cumsum(lengths) - lengths
    for start, length in zip(starts[lengths > MAX_RUN].tolist(), lengths[lengths > MAX_RUN].tolist(), strict=True):
        found.append(_big_run_pairs(members[start : start + length]))
    return np.concatenate(found).astype(np.int64, copy=False)


def candidate_pairs(keys: NDArray[np.uint64]) -> NDArray[np.int64]:
    """Distinct pairs ``(i, j)``, ``i < j``, of rows of ``keys`` (n x bands) that share a key in some band.

    Within a band, records are sorted by key (then row); ``run_pairs`` lists the pairs of each run of equal keys.
    """
    n = len(keys)
    codes = np.empty(0, dtype=np.int64)  # pair (i, j) as i * n + j, distinct, merged band by band
    for band in range(keys.shape[1] if keys.ndim == 2 else 0):
        column = keys[:, band]
        order = np.argsort(column, kind="stable").astype(np.int64)
        ordered = column[order]
        starts = np.flatnonzero(np.concatenate([[True], ordered[1:] != ordered[:-1]]))
        pairs = run_pairs(order, np.diff(np.append(starts, n)))
        if len(pairs):
            codes = np.union1d(codes, pairs[:, 0] * n + pairs[:, 1])
    return np.stack([codes // n, codes % n], axis=1) if n else np.empty((0, 2), dtype=np.int64)


# 6. Confirmation ------------------------------------------------------------------------------------------------


def _bottom_k_jaccard(a: NDArray[np.uint32], b: NDArray[np.uint32], *, whole_a: bool, whole_b: bool) -> float:
    """Jaccard estimated from two bottom-k sketches (sorted distinct hashes; ``whole``: the sketch is the set).

    Below the smaller last value of the truncated sketches, both sketches hold every hash of their set, so the
    Jaccard of those parts (a uniform sample of the union, at least k hashes) estimates the whole; it is exact
    when both sketches are whole sets.
    """
    cutoff = min(np.uint32(_MAX_HASH) if whole_a else a[-1], np.uint32(_MAX_HASH) if whole_b else b[-1])
    a = a[: int(np.searchsorted(a, cutoff, side="right"))]
    b = b[: int(np.searchsorted(b, cutoff, side="right"))]
    if not len(a) or not len(b):
        return 0.0
    at = np.searchsorted(b, a)
    at[at == len(b)] = 0
    both = int(np.count_nonzero(b[at] == a))
    return both / (len(a) + len(b) - both)


def similarities(
    pairs: NDArray[np.int64], signatures: Signatures, *, threshold: float = DEFAULT_THRESHOLD
) -> NDArray[np.float64]:
    """The estimated Jaccard similarity of each pair: the share of equal MinHash values, or, within
    ``MARGIN`` of ``threshold``, the sharper estimate of the two bottom-k sketches."""
    out = np.empty(len(pairs), dtype=np.float64)
    minhashes = signatures.minhashes
    width = minhashes.shape[1]
    for start in range(0, len(pairs), CONFIRM_CHUNK):
        chunk = pairs[start : start + CONFIRM_CHUNK]
        equal = np.count_nonzero(minhashes[chunk[:, 0]] == minhashes[chunk[:, 1]], axis=1)
        out[start : start + len(chunk)] = equal / width
    for p in np.flatnonzero(np.abs(out - threshold) < MARGIN).tolist():
        out[p] = _refined(signatures, int(pairs[p, 0]), int(pairs[p, 1]))
    return out


def _refined(signatures: Signatures, i: int, j: int) -> float:
    """The bottom-k estimate of the Jaccard of rows ``i`` and ``j``."""
    a, b, k = signatures.bottom(i), signatures.bottom(j), signatures.bottom_k
    return _bottom_k_jaccard(a, b, whole_a=len(a) < k, whole_b=len(b) < k)


def confirm(
    pairs: NDArray[np.int64], signatures: Signatures, *, threshold: float = DEFAULT_THRESHOLD
) -> NDArray[np.int64]:
    """The candidate pairs whose estimated Jaccard similarity is at least ``threshold``."""
    return pairs[similarities(pairs, signatures, threshold=threshold) >= threshold]


# 7. Components --------------------------------------------------------------------------------------------------


class UnionFind:
    """Disjoint sets of ``n`` records (path halving; the smaller index becomes the root)."""

    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, x: int) -> int:
        parent = self.parent
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(self, i: int, j: int) -> None:
        a, b = self.find(i), self.find(j)
        if a != b:
            self.parent[max(a, b)] = min(a, b)

    def roots(self) -> list[int]:
        return [self.find(x) for x in range(len(self.parent))]


def components(n: int, pairs: NDArray[np.int64]) -> list[int]:
    """Union-find over ``pairs`` of ``n`` records: each record's root (the smallest index of its component)."""
    sets = UnionFind(n)
    for i, j in pairs.tolist():
        sets.union(i, j)
    return sets.roots()


def link(pairs: NDArray[np.int64], signatures: Signatures, *, threshold: float = DEFAULT_THRESHOLD) -> list[int]:
    """``components`` of the pairs ``confirm`` keeps, with less work: the pairs the MinHash settles are joined
    first, and a pair near the threshold is looked at closer only when its records are not yet in one cluster
    (the clusters are the same as ``components(n, confirm(pairs, ...))``)."""
    minhashes = signatures.minhashes
    estimate = np.empty(len(pairs), dtype=np.float64)
    for start in range(0, len(pairs), CONFIRM_CHUNK):
        chunk = pairs[start : start + CONFIRM_CHUNK]
        equal = np.count_nonzero(minhashes[chunk[:, 0]] == minhashes[chunk[:, 1]], axis=1)
        estimate[start : start + len(chunk)] = equal / minhashes.shape[1]
    sets = UnionFind(len(signatures))
    for i, j in pairs[estimate >= threshold + MARGIN].tolist():
        sets.union(i, j)
    near = np.flatnonzero(np.abs(estimate - threshold) < MARGIN)
    for p in near[np.argsort(-estimate[near], kind="stable")].tolist():
        i, j = int(pairs[p, 0]), int(pairs[p, 1])
        if sets.find(i) != sets.find(j) and _refined(signatures, i, j) >= threshold:
            sets.union(i, j)
    return sets.roots()


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


def _order_key(published: float | None, url: str | None, index: int) -> tuple[bool, float, bool, str, int]:
    return (published is None, published or 0.0, url is None, url or "", index)


def assign(articles: Iterable[Article], *, threshold: float = DEFAULT_THRESHOLD) -> list[Membership]:
    """Cluster a stream of articles keeping only signatures, URLs and times; one ``Membership`` per article.

    An article whose body has no shingle (empty, or shorter than ``SHINGLE_SIZE`` characters) is a story of
    its own. Memory: ``(NUM_PERM + BOTTOM_K) * 4`` bytes per article plus its URL; the articles are not kept.
    """
    bands, rows = lsh_bands(threshold)
    store = Signatures()
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
    pairs = candidate_pairs(band_keys(store.minhashes, bands=bands, rows=rows))
    return memberships(store, signed, urls, times, roots=link(pairs, store, threshold=threshold), threshold=threshold)


def stories(
    signed: Sequence[int], urls: Sequence[str | None], times: Sequence[float | None], *, roots: Sequence[int]
) -> list[list[int]]:
    """The input positions of each story, its representative first, then its copies by publication time, URL
    and position; from the union-find ``roots`` of the signature rows (``signed``: row -> position).

    A record without a signature is a story of its own. A story's representative is its earliest published
    record (``times``, POSIX seconds; unknown last), ties broken by URL (``urls``; none last), then position.
    """
    n = len(urls)
    root_of = list(range(n))  # by input position; records without a signature stay their own root
    for row, root in enumerate(roots):
        root_of[signed[row]] = signed[root]
    groups: dict[int, list[int]] = {}
    for index in range(n):
        groups.setdefault(root_of[index], []).append(index)
    for members in groups.values():
        members.sort(key=lambda i: _order_key(times[i], urls[i], i))
    return list(groups.values())


def memberships(
    signatures: Signatures,
    signed: Sequence[int],
    urls: Sequence[str | None],
    times: Sequence[float | None],
    *,
    roots: Sequence[int],
    threshold: float = DEFAULT_THRESHOLD,
) -> list[Membership]:
    """Each record's story, from the union-find ``roots`` of its signature row (``signed``: row -> position).

    A record without a signature is a story of its own. A story's representative is its earliest published
    record (``times``, POSIX seconds; unknown last), ties broken by URL (``urls``; none last), then position.
    """
    n = len(urls)
    row_of = {index: row for row, index in enumerate(signed)}
    result: list[Membership | None] = [None] * n
    for members in stories(signed, urls, times, roots=roots):
        head = members[0]
        if len(members) > 1:
            others = np.asarray([[row_of[head], row_of[i]] for i in members], dtype=np.int64)
            similarity = similarities(others, signatures, threshold=threshold).tolist()
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

    groups: dict[int, list[Membership]] = {}
    for m in assign(keep(articles), threshold=threshold):
        groups.setdefault(m.representative, []).append(m)
    clusters = []
    for members in sorted(groups.values(), key=lambda ms: min(m.index for m in ms)):
        members.sort(key=lambda m: m.rank)
        chosen = tuple(kept[m.index] for m in members)
        clusters.append(Cluster(representative=chosen[0], members=chosen))
    return clusters

