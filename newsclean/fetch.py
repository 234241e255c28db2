"""Fetching: URL -> FetchedPage (body bytes, charset, validators) -> Article; the only module on the network.

Every request goes through the same steps, in the same order, in the sync ``Fetcher`` and the async
``AsyncFetcher``:

1. the URL is checked (http and https only);
2. robots.txt of the host is read once and the URL checked against it (unless turned off);
3. the request waits for a slot of its host: at most ``per_host_concurrency`` at once, starts at least
   ``delay`` seconds apart;
4. the response is streamed: redirects are followed by hand (each hop checked again, loops caught),
   a status of 429/502/503/504 or a connect/read failure is retried with exponential backoff and jitter
   (``Retry-After`` honoured up to a cap), other 4xx/5xx fail at once, a non-HTML content type is refused
   and the body is cut off past the size limit;
5. ``fetch_article`` hands the body bytes to ``clean_article``, which finds their encoding.

Each failure raises a ``FetchError`` subclass carrying the URL and, where there is one, the HTTP status.

Every decision (retries, limits, redirects, robots rules, error mapping) is made once, in ``_Core``, which
does no I/O; ``Fetcher`` and ``AsyncFetcher`` are thin shells that perform the steps it asks for.
"""

from __future__ import annotations

import asyncio
import email.utils
import importlib.metadata
import random
import threading
import time
import zlib
from collections.abc import AsyncIterator, Awaitable, Callable, Generator, Iterator, Mapping
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from types import TracebackType
from typing import Literal
from urllib.parse import urljoin, urlsplit, urlunsplit
from urllib.robotparser import RobotFileParser

import httpx
from pydantic import BaseModel, ConfigDict, Field

from .api import clean_article
from .errors import (
    BodyTooLargeError,
    ContentTypeError,
    DecodeError,
    FetchError,
    HTTPStatusError,
    RequestError,
    RobotsDisallowedError,
    TooManyRedirectsError,
    UnsupportedURLError,
)
from .models import Article, CleanOptions
from .page import decode_bytes

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
    max_body_bytes: int = Field(default=10_000_000, gt=0, description="Bodies larger than this are refused.")
    max_redirects: int = Field(default=5, ge=0, description="Redirect hops followed before giving up.")
    robots: bool = Field(default=True, description="Read robots.txt once per host and honour it.")
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
        return decode_bytes(self.content, declared=self.charset)[0]

    def clean_input(self) -> str | bytes:
        """What goes to ``clean_article``: the raw bytes, so that it finds their encoding itself.

        ``clean_article`` cannot see the HTTP header; when the header's charset would change how the bytes
        decode, the text decoded with that charset is handed over instead.
        """
        if self.charset is None or self.charset.strip().lower() in ("utf-8", "utf8"):
            return self.content  # clean_article tries strict UTF-8 first: the header adds nothing
        text, encoding = decode_bytes(self.content, declared=self.charset)
        try:
            found = decode_bytes(self.content)[1]
        except DecodeError:
            found = None
        return self.content if found == encoding else text


@dataclass(frozen=True)
class _Answer:
    """One HTTP exchange, before redirects and retries are decided."""

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
    parser: RobotFileParser
    rule: Literal["file", "allow", "deny"] = "file"  # obey the file, or no file: allow all / deny all
    reason: str | None = None  # why everything is disallowed, when robots.txt could not be read

    def allows(self, url: str, user_agent: str) -> bool:
        if self.rule != "file":
            return self.rule == "allow"
        return self.parser.can_fetch(user_agent, url)

    def crawl_delay(self, user_agent: str) -> float | None:
        delay = self.parser.crawl_delay(user_agent)
        return min(float(delay), MAX_CRAWL_DELAY) if delay is not None else None

    @property
    def sitemaps(self) -> tuple[str, ...]:
        return tuple(self.parser.site_maps() or ())


