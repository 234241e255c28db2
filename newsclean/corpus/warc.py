"""Web archives: WARC files (.warc, .warc.gz) -> every Korean news article in them, with its capture.

Three layers, each usable on its own:

1. ``read_pages(source)`` reads ``response`` records with fastwarc and turns each into a ``WarcPage`` (record
   id, target URI, capture date, HTTP charset, body) or a ``Skipped`` with its reason (not HTTP, not 200, not
   HTML, too large, damaged). A damaged record, a truncated gzip member or garbage between records is counted
   and skipped; reading goes on at the next whole record.
2. ``clean_page(page)`` is pure: the Hangul pre-filter, the HTTP charset, then ``clean_article``. It returns a
   ``Kept`` (``Article`` + ``Capture``) or a ``Skipped`` (not Korean, no article, failed).
3. ``articles_from_warc(source)`` runs both over one file (the per-file function Dask, Spark or a process pool
   call); ``clean_warcs(paths, jobs=N)`` reads in this process and cleans in a pool of N processes.

fastwarc is in the ``[warc]`` extra; importing this module without it raises ``MissingExtraError``.
"""

from __future__ import annotations

import io
import itertools
import multiprocessing
import os
import re
import zlib
from collections import Counter, deque
from collections.abc import Callable, Generator, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from typing import IO, Literal

from ..api import clean_article
from ..clean.page import MAX_BROKEN_SHARE
from ..errors import ArchiveError, MissingExtraError, NewscleanError, NoArticleBodyError, NotKoreanError
from ..models import Article, Capture, CleanOptions
from ..sites import install_families, registered_families

try:
    from fastwarc.warc import ArchiveIterator, WarcRecord, WarcRecordType
except ImportError as exc:  # pragma: no cover - the extra is installed wherever this module is used
    raise MissingExtraError('reading web archives needs fastwarc: pip install "newsclean[warc]"') from exc

__all__ = [
    "SKIP_REASONS",
    "Kept",
    "SkipReason",
    "Skipped",
    "WarcPage",
    "WarcStats",
    "articles_from_warc",
    "clean_page",
    "clean_warcs",
    "looks_korean",
    "read_pages",
]

SkipReason = Literal["not_http", "status", "not_html", "too_large", "damaged", "not_korean", "no_article", "failed"]
# Every reason a response record is skipped, in the order a summary lists them.
SKIP_REASONS: tuple[SkipReason, ...] = (
    "not_http",
    "status",
    "not_html",
    "too_large",
    "damaged",
    "not_korean",
    "no_article",
    "failed",
)
# HTTP content types cleaned as pages; a record without a Content-Type is cleaned too (the page is sniffed).
HTML_CONTENT_TYPES = frozenset({"text/html", "application/xhtml+xml"})
# Charsets ``clean_article`` tries on bytes that declare none: an HTTP header naming one of them changes nothing.
BUILT_IN_CHARSETS = frozenset({"utf-8", "cp949"})
# Bytes of a body in which Hangul syllables are counted by the pre-filter. Korean news pages can open with tens
# of kilobytes of script and style (hankookilbo.com: 162 syllables in its first 64 KiB, 30 in its first 16 KiB).
KOREAN_SAMPLE_BYTES = 65_536
KOREAN_QUICK_SAMPLE_BYTES = 16_384
# Fewer Hangul syllables than this in the sample means the page is not Korean: every Korean page in fixtures/
# has at least 20 in its first 16 KiB, while an English, Japanese or Chinese page has none or a language menu's few.
MIN_HANGUL_SYLLABLES = 20
# Response records cleaned per task sent to a worker process: large enough that pickling and scheduling are
# a small share of the cleaning time (about 1-2 ms a record), small enough to keep every core busy.
BATCH_RECORDS = 16
# Batches in flight per worker process: bounds the memory of a run by what is waiting to be cleaned.
BATCHES_IN_FLIGHT = 4
# Bytes read at a time when looking for the next record after damage.
RESYNC_CHUNK = 1 << 20
# Compressed bytes fed at a time when reading what a damaged gzip member holds before its damage.
SALVAGE_STEP = 64
# Largest WARC record header read when checking a record by hand (fastwarc's own limit).
MAX_WARC_HEADER = 32 << 10

