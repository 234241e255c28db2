"""Faults of the network against a raw server on 127.0.0.1: lying lengths, drips, bombs, odd headers.

Every case runs through both fetchers (sync and async): they share one core, and each must end every case
with a ``FetchError`` subclass, in bounded time and memory.
"""

from __future__ import annotations

import asyncio
import functools
import gzip
import time
import tracemalloc
import zlib
from collections.abc import Callable

import brotli
import pytest
import zstandard
from fault_server import FaultServer, Reply, drip, response, serve

from newsclean import FetchError
from newsclean.errors import BodyTooLargeError, FetchTimeoutError, RobotsDisallowedError, UnsupportedURLError
from newsclean.net.fetch import AsyncFetcher, FetchedPage, Fetcher, FetchOptions

FAST = FetchOptions(delay=0, backoff=0.01, max_backoff=0.02, retries=1, read_timeout=2.0, deadline=0.5)
PAGE = "<html><head><title>제목</title></head><body><p>본문입니다.</p></body></html>".encode()


def fetch_both(url: str, options: FetchOptions = FAST, **kwargs: object) -> list[FetchedPage | FetchError]:
    """The outcome of fetching ``url`` with the sync fetcher, then with the async one."""
    outcomes: list[FetchedPage | FetchError] = []
    with Fetcher(options=options) as fetcher:
        try:
            outcomes.append(fetcher.fetch(url, **kwargs))  # type: ignore[arg-type]
        except FetchError as exc:
            outcomes.append(exc)

    async def run() -> None:
        async with AsyncFetcher(options=options) as fetcher:
            try:
                outcomes.append(await fetcher.fetch(url, **kwargs))  # type: ignore[arg-type]
            except FetchError as exc:
                outcomes.append(exc)

    asyncio.run(run())
    return outcomes


# Keep-alive desync -------------------------------------------------------------------------------------------


CHUNKED_HELLO = (
    b"HTTP/1.1 200 X\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n"
)


@pytest.mark.parametrize("framing", ["content-length", "chunked"])
def test_a_body_longer_than_its_length_never_reaches_the_next_request(framing: str) -> None:
    smuggled = response(200, b"SMUGGLED")
    first = response(200, b"hello", length=5) if framing == "content-length" else CHUNKED_HELLO
    server = FaultServer(
        routes={
            "/a": Reply([first + smuggled]),
            "/b": Reply([response(200, b"the real b")]),
        }
    )
    with serve(server) as url:
        for fetcher_pages in (_two_sync(url), _two_async(url)):
            first, second = fetcher_pages
            assert first == b"hello"
            assert second == b"the real b"


def _two_sync(url: str) -> tuple[bytes, bytes]:
    with Fetcher(options=FAST) as fetcher:
        return fetcher.fetch(url + "/a").content, fetcher.fetch(url + "/b").content


def _two_async(url: str) -> tuple[bytes, bytes]:
    async def run() -> tuple[bytes, bytes]:
        async with AsyncFetcher(options=FAST) as fetcher:
            return (await fetcher.fetch(url + "/a")).content, (await fetcher.fetch(url + "/b")).content

    return asyncio.run(run())


def test_a_connection_is_kept_alive_when_the_lengths_agree() -> None:
    server = FaultServer(routes={"/a": Reply([response(200, b"a")]), "/b": Reply([response(200, b"b")])})
    with serve(server) as url:
        assert _two_sync(url) == (b"a", b"b")
    connections = {number for number, path in server.log if path in ("/a", "/b")}
    assert len(connections) == 1


# Total deadline --------------------------------------------------------------------------------------------

# The drips below would last DRIP_SECONDS; the fetchers must give up at FAST.deadline (0.5 s).
DRIP_SECONDS = 6.0
DRIP_EVERY = 0.05  # seconds between bytes: far under the read timeout, so only the deadline can stop it


def _dripping_head() -> Reply:
    head = response(200, PAGE)
    cut = int(DRIP_SECONDS / DRIP_EVERY)
    return Reply([*drip(head[:cut], every=DRIP_EVERY), head[cut:]])


def _dripping_body() -> Reply:
    body = b"<p>" + b"x" * int(DRIP_SECONDS / DRIP_EVERY)
    return Reply([response(200, body)[: -len(body)], *drip(body, every=DRIP_EVERY)])


@pytest.mark.parametrize("reply", [_dripping_head, _dripping_body], ids=["head", "body"])
def test_a_dripping_answer_ends_at_the_deadline(reply: Callable[[], Reply]) -> None:
    server = FaultServer(routes={"/slow": reply()})
    with serve(server) as url:
        started = time.monotonic()
        outcomes = fetch_both(url + "/slow")
        elapsed = time.monotonic() - started
    assert all(isinstance(o, FetchTimeoutError) for o in outcomes), outcomes
    assert elapsed < 2 * (FAST.deadline + 1.0)  # both fetchers; a drip would take 2 × 6 s


