"""Fetching: URL -> FetchedPage (body bytes, charset, validators) -> Article; the only module on the network.

Every request goes through the same steps, in the same order, in the sync ``Fetcher`` and the async
``AsyncFetcher``:

1. the URL is checked (http and https only);
2. robots.txt of the host is read once and the URL checked against it (unless turned off);
3. the request waits for a slot of its host: at most ``per_host_concurrency`` at once, starts at least
   ``delay`` seconds apart;
4. the response is streamed within the request's total deadline: redirects are followed by hand (each hop
   checked again, loops caught, with ``refuse_private_redirects`` no hop from a public host into a private
   network), a status of 429/502/503/504 or a connect/read failure is retried with exponential backoff and
   jitter (``Retry-After`` honoured up to a cap), other 4xx/5xx fail at once, a non-HTML content type is
   refused, the Content-Encoding is decoded here and the decoded body is cut off past the size limit, and a
   connection that sent bytes past the response's end is closed;
5. ``fetch_article`` hands the body bytes to ``clean_article``, which finds their encoding.

Each failure raises a ``FetchError`` subclass carrying the URL and, where there is one, the HTTP status;
nothing a server sends makes a fetch raise anything else.

Every decision (retries, limits, redirects, robots rules, error mapping) is made once, in ``_Core``, which
does no I/O; ``Fetcher`` and ``AsyncFetcher`` are thin shells that perform the steps it asks for.
"""

from __future__ import annotations

import asyncio
import contextvars
import email.utils
import importlib
import importlib.metadata
import ipaddress
import random
import socket
import ssl
import threading
import time
import zlib
from collections.abc import AsyncIterator, Awaitable, Callable, Generator, Iterator, Mapping
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from types import TracebackType
from typing import Any, Literal, Protocol
from urllib.parse import urljoin, urlsplit, urlunsplit

import httpcore
import httpx
from protego import Protego
from pydantic import BaseModel, ConfigDict, Field

from ..api import clean_article
from ..clean.page import decode_bytes
from ..errors import (
    BodyTooLargeError,
    ContentTypeError,
    DecodeError,
    FetchError,
    FetchTimeoutError,
    HostUnreachableError,
    HTTPStatusError,
    RequestError,
    RobotsDisallowedError,
    RobotsUnavailableError,
    TooManyRedirectsError,
    UnsafeRedirectError,
    UnsupportedURLError,
)
from ..models import Article, CleanOptions
from .closing import Closing

__all__ = [
    "DEFAULT_USER_AGENT",
    "AsyncFetcher",
    "FetchOptions",
    "FetchedPage",
    "Fetcher",
    "PageKind",
    "afetch_article",
    "fetch_article",
]

try:
    _VERSION = importlib.metadata.version("newsclean")
except importlib.metadata.PackageNotFoundError:  # pragma: no cover - running from an uninstalled checkout
    _VERSION = "0+unknown"

# Names the tool, its version and where to read about it, so a site's operator can tell who is calling.
DEFAULT_USER_AGENT = f"newsclean/{_VERSION} (+https://pypi.org/project/newsclean/; Korean news article extractor)"

# Statuses that mean "try again later": rate limited, bad gateway, unavailable, gateway timeout.
RETRY_STATUSES = frozenset({429, 502, 503, 504})
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
# Media types taken as a page to clean: HTML, XHTML, and plain text (text dumps are cleaned too).
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml", "text/plain"})
# Media types taken for feeds and sitemaps; many servers send XML as text/html or text/plain, and
# gzip-compressed sitemaps (sitemap.xml.gz) as a gzip type.
XML_TYPES = frozenset(
    {
        "application/xml",
        "text/xml",
        "application/rss+xml",
        "application/atom+xml",
        "application/rdf+xml",
        "application/x-gzip",
        "application/gzip",
        "application/octet-stream",
        *HTML_TYPES,
    }
)
# robots.txt: RFC 9309 asks crawlers to parse at least the first 500 KiB; the rest is ignored.
ROBOTS_MAX_BYTES = 512 * 1024
# A robots.txt Crawl-delay above this (seconds) is capped: a day-long delay would stall a crawl for good.
MAX_CRAWL_DELAY = 60.0
# Download chunk size (bytes) while streaming a body.
CHUNK_BYTES = 64 * 1024
# First bytes of a gzip file: a sitemap.xml.gz served as-is (expanded to at most the body limit).
GZIP_MAGIC = b"\x1f\x8b"

PageKind = Literal["html", "xml", "robots"]


