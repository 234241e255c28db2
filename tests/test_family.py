"""CMS families: declared once (one file), registered once, read by cleaning, URLs, discovery and the text dump."""

from __future__ import annotations

import json
import re
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from crawl_site import Site, serve

from newsclean import FamilyError, clean_article
from newsclean.clean.boilerplate import is_boilerplate_line
from newsclean.clean.urls import article_id, canonical_url, dropped_query_params
from newsclean.cli import main
from newsclean.net.crawl import CrawlOptions, crawl
from newsclean.net.discover import article_links, family_of, start_family, start_lists
from newsclean.net.fetch import FetchOptions
from newsclean.sites import (
    Discovery,
    Family,
    Markers,
    SiteRule,
    UrlShapes,
    families,
    family_named,
    load_family,
    marker_lines,
    register_family,
    register_family_file,
    rule_named,
    title_markers,
    unregister_family,
)

FAST = CrawlOptions(fetch=FetchOptions(delay=0, backoff=0.01, max_backoff=0.02), concurrency=4, sitemaps=False)

# An invented CMS, declared in one file as a user would write it: articles at /bbs/read.asp?num=N, section lists
# at /bbs/list.asp?sec=S&pg=K, the headline in a table cell, the board's name as the section.
BBS_FAMILY_FILE = '''
"""The bbs.asp CMS: /bbs/read.asp?num=N articles, /bbs/list.asp?sec=S&pg=K section lists."""

from newsclean.sites import Discovery, Family, SiteRule, UrlShapes

FAMILY = Family(
    rule=SiteRule(
        name="bbs_asp",
        url_patterns=(r"/bbs/read\\.asp\\?(?:.*&)?num=\\d+",),
        body=("div.bbs-content",),
        title=("td.bbs-subject",),
        subtitles=("p.bbs-summary",),
        published=("span.bbs-date",),
        authors=("span.bbs-writer",),
        section=("span.bbs-board",),
        drop=("div.bbs-sign",),
    ),
    urls=UrlShapes(
        article_ids=(r"/bbs/read\\.asp\\?(?:[^&]*+&)*num=(\\d+)",),
        id_url="/bbs/read.asp?num={id}",
        dropped_params=frozenset({"sec", "pg"}),  # the list an article was linked from
    ),
    discovery=Discovery(
        article=r"^/bbs/read\\.asp\\?(?:[^#]*&)?num=\\d+",
        section=r"^/bbs/list\\.asp\\?(?:[^#]*&)?sec=\\d+",
        page_param="pg",
    ),
)
'''

SENTENCES = (
    "시는 올해 상반기 중 도심 하천 정비 사업을 마무리하고 산책로를 시민에게 개방한다고 밝혔다.",
    "사업비는 모두 120억 원으로 국비와 시비가 절반씩 들어갔으며 공사는 지난해 봄에 시작됐다.",
    "담당 공무원은 장마철 침수 피해를 줄이기 위해 배수 시설을 함께 고쳤다고 설명했다.",
    "주민들은 그동안 끊겨 있던 산책로가 이어져 출퇴근길이 한결 편해질 것이라고 기대했다.",
)


