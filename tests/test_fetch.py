"""Fetcher: every fault of the network, mocked with respx; encodings; robots.txt; politeness."""

from __future__ import annotations

import asyncio
import email.utils
import json
import re
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
import respx

from newsclean import (
    BodyTooLargeError,
    ContentTypeError,
    FetchError,
    HTTPStatusError,
    RequestError,
    RobotsDisallowedError,
    TooManyRedirectsError,
    UnsafeRedirectError,
    UnsupportedURLError,
)
from newsclean.net.fetch import (
    DEFAULT_USER_AGENT,
    AsyncFetcher,
    Fetcher,
    FetchOptions,
    afetch_article,
    fetch_article,
)

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
SITE = "https://news.test"
URL = SITE + "/news/view.php?idx=101"
ROBOTS = SITE + "/robots.txt"
PAGE = "<html><head><title>제목</title></head><body><p>본문입니다.</p></body></html>"
# No politeness delay and tiny backoffs: the tests check what is waited for through the fake sleep.
FAST = FetchOptions(delay=0, backoff=0.01, max_backoff=0.05)


class Sleeps:
    """A fake ``sleep`` that records what it was asked to wait."""

    def __init__(self) -> None:
        self.waits: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)

    async def async_sleep(self, seconds: float) -> None:
        self.waits.append(seconds)


@pytest.fixture
def mock() -> respx.MockRouter:
    with respx.mock(assert_all_called=False) as router:
        router.get(ROBOTS).respond(404)
        yield router


def fetcher(sleeps: Sleeps | None = None, **options: object) -> Fetcher:
    return Fetcher(options=FAST.model_copy(update=options), sleep=sleeps or Sleeps())


# Faults ------------------------------------------------------------------------------------------------------


def test_read_timeout_then_success(mock: respx.MockRouter) -> None:
    route = mock.get(URL).mock(side_effect=[httpx.ReadTimeout("slow"), httpx.Response(200, html=PAGE)])
    sleeps = Sleeps()
    with fetcher(sleeps) as f:
        page = f.fetch(URL)
    assert page.status == 200 and page.text() == PAGE
    assert route.call_count == 2
    assert len(sleeps.waits) == 1 and 0.005 <= sleeps.waits[0] <= 0.01  # backoff with jitter: half fixed


def test_connect_timeout_then_success(mock: respx.MockRouter) -> None:
    route = mock.get(URL).mock(side_effect=[httpx.ConnectTimeout("no answer"), httpx.Response(200, html=PAGE)])
    with fetcher() as f:
        assert f.fetch(URL).status == 200
    assert route.call_count == 2


def test_connection_reset_then_success(mock: respx.MockRouter) -> None:
    route = mock.get(URL).mock(
        side_effect=[httpx.ReadError("[Errno 104] Connection reset by peer"), httpx.Response(200, html=PAGE)]
    )
    with fetcher() as f:
        assert f.fetch(URL).content == PAGE.encode()
    assert route.call_count == 2


def test_connection_reset_every_time_raises_request_error_after_retries(mock: respx.MockRouter) -> None:
    route = mock.get(URL).mock(side_effect=httpx.ConnectError("[Errno 104] Connection reset by peer"))
    sleeps = Sleeps()
    with fetcher(sleeps, retries=3) as f, pytest.raises(RequestError) as info:
        f.fetch(URL)
    assert route.call_count == 4
    assert info.value.url == URL and info.value.status is None
    assert isinstance(info.value.__cause__, httpx.ConnectError)
    assert "4 attempts" in str(info.value)
    # Exponential: each wait lies in [base*2^n / 2, base*2^n], capped at max_backoff.
    assert [0.005 <= sleeps.waits[0] <= 0.01, 0.01 <= sleeps.waits[1] <= 0.02, 0.02 <= sleeps.waits[2] <= 0.04]


def test_429_with_retry_after_seconds_is_honoured(mock: respx.MockRouter) -> None:
    route = mock.get(URL).mock(
        side_effect=[httpx.Response(429, headers={"Retry-After": "7"}), httpx.Response(200, html=PAGE)]
    )
    sleeps = Sleeps()
    with fetcher(sleeps) as f:
        assert f.fetch(URL).status == 200
    assert route.call_count == 2
    assert sleeps.waits == [7.0]


