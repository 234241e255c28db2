"""Site rules: every registered rule has a stored page it matches, its selectors parse, and a stale rule falls
back to the generic path."""

from __future__ import annotations

import dataclasses

import pytest
from regen_expected import html_fixtures
from selectolax.lexbor import LexborHTMLParser

from newsclean import api, clean_article
from newsclean.clean.page import HtmlPage
from newsclean.models import CleanOptions
from newsclean.sites import SiteRule, families, match_rule, rule_named

RULES = [family.rule for family in families()]
SELECTOR_FIELDS = (
    "signatures",
    "body",
    "title",
    "subtitles",
    "published",
    "modified",
    "authors",
    "section",
    "tags",
    "drop",
    "captions",
)


def _matching_fixtures(rule: SiteRule) -> list[str]:
    out = []
    for page, url in html_fixtures():
        parsed = HtmlPage.parse(page.read_text(encoding="utf-8"), url=url, encoding="utf-8")
        found = match_rule(host=parsed.host, urls=(url, parsed.canonical, parsed.meta.get("og:url")), tree=parsed.tree)
        if found is rule:
            out.append(page.name)
    return out


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.name)
def test_every_rule_has_a_fixture(rule: SiteRule) -> None:
    assert _matching_fixtures(rule), f"site rule {rule.name!r} has no fixture page in fixtures/ that it matches"


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.name)
def test_rule_selectors_parse(rule: SiteRule) -> None:
    tree = LexborHTMLParser("<html><body><p>x</p></body></html>")
    for name in SELECTOR_FIELDS:
        for selector in getattr(rule, name):
            tree.css(selector.partition("@")[0])


def test_rule_names_are_unique() -> None:
    names = [r.name for r in RULES]
    assert len(names) == len(set(names))


@pytest.mark.parametrize(
    ("url", "name"),
    [
        ("http://gginews2.dadamedia.net/news/view.php?idx=66849", "dadamedia"),
        ("https://www.example.kr/news/view.php?idx=1&mcode=m292ksm", "dadamedia"),
        ("https://www.example.kr/news/articleView.html?idxno=51806", "ndsoft"),
        ("https://www.example.kr/news/article.html?no=27844", "article_html_no"),
        ("https://n.news.naver.com/mnews/article/018/0005316196?sid=100", "naver"),
        ("https://www.mk.co.kr/news/society/11328184", "mk"),
    ],
)
def test_rules_match_by_host_or_url(url: str, name: str) -> None:
    from urllib.parse import urlsplit

    tree = LexborHTMLParser("<html><body></body></html>")
    assert match_rule(host=urlsplit(url).hostname, urls=(url,), tree=tree) is rule_named(name)


def test_rules_match_by_markup_signature() -> None:
    tree = LexborHTMLParser('<html><body><div id="article-view-content-div"><p>x</p></div></body></html>')
    assert match_rule(host="unknown.example", urls=(None,), tree=tree) is rule_named("ndsoft")


def test_unknown_page_has_no_rule() -> None:
    tree = LexborHTMLParser("<html><body><div class='story'><p>x</p></div></body></html>")
    assert match_rule(host="unknown.example", urls=("https://unknown.example/a/1",), tree=tree) is None


def test_rule_named_raises_for_an_unknown_name() -> None:
    with pytest.raises(KeyError):
        rule_named("no-such-rule")


def test_a_stale_rule_falls_back_to_the_generic_path(monkeypatch: pytest.MonkeyPatch) -> None:
    page, url = next((p, u) for p, u in html_fixtures() if p.name == "mk_11328187.html")
    stale = dataclasses.replace(
        rule_named("mk"), body=("div.no-such-body",), title=("h1.no-such-title",), authors=(".nobody",)
    )
    monkeypatch.setattr(api, "match_rule", lambda **_: stale)
    with_stale_rule = clean_article(page.read_bytes(), url=url)
    generic = clean_article(page.read_bytes(), url=url, options=CleanOptions(site_rules=False))
    assert with_stale_rule.paragraphs == generic.paragraphs
    assert with_stale_rule.title == generic.title
    assert len(with_stale_rule.paragraphs) == 9


def test_rule_line_patterns_strip_lines() -> None:
    rule = rule_named("hankookilbo")
    assert rule.drops_line("$$ARTICLEAD$$")
    assert not rule.drops_line("본문 문장이다.")