@dataclass
class BbsSite(Site):
    """A site in the bbs.asp layout: ``/`` links the boards only; each board's list pages link the articles."""

    boards: tuple[int, ...] = (1, 2)
    per_board: int = 7
    page_size: int = 3

    def board_ids(self, board: int) -> list[int]:
        return [board * 100 + i for i in range(self.per_board, 0, -1)]  # newest first

    @property
    def every_id(self) -> list[int]:
        return sorted(i for b in self.boards for i in self.board_ids(b))

    def answer(self, path: str) -> tuple[int, str, bytes]:
        parts = urlsplit(path)
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        html = "text/html; charset=utf-8"
        if parts.path == "/robots.txt":
            return 200, "text/plain", b"User-agent: *\nAllow: /\n"
        if parts.path == "/":
            boards = "".join(f'<a href="/bbs/list.asp?sec={b}">게시판 {b}</a>' for b in self.boards)
            return 200, html, _page("게시판", f"<nav>{boards}</nav>")
        if parts.path == "/bbs/list.asp" and query.get("sec", "").isdigit() and int(query["sec"]) in self.boards:
            board, page = int(query["sec"]), int(query.get("pg", "1"))
            ids = self.board_ids(board)[(page - 1) * self.page_size : page * self.page_size]
            rows = "".join(
                f'<tr><td><a href="read.asp?num={i}&amp;sec={board}&amp;pg={page}">글 {i}</a></td></tr>' for i in ids
            )
            more = f'<a href="list.asp?sec={board}&amp;pg={page + 1}">다음</a>'
            return 200, html, _page("게시판", f"<table>{rows}</table>{more}")
        if parts.path == "/bbs/read.asp" and query.get("num", "").isdigit() and int(query["num"]) in self.every_id:
            num = int(query["num"])
            body = "".join(f"<p>{s} ({num}번 글)</p>" for s in SENTENCES)
            article = (
                f'<table><tr><td class="bbs-subject">하천 정비 마무리 {num}호</td></tr></table>'
                f'<p class="bbs-summary">산책로 시민에 개방 {num}</p>'
                f'<span class="bbs-board">지역소식 {num // 100}</span>'
                '<span class="bbs-writer">홍길동 기자</span><span class="bbs-date">2024.03.05 14:20</span>'
                f'<div class="bbs-content">{body}<div class="bbs-sign">글쓴이 서명: 오늘도 좋은 하루</div></div>'
            )
            return 200, html, _page("게시판 글읽기", article)
        return 404, "text/plain", b"not found"


def _page(title: str, body: str) -> bytes:
    head = f"<head><meta charset='utf-8'><title>{title}</title></head>"
    return f"<!doctype html><html>{head}<body>{body}</body></html>".encode()


@pytest.fixture
def bbs_family(tmp_path: Path) -> Iterator[Family]:
    """The bbs.asp family, registered from its one file for the test, unregistered after it."""
    path = tmp_path / "bbs_asp.py"
    path.write_text(textwrap.dedent(BBS_FAMILY_FILE), encoding="utf-8")
    family = register_family_file(path)
    try:
        yield family
    finally:
        unregister_family(family.name)


# Adding a family is one file --------------------------------------------------------------------------------