# Every byte but the UTF-8 lead bytes of Hangul syllables (deleted to count them).
_NOT_HANGUL_LEAD = bytes(b for b in range(256) if not 0xEA <= b <= 0xED)
_CONTENT_LENGTH = re.compile(rb"^content-length[ \t]*:[ \t]*(\d+)[ \t]*\r?$", re.I | re.M)
_GZIP_MAGIC = b"\x1f\x8b\x08"
_WARC_MAGIC = b"WARC/1."


@dataclass(frozen=True)
class WarcPage:
    """A 200 HTML response read from a WARC record: what ``clean_page`` needs, picklable."""

    record_id: str
    target_uri: str | None
    captured_at: datetime | None
    charset: str | None  # the charset of the HTTP Content-Type header, if any
    body: bytes


@dataclass(frozen=True)
class Kept:
    """An article found in a WARC record, with where it was captured."""

    article: Article
    capture: Capture


@dataclass(frozen=True)
class Skipped:
    """A response record that gave no article, and why."""

    reason: SkipReason
    record_id: str | None
    target_uri: str | None
    detail: str


Outcome = Kept | Skipped


@dataclass
class WarcStats:
    """Counts of a run: files, response records, articles kept, records skipped by reason, failed files."""

    files: int = 0
    records: int = 0
    kept: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    failed_files: list[str] = field(default_factory=list)

    def add(self, outcome: Outcome) -> None:
        self.records += 1
        if isinstance(outcome, Kept):
            self.kept += 1
        else:
            self.skipped[outcome.reason] += 1


# 1. Reading records -----------------------------------------------------------------------------------------


def _open(source: str | os.PathLike[str] | IO[bytes]) -> IO[bytes]:
    if not isinstance(source, (str, os.PathLike)):
        return source
    path = os.fspath(source)
    try:
        if "://" in path and not path.startswith("file://"):
            try:
                import fsspec
            except ImportError as exc:
                raise MissingExtraError(f'reading {path} needs fsspec: pip install "newsclean[dask]"') from exc
            opened: IO[bytes] = fsspec.open(path, "rb").open()
            return opened
        return open(path.removeprefix("file://"), "rb")
    except OSError as exc:
        raise ArchiveError(f"cannot open web archive {path}: {exc.strerror or exc}") from exc


def _page_of(record: WarcRecord, *, max_bytes: int) -> WarcPage | Skipped:
    """Stage 1 for one response record: its HTTP status and type decide whether its body is read at all."""
    record_id = record.record_id or ""
    uri = record.headers.get("WARC-Target-URI")
    if not record.is_http or not record.is_http_parsed or record.http_headers is None:
        return Skipped("not_http", record_id, uri, "the record holds no HTTP response")
    status = record.http_headers.status_code
    if status != 200:
        return Skipped("status", record_id, uri, f"HTTP status {status}")
    content_type = (record.http_content_type or "").lower()
    if content_type and content_type not in HTML_CONTENT_TYPES:
        return Skipped("not_html", record_id, uri, f"content type {content_type}")
    if record.content_length > max_bytes:
        return Skipped("too_large", record_id, uri, f"body of {record.content_length:,} bytes, over {max_bytes:,}")
    try:
        captured: datetime | None = record.record_date
    except (ValueError, OSError):
        captured = None
    body = record.reader.read()
    return WarcPage(record_id=record_id, target_uri=uri, captured_at=captured, charset=record.http_charset, body=body)


def _iterator(stream: IO[bytes]) -> Iterator[WarcRecord]:
    records: Iterator[WarcRecord] = ArchiveIterator(
        stream, record_types=WarcRecordType.response, parse_http=True, auto_decode="all"
    )
    return records


def read_pages(
    source: str | os.PathLike[str] | IO[bytes], *, max_bytes: int = CleanOptions().max_input_bytes
) -> Iterator[WarcPage | Skipped]:
    """Every response record of a WARC file (plain or gzip, path, fsspec URL or binary file) in order.

    Damage is survived: when fastwarc stops on a bad record, the records from the last one it read are checked
    one by one (``_walk``) until reading has passed the damage, and fastwarc goes on from the next whole record.
    A damaged response record is reported as ``Skipped("damaged")``.
    """
    stream = _open(source)
    seen = [0]  # records found, whole or damaged, of any type
    try:
        gzipped = _is_gzip(stream.read(RESYNC_CHUNK))
        position: int | None = 0
        while position is not None:
            position = yield from _read_fast(stream, position, gzipped, max_bytes, seen)
    finally:
        if stream is not source:
            stream.close()
    if not seen[0]:
        name = os.fspath(source) if isinstance(source, (str, os.PathLike)) else "input"
        raise ArchiveError(f"{name} holds no WARC record: give a .warc or .warc.gz file")