def test_503_with_retry_after_http_date_is_honoured(mock: respx.MockRouter) -> None:
    when = email.utils.format_datetime(datetime.now(UTC) + timedelta(seconds=30), usegmt=True)
    mock.get(URL).mock(side_effect=[httpx.Response(503, headers={"Retry-After": when}), httpx.Response(200, html=PAGE)])
    sleeps = Sleeps()
    with fetcher(sleeps) as f:
        assert f.fetch(URL).status == 200
    assert len(sleeps.waits) == 1 and 25 <= sleeps.waits[0] <= 30


def test_retry_after_over_the_cap_gives_up_at_once(mock: respx.MockRouter) -> None:
    route = mock.get(URL).respond(429, headers={"Retry-After": "3600"})
    sleeps = Sleeps()
    with fetcher(sleeps, max_retry_after=60) as f, pytest.raises(HTTPStatusError) as info:
        f.fetch(URL)
    assert route.call_count == 1 and sleeps.waits == []
    assert info.value.status == 429 and info.value.url == URL
    assert "Retry-After" in str(info.value)


def test_503_then_200(mock: respx.MockRouter) -> None:
    route = mock.get(URL).mock(side_effect=[httpx.Response(503), httpx.Response(200, html=PAGE)])
    with fetcher() as f:
        assert f.fetch(URL).status == 200
    assert route.call_count == 2


@pytest.mark.parametrize("status", [502, 503, 504])
def test_gateway_errors_are_retried_then_raised_with_status(mock: respx.MockRouter, status: int) -> None:
    route = mock.get(URL).respond(status)
    with fetcher(retries=2) as f, pytest.raises(HTTPStatusError) as info:
        f.fetch(URL)
    assert route.call_count == 3
    assert info.value.status == status and info.value.url == URL


@pytest.mark.parametrize("status", [400, 401, 403, 404, 410, 500])
def test_other_errors_are_not_retried(mock: respx.MockRouter, status: int) -> None:
    route = mock.get(URL).respond(status)
    sleeps = Sleeps()
    with fetcher(sleeps) as f, pytest.raises(HTTPStatusError) as info:
        f.fetch(URL)
    assert route.call_count == 1 and sleeps.waits == []
    assert info.value.status == status


def test_redirect_is_followed_and_the_final_url_kept(mock: respx.MockRouter) -> None:
    target = SITE + "/news/view.php?idx=102"
    mock.get(URL).respond(301, headers={"Location": "/news/view.php?idx=102"})
    mock.get(target).respond(200, html=PAGE)
    with fetcher() as f:
        page = f.fetch(URL)
    assert page.url == target and page.requested_url == URL


def test_redirect_loop_raises(mock: respx.MockRouter) -> None:
    other = SITE + "/b"
    mock.get(URL).respond(302, headers={"Location": other})
    mock.get(other).respond(302, headers={"Location": URL})
    with fetcher() as f, pytest.raises(TooManyRedirectsError) as info:
        f.fetch(URL)
    assert "loop" in str(info.value) and info.value.status == 302


def test_redirect_chain_longer_than_allowed_raises(mock: respx.MockRouter) -> None:
    for n in range(10):
        mock.get(f"{SITE}/r{n}").respond(307, headers={"Location": f"{SITE}/r{n + 1}"})
    with fetcher(max_redirects=3) as f, pytest.raises(TooManyRedirectsError) as info:
        f.fetch(SITE + "/r0")
    assert info.value.url == SITE + "/r0"


def test_redirect_to_another_scheme_is_refused(mock: respx.MockRouter) -> None:
    mock.get(URL).respond(301, headers={"Location": "ftp://news.test/file"})
    with fetcher() as f, pytest.raises(UnsupportedURLError):
        f.fetch(URL)


@pytest.mark.parametrize("url", ["ftp://news.test/a", "file:///etc/passwd", "news.test/a", "http://", "javascript:x"])
def test_only_http_and_https_are_fetched(url: str) -> None:
    with fetcher() as f, pytest.raises(UnsupportedURLError) as info:
        f.fetch(url)
    assert info.value.url