@pytest.mark.parametrize("clean_processes", [0, 1])
def test_a_family_from_one_file_is_crawled_through_its_lists_ids_and_rule(
    bbs_family: Family, tmp_path: Path, clean_processes: int
) -> None:
    site = BbsSite(fixtures=())
    options = FAST.model_copy(update={"clean_processes": clean_processes})
    with serve(site) as url:
        articles = list(crawl(url + "/", db=tmp_path / "bbs.sqlite", options=options))
    # Every article is found, through each board's list walked page by page with the family's paging parameter.
    ids = sorted(int(a.article_id or 0) for a in articles)
    assert ids == site.every_id
    pages = site.requested("/bbs/list.asp")
    for board in site.boards:
        last_page = -(-site.per_board // site.page_size)
        for page in range(1, last_page + 2):  # the page past the end, with nothing new, ends the walk
            assert f"/bbs/list.asp?pg={page}&sec={board}" in pages or f"/bbs/list.asp?sec={board}&pg={page}" in pages
    # Each article's URL is in the family's canonical form (the list context it was linked with dropped) and its
    # id is read by the family's URL shape (no generic id form knows "num=").
    for article in articles:
        assert article.url == f"{url}/bbs/read.asp?num={article.article_id}"
    # Cleaned by the family's rule: the headline, deck and board name sit where only its selectors look.
    by_id = {int(a.article_id or 0): a for a in articles}
    first = by_id[101]
    assert first.title == "하천 정비 마무리 101호"
    assert first.subtitles == ("산책로 시민에 개방 101",)
    assert first.section == "지역소식 1"
    assert first.authors == ("홍길동",)
    assert first.published_at is not None and (first.published_at.month, first.published_at.hour) == (3, 14)
    assert len(first.paragraphs) == len(SENTENCES)
    assert not any("서명" in p for p in first.paragraphs)  # dropped by the rule


def test_without_the_family_the_layout_is_unknown(tmp_path: Path) -> None:
    site = BbsSite(fixtures=())
    home = site.answer("/")[2].decode()
    assert start_family(home, base_url="http://bbs.test/") is None
    assert article_id("http://bbs.test/bbs/read.asp?num=101") is None
    assert "sec" not in dropped_query_params()
    path = tmp_path / "bbs_asp.py"
    path.write_text(textwrap.dedent(BBS_FAMILY_FILE), encoding="utf-8")
    family = register_family_file(path)
    try:
        assert start_family(home, base_url="http://bbs.test/") is family
        assert start_lists(home, base_url="http://bbs.test/", family=family) == [
            "http://bbs.test/bbs/list.asp?sec=1",
            "http://bbs.test/bbs/list.asp?sec=2",
        ]
        assert article_id("http://bbs.test/bbs/read.asp?num=101") == "101"
        assert canonical_url("http://bbs.test/bbs/read.asp?num=101&sec=1&pg=2") == "http://bbs.test/bbs/read.asp?num=101"
    finally:
        unregister_family(family.name)
    assert start_family(home, base_url="http://bbs.test/") is None
    assert article_id("http://bbs.test/bbs/read.asp?num=101") is None
    assert canonical_url("http://bbs.test/bbs/read.asp?num=1&sec=1") == "http://bbs.test/bbs/read.asp?num=1&sec=1"


# The registry ----------------------------------------------------------------------------------------------


def test_a_built_in_family_is_reached_by_its_one_name() -> None:
    family = family_named("dadamedia")
    assert family.name == family.rule.name == "dadamedia"
    assert rule_named("dadamedia") is family.rule
    # URL shapes: its id, its id walk, its dropped parameters, read by newsclean.clean.urls.
    url = "http://gginews2.dadamedia.net/news/view.php?idx=66849&mcode=m292ksm&sm=1"
    assert article_id(url) == "66849"
    assert family.urls.id_url == "/news/view.php?idx={id}"
    assert {"mcode", "sm"} <= family.urls.dropped_params <= dropped_query_params()
    assert canonical_url(url) == "http://gginews2.dadamedia.net/news/view.php?idx=66849"
    # Discovery, read by newsclean.net.discover.
    assert family.discovery is not None
    assert family_of(["http://a.test/news/list.php?mcode=m1"]) is family
    assert article_links('<a href="/news/view.php?idx=3">x</a>', base_url="http://a.test/", family=family) == [
        "http://a.test/news/view.php?idx=3"
    ]
    # Text-dump markers, read by the text-dump path.
    assert family.markers.lines <= marker_lines()
    assert title_markers()["기사 메일전송"] == " - "


def test_every_family_name_is_its_module_and_unique() -> None:
    names = [family.name for family in families()]
    assert len(names) == len(set(names))
    assert {"dadamedia", "ndsoft", "article_html_no", "naver", "mk"} <= set(names)
    for family in families():
        assert family.rule.name == family.name


@pytest.mark.parametrize("line", sorted(marker_lines()))
def test_every_family_marker_line_is_furniture(line: str) -> None:
    assert is_boilerplate_line(line)


def test_registering_a_taken_name_is_a_clear_error() -> None:
    with pytest.raises(FamilyError, match="'dadamedia' is registered already"):
        register_family(Family(rule=SiteRule(name="dadamedia")))
    mine = Family(rule=SiteRule(name="mine", hosts=("mine.test",)))
    register_family(mine)
    try:
        with pytest.raises(FamilyError, match="'mine' is registered already"):
            register_family(Family(rule=SiteRule(name="mine")))
        assert families()[0] is mine  # a user's own family is tried before the built-in ones
    finally:
        assert unregister_family("mine") is mine
    with pytest.raises(KeyError):
        family_named("mine")


def test_built_in_and_unknown_families_cannot_be_unregistered() -> None:
    with pytest.raises(FamilyError, match="built-in"):
        unregister_family("ndsoft")
    with pytest.raises(FamilyError, match="not registered"):
        unregister_family("no-such-family")
    assert family_named("ndsoft").name == "ndsoft"


def test_a_user_family_wins_over_a_built_in_one_for_its_pages() -> None:
    body = "".join(f"<p>{s}</p>" for s in SENTENCES)
    head = '<div class="view_title"><h2>낡은 틀의 제목입니다</h2></div><span class="mine-title">하천 정비 마무리</span>'
    html = f'<html><body>{head}<div id="viewContent">{body}</div></body></html>'
    mine = Family(rule=SiteRule(name="mine", hosts=("gjnews.com",), title=("span.mine-title",)))
    before = clean_article(html.encode(), url="http://www.gjnews.com/news/view.php?idx=1").title
    register_family(mine)
    try:
        after = clean_article(html.encode(), url="http://www.gjnews.com/news/view.php?idx=1").title
    finally:
        unregister_family("mine")
    assert before == "낡은 틀의 제목입니다"  # the built-in dadamedia rule's selector
    assert after == "하천 정비 마무리"


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("X = 1\n", "declares no FAMILY"),
        ("raise RuntimeError('boom')\n", "could not be run: RuntimeError: boom"),
        ("FAMILY = (\n", "could not be run: SyntaxError"),
        (
            "from newsclean.sites import Family, SiteRule, UrlShapes\n"
            "FAMILY = Family(rule=SiteRule(name='x'), urls=UrlShapes(article_ids=(r'/a/\\d+',)))\n",
            "needs a group that captures the article id",
        ),
        (
            "from newsclean.sites import Discovery, Family, SiteRule\n"
            "FAMILY = Family(rule=SiteRule(name='x'), discovery=Discovery(article='(unclosed'))\n",
            "is no regular expression",
        ),
        (
            "from newsclean.sites import Family, SiteRule, UrlShapes\n"
            "FAMILY = Family(rule=SiteRule(name='x'), urls=UrlShapes(id_url='read.asp?num=1'))\n",
            "must be a path starting with '/' holding '{id}' once",
        ),
    ],
)
def test_a_bad_family_file_is_a_clear_error(tmp_path: Path, source: str, message: str) -> None:
    path = tmp_path / "bad_family.py"
    path.write_text(source, encoding="utf-8")
    with pytest.raises(FamilyError, match=re.escape(message)):
        load_family(path)
    assert "x" not in {family.name for family in families()}