def _is_gzip(head: bytes) -> bool:
    """A gzip WARC starts with a gzip member (or, when damaged, shows one before any plain record)."""
    gzip_at, warc_at = head.find(_GZIP_MAGIC), head.find(_WARC_MAGIC)
    return gzip_at >= 0 and (warc_at < 0 or gzip_at < warc_at)


def _read_fast(
    stream: IO[bytes], start: int, gzipped: bool, max_bytes: int, seen: list[int]
) -> Generator[WarcPage | Skipped, None, int | None]:
    """Read with fastwarc from ``start``; hold each item back until the next record proves it whole."""
    stream.seek(start)
    pending: tuple[int, WarcPage | Skipped] | None = None
    try:
        for record in _iterator(stream):
            item = _page_of(record, max_bytes=max_bytes)
            seen[0] += 1
            if pending is not None:
                yield pending[1]
            pending = (record.stream_pos, item)
    except OSError:
        pass  # damage: checked below, record by record
    # The last record read (and whatever follows it) is checked by hand: a wrong Content-Length or a truncated
    # gzip member only shows when the next record is read, or not at all at the end of the file.
    return (yield from _walk(stream, pending, start, gzipped, max_bytes, seen))


def _walk(
    stream: IO[bytes],
    pending: tuple[int, WarcPage | Skipped] | None,
    start: int,
    gzipped: bool,
    max_bytes: int,
    seen: list[int],
) -> Generator[WarcPage | Skipped, None, int | None]:
    """Check records one by one from the held-back one; after the damage, hand back to fastwarc (a position)."""
    position = pending[0] if pending is not None else start
    damage_seen = False
    while True:
        stream.seek(position)
        whole, data, end = _read_member(stream, max_bytes) if gzipped else _read_plain(stream, max_bytes)
        if end is None:  # end of the file
            return None
        if whole:
            seen[0] += 1
            if damage_seen:
                return position
            if pending is not None and position == pending[0]:
                yield pending[1]
                position = end
                continue
            try:
                items = list(_pages_in(data, max_bytes))
            except OSError:  # whole by its lengths, but fastwarc cannot read it: damage all the same
                items = None
            if items is not None:
                yield from items
                position = end
                continue
        damage_seen = True
        if _starts_record(data):
            seen[0] += 1
            yield Skipped("damaged", _header(data, b"WARC-Record-ID"), _header(data, b"WARC-Target-URI"), "damaged")
        nxt = _find(stream, _GZIP_MAGIC if gzipped else _WARC_MAGIC, position + 1)
        if nxt is None:
            return None
        position = nxt


def _pages_in(data: bytes, max_bytes: int) -> Iterator[WarcPage | Skipped]:
    for record in _iterator(io.BytesIO(data)):
        yield _page_of(record, max_bytes=max_bytes)


def _starts_record(data: bytes) -> bool:
    """True when damaged bytes start a WARC record that may be a response (its type is response or unseen)."""
    if not data or not (data.startswith(b"WARC/") or b"WARC/".startswith(data)):
        return False
    kind = _header(data, b"WARC-Type")
    return kind is None or kind.lower() == "response"


# The WARC header fields damaged bytes are read for, each a compiled pattern (names matched in any case).
_HEADER_RES: dict[bytes, re.Pattern[bytes]] = {
    name: re.compile(rb"^" + re.escape(name) + rb"[ \t]*+:[ \t]*+([^\r\n]*)", re.I | re.M)
    for name in (b"WARC-Type", b"WARC-Record-ID", b"WARC-Target-URI")
}


def _header(data: bytes, name: bytes) -> str | None:
    match = _HEADER_RES[name].search(data[:MAX_WARC_HEADER])
    return match.group(1).decode("utf-8", "replace").strip() if match else None


def _whole(data: bytes) -> bool:
    """True when ``data`` is one or more WARC records, each exactly as long as its Content-Length says."""
    position = 0
    while position < len(data):
        if not data.startswith(b"WARC/", position):
            return False
        header_end = data.find(b"\r\n\r\n", position, position + MAX_WARC_HEADER)
        length = _CONTENT_LENGTH.search(data, position, header_end) if header_end >= 0 else None
        if length is None:
            return False
        block_end = header_end + 4 + int(length.group(1))
        if data[block_end : block_end + 4] != b"\r\n\r\n":
            return False
        position = block_end + 4
    return position == len(data)