class FetchOptions(BaseModel):
    """How pages are fetched: timeouts, retries, politeness and limits. One model for sync and async."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    user_agent: str = Field(default=DEFAULT_USER_AGENT, min_length=1, description="User-Agent header sent.")
    connect_timeout: float = Field(default=10.0, gt=0, description="Seconds to open a connection.")
    read_timeout: float = Field(default=30.0, gt=0, description="Seconds to wait for each read of the response.")
    retries: int = Field(default=3, ge=0, description="Retries after the first attempt, on retryable failures.")
    backoff: float = Field(default=0.5, ge=0, description="Seconds before the first retry; doubles each retry.")
    max_backoff: float = Field(default=30.0, ge=0, description="Cap (seconds) of one backoff wait.")
    max_retry_after: float = Field(
        default=120.0,
        ge=0,
        description="Longest Retry-After (seconds) waited for; a longer one ends the retries with the error.",
    )
    delay: float = Field(default=0.5, ge=0, description="Minimum seconds between request starts to one host.")
    per_host_concurrency: int = Field(default=2, ge=1, description="Requests in flight to one host at once.")
    deadline: float = Field(
        default=120.0,
        gt=0,
        description="Seconds one request may take in all, from sending it to the body's last byte; a server "
        "that drips its head or body is cut off here whatever the read timeout.",
    )
    max_body_bytes: int = Field(
        default=10_000_000, gt=0, description="Bodies larger than this (once decompressed) are refused."
    )
    max_redirects: int = Field(default=5, ge=0, description="Redirect hops followed before giving up.")
    robots: bool = Field(default=True, description="Read robots.txt once per host and honour it.")
    refuse_private_redirects: bool = Field(
        default=False,
        description="Refuse a redirect from a public host into a loopback, private or link-local address "
        "(on in crawls: a public page must not steer the crawler into the network it runs in).",
    )
    clean: CleanOptions = Field(default_factory=CleanOptions, description="Options passed to clean_article.")


@dataclass(frozen=True)
class FetchedPage:
    """One fetched response: the final URL, the body bytes and what the headers said about them."""

    url: str
    requested_url: str
    status: int
    content: bytes = field(repr=False)
    media_type: str | None = None
    charset: str | None = None
    etag: str | None = None
    last_modified: str | None = None

    @property
    def not_modified(self) -> bool:
        """True for a 304 answer to a conditional request: the page is as it was, and there is no body."""
        return self.status == 304

    def text(self) -> str:
        """The body decoded: the header's charset, else the page's own declaration, else detected."""
        return decode_bytes(self.content, declared=_usable_charset(self.charset))[0]

    def clean_input(self) -> str | bytes:
        """What goes to ``clean_article``: the raw bytes, so that it finds their encoding itself.

        ``clean_article`` cannot see the HTTP header; when the header's charset would change how the bytes
        decode, the text decoded with that charset is handed over instead.
        """
        charset = _usable_charset(self.charset)
        if charset is None or charset.strip().lower() in ("utf-8", "utf8"):
            return self.content  # clean_article tries strict UTF-8 first: the header adds nothing
        text, encoding = decode_bytes(self.content, declared=charset)
        try:
            found = decode_bytes(self.content)[1]
        except DecodeError:
            found = None
        return self.content if found == encoding else text


@dataclass(frozen=True)
class _RawResponse:
    """A response as the server sent it (status, headers, body), before redirects and retries are decided."""

    status: int
    headers: Mapping[str, str]
    content: bytes = b""


# 1. URLs --------------------------------------------------------------------------------------------------


def _check_url(url: str) -> str:
    """The URL without its fragment; ``UnsupportedURLError`` unless it is an absolute http(s) URL."""
    url = url.strip()
    try:
        parts = urlsplit(url)
        host = parts.hostname
        httpx.URL(url)
    except (ValueError, httpx.InvalidURL) as exc:
        raise UnsupportedURLError(f"malformed URL: {url!r}", url=url) from exc
    if parts.scheme.lower() not in ("http", "https"):
        raise UnsupportedURLError(f"only http and https URLs are fetched, not {parts.scheme or 'relative'!r}", url=url)
    if not host:
        raise UnsupportedURLError(f"URL has no host: {url!r}", url=url)
    return urlunsplit((parts.scheme.lower(), parts.netloc, parts.path or "/", parts.query, ""))


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc.lower()}"


# 2. robots.txt --------------------------------------------------------------------------------------------


@dataclass
class _Robots:
    """One host's robots.txt rules, matched by protego (RFC 9309: longest rule wins, ``*`` and ``$``)."""

    parser: Protego | None  # None when there is no file to obey
    rule: Literal["file", "allow", "deny"] = "file"  # obey the file, or no file: allow all / deny all
    reason: str | None = None  # why everything is disallowed, when robots.txt could not be read
    unreachable: HostUnreachableError | None = None  # the host did not answer at all (refused, unknown)

    def allows(self, url: str, user_agent: str) -> bool:
        if self.rule != "file" or self.parser is None:
            return self.rule == "allow"
        return bool(self.parser.can_fetch(url, user_agent))

    def crawl_delay(self, user_agent: str) -> float | None:
        delay = self.parser.crawl_delay(user_agent) if self.parser is not None else None
        return min(float(delay), MAX_CRAWL_DELAY) if delay is not None else None

    @property
    def sitemaps(self) -> tuple[str, ...]:
        return tuple(self.parser.sitemaps) if self.parser is not None else ()


def _robots_from(origin: str, result: FetchedPage | FetchError) -> _Robots:
    """RFC 9309: a readable file is obeyed (its first ``ROBOTS_MAX_BYTES``); 4xx means no rules; a server
    error or no answer means keep out."""
    if isinstance(result, FetchedPage):
        text = result.content[:ROBOTS_MAX_BYTES].decode("utf-8", "replace")
        return _Robots(Protego.parse(text))
    if isinstance(result, HTTPStatusError) and result.status is not None and 400 <= result.status < 500:
        return _Robots(None, rule="allow")
    unreachable = None
    if isinstance(result, HostUnreachableError):  # other failures (a timeout, a broken answer) keep the host closed
        host = urlsplit(origin).netloc
        cause = result.__cause__
        detail = f"{type(cause).__name__}: {cause}" if cause is not None else str(result)
        unreachable = HostUnreachableError(
            f"the host {host} could not be reached ({detail}); check the URL and the network", url=origin
        )
    return _Robots(
        None,
        rule="deny",
        reason=f"robots.txt could not be read ({result}), so the host is treated as closed",
        unreachable=unreachable,
    )


# 3. Per-host slots ----------------------------------------------------------------------------------------


class _Schedule:
    """Start times of one host's requests, at least ``delay`` seconds apart."""

    def __init__(self, delay: float) -> None:
        self.delay = delay
        self._next = 0.0

    def claim(self) -> float:
        """Seconds to wait before starting; reserves the next start time."""
        now = time.monotonic()
        start = max(now, self._next)
        self._next = start + self.delay
        return start - now


# 4. Responses: retries, redirects, content types, sizes ---------------------------------------------------


def _retry_after(headers: Mapping[str, str]) -> float | None:
    """Seconds asked for by a ``Retry-After`` header, given as seconds or as an HTTP date."""
    value = headers.get("retry-after")
    if not value:
        return None
    value = value.strip()
    if value.isascii() and value.isdigit():  # "²" is a digit to str.isdigit, but no number of seconds
        return float(value) if len(value) < 10 else float("inf")
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def _backoff(attempt: int, options: FetchOptions, rng: random.Random) -> float:
    """Exponential backoff with jitter: half of the doubled wait is fixed, the other half random."""
    wait = min(options.max_backoff, options.backoff * 2.0**attempt)
    return wait / 2 + rng.uniform(0, wait / 2)