def test_a_dripping_robots_txt_does_not_block_its_host() -> None:
    robots = b"User-agent: *\nAllow: /\n" + b"#" * int(DRIP_SECONDS / DRIP_EVERY)
    server = FaultServer(
        routes={
            "/robots.txt": Reply(
                [response(200, robots, content_type="text/plain")[: -len(robots)], *drip(robots, every=DRIP_EVERY)]
            ),
            "/a": Reply([response(200, PAGE)]),
        }
    )
    with serve(server) as url:
        started = time.monotonic()
        outcomes = fetch_both(url + "/a", FAST.model_copy(update={"robots": True}))
        elapsed = time.monotonic() - started
    assert all(isinstance(o, RobotsDisallowedError) and "could not be read" in str(o) for o in outcomes), outcomes
    assert elapsed < 2 * (FAST.deadline + 1.0)


def test_the_deadline_is_an_option_and_a_fast_answer_is_untouched() -> None:
    with pytest.raises(ValueError):
        FetchOptions(deadline=0)
    server = FaultServer(routes={"/a": Reply([response(200, PAGE)])})
    with serve(server) as url:
        assert all(isinstance(o, FetchedPage) and o.content == PAGE for o in fetch_both(url + "/a"))


# Decompression bombs -----------------------------------------------------------------------------------------

BOMB_BYTES = 64_000_000  # what the bombs expand to; the fetchers' limit below is 1 MB
LIMIT = 1_000_000


def _deflate(data: bytes) -> bytes:
    return zlib.compress(data, 9)