def test_oversized_body_announced_by_content_length(mock: respx.MockRouter) -> None:
    mock.get(URL).respond(200, headers={"Content-Type": "text/html"}, content=b"x" * 5000)
    with fetcher(max_body_bytes=1000) as f, pytest.raises(BodyTooLargeError) as info:
        f.fetch(URL)
    assert info.value.status == 200 and info.value.url == URL


def test_oversized_streamed_body_is_cut_off(mock: respx.MockRouter) -> None:
    chunks_sent: list[int] = []

    def endless() -> Iterator[bytes]:
        for n in range(10_000):  # 10,000 chunks of 1 KiB, no Content-Length
            chunks_sent.append(n)
            yield b"<p>" + b"x" * 1021

    mock.get(URL).mock(
        side_effect=lambda request: httpx.Response(200, headers={"Content-Type": "text/html"}, content=endless())
    )
    with fetcher(max_body_bytes=20_000) as f, pytest.raises(BodyTooLargeError):
        f.fetch(URL)
    assert len(chunks_sent) < 100  # reading stopped soon after the limit


def test_image_content_type_is_refused(mock: respx.MockRouter) -> None:
    mock.get(URL).respond(200, headers={"Content-Type": "image/jpeg"}, content=b"\xff\xd8\xff\xe0")
    with fetcher() as f, pytest.raises(ContentTypeError) as info:
        f.fetch(URL)
    assert "image/jpeg" in str(info.value) and info.value.status == 200


def test_xml_is_taken_for_feeds_but_not_for_articles(mock: respx.MockRouter) -> None:
    mock.get(SITE + "/rss.xml").respond(200, headers={"Content-Type": "application/rss+xml"}, content=b"<rss/>")
    with fetcher() as f:
        assert f.fetch(SITE + "/rss.xml", kind="xml").content == b"<rss/>"
        with pytest.raises(ContentTypeError):
            f.fetch(SITE + "/rss.xml")


def test_every_failure_is_a_fetch_error_with_the_url(mock: respx.MockRouter) -> None:
    mock.get(URL).respond(404)
    with fetcher() as f, pytest.raises(FetchError) as info:
        f.fetch(URL)
    assert info.value.url == URL and info.value.status == 404


# Encoding ----------------------------------------------------------------------------------------------------


def _euc_kr_page() -> tuple[bytes, dict[str, object]]:
    """A real article page re-encoded as EUC-KR (CP949) with its charset declaration removed."""
    html = (FIXTURES / "mk.co.kr" / "mk_11328184.html").read_text(encoding="utf-8")
    html = re.sub(r"<meta[^>]+charset[^>]*>", "", html, flags=re.I)
    gold = json.loads((FIXTURES / "mk.co.kr" / "mk_11328184.gold.json").read_text(encoding="utf-8"))
    return html.encode("cp949", "xmlcharrefreplace"), gold


def test_euc_kr_without_any_charset_decodes_right(mock: respx.MockRouter) -> None:
    raw, gold = _euc_kr_page()
    assert b"charset" not in raw[:5000].lower()
    mock.get(URL).respond(200, headers={"Content-Type": "text/html"}, content=raw)
    with fetcher() as f:
        page = f.fetch(URL)
        assert page.charset is None
        assert page.clean_input() is page.content  # the raw bytes go to clean_article
        assert gold["title"] in page.text()
        article = f.fetch_article(URL)
    assert article.title == gold["title"]
    assert article.paragraphs and article.paragraphs[0] == gold["paragraphs"][0]
    assert article.url == URL


def test_charset_from_the_header_is_used() -> None:
    from newsclean.net.fetch import FetchedPage

    text = "<html><body><p>한국어 본문</p></body></html>"
    page = FetchedPage(url=URL, requested_url=URL, status=200, content=text.encode("cp949"), charset="euc-kr")
    assert page.text() == text
    assert page.clean_input() == page.content  # clean_article finds CP949 itself: the bytes go as they are
    latin = FetchedPage(url=URL, requested_url=URL, status=200, content="café".encode("latin-1"), charset="latin-1")
    assert latin.clean_input() == "café"  # a charset clean_article would not guess: decoded here


# robots.txt --------------------------------------------------------------------------------------------------