def _media_type(headers: Mapping[str, str]) -> tuple[str | None, str | None]:
    """(media type, charset) from a Content-Type header."""
    value = headers.get("content-type")
    if not value:
        return None, None
    media, _, params = value.partition(";")
    charset = None
    for param in params.split(";"):
        key, _, val = param.partition("=")
        if key.strip().lower() == "charset" and val.strip():
            charset = val.strip().strip("\"'")
    return media.strip().lower() or None, charset


def _usable_charset(charset: str | None) -> str | None:
    """The header's charset when Python can decode text with it; ``None`` for an unknown or unusable one.

    "undefined" names no codec; "idna" and "punycode" are codecs that cannot decode a page (they refuse the
    error handler decoding needs). A header that lies like this is ignored and the page's own bytes decide.
    """
    if charset is None:
        return None
    try:
        b"a\xff".decode(charset, "replace")
    except (LookupError, UnicodeError, ValueError, TypeError):
        return None
    return charset


def _check_answer(url: str, answer: _RawResponse, kind: PageKind) -> None:
    """Raise for a status that is neither success nor handled elsewhere, and for a refused content type."""
    if answer.status >= 400 or answer.status < 200 or 300 <= answer.status < 400:
        phrase = httpx.codes.get_reason_phrase(answer.status)
        raise HTTPStatusError(f"HTTP {answer.status} {phrase} for {url}", url=url, status=answer.status)
    media, _ = _media_type(answer.headers)
    allowed = HTML_TYPES if kind == "html" else XML_TYPES
    if kind != "robots" and media is not None and media not in allowed:
        raise ContentTypeError(
            f"{url} is {media}, not a {'page' if kind == 'html' else 'feed or sitemap'}", url=url, status=answer.status
        )


def _check_length(url: str, headers: Mapping[str, str], limit: int, status: int) -> None:
    length = headers.get("content-length", "").strip()
    if length.isascii() and length.isdigit() and (len(length) > 18 or int(length) > limit):
        shown = f"{int(length):,}" if len(length) <= 18 else f"a {len(length)}-digit count of"
        raise BodyTooLargeError(f"{url} announces {shown} bytes, over the limit of {limit:,}", url=url, status=status)


def _too_large(url: str, limit: int, status: int) -> BodyTooLargeError:
    return BodyTooLargeError(f"body of {url} passed the limit of {limit:,} bytes", url=url, status=status)


def _gunzip(url: str, content: bytes, limit: int, status: int) -> bytes:
    """A gzip file body (a sitemap.xml.gz), expanded to at most ``limit`` bytes."""
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        out = inflater.decompress(content, limit + 1)
    except zlib.error as exc:
        raise RequestError(f"body of {url} is not valid gzip: {exc}", url=url, status=status) from exc
    if len(out) > limit:
        raise _too_large(url, limit, status)
    return out


# Content-Encoding, decoded here rather than by httpx so that the size limit holds for the decoded bytes while
# they stream: a 1 KB body that expands to gigabytes is stopped at the limit, never held whole.
# Input pieces fed at once to a decoder that cannot bound its output (zstd): each expands to at most a few MB.
DECODE_PIECE_BYTES = 64


class _Decoder(Protocol):
    def decode(self, data: bytes, room: int) -> bytes:
        """Decoded bytes of ``data``: all of them, or more than ``room`` when the output passes it."""

    def flush(self, room: int) -> bytes:
        """What is left at the end of the body."""


class _ZlibDecoder:
    """gzip, or deflate (zlib-wrapped, or raw as some servers send it)."""

    def __init__(self, wbits: int) -> None:
        self.wbits = wbits
        self.inflater = zlib.decompressobj(wbits)
        self.started = False

    def decode(self, data: bytes, room: int) -> bytes:
        try:
            out = self.inflater.decompress(data, room + 1)
        except zlib.error:
            if self.started or self.wbits != zlib.MAX_WBITS:
                raise
            self.wbits = -zlib.MAX_WBITS  # deflate without its zlib header
            self.inflater = zlib.decompressobj(self.wbits)
            out = self.inflater.decompress(data, room + 1)
        self.started = True
        return out

    def flush(self, room: int) -> bytes:
        return self.inflater.decompress(b"", room + 1) if self.inflater.unconsumed_tail else b""


