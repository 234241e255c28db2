"""clean_article's inputs from outside the page (the HTTP charset) and its error for pages not in Korean."""

from __future__ import annotations

import pytest
from corpus import FIXTURES

from newsclean import DecodeError, NoArticleBodyError, NotKoreanError, clean_article

SEED = FIXTURES / "gginews2.dadamedia.net" / "66849.txt"
PARAGRAPH = (
    "<p>광명시가 행정안전부 주관 제3회 전국 지방자치단체 사회적경제 정책평가에서 최우수 기관으로 선정됐다고 밝혔다.</p>"
)
KOREAN_PAGE = (
    f"<html><head><title>광명시 최우수 기관 선정</title></head><body><article>{PARAGRAPH * 6}</article></body></html>"
)


def test_header_charset_reads_a_page_that_declares_none() -> None:
    raw = KOREAN_PAGE.encode("utf-16-le")  # no byte-order mark, no declaration: only the header can tell
    article = clean_article(raw, charset="UTF-16LE")
    assert article.title == "광명시 최우수 기관 선정"
    with pytest.raises(DecodeError):
        clean_article(raw)


def test_page_declaration_wins_over_the_header() -> None:
    page = KOREAN_PAGE.replace("<head>", '<head><meta charset="euc-kr">')
    article = clean_article(page.encode("cp949"), charset="utf-16-le")
    assert article.title == "광명시 최우수 기관 선정"


def test_unknown_or_needless_header_charset_changes_nothing() -> None:
    raw = SEED.read_bytes()
    expected = clean_article(raw)
    assert clean_article(raw, charset="no-such-charset") == expected
    assert clean_article(raw, charset="utf-8") == expected


ENGLISH_PARAGRAPH = "<p>Stocks rose on Tuesday as investors weighed fresh data on inflation and jobs.</p>"
JAPANESE_PARAGRAPH = "<p>東京株式市場で日経平均株価は続伸し、投資家はインフレと雇用の新しい指標を見極めた。</p>"
KOREAN_MENU = "<nav><a href='/ko'>한국어</a> <a href='/'>홈</a> <a href='/s'>검색</a></nav>"


@pytest.mark.parametrize(
    "page",
    [
        f"<html><body>{KOREAN_MENU}<article>{ENGLISH_PARAGRAPH * 8}</article></body></html>",
        f"<html><body><article>{JAPANESE_PARAGRAPH * 8}</article></body></html>",
        "Markets rally\n\n" + "Stocks rose on Tuesday as investors weighed fresh data on inflation and jobs.\n" * 8,
    ],
    ids=["english-html", "japanese-html", "english-text"],
)
def test_page_in_another_language_is_not_korean(page: str) -> None:
    with pytest.raises(NotKoreanError) as info:
        clean_article(page)
    assert "Korean" in str(info.value)
    assert isinstance(info.value, NoArticleBodyError)


def test_korean_list_page_stays_a_missing_body() -> None:
    listing = "<html><body><ul>" + "<li><a href='/news/1'>경기도 광명시 소식</a></li>" * 40 + "</ul></body></html>"
    with pytest.raises(NoArticleBodyError) as info:
        clean_article(listing)
    assert not isinstance(info.value, NotKoreanError)