def test_robots_disallow_is_honoured_and_read_once() -> None:
    with respx.mock(assert_all_called=False) as mock:
        robots = mock.get(ROBOTS).respond(200, text="User-agent: *\nDisallow: /news/\nAllow: /open/\n")
        article = mock.get(URL).respond(200, html=PAGE)
        mock.get(SITE + "/open/1").respond(200, html=PAGE)
        with fetcher() as f:
            with pytest.raises(RobotsDisallowedError) as info:
                f.fetch(URL)
            assert f.fetch(SITE + "/open/1").status == 200
            with pytest.raises(RobotsDisallowedError):
                f.fetch(URL + "0")
        assert info.value.url == URL
        assert article.call_count == 0
        assert robots.call_count == 1


def test_robots_rules_for_newsclean_by_name() -> None:
    with respx.mock(assert_all_called=False) as mock:
        mock.get(ROBOTS).respond(200, text="User-agent: newsclean\nDisallow: /\n\nUser-agent: *\nAllow: /\n")
        mock.get(URL).respond(200, html=PAGE)
        with fetcher() as f, pytest.raises(RobotsDisallowedError):
            f.fetch(URL)


def test_robots_can_be_turned_off() -> None:
    with respx.mock(assert_all_called=False) as mock:
        robots = mock.get(ROBOTS).respond(200, text="User-agent: *\nDisallow: /\n")
        mock.get(URL).respond(200, html=PAGE)
        with fetcher(robots=False) as f:
            assert f.fetch(URL).status == 200
        assert robots.call_count == 0


def test_robots_server_error_closes_the_host_and_404_opens_it() -> None:
    other = "https://open.test/a"
    with respx.mock(assert_all_called=False) as mock:
        mock.get(ROBOTS).respond(500)
        mock.get("https://open.test/robots.txt").respond(404)
        mock.get(URL).respond(200, html=PAGE)
        mock.get(other).respond(200, html=PAGE)
        with fetcher() as f:
            with pytest.raises(RobotsDisallowedError) as info:
                f.fetch(URL)
            assert "could not be read" in str(info.value)
            assert f.fetch(other).status == 200


def test_robots_crawl_delay_and_sitemaps_are_read() -> None:
    with respx.mock(assert_all_called=False) as mock:
        mock.get(ROBOTS).respond(200, text="User-agent: *\nCrawl-delay: 2\nSitemap: https://news.test/sm.xml\n")
        mock.get(URL).respond(200, html=PAGE)
        sleeps = Sleeps()
        with fetcher(sleeps) as f:
            assert f.robots_sitemaps(URL) == ("https://news.test/sm.xml",)
            f.fetch(URL)
            f.fetch(URL)
        assert sleeps.waits and 1.9 <= max(sleeps.waits) <= 2.0


# Politeness and identity -------------------------------------------------------------------------------------


def test_default_user_agent_names_newsclean_and_its_version(mock: respx.MockRouter) -> None:
    from newsclean import __version__

    route = mock.get(URL).respond(200, html=PAGE)
    with fetcher() as f:
        f.fetch(URL)
    agent = route.calls.last.request.headers["User-Agent"]
    assert agent == DEFAULT_USER_AGENT and f"newsclean/{__version__}" in agent


def test_per_host_delay_spaces_request_starts(mock: respx.MockRouter) -> None:
    mock.get(URL).respond(200, html=PAGE)
    sleeps = Sleeps()
    with fetcher(sleeps, delay=0.5) as f:
        for _ in range(3):
            f.fetch(URL)
    # The first request goes at once (robots.txt first, then the page 0.5 s later, then 1.0 s, 1.5 s later).
    assert len(sleeps.waits) == 3
    assert [round(w, 1) for w in sleeps.waits] == [0.5, 1.0, 1.5]