def test_a_missing_family_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(FamilyError, match="no family file"):
        register_family_file(tmp_path / "nowhere.py")
    with pytest.raises(FamilyError, match=r"needs a newsclean\.sites\.Family"):
        register_family(SiteRule(name="x"))  # type: ignore[arg-type]


def test_a_family_declared_in_code_needs_no_file() -> None:
    family = Family(
        rule=SiteRule(name="coded", url_patterns=(r"/story/\d+",)),
        urls=UrlShapes(article_ids=(r"/story/(\d+)",)),
        discovery=Discovery(article=r"^/story/\d+"),
    )
    register_family(family)
    try:
        assert article_id("http://c.test/story/42") == "42"
        assert family_of(["http://c.test/story/1", "http://c.test/story/2"]) is family
    finally:
        unregister_family("coded")


def test_the_text_dump_path_reads_a_family_s_markers() -> None:
    header = ["홈", "게시판", "글 읽기 화면", "하천 정비 마무리 | 산책로 시민에 개방", "홍길동 기자", "2024.3.5 14:20"]
    text = "\n".join(header)
    text += "\n\n" + "\n\n".join(SENTENCES) + "\n\n"
    before = clean_article(text.encode())
    family = Family(
        rule=SiteRule(name="bbs_text"),
        markers=Markers(lines=frozenset({"글 읽기 화면"}), title_follows=("글 읽기 화면",), title_separator=" | "),
    )
    register_family(family)
    try:
        after = clean_article(text.encode())
        assert is_boilerplate_line("글 읽기 화면")
    finally:
        unregister_family("bbs_text")
    assert (before.title, before.subtitles) == ("하천 정비 마무리 | 산책로 시민에 개방", ())
    assert (after.title, after.subtitles) == ("하천 정비 마무리", ("산책로 시민에 개방",))
    assert after.paragraphs == SENTENCES
    assert not is_boilerplate_line("글 읽기 화면")


