"""Canonical URLs: equivalent spellings merge, context parameters go, the bytes of a query survive."""

from __future__ import annotations

import pytest

from newsclean.clean.urls import article_id, canonical_url, dropped_query_params, site_of
from newsclean.net.discover import page_url

BASE = "http://gginews2.dadamedia.net/news/view.php?idx=66849"


def test_euc_kr_query_bytes_survive() -> None:
    # "가나" in EUC-KR: these bytes are no UTF-8, and must not become U+FFFD replacement characters.
    url = "http://old.test/news/view.php?code=%B0%A1%B3%AA&idx=7"
    assert canonical_url(url) == "http://old.test/news/view.php?code=%B0%A1%B3%AA&idx=7"
    assert "%EF%BF%BD" not in canonical_url(url)


def test_list_page_url_keeps_euc_kr_bytes() -> None:
    url = "http://old.test/news/list.php?code=%B0%A1&page=2"
    assert page_url(url, page=3) == "http://old.test/news/list.php?code=%B0%A1&page=3"


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("http://a.kr/뉴스/기사?q=가나", "http://a.kr/%EB%89%B4%EC%8A%A4/%EA%B8%B0%EC%82%AC?q=%EA%B0%80%EB%82%98"),
        ("http://a.kr/%ea%b0%80", "http://a.kr/%EA%B0%80"),
        ("http://a.kr:80/x?idx=1", "http://a.kr/x?idx=1"),
        ("https://a.kr:443/x?idx=1", "https://a.kr/x?idx=1"),
        ("http://a.kr/a/../news/./x?idx=1", "http://a.kr/news/x?idx=1"),
        ("HTTP://A.KR/x?idx=1#top", "http://a.kr/x?idx=1"),
        ("http://a.kr/x?mcode=m1&idx=1&utm_source=feed", "http://a.kr/x?idx=1"),
        ("http://a.kr/x?b=2&a=1", "http://a.kr/x?a=1&b=2"),
        ("http://a.kr", "http://a.kr/"),
    ],
)
def test_equivalent_forms_merge(a: str, b: str) -> None:
    assert canonical_url(a) == canonical_url(b)


def test_canonical_form_is_stable() -> None:
    for url in (BASE, "http://a.kr/%EA%B0%80?code=%B0%A1", "https://a.kr/x?a=1&b=%20"):
        assert canonical_url(canonical_url(url)) == canonical_url(url)


def test_other_ports_and_unparsable_urls_are_kept() -> None:
    assert canonical_url("http://a.kr:8080/x") == "http://a.kr:8080/x"
    assert canonical_url(" http://[::1/x ") == "http://[::1/x"


@pytest.mark.parametrize("param", sorted(dropped_query_params()))
def test_every_dropped_parameter_is_dropped(param: str) -> None:
    assert canonical_url(f"{BASE}&{param}=v") == BASE


def test_site_and_id() -> None:
    assert site_of("http://www.donga.com/news/article/all/20240105/1") == "donga.com"
    assert article_id(canonical_url(BASE + "&mcode=m292ksm")) == "66849"