def test_per_host_concurrency_limit_async() -> None:
    in_flight = 0
    peak = 0

    async def slow(request: httpx.Request) -> httpx.Response:
        nonlocal in_flight, peak
        in_flight += 1
        peak = max(peak, in_flight)
        await asyncio.sleep(0.02)
        in_flight -= 1
        return httpx.Response(200, html=PAGE)

    async def main() -> None:
        with respx.mock(assert_all_called=False) as mock:
            mock.get(ROBOTS).respond(404)
            mock.get(url__startswith=SITE + "/news/").mock(side_effect=slow)
            mock.get(url__startswith="https://other.test/").mock(side_effect=slow)
            mock.get("https://other.test/robots.txt").respond(404)
            async with AsyncFetcher(options=FAST.model_copy(update={"per_host_concurrency": 3})) as f:
                urls = [f"{SITE}/news/view.php?idx={i}" for i in range(12)]
                await asyncio.gather(*(f.fetch(u) for u in urls))
                assert peak == 3
                urls += [f"https://other.test/{i}" for i in range(12)]
                await asyncio.gather(*(f.fetch(u) for u in urls))
                assert peak == 6  # three per host, two hosts

    asyncio.run(main())


def test_conditional_get_gives_not_modified(mock: respx.MockRouter) -> None:
    route = mock.get(URL).mock(
        side_effect=lambda request: (
            httpx.Response(304)
            if request.headers.get("If-None-Match") == '"v1"'
            else httpx.Response(
                200, html=PAGE, headers={"ETag": '"v1"', "Last-Modified": "Tue, 01 Jul 2025 00:00:00 GMT"}
            )
        )
    )
    with fetcher() as f:
        first = f.fetch(URL)
        assert first.etag == '"v1"' and first.last_modified and not first.not_modified
        again = f.fetch(URL, etag=first.etag, last_modified=first.last_modified)
    assert again.not_modified and again.content == b""
    assert route.calls.last.request.headers["If-Modified-Since"] == first.last_modified


def test_gzip_sitemap_is_expanded(mock: respx.MockRouter) -> None:
    import gzip

    body = b"<urlset><url><loc>https://news.test/a</loc></url></urlset>"
    mock.get(SITE + "/sitemap.xml.gz").respond(
        200, headers={"Content-Type": "application/x-gzip"}, content=gzip.compress(body)
    )
    with fetcher() as f:
        assert f.fetch(SITE + "/sitemap.xml.gz", kind="xml").content == body


# The one-call API and the async twin -------------------------------------------------------------------------


def test_fetch_article_with_an_injected_client(mock: respx.MockRouter) -> None:
    raw = (FIXTURES / "chosun.com" / "chosun_2020082704301.html").read_bytes()
    mock.get(URL).respond(200, headers={"Content-Type": "text/html; charset=utf-8"}, content=raw)
    with httpx.Client() as client:
        article = fetch_article(URL, client=client, options=FAST)
        assert not client.is_closed  # an injected client is the caller's to close
    assert article.url == URL and article.article_id == "101" and article.paragraphs


def test_async_fetch_article_retries_like_the_sync_one() -> None:
    async def main() -> None:
        with respx.mock(assert_all_called=False) as mock:
            mock.get(ROBOTS).respond(404)
            raw = (FIXTURES / "chosun.com" / "chosun_2020082704301.html").read_bytes()
            route = mock.get(URL).mock(
                side_effect=[httpx.ReadTimeout("slow"), httpx.Response(503), httpx.Response(200, content=raw)]
            )
            article = await afetch_article(URL, options=FAST)
            assert route.call_count == 3
            assert article.paragraphs

    asyncio.run(main())


def test_async_faults_raise_the_same_errors() -> None:
    async def main() -> None:
        sleeps = Sleeps()
        with respx.mock(assert_all_called=False) as mock:
            mock.get(ROBOTS).respond(200, text="User-agent: *\nDisallow: /private\n")
            mock.get(URL).respond(429, headers={"Retry-After": "3"})
            mock.get(SITE + "/img").respond(200, headers={"Content-Type": "image/jpeg"}, content=b"\xff\xd8")
            mock.get(SITE + "/loop").respond(302, headers={"Location": SITE + "/loop"})
            async with AsyncFetcher(options=FAST.model_copy(update={"retries": 1}), sleep=sleeps.async_sleep) as f:
                with pytest.raises(HTTPStatusError):
                    await f.fetch(URL)
                assert sleeps.waits == [3.0]
                with pytest.raises(ContentTypeError):
                    await f.fetch(SITE + "/img")
                with pytest.raises(TooManyRedirectsError):
                    await f.fetch(SITE + "/loop")
                with pytest.raises(RobotsDisallowedError):
                    await f.fetch(SITE + "/private/1")

    asyncio.run(main())


