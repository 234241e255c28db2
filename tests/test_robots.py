"""robots.txt: RFC 9309 matching (longest rule wins, ``*`` and ``$``), status handling, size and delay caps."""

from __future__ import annotations

import pytest
import respx

from newsclean import HTTPStatusError, RequestError, RobotsDisallowedError
from newsclean.net.fetch import (
    DEFAULT_USER_AGENT,
    MAX_CRAWL_DELAY,
    ROBOTS_MAX_BYTES,
    FetchedPage,
    Fetcher,
    FetchOptions,
)
from newsclean.net.fetch import _robots_from as robots_from

ORIGIN = "https://news.test"
UA = DEFAULT_USER_AGENT


def robots(text: str | bytes) -> FetchedPage:
    content = text.encode() if isinstance(text, str) else text
    return FetchedPage(url=ORIGIN + "/robots.txt", requested_url=ORIGIN + "/robots.txt", status=200, content=content)


@pytest.mark.parametrize(
    ("rules", "path", "allowed"),
    [
        # The longest matching rule wins, not the first one.
        ("Disallow: /\nAllow: /$\n", "/", True),
        ("Disallow: /\nAllow: /$\n", "/news/list.php", False),
        ("Disallow: /news/\nAllow: /news/view.php\n", "/news/view.php?idx=1", True),
        # Wildcards.
        ("Disallow: /*idx=\n", "/news/view.php?idx=5", False),
        ("Disallow: /*idx=\n", "/news/view.php?no=5", True),
        ("Disallow: /*.pdf$\n", "/files/a.pdf", False),
        ("Disallow: /*.pdf$\n", "/files/a.pdf?x=1", True),
        # An allow and a disallow of the same length: allow.
        ("Disallow: /page\nAllow: /page\n", "/page", True),
        ("", "/anything", True),
    ],
)
def test_rfc9309_matching(rules: str, path: str, allowed: bool) -> None:
    rule_set = robots_from(ORIGIN, robots("User-agent: *\n" + rules))
    assert rule_set.allows(ORIGIN + path, UA) is allowed


def test_group_for_newsclean_by_name_beats_star() -> None:
    rule_set = robots_from(ORIGIN, robots("User-agent: *\nDisallow: /\n\nUser-agent: newsclean\nAllow: /\n"))
    assert rule_set.allows(ORIGIN + "/news/1", UA)
    assert not rule_set.allows(ORIGIN + "/news/1", "otherbot/1.0")


def test_status_handling() -> None:
    missing = robots_from(ORIGIN, HTTPStatusError("HTTP 404", url=ORIGIN + "/robots.txt", status=404))
    assert missing.allows(ORIGIN + "/x", UA)
    broken = robots_from(ORIGIN, HTTPStatusError("HTTP 503", url=ORIGIN + "/robots.txt", status=503))
    assert not broken.allows(ORIGIN + "/x", UA) and "could not be read" in (broken.reason or "")
    unreachable = robots_from(ORIGIN, RequestError("connection refused", url=ORIGIN + "/robots.txt"))
    assert not unreachable.allows(ORIGIN + "/x", UA)


def test_crawl_delay_is_capped_and_sitemaps_listed() -> None:
    rule_set = robots_from(ORIGIN, robots("User-agent: *\nCrawl-delay: 86400\nSitemap: https://news.test/sm.xml\n"))
    assert rule_set.crawl_delay(UA) == MAX_CRAWL_DELAY
    assert rule_set.sitemaps == ("https://news.test/sm.xml",)


def test_rules_past_the_size_cap_are_ignored() -> None:
    filler = b"# " + b"x" * (ROBOTS_MAX_BYTES + 10) + b"\n"
    rule_set = robots_from(ORIGIN, robots(b"User-agent: *\n" + filler + b"Disallow: /\n"))
    assert rule_set.allows(ORIGIN + "/news/1", UA)


def test_fetcher_lets_the_allowed_start_page_through() -> None:
    with respx.mock(assert_all_called=False) as mock:
        mock.get(ORIGIN + "/robots.txt").respond(200, text="User-agent: *\nDisallow: /\nAllow: /$\n")
        mock.get(ORIGIN + "/").respond(200, html="<html><body><p>첫 화면</p></body></html>")
        with Fetcher(options=FetchOptions(delay=0)) as fetcher:
            assert fetcher.fetch(ORIGIN + "/").status == 200
            with pytest.raises(RobotsDisallowedError):
                fetcher.fetch(ORIGIN + "/news/view.php?idx=1")


def test_unreachable_host_is_reported_as_unreachable(capsys: pytest.CaptureFixture[str]) -> None:
    from newsclean.cli import main

    # Nothing listens on port 1 of the loopback interface: the connection is refused at once.
    assert main(["fetch", "http://127.0.0.1:1/news/view.php?idx=1", "--retries", "0"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "HostUnreachableError" in err and "127.0.0.1:1 could not be reached" in err
    assert "robots" not in err.lower()