@functools.cache
def _bomb(encoding: str) -> bytes:
    """A body of ``BOMB_BYTES`` zero-ish bytes, compressed; built in pieces so the test stays small in memory."""
    piece = b"<p>" + b"\0" * (1_000_000 - 3)
    count = BOMB_BYTES // len(piece)
    if encoding == "gzip":
        out = zlib.compressobj(1, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
        return b"".join(out.compress(piece) for _ in range(count)) + out.flush()
    if encoding == "deflate":
        out = zlib.compressobj(1)
        return b"".join(out.compress(piece) for _ in range(count)) + out.flush()
    if encoding == "br":
        compressor = brotli.Compressor(quality=1)
        return b"".join(compressor.process(piece) for _ in range(count)) + compressor.finish()
    compressor_z = zstandard.ZstdCompressor(level=1).compressobj()
    return b"".join(compressor_z.compress(piece) for _ in range(count)) + compressor_z.flush()


@pytest.mark.parametrize("kind", ["html", "xml", "robots"])
@pytest.mark.parametrize("encoding", ["gzip", "deflate", "br", "zstd"])
def test_a_compressed_bomb_is_cut_off_at_the_decoded_limit(encoding: str, kind: str) -> None:
    body = _bomb(encoding)
    assert len(body) < LIMIT // 2  # the bomb itself is small: only decoding can find it too large
    path = "/robots.txt" if kind == "robots" else "/bomb"
    server = FaultServer(
        routes={path: Reply([response(200, body, content_type="text/plain", headers=[("Content-Encoding", encoding)])])}
    )
    options = FAST.model_copy(update={"max_body_bytes": LIMIT, "deadline": 30.0})
    with serve(server) as url:
        tracemalloc.start()
        try:
            outcomes = fetch_both(url + path, options, kind=kind)
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
    if kind == "robots":  # robots.txt is cut at its own limit (512 KiB), as RFC 9309 allows
        assert all(isinstance(o, FetchedPage) and len(o.content) <= 512 * 1024 for o in outcomes), outcomes
    else:
        assert all(isinstance(o, BodyTooLargeError) for o in outcomes), outcomes
    assert peak < 20 * LIMIT  # the decoded bytes never pile up past the limit


@pytest.mark.parametrize("encoding", ["gzip", "deflate", "br", "zstd", "gzip, identity"])
def test_compressed_pages_still_decode(encoding: str) -> None:
    compress = {
        "gzip": gzip.compress,
        "deflate": _deflate,
        "br": brotli.compress,
        "zstd": zstandard.ZstdCompressor().compress,
        "gzip, identity": gzip.compress,
    }[encoding]
    server = FaultServer(
        routes={"/a": Reply([response(200, compress(PAGE), headers=[("Content-Encoding", encoding)])])}
    )
    with serve(server) as url:
        assert all(isinstance(o, FetchedPage) and o.content == PAGE for o in fetch_both(url + "/a"))


# Every failure is a FetchError -------------------------------------------------------------------------------


def _redirect(location: str) -> Reply:
    return Reply([response(302, b"", headers=[("Location", location)])])


HANGUL_CP949 = "<p>가나다 한국어 본문</p>".encode("cp949")
FAULTS: dict[str, tuple[Reply, type[FetchError] | None]] = {
    "redirect to data:": (_redirect("data:text/html,<p>x</p>"), UnsupportedURLError),
    "redirect to javascript:": (_redirect("javascript:alert(1)"), UnsupportedURLError),
    "redirect to mailto:": (_redirect("mailto:a@b.test"), UnsupportedURLError),
    "redirect to a Hangul IPv6 host": (_redirect("http://[주소]/x"), UnsupportedURLError),
    "redirect to a broken IPv6 host": (_redirect("http://[::1/x"), UnsupportedURLError),
    "redirect to a space in the host": (_redirect("http://exa mple.test/"), FetchError),
    "redirect with an empty Location": (_redirect(""), FetchError),
    "Retry-After: ²": (Reply([response(503, b"", headers=[("Retry-After", "²")])]), FetchError),
    "Retry-After: 400 digits": (Reply([response(503, b"", headers=[("Retry-After", "9" * 400)])]), FetchError),
    "Content-Length: ²": (
        Reply([response(200, PAGE)[:0] + b"HTTP/1.1 200 X\r\nContent-Length: \xc2\xb2\r\n\r\n"]),
        FetchError,
    ),
    "Content-Length: 5000 digits": (
        Reply([b"HTTP/1.1 200 X\r\nContent-Type: text/html\r\nContent-Length: " + b"9" * 5000 + b"\r\n\r\n"]),
        FetchError,
    ),
    "charset=undefined": (Reply([response(200, PAGE, content_type="text/html; charset=undefined")]), None),
    "charset=idna": (
        Reply([response(200, "<p>가나다</p>".encode("cp949"), content_type="text/html; charset=idna")]),
        None,
    ),
    "charset=punycode": (
        Reply([response(200, "<p>가나다</p>".encode("cp949"), content_type="text/html; charset=punycode")]),
        None,
    ),
    "unknown Content-Encoding": (Reply([response(200, PAGE, headers=[("Content-Encoding", "x-nothing")])]), None),
    "gzip that is not gzip": (
        Reply([response(200, b"not gzip at all", headers=[("Content-Encoding", "gzip")])]),
        FetchError,
    ),
    "brotli that is not brotli": (
        Reply([response(200, b"\xff" * 40, headers=[("Content-Encoding", "br")])]),
        FetchError,
    ),
    "status line of garbage": (Reply([b"\x00\x01\x02 garbage\r\n\r\n"], close=True), FetchError),
    "hang-up before the head": (Reply([], close=True), FetchError),
    "hang-up in the body": (Reply([response(200, PAGE)[:-5]], close=True), FetchError),
}
ROBOTS_FAULTS = {
    "Crawl-delay: ²": b"User-agent: *\nCrawl-delay: \xc2\xb2\nAllow: /\n",
    "Crawl-delay: 400 digits": b"User-agent: *\nCrawl-delay: " + b"9" * 400 + b"\nAllow: /\n",
    "Request-rate: ²/²": b"User-agent: *\nRequest-rate: \xc2\xb2/\xc2\xb2\nAllow: /\n",
    "robots.txt of binary": bytes(range(256)) * 4,
}


@pytest.mark.parametrize("name", sorted(FAULTS))
def test_every_fault_ends_in_a_fetch_error_or_a_page(name: str) -> None:
    reply, expected = FAULTS[name]
    server = FaultServer(routes={"/fault": reply})
    with serve(server) as url:
        outcomes = fetch_both(url + "/fault")
    for outcome in outcomes:
        if expected is None:
            assert isinstance(outcome, FetchedPage), outcome
            assert isinstance(outcome.text(), str) and outcome.clean_input()
        else:
            assert isinstance(outcome, expected), outcome
            assert outcome.url


@pytest.mark.parametrize("name", sorted(ROBOTS_FAULTS))
def test_an_odd_robots_txt_never_breaks_a_fetch(name: str) -> None:
    server = FaultServer(routes={"/a": Reply([response(200, PAGE)])}, robots=ROBOTS_FAULTS[name])
    with serve(server) as url:
        outcomes = fetch_both(url + "/a", FAST.model_copy(update={"robots": True}))
    assert all(isinstance(o, FetchedPage) and o.content == PAGE for o in outcomes), outcomes
