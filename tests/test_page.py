"""Parsing an HTML page once: encodings, meta tags, JSON-LD (with @graph), canonical URL and host."""

from __future__ import annotations

import json

import pytest

from newsclean import clean_article
from newsclean.clean import page
from newsclean.clean.page import ARTICLE_LD_TYPES, HtmlPage, declared_charset, load

TEXT = "광명시가 전국 지방자치단체를 대상으로 실시한 사회적경제정책 평가에서 최우수기관으로 선정됐다. 똠방각하 뷁."
HTML = (
    "<!DOCTYPE html><html><head>{meta}<title>제목 - 가나일보</title></head><body><div class='story'>"
    f"<p>{TEXT}</p><p>{TEXT.replace('광명시', '시흥시')}</p></div></body></html>"
)


@pytest.mark.parametrize(
    "meta",
    [
        "<meta charset='euc-kr'>",
        "<meta http-equiv='Content-Type' content='text/html; charset=EUC-KR'>",
        "<meta charset='ks_c_5601-1987'>",
        "",
    ],
)
def test_euc_kr_pages_decode_as_cp949(meta: str) -> None:
    raw = HTML.format(meta=meta).encode("cp949")  # 똠, 뷁 exist only in CP949, not in strict EUC-KR
    article = clean_article(raw)
    assert article.paragraphs[0] == TEXT


def test_page_declaring_euc_kr_but_sent_as_utf8_decodes_right() -> None:
    raw = HTML.format(meta="<meta charset='euc-kr'>").encode("utf-8")
    page = load(raw, max_size=10**7)
    assert isinstance(page, HtmlPage) and page.encoding == "utf-8"
    assert clean_article(raw).paragraphs[0] == TEXT


def test_utf8_bom() -> None:
    raw = b"\xef\xbb\xbf" + HTML.format(meta="").encode("utf-8")
    assert clean_article(raw).paragraphs[0] == TEXT


def test_meta_open_graph_json_ld_and_canonical_are_read_once() -> None:
    ld = {
        "@context": "https://schema.org",
        "@graph": [{"@type": "WebSite", "name": "가나일보"}, {"@type": ["NewsArticle"], "headline": "제목"}],
    }
    head = (
        "<meta property='og:title' content='OG 제목'><meta name='author' content='가나일보'>"
        "<meta name='author' content='홍길동 기자'><link rel='canonical' href='https://www.ganai.kr/news/1'>"
        f"<script type='application/ld+json'>{json.dumps(ld)}</script>"
    )
    page = load(HTML.format(meta=head), url=None, max_size=10**7)
    assert isinstance(page, HtmlPage)
    assert page.meta["og:title"] == "OG 제목"
    assert page.meta["author"] == "가나일보"
    assert page.meta_values["author"] == ["가나일보", "홍길동 기자"]
    assert page.canonical == "https://www.ganai.kr/news/1"
    assert page.host == "www.ganai.kr"
    assert [item.get("@type") for item in page.json_ld] == [None, "WebSite", ["NewsArticle"]]
    assert [item.get("headline") for item in page.article_ld] == ["제목"]


def test_broken_json_ld_is_skipped() -> None:
    head = "<script type='application/ld+json'>{not json</script>"
    page = load(HTML.format(meta=head), max_size=10**7)
    assert isinstance(page, HtmlPage) and page.json_ld == []


@pytest.mark.parametrize("kind", sorted(ARTICLE_LD_TYPES))
def test_each_article_ld_type_is_an_article(kind: str) -> None:
    head = f"<script type='application/ld+json'>{json.dumps({'@type': kind, 'headline': 'h'})}</script>"
    page = load(HTML.format(meta=head), max_size=10**7)
    assert isinstance(page, HtmlPage) and len(page.article_ld) == 1


@pytest.mark.parametrize("label", ["iso-8859-1", "windows-1252"])
def test_korean_bytes_mislabelled_as_a_western_charset_decode_as_cp949(label: str) -> None:
    raw = HTML.format(meta=f"<meta charset='{label}'>").encode("cp949")
    page = load(raw, max_size=10**7)
    assert isinstance(page, HtmlPage) and page.encoding == "cp949"
    assert clean_article(raw).paragraphs[0] == TEXT


