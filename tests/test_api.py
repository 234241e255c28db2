"""clean_article: what it takes (str or bytes, any Korean encoding, HTML or text) and how it fails."""

from __future__ import annotations

import pytest
from corpus import FIXTURES

from newsclean import (
    CleanOptions,
    DecodeError,
    EmptyInputError,
    NewscleanError,
    NoArticleBodyError,
    UnsupportedInputError,
    clean_article,
)
from newsclean.clean.page import TextPage, decode_bytes, load, looks_like_html

SEED = FIXTURES / "gginews2.dadamedia.net" / "66849.txt"
SEED_TEXT = SEED.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def reference() -> object:
    return clean_article(SEED_TEXT)


@pytest.mark.parametrize(
    "encode",
    [
        lambda t: t.encode("utf-8"),
        lambda t: t.encode("utf-8-sig"),
        lambda t: t.encode("utf-16"),
        # characters outside KS X 1001 (bullets, NBSP) stand only in page furniture
        lambda t: t.encode("cp949", errors="replace"),
        lambda t: t.encode("euc-kr", errors="replace"),
    ],
    ids=["utf-8", "utf-8 BOM", "utf-16 BOM", "cp949", "euc-kr"],
)
def test_any_korean_encoding_gives_the_same_article(encode: object, reference: object) -> None:
    raw = encode(SEED_TEXT)  # type: ignore[operator]
    article = clean_article(raw)
    assert article.paragraphs == reference.paragraphs  # type: ignore[attr-defined]
    assert article.title == reference.title  # type: ignore[attr-defined]


def test_str_and_bytes_agree(reference: object) -> None:
    assert clean_article(SEED.read_bytes()) == reference


def test_url_argument_gives_identity() -> None:
    article = clean_article(SEED_TEXT, url="https://www.amenews.kr/news/view.php?idx=54085&mcode=m292ksm")
    assert article.url == "https://www.amenews.kr/news/view.php?idx=54085"
    assert article.site == "amenews.kr"
    assert article.article_id == "54085"


def test_no_state_between_calls(reference: object) -> None:
    other = FIXTURES / "k-health.com" / "k-health.com_1.txt"
    clean_article(other.read_bytes())
    assert clean_article(SEED_TEXT) == reference


@pytest.mark.parametrize("raw", [b"", b"   \n\t ", "", "  \n  ", "\u00a0\u3000"])
def test_empty_input(raw: str | bytes) -> None:
    with pytest.raises(EmptyInputError, match="empty"):
        clean_article(raw)


def test_undecodable_bytes() -> None:
    garbage = bytes(range(0x80, 0x100)) * 40
    with pytest.raises(DecodeError, match="not text"):
        clean_article(garbage)


def test_binary_file() -> None:
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200)
    with pytest.raises(DecodeError):
        clean_article(png)


@pytest.mark.parametrize("raw", [None, 42, ["기사"], {"html": "<p>"}])
def test_wrong_type(raw: object) -> None:
    with pytest.raises(UnsupportedInputError, match="str or bytes"):
        clean_article(raw)  # type: ignore[arg-type]


def test_too_large_input() -> None:
    with pytest.raises(UnsupportedInputError, match="over the limit"):
        clean_article(SEED_TEXT, options=CleanOptions(max_input_bytes=100))


@pytest.mark.parametrize(
    "raw",
    [
        "메뉴\n로그인\n회원가입",
        "<html><body><nav>메뉴</nav></body></html>",
        "0\n0\n0",
        "https://example.com/",
    ],
)
def test_no_article_body(raw: str) -> None:
    with pytest.raises(NoArticleBodyError):
        clean_article(raw)


def test_every_error_is_a_newsclean_error() -> None:
    for raw in (b"", b"\xff\xfe\x00", "메뉴", bytes(range(256))):
        with pytest.raises(NewscleanError):
            clean_article(raw)


def test_sniffing_html_and_text() -> None:
    assert looks_like_html("<!DOCTYPE html><html><body><p>본문</p></body></html>")
    assert looks_like_html("<div><p>본문</p><p>둘째</p></div>")
    assert not looks_like_html(SEED_TEXT)
    assert not looks_like_html("<고성군 최초로 주민들이 만든 인터넷 신문>\n본문이다.")
    assert isinstance(load(SEED_TEXT, max_size=10**7), TextPage)


def test_declared_charset_contradicted_by_bytes() -> None:
    html = '<html><head><meta charset="euc-kr"></head><body><p>한국어 본문</p></body></html>'
    text, encoding = decode_bytes(html.encode("utf-8"))
    assert "한국어 본문" in text and encoding == "utf-8"
    text, encoding = decode_bytes(html.encode("cp949"))
    assert "한국어 본문" in text and encoding == "cp949"


def test_utf8_page_with_a_stray_euc_kr_fragment() -> None:
    raw = ("본문이다. " * 200).encode("utf-8") + "깨진".encode("cp949") + ("본문이다. " * 200).encode("utf-8")
    text, encoding = decode_bytes(raw)
    assert encoding == "utf-8" and text.count("본문이다.") == 400