def _robots_from(origin: str, result: FetchedPage | FetchError) -> _Robots:
    """RFC 9309: a readable file is obeyed; 4xx means no rules; a server error or no answer means keep out."""
    parser = RobotFileParser(origin + "/robots.txt")
    if isinstance(result, FetchedPage):
        text = result.content.decode("utf-8", "replace")
        parser.parse(text.splitlines())
        return _Robots(parser)
    if isinstance(result, HTTPStatusError) and result.status is not None and 400 <= result.status < 500:
        return _Robots(parser, rule="allow")
    return _Robots(
        parser, rule="deny", reason=f"robots.txt could not be read ({result}), so the host is treated as closed"
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
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - datetime.now(timezone.utc)).total_seconds())


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


def _check_answer(url: str, answer: _Answer, kind: PageKind) -> None:
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
    length = headers.get("content-length", "")
    if length.isdigit() and int(length) > limit:
        raise BodyTooLargeError(
            f"{url} announces {int(length):,} bytes, over the limit of {limit:,}", url=url, status=status
        )


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


def _page(url: str, requested: str, answer: _Answer, options: FetchOptions, kind: PageKind) -> FetchedPage:
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


def _redirect_target(url: str, answer: _Answer, seen: set[str]) -> str:
    target = _check_url(urljoin(url, answer.headers["location"]))
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
    """Step: one request, in a slot of its host. Result: the ``_Answer``, or the exception it raised."""

    url: str
    headers: dict[str, str]
    kind: PageKind


@dataclass(frozen=True)
class _Sleep:
    """Step: wait ``seconds`` before the next attempt. Result: ``None``."""

    seconds: float


_Step = _NeedRobots | _Send | _Sleep
_Plan = Generator[_Step, object, FetchedPage]