def test_western_page_keeps_its_declared_charset() -> None:
    text = (
        "<html><head><meta charset='iso-8859-1'></head>"
        "<body><p>Caf\xe9 cr\xe8me \xe0 la fran\xe7aise.</p></body></html>"
    )
    page = load(text.encode("latin-1"), max_size=10**7)
    assert isinstance(page, HtmlPage) and page.encoding == "iso8859-1"
    assert "Café crème" in page.html


def test_strict_utf8_bytes_are_parsed_as_given_and_give_the_same_tree() -> None:
    from newsclean.clean.page import HtmlPage, decode_bytes

    raw = "<html><head><title>제목</title></head><body><p>광명시가 선정됐다.</p></body></html>".encode()
    page = load(raw, max_size=10_000)
    assert isinstance(page, HtmlPage)
    text, _ = decode_bytes(raw)
    assert page.tree.html == HtmlPage.parse(text, url=None, encoding="utf-8").tree.html
    with_nul = load(raw.replace(b"</p>", b"\x00</p>"), max_size=10_000)
    assert isinstance(with_nul, HtmlPage)
    assert "\x00" not in with_nul.html
    assert with_nul.tree.html == page.tree.html


SCRIPT_BODY = "도심 하천 정비 사업을 마무리하고 산책로를 시민에게 개방한다고 밝혔다. " * 6


def _script_page(promo_script: str, kept_script: str) -> HtmlPage:
    html = (
        "<html><head><title>제목</title></head><body><div class='story'>"
        "<p>시는 올해 상반기 중 도심 하천 정비 사업을 마무리한다고 어제 오후 발표했다.</p>"
        f"<div class='promo'>{promo_script}</div></div>{kept_script}</body></html>"
    )
    return HtmlPage.parse(html, url="https://news.example.kr/a/1", encoding="utf-8")


def test_scripts_are_read_in_the_signal_pass_and_again_after_a_rule_drops_one() -> None:
    from newsclean.clean.html_body import dom_blocks
    from newsclean.clean.scripts import script_body
    from newsclean.sites import SiteRule

    rule = SiteRule(name="promo", body=("div.story",), drop=("div.promo",))
    dropped = f'<script type="application/json">{json.dumps({"articleBody": SCRIPT_BODY}, ensure_ascii=False)}</script>'
    page = _script_page(dropped, "<script>var x = 1;</script>")
    assert page.scripts is not None and [kind for kind, _ in page.scripts] == ["application/json", ""]
    blocks = dom_blocks(page, rule=rule)
    assert [kind for kind, _ in page.script_texts()] == [""]  # the dropped script is gone from the list
    assert script_body(page, dom_blocks=blocks) is None  # and gives no body

    page = _script_page("<span>광고</span>", dropped)  # a script outside the dropped element is still read
    found = script_body(page, dom_blocks=dom_blocks(page, rule=rule))
    assert found is not None and SCRIPT_BODY.strip() in " ".join(b.text for b in found.blocks)


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (b"<meta charset='euc-kr'>", "cp949"),
        (b"<META HTTP-EQUIV='Content-Type' CONTENT='text/html; CHARSET=EUC-KR'>", "cp949"),
        (b"<meta ChArSeT = \"utf-8\">", "utf-8"),
        # the word first in another sense, the declaration after it
        (b"<p>charsets differ</p><meta charset=utf-8>", "utf-8"),
        (b"charset: none here " * 50 + b"<meta charset=ks_c_5601-1987>", "cp949"),
        (b"<?xml version='1.0' encoding='euc-kr'?><meta charset=utf-8>", "cp949"),
        ("본문 한 줄\n".encode() * 1000, None),  # a plain-text dump declares nothing
        (b" " * 8190 + b"<meta charset=euc-kr>", None),  # past the bytes searched
        (b"charset=undefined; charset=utf-8", "undefined"),  # the first declaration is the one read
    ],
)
def test_declared_charset(head: bytes, expected: str | None) -> None:
    assert declared_charset(head) == expected
    # The same answer as searching the whole head with the declaration patterns.
    plain = None
    for pattern in (page._XML_ENCODING_RE, page._CHARSET_RE):
        match = pattern.search(head[: page.CHARSET_SNIFF_BYTES])
        plain = page._normalise_label(match.group(1).decode("ascii", "ignore")) if match else None
        if plain:
            break
    assert plain == expected