def _read_member(stream: IO[bytes], max_bytes: int) -> tuple[bool, bytes, int | None]:
    """One gzip member from the stream's position: (whether it is whole records, its data, where it ends)."""
    start = stream.tell()
    decompressor = zlib.decompressobj(zlib.MAX_WBITS | 16)
    out: list[bytes] = []
    size = 0
    fed = 0
    limit = max_bytes + MAX_WARC_HEADER * 2
    while not decompressor.eof:
        chunk = stream.read(RESYNC_CHUNK)
        if not chunk:
            if fed == 0:
                return False, b"", None
            return False, b"".join(out), start + fed  # truncated at the end of the file
        fed += len(chunk)
        try:
            piece = decompressor.decompress(chunk, limit - size)
        except zlib.error:
            stream.seek(start)
            return False, _salvage(stream.read(fed)), start + fed
        out.append(piece)
        size += len(piece)
        if size >= limit:
            return False, b"".join(out), start + fed  # too large to check: treated as damage
        while decompressor.unconsumed_tail and not decompressor.eof:
            piece = decompressor.decompress(decompressor.unconsumed_tail, limit - size)
            out.append(piece)
            size += len(piece)
            if size >= limit:
                return False, b"".join(out), start + fed
    data = b"".join(out)
    end = start + fed - len(decompressor.unused_data)
    return _whole(data), data, end


def _salvage(compressed: bytes) -> bytes:
    """What a damaged gzip member decompresses to before the damage (read a little at a time)."""
    decompressor = zlib.decompressobj(zlib.MAX_WBITS | 16)
    out: list[bytes] = []
    for offset in range(0, min(len(compressed), MAX_WARC_HEADER), SALVAGE_STEP):
        try:
            out.append(decompressor.decompress(compressed[offset : offset + SALVAGE_STEP], MAX_WARC_HEADER))
        except zlib.error:
            break
        if decompressor.eof:
            break
    return b"".join(out)


def _read_plain(stream: IO[bytes], max_bytes: int) -> tuple[bool, bytes, int | None]:
    """One uncompressed record from the stream's position: (whether it is whole, its bytes, where it ends)."""
    start = stream.tell()
    head = stream.read(MAX_WARC_HEADER)
    if not head.strip():
        return False, b"", None
    header_end = head.find(b"\r\n\r\n")
    length = _CONTENT_LENGTH.search(head, 0, header_end) if header_end >= 0 else None
    if not head.startswith(b"WARC/") or length is None or int(length.group(1)) > max_bytes + MAX_WARC_HEADER:
        return False, head[: max(header_end, 0)], start + 1
    total = header_end + 4 + int(length.group(1)) + 4
    stream.seek(start)
    data = stream.read(total)
    return _whole(data), data, start + total


def _find(stream: IO[bytes], magic: bytes, position: int) -> int | None:
    """The first offset at or after ``position`` where ``magic`` starts, or None."""
    stream.seek(position)
    carry = b""
    base = position
    while True:
        chunk = stream.read(RESYNC_CHUNK)
        if not chunk:
            return None
        window = carry + chunk
        found = window.find(magic)
        if found >= 0:
            return base + found
        carry = window[-(len(magic) - 1) :]
        base += len(window) - len(carry)


# 2. Cleaning one page ---------------------------------------------------------------------------------------


def looks_korean(body: bytes) -> bool:
    """The pre-filter: at least ``MIN_HANGUL_SYLLABLES`` Hangul syllables in the first ``KOREAN_SAMPLE_BYTES``
    (the first ``KOREAN_QUICK_SAMPLE_BYTES`` first: they decide for most Korean pages)."""
    for size in (KOREAN_QUICK_SAMPLE_BYTES, KOREAN_SAMPLE_BYTES):
        if _hangul_count(body[:size]) >= MIN_HANGUL_SYLLABLES:
            return True
        if len(body) <= size:
            return False
    return False


def _hangul_count(sample: bytes) -> int:
    """Hangul syllables in ``sample`` (UTF-8, else CP949), counted in C on the UTF-8 form: a syllable
    (U+AC00-U+D7A3) is a 3-byte sequence led by 0xEA-0xED, a lead shared only with rare scripts (Yi, Vai)."""
    text = sample.decode("utf-8", "replace")
    if text.count("\ufffd") > MAX_BROKEN_SHARE * len(text):
        sample = sample.decode("cp949", "replace").encode("utf-8")
    return len(sample.translate(None, _NOT_HANGUL_LEAD))