class _BodyReader:
    """Collects a streamed body chunk by chunk and enforces the size limit (robots.txt is cut, others refused)."""

    def __init__(self, url: str, kind: PageKind, status: int, limit: int) -> None:
        self.url = url
        self.kind = kind
        self.status = status
        self.limit = limit
        self.size = 0
        self.chunks: list[bytes] = []

    def feed(self, chunk: bytes) -> bool:
        """Take one chunk; ``False`` once reading should stop (a robots.txt past its limit)."""
        self.size += len(chunk)
        if self.size > self.limit:
            if self.kind == "robots":
                return False
            raise _too_large(self.url, self.limit, self.status)
        self.chunks.append(chunk)
        return True

    def content(self) -> bytes:
        return b"".join(self.chunks)


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

    def _robots_loaded(self, origin: str, robots: _Robots) -> None:
        self._robots[origin] = robots
        crawl_delay = robots.crawl_delay(self.options.user_agent)
        if crawl_delay is not None:
            schedule = self._schedule(origin)
            schedule.delay = max(schedule.delay, crawl_delay)

    def _check_robots(self, url: str, robots: _Robots) -> None:
        if not robots.allows(url, self.options.user_agent):
            raise RobotsDisallowedError(robots.reason or f"robots.txt of {_origin(url)} disallows {url}", url=url)

    def plan(self, url: str, *, kind: PageKind, etag: str | None, last_modified: str | None) -> _Plan:
        """One fetch, step by step: robots, the exchange with its retries, redirects, the final checks."""
        requested = current = _check_url(url)
        seen = {current}
        headers = _request_headers(self.options, kind, etag, last_modified)
        for _ in range(self.options.max_redirects + 1):
            if self.options.robots and kind != "robots":
                robots = yield _NeedRobots(_origin(current))
                assert isinstance(robots, _Robots)
                self._check_robots(current, robots)
            answer = yield from self._exchange(current, headers, kind)
            if answer.status in REDIRECT_STATUSES and "location" in answer.headers:
                current = _redirect_target(current, answer, seen)
                continue
            if answer.status == 304 and (etag or last_modified):
                return _page(current, requested, answer, self.options, kind)
            _check_answer(current, answer, kind)
            return _page(current, requested, answer, self.options, kind)
        raise TooManyRedirectsError(
            f"more than {self.options.max_redirects} redirects from {requested}", url=requested, status=None
        )

    def _exchange(self, url: str, headers: dict[str, str], kind: PageKind) -> Generator[_Step, object, _Answer]:
        """One request with its retries: the answer that is not to be retried, or the final error."""
        attempt = 0
        while True:
            result = yield _Send(url, headers, kind)
            answer: _Answer | None = None
            cause: Exception | None = None
            if isinstance(result, _Answer):
                answer = result
            elif isinstance(result, FetchError):
                raise result
            elif isinstance(result, _RETRYABLE):
                cause = result
            elif isinstance(result, httpx.HTTPError):
                raise RequestError(f"request to {url} failed: {type(result).__name__}: {result}", url=url) from result
            else:
                assert isinstance(result, BaseException)
                raise result
            if answer is not None and answer.status not in RETRY_STATUSES:
                return answer
            wait = self._wait_for_retry(url, attempt, answer, cause)
            attempt += 1
            if wait > 0:
                yield _Sleep(wait)

    def head(self, url: str, kind: PageKind, status: int, headers: Mapping[str, str]) -> _BodyReader | None:
        """Decide on a response's head: ``None`` when its body is not wanted (redirect, retry, error, 304)."""
        if status in REDIRECT_STATUSES or status in RETRY_STATUSES or status == 304 or status >= 400:
            return None
        _check_answer(url, _Answer(status, headers), kind)
        limit = _body_limit(self.options, kind)
        if kind != "robots":
            _check_length(url, headers, limit, status)
        return _BodyReader(url, kind, status, limit)

    def _wait_for_retry(self, url: str, attempt: int, answer: _Answer | None, cause: Exception | None) -> float:
        """Seconds to wait before retry ``attempt + 1``; raises the final error when retries are over."""
        options = self.options
        if answer is None:
            assert cause is not None
            if attempt >= options.retries:
                raise RequestError(
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


# 6. The shells: the same steps performed with a sync or an async client -----------------------------------


class Fetcher(_Core):
    """Fetches pages with a sync ``httpx.Client`` (injected, or owned and closed by the fetcher).

    Safe to share between threads: per-host limits and robots rules are kept under locks.
    """

    def __init__(
        self,
        *,
        client: httpx.Client | None = None,
        options: FetchOptions | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        super().__init__(options)
        self._owns_client = client is None
        self.client = client or httpx.Client(timeout=_timeout(self.options), limits=_limits(self.options))
        self._sleep = sleep
        self._lock = threading.Lock()
        self._host_locks: dict[str, threading.Lock] = {}
        self._slots: dict[str, threading.BoundedSemaphore] = {}

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

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
                robots = _robots_from(origin, result)
                self._robots_loaded(origin, robots)
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

    def _send(self, step: _Send) -> _Answer | Exception:
        with self._slot(step.url):
            try:
                with self.client.stream(
                    "GET", step.url, headers=step.headers, follow_redirects=False, timeout=_timeout(self.options)
                ) as response:
                    reader = self.head(step.url, step.kind, response.status_code, response.headers)
                    if reader is not None:
                        for chunk in response.iter_bytes(CHUNK_BYTES):
                            if not reader.feed(chunk):
                                break
                    content = reader.content() if reader is not None else b""
                    return _Answer(response.status_code, response.headers, content)
            except FetchError:
                raise
            except Exception as exc:
                return exc


class AsyncFetcher(_Core):
    """The async twin of ``Fetcher``, on an ``httpx.AsyncClient``; use it from one event loop."""

    def __init__(
        self,
        *,
        client: httpx.AsyncClient | None = None,
        options: FetchOptions | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        super().__init__(options)
        self._owns_client = client is None
        self.client = client or httpx.AsyncClient(timeout=_timeout(self.options), limits=_limits(self.options))
        self._sleep = sleep
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
                robots = _robots_from(origin, result)
                self._robots_loaded(origin, robots)
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

    async def _send(self, step: _Send) -> _Answer | Exception:
        async with self._slot(step.url):
            try:
                async with self.client.stream(
                    "GET", step.url, headers=step.headers, follow_redirects=False, timeout=_timeout(self.options)
                ) as response:
                    reader = self.head(step.url, step.kind, response.status_code, response.headers)
                    if reader is not None:
                        async for chunk in response.aiter_bytes(CHUNK_BYTES):
                            if not reader.feed(chunk):
                                break
                    content = reader.content() if reader is not None else b""
                    return _Answer(response.status_code, response.headers, content)
            except FetchError:
                raise
            except Exception as exc:
                return exc


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