def test_the_command_line_takes_a_family_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    family_file = tmp_path / "bbs_asp.py"
    family_file.write_text(textwrap.dedent(BBS_FAMILY_FILE), encoding="utf-8")
    page = tmp_path / "101.html"
    page.write_bytes(BbsSite(fixtures=()).answer("/bbs/read.asp?num=101")[2])
    url = "http://bbs.test/bbs/read.asp?num=101&sec=1&pg=1"
    assert main(["clean", str(page), "--url", url, "--family", str(family_file)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["article_id"], data["section"], data["url"]) == ("101", "지역소식 1", "http://bbs.test/bbs/read.asp?num=101")
    with pytest.raises(KeyError):
        family_named("bbs_asp")  # registered for that call only
    assert main(["clean", str(page), "--family", str(tmp_path / "nowhere.py")]) == 1
    err = capsys.readouterr().err
    assert err.startswith("newsclean: FamilyError: no family file at") and err.count("\n") == 1


@pytest.mark.parametrize("family", [f for f in families() if f.urls.id_url], ids=lambda f: f.name)
def test_a_family_s_shapes_agree(family: Family) -> None:
    # The URL its id walk builds is an article of its own: its rule, its discovery and its id pattern say so.
    assert family.urls.id_url is not None
    url = "http://site.test" + family.urls.id_url.format(id=12345)
    assert family.rule.matches_url(url)
    assert family.discovery is not None and family.discovery.is_article(family.urls.id_url.format(id=12345))
    assert article_id(url) == "12345"
    assert family_of([url]) is family


@pytest.mark.parametrize("family", [f for f in families() if f.urls.id_url], ids=lambda f: f.name)
def test_no_other_family_claims_a_family_s_articles(family: Family) -> None:
    # Built-in families are tried in name order: that is safe only while no other family's URL patterns take
    # a family's article URLs. A new family file that overlaps an old one fails here.
    assert family.urls.id_url is not None
    url = "http://site.test" + family.urls.id_url.format(id=12345)
    claimed = [other.name for other in families() if other is not family and other.rule.matches_url(url)]
    assert not claimed


def test_built_in_families_are_the_modules_of_the_sites_package() -> None:
    import pkgutil

    import newsclean.sites

    modules = sorted(info.name for info in pkgutil.iter_modules(newsclean.sites.__path__))
    assert [f.name for f in families() if f.name in modules] == modules


def test_the_scrapy_spider_takes_a_family_file(tmp_path: Path) -> None:
    from newsclean.corpus.scrapy.spider import NewsSiteSpider

    family_file = tmp_path / "bbs_asp.py"
    family_file.write_text(textwrap.dedent(BBS_FAMILY_FILE), encoding="utf-8")
    try:
        NewsSiteSpider(site="http://bbs.test/", family=str(family_file))
        NewsSiteSpider(site="http://bbs.test/", family=str(family_file))  # a second spider of the process
        home = BbsSite(fixtures=()).answer("/")[2].decode()
        assert start_family(home, base_url="http://bbs.test/") is family_named("bbs_asp")
    finally:
        unregister_family("bbs_asp")
    with pytest.raises(FamilyError, match="no family file"):
        NewsSiteSpider(site="http://bbs.test/", family=str(tmp_path / "nowhere.py"))