class _BrotliDecoder:
    def __init__(self, module: Any) -> None:
        self.decompressor = module.Decompressor()

    def decode(self, data: bytes, room: int) -> bytes:
        try:
            out: bytes = self.decompressor.process(data, output_buffer_limit=room + 1)
        except TypeError:  # a brotli binding without an output limit: feed it a few bytes at a time
            return self._pieces(data, room)
        while len(out) <= room and not self.decompressor.can_accept_more_data():
            out += self.decompressor.process(b"", output_buffer_limit=room + 1 - len(out))
        return out

    def _pieces(self, data: bytes, room: int) -> bytes:
        out = b""
        for start in range(0, len(data), DECODE_PIECE_BYTES // 4):
            out += self.decompressor.process(data[start : start + DECODE_PIECE_BYTES // 4])
            if len(out) > room:
                break
        return out

    def flush(self, room: int) -> bytes:
        return b""


class _ZstdDecoder:
    def __init__(self, module: Any) -> None:
        self.module = module
        self.decompressor = module.ZstdDecompressor().decompressobj()

    def decode(self, data: bytes, room: int) -> bytes:
        out = b""
        for start in range(0, len(data), DECODE_PIECE_BYTES):
            piece = data[start : start + DECODE_PIECE_BYTES]
            while piece:
                out += self.decompressor.decompress(piece)
                piece = b""
                if self.decompressor.eof:  # a frame ended: a next one may follow
                    piece = self.decompressor.unused_data
                    self.decompressor = self.module.ZstdDecompressor().decompressobj()
            if len(out) > room:
                break
        return out

    def flush(self, room: int) -> bytes:
        return b""


def _optional_module(*names: str) -> Any:
    for name in names:
        try:
            return importlib.import_module(name)
        except ImportError:
            continue
    return None


# The same modules httpx uses for br and zstd: what it advertises in Accept-Encoding is what is decoded here.
_BROTLI = _optional_module("brotli", "brotlicffi")
_ZSTD = _optional_module("zstandard")


def _decoders(headers: Mapping[str, str]) -> list[_Decoder]:
    """Decoders for a Content-Encoding header, in the order to apply them; unknown codings pass as they are."""
    out: list[_Decoder] = []
    for coding in reversed(headers.get("content-encoding", "").split(",")):
        coding = coding.strip().lower()
        if coding in ("gzip", "x-gzip"):
            out.append(_ZlibDecoder(16 + zlib.MAX_WBITS))
        elif coding == "deflate":
            out.append(_ZlibDecoder(zlib.MAX_WBITS))
        elif coding == "br" and _BROTLI is not None:
            out.append(_BrotliDecoder(_BROTLI))
        elif coding == "zstd" and _ZSTD is not None:
            out.append(_ZstdDecoder(_ZSTD))
    return out


def _page(url: str, requested: str, answer: _RawResponse, options: FetchOptions, kind: PageKind) -> FetchedPage:
    media, charset = _media_type(answer.headers)
    content = answer.content
    if kind == "xml" and content.startswith(GZIP_MAGIC):
        content = _gunzip(url, content, options.max_body_bytes, answer.status)
    return FetchedPage(
        url=url,
        requested_url=requested,
        status=answer.status,
        content=content,
        media_type=media,
        charset=charset,
        etag=answer.headers.get("etag"),
        last_modified=answer.headers.get("last-modified"),
    )


def _redirect_target(url: str, answer: _RawResponse, seen: set[str]) -> str:
    location = answer.headers["location"]
    try:
        joined = urljoin(url, location)
    except ValueError as exc:  # an unreadable host, such as "http://[주소]/"
        raise UnsupportedURLError(f"{url} redirects to a malformed URL: {location!r}", url=url) from exc
    target = _check_url(joined)
    if target in seen:
        raise TooManyRedirectsError(f"redirect loop: {url} leads back to {target}", url=url, status=answer.status)
    seen.add(target)
    return target


def _request_headers(
    options: FetchOptions, kind: PageKind, etag: str | None, last_modified: str | None
) -> dict[str, str]:
    accept = {
        "html": "text/html,application/xhtml+xml;q=0.9,text/plain;q=0.5",
        "xml": "application/rss+xml,application/atom+xml,application/xml;q=0.9,text/xml;q=0.9,*/*;q=0.1",
        "robots": "text/plain,*/*;q=0.1",
    }[kind]
    headers = {"User-Agent": options.user_agent, "Accept": accept, "Accept-Language": "ko,en;q=0.5"}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    return headers


def _timeout(options: FetchOptions) -> httpx.Timeout:
    return httpx.Timeout(options.read_timeout, connect=options.connect_timeout, pool=None)


def _limits(options: FetchOptions) -> httpx.Limits:
    # Enough pooled connections for every host slot of a crawl that spans a few hosts.
    return httpx.Limits(
        max_connections=max(100, 4 * options.per_host_concurrency),
        max_keepalive_connections=max(20, 2 * options.per_host_concurrency),
    )


# Failures of the connection or the read that are worth another try (timeouts, resets, dropped connections).
_RETRYABLE = (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError)


def _body_limit(options: FetchOptions, kind: PageKind) -> int:
    return ROBOTS_MAX_BYTES if kind == "robots" else options.max_body_bytes


# 5. The core: every decision of a fetch, without I/O -------------------------------------------------------
#
# ``_Core.plan`` is a generator that runs one fetch from URL to ``FetchedPage``. It does no I/O: it yields a
# step each time it needs the outside world and is sent the step's result. Each fetcher is a thin shell that
# performs the steps with its own client (sync or async), in the manner of httpcore/h11.


@dataclass(frozen=True)
class _NeedRobots:
    """Step: the robots.txt rules of ``origin`` (read once per fetcher). Result: ``_Robots``."""

    origin: str


@dataclass(frozen=True)
class _Send:
    """Step: one request, in a slot of its host, within ``deadline`` seconds of being sent.

    Result: the ``_RawResponse``, or the exception it raised (``TimeoutError`` when the deadline passed).
    """

    url: str
    headers: dict[str, str]
    kind: PageKind
    deadline: float


@dataclass(frozen=True)
class _Resolve:
    """Step: the IP addresses of ``host``. Result: a list of address strings, or the exception raised."""

    host: str


@dataclass(frozen=True)
class _Sleep:
    """Step: wait ``seconds`` before the next attempt. Result: ``None``."""

    seconds: float


_Step = _NeedRobots | _Send | _Resolve | _Sleep
_Plan = Generator[_Step, object, FetchedPage]

# Failures of the connection itself: the host was never reached, whatever the URL.
_UNREACHABLE = (httpx.ConnectError, httpx.ConnectTimeout)


class _BodyReader:
    """Takes a streamed body chunk by chunk: decodes its Content-Encoding, holds the size limit on the decoded
    bytes (robots.txt is cut there, other bodies refused) and the request's deadline."""

    def __init__(
        self, url: str, kind: PageKind, status: int, headers: Mapping[str, str], options: FetchOptions, deadline: float
    ) -> None:
        self.url = url
        self.kind = kind
        self.status = status
        self.limit = _body_limit(options, kind)
        self.deadline = deadline
        self.seconds = options.deadline
        self.decoders = _decoders(headers)
        self.size = 0
        self.chunks: list[bytes] = []

    def feed(self, raw: bytes) -> bool:
        """Take one raw chunk; ``False`` once reading should stop (a robots.txt past its limit)."""
        if time.monotonic() > self.deadline:
            raise _timeout_error(self.url, self.seconds)
        data = raw
        try:
            for decoder in self.decoders:
                data = decoder.decode(data, self.limit - self.size)
        except Exception as exc:  # zlib.error, brotli.error, zstd.ZstdError: the body is not what it says
            raise RequestError(
                f"body of {self.url} does not decode as {self._codings()}: {type(exc).__name__}: {exc}",
                url=self.url,
                status=self.status,
            ) from exc
        return self._take(data)

    def _take(self, data: bytes) -> bool:
        room = self.limit - self.size
        if len(data) > room:
            if self.kind == "robots":
                self.chunks.append(data[:room])
                self.size = self.limit
                return False
            raise _too_large(self.url, self.limit, self.status)
        self.size += len(data)
        self.chunks.append(data)
        return True

    def _codings(self) -> str:
        return "a body" if not self.decoders else ", ".join(type(d).__name__.strip("_") for d in self.decoders)

    def content(self) -> bytes:
        return b"".join(self.chunks)


def _timeout_error(url: str, seconds: float) -> FetchTimeoutError:
    return FetchTimeoutError(
        f"{url} did not answer in full within the deadline of {seconds:g} s (a server that sends its answer "
        "too slowly); raise FetchOptions.deadline to wait longer",
        url=url,
    )


def _is_public(addresses: list[str]) -> bool:
    """True when every address is a global one (not loopback, private, link-local, shared or reserved)."""
    for text in addresses:
        try:
            address = ipaddress.ip_address(text.split("%", 1)[0])
        except ValueError:
            return False
        if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
            address = address.ipv4_mapped
        if not address.is_global:
            return False
    return bool(addresses)


def _literal_address(host: str) -> list[str] | None:
    """``[host]`` when the host is an IP address literal; ``None`` for a name to resolve."""
    try:
        return [str(ipaddress.ip_address(host.strip("[]")))]
    except ValueError:
        return None


class _Core:
    """State and decisions shared by both fetchers: options, per-host schedules, robots rules, retries."""

    def __init__(self, options: FetchOptions | None) -> None:
        self.options = options or FetchOptions()
        self._schedules: dict[str, _Schedule] = {}
        self._robots: dict[str, _Robots] = {}
        self._rng = random.Random()

    def _schedule(self, origin: str) -> _Schedule:
        schedule = self._schedules.get(origin)
        if schedule is None:
            schedule = self._schedules[origin] = _Schedule(self.options.delay)
        return schedule

    def _load_robots(self, origin: str, result: FetchedPage | FetchError) -> _Robots:
        """The rules of a fetched robots.txt (or of its failure); kept for the host, Crawl-delay applied."""
        try:
            robots = _robots_from(origin, result)
        except (ValueError, OverflowError) as exc:  # a number the parser cannot read ("Crawl-delay: ²")
            if not isinstance(result, FetchedPage):
                raise RobotsUnavailableError(f"robots.txt of {origin} does not parse: {exc}", url=origin) from exc
            robots = _robots_from(origin, _without_rate_lines(result))
        self._robots[origin] = robots
        try:
            crawl_delay = robots.crawl_delay(self.options.user_agent)
        except (ValueError, OverflowError):  # a 400-digit Crawl-delay: no delay that can be honoured
            crawl_delay = MAX_CRAWL_DELAY
        if crawl_delay is not None:
            schedule = self._schedule(origin)
            schedule.delay = max(schedule.delay, crawl_delay)
        return robots

    def _check_robots(self, url: str, robots: _Robots) -> None:
        if robots.unreachable is not None:
            raise HostUnreachableError(str(robots.unreachable), url=url) from robots.unreachable
        if not robots.allows(url, self.options.user_agent):
            if robots.reason:
                raise RobotsUnavailableError(robots.reason, url=url)
            raise RobotsDisallowedError(f"robots.txt of {_origin(url)} disallows {url}", url=url)

    def plan(self, url: str, *, kind: PageKind, etag: str | None, last_modified: str | None) -> _Plan:
        """One fetch, step by step: robots, the exchange with its retries, redirects, the final checks."""
        requested = _check_url(url)
        try:
            return (yield from self._plan(requested, kind, etag, last_modified))
        except FetchError:
            raise
        except (ValueError, LookupError, ArithmeticError, MemoryError, httpx.InvalidURL) as exc:
            # What no rule above foresaw still ends as a FetchError on this URL, never as a foreign exception.
            raise RequestError(f"fetching {requested} failed: {type(exc).__name__}: {exc}", url=requested) from exc

    def _plan(self, requested: str, kind: PageKind, etag: str | None, last_modified: str | None) -> _Plan:
        current = requested
        seen = {current}
        headers = _request_headers(self.options, kind, etag, last_modified)
        for _ in range(self.options.max_redirects + 1):
            if self.options.robots and kind != "robots":
                robots = yield _NeedRobots(_origin(current))
                assert isinstance(robots, _Robots)
                self._check_robots(current, robots)
            answer = yield from self._exchange(current, headers, kind)
            if answer.status in REDIRECT_STATUSES and "location" in answer.headers:
                target = _redirect_target(current, answer, seen)
                if self.options.refuse_private_redirects:
                    yield from self._check_redirect(current, target, answer.status)
                current = target
                continue
            if answer.status == 304 and (etag or last_modified):
                return _page(current, requested, answer, self.options, kind)
            _check_answer(current, answer, kind)
            return _page(current, requested, answer, self.options, kind)
        raise TooManyRedirectsError(
            f"more than {self.options.max_redirects} redirects from {requested}", url=requested, status=None
        )

    def _addresses(self, host: str) -> Generator[_Step, object, list[str]]:
        literal = _literal_address(host)
        if literal is not None:
            return literal
        result = yield _Resolve(host)
        return result if isinstance(result, list) else []

    def _check_redirect(self, url: str, target: str, status: int) -> Generator[_Step, object, None]:
        """Refuse a redirect that crosses from public address space into a loopback/private/link-local one."""
        source_host, target_host = urlsplit(url).hostname or "", urlsplit(target).hostname or ""
        if source_host == target_host:
            return
        source = yield from self._addresses(source_host)
        if source and not _is_public(source):
            return  # a private host may send anywhere in its own network
        addresses = yield from self._addresses(target_host)
        if addresses and not _is_public(addresses):
            raise UnsafeRedirectError(
                f"{url} redirects to {target}, an address inside a private network ({', '.join(addresses)}); "
                "refused (FetchOptions.refuse_private_redirects)",
                url=url,
                status=status,
            )

    def _exchange(self, url: str, headers: dict[str, str], kind: PageKind) -> Generator[_Step, object, _RawResponse]:
        """One request with its retries: the answer that is not to be retried, or the final error."""
        attempt = 0
        while True:
            result = yield _Send(url, headers, kind, self.options.deadline)
            answer: _RawResponse | None = None
            cause: Exception | None = None
            if isinstance(result, _RawResponse):
                answer = result
            elif isinstance(result, FetchError):
                raise result
            elif isinstance(result, TimeoutError):
                raise _timeout_error(url, self.options.deadline) from result
            elif isinstance(result, _RETRYABLE):
                cause = result
            else:  # any other failure of the request or the response: not worth another try
                assert isinstance(result, BaseException)
                raise RequestError(f"request to {url} failed: {type(result).__name__}: {result}", url=url) from result
            if answer is not None and answer.status not in RETRY_STATUSES:
                return answer
            wait = self._wait_for_retry(url, attempt, answer, cause)
            attempt += 1
            if wait > 0:
                yield _Sleep(wait)

    def head(
        self, url: str, kind: PageKind, status: int, headers: Mapping[str, str], *, sent: float
    ) -> _BodyReader | None:
        """Decide on a response's head: ``None`` when its body is not wanted (redirect, retry, error, 304).

        ``sent`` is when the request was sent (``time.monotonic()``): the body must be in by the deadline.
        """
        if status in REDIRECT_STATUSES or status in RETRY_STATUSES or status == 304 or status >= 400:
            return None
        _check_answer(url, _RawResponse(status, headers), kind)
        if kind != "robots":
            _check_length(url, headers, _body_limit(self.options, kind), status)
        return _BodyReader(url, kind, status, headers, self.options, sent + self.options.deadline)

    def _wait_for_retry(self, url: str, attempt: int, answer: _RawResponse | None, cause: Exception | None) -> float:
        """Seconds to wait before retry ``attempt + 1``; raises the final error when retries are over."""
        options = self.options
        if answer is None:
            assert cause is not None
            if attempt >= options.retries:
                error = HostUnreachableError if isinstance(cause, _UNREACHABLE) else RequestError
                raise error(
                    f"request to {url} failed after {attempt + 1} attempts: {type(cause).__name__}: {cause}", url=url
                ) from cause
            return _backoff(attempt, options, self._rng)
        phrase = httpx.codes.get_reason_phrase(answer.status)
        if attempt >= options.retries:
            raise HTTPStatusError(
                f"HTTP {answer.status} {phrase} for {url} after {attempt + 1} attempts", url=url, status=answer.status
            )
        asked = _retry_after(answer.headers)
        if asked is None:
            return _backoff(attempt, options, self._rng)
        if asked > options.max_retry_after:
            raise HTTPStatusError(
                f"HTTP {answer.status} {phrase} for {url}: Retry-After of {asked:.0f} s is over the "
                f"{options.max_retry_after:.0f} s cap",
                url=url,
                status=answer.status,
            )
        return asked

    def _article(self, page: FetchedPage) -> Article:
        return clean_article(page.clean_input(), url=page.url, options=self.options.clean)


def _without_rate_lines(page: FetchedPage) -> FetchedPage:
    """A robots.txt without its Crawl-delay and Request-rate lines (kept when their numbers cannot be read)."""
    lines = page.content.split(b"\n")
    kept = [line for line in lines if not line.strip().lower().startswith((b"crawl-delay", b"request-rate"))]
    return FetchedPage(url=page.url, requested_url=page.requested_url, status=page.status, content=b"\n".join(kept))


# 6. What the shells share: the answer's headers, and the connection after a response ---------------------

# Where httpx's response hook puts a redirect's Location, out of httpx's own reach: httpx parses Location
# itself even when it does not follow redirects, and fails on one it cannot read (``data:``, ``http://[x]``)
# before the fetcher sees the answer. The fetcher reads and checks the Location instead.
_LOCATION_KEY = "newsclean.location"


def _stash_location(response: httpx.Response) -> None:
    location = response.headers.get("location")
    if location is not None:
        response.extensions[_LOCATION_KEY] = location
        del response.headers["location"]


async def _astash_location(response: httpx.Response) -> None:
    _stash_location(response)


def _answer_headers(response: httpx.Response) -> dict[str, str]:
    headers = {key.lower(): value for key, value in response.headers.items()}
    location = response.extensions.get(_LOCATION_KEY)
    if isinstance(location, str):
        headers["location"] = location
    return headers


def _desynchronised(response: httpx.Response) -> Any:
    """The HTTP/1.1 connection of a response that sent bytes past its own end (more than its Content-Length).

    On a kept-alive connection those bytes would be read as the answer to the next request: the shell closes
    this connection (``close()`` or ``aclose()``), and the pool opens a new one for the next request.
    ``None`` when the response ended where it said, or when the connection cannot be seen.
    """
    node: object = response.stream
    for _ in range(8):  # httpx stream -> pool stream -> connection stream -> HTTP/1.1 connection
        state = getattr(node, "_h11_state", None)
        if state is not None:
            trailing = getattr(state, "trailing_data", (b"", False))
            return node if trailing[0] else None
        node = (
            getattr(node, "_connection", None)
            or getattr(node, "_stream", None)
            or getattr(node, "_httpcore_stream", None)
        )
        if node is None:
            return None
    return None


# The sync fetcher's total deadline: reads and writes of its own connections wait at most until then. A read
# timeout alone restarts with every byte, so a server that drips its head would never be cut off.
_DEADLINE: contextvars.ContextVar[float | None] = contextvars.ContextVar("newsclean_deadline", default=None)


def _remaining(timeout: float | None) -> float | None:
    deadline = _DEADLINE.get()
    if deadline is None:
        return timeout
    left = deadline - time.monotonic()
    if left <= 0:
        raise httpcore.ReadTimeout("the request's deadline passed")
    return left if timeout is None else min(timeout, left)


class _DeadlineStream(httpcore.NetworkStream):
    def __init__(self, stream: httpcore.NetworkStream) -> None:
        self.stream = stream

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self.stream.read(max_bytes, _remaining(timeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self.stream.write(buffer, _remaining(timeout))

    def close(self) -> None:
        self.stream.close()

    def start_tls(
        self, ssl_context: ssl.SSLContext, server_hostname: str | None = None, timeout: float | None = None
    ) -> httpcore.NetworkStream:
        return _DeadlineStream(self.stream.start_tls(ssl_context, server_hostname, _remaining(timeout)))

    def get_extra_info(self, info: str) -> Any:
        return self.stream.get_extra_info(info)


class _DeadlineBackend(httpcore.NetworkBackend):
    def __init__(self) -> None:
        self.backend = httpcore.SyncBackend()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Any = None,
    ) -> httpcore.NetworkStream:
        stream = self.backend.connect_tcp(host, port, _remaining(timeout), local_address, socket_options)
        return _DeadlineStream(stream)

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Any = None
    ) -> httpcore.NetworkStream:  # pragma: no cover - the fetcher opens TCP connections only
        return _DeadlineStream(self.backend.connect_unix_socket(path, _remaining(timeout), socket_options))

    def sleep(self, seconds: float) -> None:
        self.backend.sleep(seconds)


def _sync_client(options: FetchOptions) -> httpx.Client:
    """The client a ``Fetcher`` makes for itself: its connections keep the request's deadline on every read."""
    limits = _limits(options)
    transport = httpx.HTTPTransport(limits=limits)
    pool = getattr(transport, "_pool", None)
    if isinstance(pool, httpcore.ConnectionPool):
        transport._pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(),
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            network_backend=_DeadlineBackend(),
        )
    return httpx.Client(timeout=_timeout(options), transport=transport)


# 7. The shells: the same steps performed with a sync or an async client -----------------------------------


class Fetcher(_Core, Closing):
    """Fetches pages with a sync ``httpx.Client`` (injected, or owned and closed by the fetcher).

    Safe to share between threads: per-host limits and robots rules are kept under locks. The fetcher adds a
    response hook to the client that keeps redirects' Location headers for itself. With an injected client the
    deadline is checked between the body's chunks; the fetcher's own client also keeps it while the head is read.
    """

    def __init__(
        self,
        *,
        client: httpx.Client | None = None,
        options: FetchOptions | None = None,
        sleep: Callable[[float], None] = time.sleep,
        resolve: Callable[[str], list[str]] | None = None,
    ) -> None:
        super().__init__(options)
        self._owns_client = client is None
        self.client = client or _sync_client(self.options)
        if _stash_location not in self.client.event_hooks["response"]:
            self.client.event_hooks["response"] = [*self.client.event_hooks["response"], _stash_location]
        self._sleep = sleep
        self._resolve = resolve or _resolve
        self._lock = threading.Lock()
        self._host_locks: dict[str, threading.Lock] = {}
        self._slots: dict[str, threading.BoundedSemaphore] = {}

    def close(self) -> None:
        """Close the HTTP client when the fetcher made it."""
        if self._owns_client:
            self.client.close()

    def fetch_article(self, url: str) -> Article:
        """Fetch ``url`` and clean it into an ``Article``."""
        return self._article(self.fetch(url))

    def robots_sitemaps(self, url: str) -> tuple[str, ...]:
        """Sitemap URLs listed in the robots.txt of ``url``'s host (read once, like the rules)."""
        return self._robots_for(_origin(_check_url(url))).sitemaps

    def fetch(
        self, url: str, *, kind: PageKind = "html", etag: str | None = None, last_modified: str | None = None
    ) -> FetchedPage:
        """Fetch one page; with ``etag``/``last_modified`` the request is conditional (304 -> ``not_modified``)."""
        plan = self.plan(url, kind=kind, etag=etag, last_modified=last_modified)
        result: object = None
        while True:
            try:
                step = plan.send(result)
            except StopIteration as done:
                page: FetchedPage = done.value
                return page
            if isinstance(step, _NeedRobots):
                result = self._robots_for(step.origin)
            elif isinstance(step, _Send):
                result = self._send(step)
            elif isinstance(step, _Resolve):
                result = _try_resolve(self._resolve, step.host)
            else:
                self._sleep(step.seconds)
                result = None

    def _robots_for(self, origin: str) -> _Robots:
        with self._lock:
            lock = self._host_locks.setdefault(origin, threading.Lock())
        with lock:
            robots = self._robots.get(origin)
            if robots is None:
                result: FetchedPage | FetchError
                try:
                    result = self.fetch(origin + "/robots.txt", kind="robots")
                except FetchError as exc:
                    result = exc
                robots = self._load_robots(origin, result)
            return robots

    @contextmanager
    def _slot(self, url: str) -> Iterator[None]:
        origin = _origin(url)
        with self._lock:
            slot = self._slots.setdefault(origin, threading.BoundedSemaphore(self.options.per_host_concurrency))
        with slot:
            with self._lock:
                wait = self._schedule(origin).claim()
            if wait > 0:
                self._sleep(wait)
            yield

    def _send(self, step: _Send) -> _RawResponse | Exception:
        with self._slot(step.url):
            sent = time.monotonic()
            token = _DEADLINE.set(sent + step.deadline)
            try:
                with self.client.stream(
                    "GET", step.url, headers=step.headers, follow_redirects=False, timeout=_timeout(self.options)
                ) as response:
                    headers = _answer_headers(response)
                    reader = self.head(step.url, step.kind, response.status_code, headers, sent=sent)
                    if reader is not None:
                        for chunk in response.iter_raw(CHUNK_BYTES):
                            if not reader.feed(chunk):
                                break
                        else:
                            connection = _desynchronised(response)
                            if connection is not None:
                                connection.close()
                    return _RawResponse(response.status_code, headers, reader.content() if reader else b"")
            except FetchError:
                raise
            except Exception as exc:
                deadline = _DEADLINE.get()
                return TimeoutError() if deadline is not None and time.monotonic() >= deadline else exc
            finally:
                _DEADLINE.reset(token)


def _resolve(host: str) -> list[str]:
    return sorted({str(info[4][0]) for info in socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)})


def _try_resolve(resolve: Callable[[str], list[str]], host: str) -> list[str] | Exception:
    try:
        return resolve(host)
    except (OSError, UnicodeError, ValueError) as exc:
        return exc


async def _aresolve(host: str) -> list[str]:
    infos = await asyncio.get_running_loop().getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    return sorted({str(info[4][0]) for info in infos})


async def _within(seconds: float, work: Awaitable[_RawResponse]) -> _RawResponse:
    """``work``, cancelled at the deadline with ``TimeoutError``.

    Not ``asyncio.wait_for``: before Python 3.12 it can swallow a cancellation that arrives as the work ends,
    and a crawl cancelled at that moment would never stop.
    """
    async with asyncio.timeout(seconds):
        return await work


class AsyncFetcher(_Core):
    """The async twin of ``Fetcher``, on an ``httpx.AsyncClient``; use it from one event loop."""

    def __init__(
        self,
        *,
        client: httpx.AsyncClient | None = None,
        options: FetchOptions | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        resolve: Callable[[str], Awaitable[list[str]]] | None = None,
    ) -> None:
        super().__init__(options)
        self._owns_client = client is None
        self.client = client or httpx.AsyncClient(timeout=_timeout(self.options), limits=_limits(self.options))
        if _astash_location not in self.client.event_hooks["response"]:
            self.client.event_hooks["response"] = [*self.client.event_hooks["response"], _astash_location]
        self._sleep = sleep
        self._resolve = resolve or _aresolve
        self._host_locks: dict[str, asyncio.Lock] = {}
        self._slots: dict[str, asyncio.Semaphore] = {}

    async def __aenter__(self) -> AsyncFetcher:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the HTTP client when the fetcher made it."""
        if self._owns_client:
            await self.client.aclose()

    async def fetch_article(self, url: str) -> Article:
        """Fetch ``url`` and clean it into an ``Article``."""
        return self._article(await self.fetch(url))

    async def robots_sitemaps(self, url: str) -> tuple[str, ...]:
        """Sitemap URLs listed in the robots.txt of ``url``'s host (read once, like the rules)."""
        return (await self._robots_for(_origin(_check_url(url)))).sitemaps

    async def fetch(
        self, url: str, *, kind: PageKind = "html", etag: str | None = None, last_modified: str | None = None
    ) -> FetchedPage:
        """Fetch one page; with ``etag``/``last_modified`` the request is conditional (304 -> ``not_modified``)."""
        plan = self.plan(url, kind=kind, etag=etag, last_modified=last_modified)
        result: object = None
        while True:
            try:
                step = plan.send(result)
            except StopIteration as done:
                page: FetchedPage = done.value
                return page
            if isinstance(step, _NeedRobots):
                result = await self._robots_for(step.origin)
            elif isinstance(step, _Send):
                result = await self._send(step)
            elif isinstance(step, _Resolve):
                try:
                    result = await self._resolve(step.host)
                except (OSError, UnicodeError, ValueError) as exc:
                    result = exc
            else:
                await self._sleep(step.seconds)
                result = None

    async def _robots_for(self, origin: str) -> _Robots:
        lock = self._host_locks.setdefault(origin, asyncio.Lock())
        async with lock:
            robots = self._robots.get(origin)
            if robots is None:
                result: FetchedPage | FetchError
                try:
                    result = await self.fetch(origin + "/robots.txt", kind="robots")
                except FetchError as exc:
                    result = exc
                robots = self._load_robots(origin, result)
            return robots

    @asynccontextmanager
    async def _slot(self, url: str) -> AsyncIterator[None]:
        origin = _origin(url)
        slot = self._slots.setdefault(origin, asyncio.Semaphore(self.options.per_host_concurrency))
        async with slot:
            wait = self._schedule(origin).claim()
            if wait > 0:
                await self._sleep(wait)
            yield

    async def _send(self, step: _Send) -> _RawResponse | Exception:
        async with self._slot(step.url):
            try:
                return await _within(step.deadline, self._exchange_once(step))
            except FetchError:
                raise
            except Exception as exc:  # the request's failure, or TimeoutError at the deadline
                return exc

    async def _exchange_once(self, step: _Send) -> _RawResponse:
        sent = time.monotonic()
        async with self.client.stream(
            "GET", step.url, headers=step.headers, follow_redirects=False, timeout=_timeout(self.options)
        ) as response:
            headers = _answer_headers(response)
            reader = self.head(step.url, step.kind, response.status_code, headers, sent=sent)
            if reader is not None:
                async for chunk in response.aiter_raw(CHUNK_BYTES):
                    if not reader.feed(chunk):
                        break
                else:
                    connection = _desynchronised(response)
                    if connection is not None:
                        await connection.aclose()
            return _RawResponse(response.status_code, headers, reader.content() if reader else b"")


def fetch_article(url: str, *, client: httpx.Client | None = None, options: FetchOptions | None = None) -> Article:
    """Fetch one article page and clean it. Raises ``FetchError`` subclasses and ``clean_article``'s errors."""
    with Fetcher(client=client, options=options) as fetcher:
        return fetcher.fetch_article(url)


async def afetch_article(
    url: str, *, client: httpx.AsyncClient | None = None, options: FetchOptions | None = None
) -> Article:
    """The async twin of ``fetch_article``."""
    async with AsyncFetcher(client=client, options=options) as fetcher:
        return await fetcher.fetch_article(url)