def test_fetch_options_are_frozen_and_checked() -> None:
    options = FetchOptions()
    with pytest.raises(ValueError):
        options.delay = 3  # type: ignore[misc]
    with pytest.raises(ValueError):
        FetchOptions(per_host_concurrency=0)
    with pytest.raises(ValueError):
        FetchOptions(unknown=1)  # type: ignore[call-arg]


def test_real_sleep_is_used_by_default(mock: respx.MockRouter) -> None:
    mock.get(URL).mock(side_effect=[httpx.Response(503), httpx.Response(200, html=PAGE)])
    started = time.monotonic()
    with Fetcher(options=FetchOptions(delay=0, backoff=0.1, max_backoff=0.1)) as f:
        f.fetch(URL)
    assert time.monotonic() - started >= 0.05


# Redirects into private networks ------------------------------------------------------------------------------

# Names and what they resolve to, for the fetchers' injected resolver (no lookup leaves the machine).
ADDRESSES = {"news.test": ["93.184.216.34"], "cdn.test": ["93.184.216.35"], "intranet.test": ["10.1.2.3"]}


def _resolve(host: str) -> list[str]:
    return ADDRESSES[host]


async def _aresolve(host: str) -> list[str]:
    return ADDRESSES[host]


@pytest.mark.parametrize(
    ("location", "refused"),
    [
        ("http://intranet.test/x", True),  # a name that resolves into a private range
        ("http://127.0.0.1:8080/admin", True),
        ("http://169.254.169.254/latest/meta-data/", True),  # link-local: cloud metadata
        ("http://[::1]/", True),
        ("http://[::ffff:10.0.0.1]/", True),  # IPv4-mapped private address
        ("http://100.64.0.1/", True),  # shared address space: not public either
        ("https://cdn.test/x", False),  # public to public
    ],
)
def test_a_redirect_from_a_public_host_into_a_private_one_is_refused(location: str, refused: bool) -> None:
    options = FAST.model_copy(update={"refuse_private_redirects": True})

    def routes(mock: respx.MockRouter) -> respx.Route:
        mock.route(path="/robots.txt").respond(404)
        mock.get(SITE + "/go").respond(302, headers={"Location": location})
        return mock.get(url__startswith=location.split("/", 3)[0] + "//" + location.split("/", 3)[2]).respond(
            200, html=PAGE
        )

    async def run_async() -> FetchError | None:
        with respx.mock(assert_all_called=False) as mock:
            inside = routes(mock)
            async with AsyncFetcher(options=options, resolve=_aresolve) as f:
                try:
                    await f.fetch(SITE + "/go")
                except FetchError as exc:
                    assert inside.call_count == 0
                    return exc
        return None

    with respx.mock(assert_all_called=False) as mock:
        inside = routes(mock)
        with Fetcher(options=options, resolve=_resolve) as f:
            try:
                f.fetch(SITE + "/go")
                outcome: FetchError | None = None
            except FetchError as exc:
                outcome = exc
        assert inside.call_count == (0 if refused else 1)
    for result in (outcome, asyncio.run(run_async())):
        if refused:
            assert isinstance(result, UnsafeRedirectError) and result.url == SITE + "/go", result
        else:
            assert result is None


def test_private_hosts_may_redirect_within_their_network_and_the_check_is_off_by_default() -> None:
    with respx.mock(assert_all_called=False) as mock:
        mock.route(path="/robots.txt").respond(404)
        mock.get("http://10.0.0.1/a").respond(302, headers={"Location": "http://127.0.0.1:9/b"})
        mock.get("http://127.0.0.1:9/b").respond(200, html=PAGE)
        mock.get(SITE + "/go").respond(302, headers={"Location": "http://127.0.0.1:9/b"})
        with Fetcher(options=FAST.model_copy(update={"refuse_private_redirects": True}), resolve=_resolve) as f:
            assert f.fetch("http://10.0.0.1/a").url == "http://127.0.0.1:9/b"
        with Fetcher(options=FAST, resolve=_resolve) as f:
            assert f.fetch(SITE + "/go").url == "http://127.0.0.1:9/b"