def clean_page(page: WarcPage, *, options: CleanOptions | None = None) -> Kept | Skipped:
    """Stage 2, pure: one page -> its article and capture, or the reason it has none."""
    uri = page.target_uri
    if not looks_korean(page.body):
        return Skipped("not_korean", page.record_id, uri, f"fewer than {MIN_HANGUL_SYLLABLES} Hangul syllables")
    try:
        # The HTTP header's charset is used when the page declares none (EUC-KR archives).
        article = clean_article(page.body, url=uri, charset=page.charset, options=options)
    except NotKoreanError as exc:
        return Skipped("not_korean", page.record_id, uri, str(exc))
    except NoArticleBodyError as exc:
        return Skipped("no_article", page.record_id, uri, str(exc))
    except NewscleanError as exc:
        return Skipped("failed", page.record_id, uri, f"{type(exc).__name__}: {exc}")
    capture = Capture(warc_record_id=page.record_id, warc_target_uri=uri, warc_date=page.captured_at)
    return Kept(article, capture)


def _clean_batch(batch: list[WarcPage | Skipped], options: CleanOptions | None) -> list[Outcome]:
    return [clean_page(item, options=options) if isinstance(item, WarcPage) else item for item in batch]


# 3. Files ---------------------------------------------------------------------------------------------------


def articles_from_warc(
    source: str | os.PathLike[str] | IO[bytes], *, options: CleanOptions | None = None
) -> Iterator[Outcome]:
    """Every response record of one WARC file, cleaned in this process: a ``Kept`` or a ``Skipped`` each."""
    max_bytes = (options or CleanOptions()).max_input_bytes
    for item in read_pages(source, max_bytes=max_bytes):
        yield clean_page(item, options=options) if isinstance(item, WarcPage) else item


def _batches(
    paths: Iterable[str | os.PathLike[str]], stats: WarcStats, max_bytes: int
) -> Iterator[list[WarcPage | Skipped]]:
    batch: list[WarcPage | Skipped] = []
    for path in paths:
        stats.files += 1
        try:
            for item in read_pages(path, max_bytes=max_bytes):
                batch.append(item)
                if len(batch) >= BATCH_RECORDS:
                    yield batch
                    batch = []
        except ArchiveError as exc:
            stats.failed_files.append(str(exc))
    if batch:
        yield batch


def clean_warcs(
    paths: Iterable[str | os.PathLike[str]],
    *,
    jobs: int = 1,
    options: CleanOptions | None = None,
    stats: WarcStats | None = None,
    progress: Callable[[WarcStats], None] | None = None,
) -> Iterator[Outcome]:
    """Every response record of every file, in order: read here, cleaned in ``jobs`` processes (1: here).

    ``stats`` (updated as outcomes are yielded) counts records, articles and reasons; a file that cannot be
    opened is recorded in ``stats.failed_files`` and the run goes on. ``progress`` is called after each batch.
    """
    stats = stats if stats is not None else WarcStats()
    max_bytes = (options or CleanOptions()).max_input_bytes
    batches = _batches(paths, stats, max_bytes)
    # Input of no more than a batch per process is cleaned here: starting the processes would cost more.
    first = list(itertools.islice(batches, jobs))
    if jobs <= 1 or len(first) < jobs:
        for batch in itertools.chain(first, batches):
            for outcome in _clean_batch(batch, options):
                stats.add(outcome)
                yield outcome
            if progress is not None:
                progress(stats)
        return
    spawn = multiprocessing.get_context("spawn")
    # A spawned worker starts with the built-in families only: the caller's own are handed to it.
    families = registered_families()
    with ProcessPoolExecutor(jobs, mp_context=spawn, initializer=install_families, initargs=(families,)) as pool:
        in_flight: deque[Future[list[Outcome]]] = deque()
        try:
            for batch in itertools.chain(first, batches):
                in_flight.append(pool.submit(_clean_batch, batch, options))
                while len(in_flight) >= jobs * BATCHES_IN_FLIGHT or (in_flight and in_flight[0].done()):
                    yield from _drain(in_flight.popleft(), stats, progress)
            while in_flight:
                yield from _drain(in_flight.popleft(), stats, progress)
        finally:
            for future in in_flight:
                future.cancel()


def _drain(
    future: Future[list[Outcome]], stats: WarcStats, progress: Callable[[WarcStats], None] | None
) -> Iterator[Outcome]:
    for outcome in future.result():
        stats.add(outcome)
        yield outcome
    if progress is not None:
        progress(stats)
