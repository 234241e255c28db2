"""Metadata of HTML pages: title without the site name, deck, dates, reporters, section, tags, URL, each in the
fixed order of trust (site rule, JSON-LD, Open Graph / meta, visible text)."""

from __future__ import annotations

import json

import pytest

from newsclean import clean_article
from newsclean.clean.metadata import clean_title
from newsclean.models import CleanOptions
from newsclean.phrases import SITE_NAME_WORDS, TITLE_SEPARATORS

GENERIC = CleanOptions(site_rules=False)
BODY = (
    "<div class='story'><p>광명시가 전국 지방자치단체를 대상으로 실시한 사회적경제정책 평가에서 "
    "최우수기관으로 선정됐다.</p>"
    "<p>고용노동부가 주관하는 사회적경제정책평가는 2019년부터 매년 실시하고 있으며 올해로 세 번째를 맞았다.</p></div>"
)


def page(head: str = "", top: str = "") -> str:
    return f"<!DOCTYPE html><html><head><meta charset='utf-8'>{head}</head><body>{top}{BODY}</body></html>"


@pytest.mark.parametrize(
    ("raw", "site_name", "title"),
    [
        ("최태원 SK회장 반도체 생태계 통합해야 - 매일경제", None, "최태원 SK회장 반도체 생태계 통합해야"),
        ("장동혁, 한동훈 제명했지만…-정치ㅣ한국일보", "한국일보", "장동혁, 한동훈 제명했지만…-정치"),
        ("[CEO&]창의적 열정과 소통 : 뉴스 : 동아닷컴", None, "[CEO&]창의적 열정과 소통"),
        ("엘제이-류화영 진흙탕 싸움 - Entermedia", None, "엘제이-류화영 진흙탕 싸움"),
        ("경찰, 해병대 1사단 첫 압수수색 | 네이버 뉴스", None, "경찰, 해병대 1사단 첫 압수수색"),
        ("헬스경향 | 보건의료계 사각지대 발굴", "헬스경향", "보건의료계 사각지대 발굴"),
        ("노사 협상 - 결렬 이후의 과제", None, "노사 협상 - 결렬 이후의 과제"),
    ],
)
def test_clean_title(raw: str, site_name: str | None, title: str) -> None:
    assert clean_title(raw, site_name=site_name) == title


@pytest.mark.parametrize("word", SITE_NAME_WORDS)
def test_each_site_name_word_marks_a_suffix(word: str) -> None:
    assert clean_title(f"기사 제목이 여기에 - 가나{word}") == "기사 제목이 여기에"


@pytest.mark.parametrize("separator", [s for s in TITLE_SEPARATORS if s.strip() not in ("-", "|")])
def test_each_separator_splits_a_site_suffix(separator: str) -> None:
    assert clean_title(f"기사 제목이 여기에{separator}가나일보") == "기사 제목이 여기에"


def test_title_prefers_the_visible_heading_confirmed_by_metadata() -> None:
    html = page(
        head="<meta property='og:title' content='“왜 싸우나” 외친 후보 - 가나일보'>",
        top="<h1 class='title'>\"왜 싸우나\" 외친 후보</h1>",
    )
    assert clean_article(html, options=GENERIC).title == '"왜 싸우나" 외친 후보'


def test_json_ld_comes_before_open_graph() -> None:
    ld = {
        "@type": "NewsArticle",
        "headline": "JSON-LD 제목",
        "datePublished": "2024-03-01T09:10:00+09:00",
        "dateModified": "2024-03-01T10:00:00+09:00",
        "author": [{"@type": "Person", "name": "홍길동 기자"}],
        "articleSection": "사회",
        "keywords": ["선거", "경제"],
    }
    html = page(
        head=f"<script type='application/ld+json'>{json.dumps(ld)}</script>"
        "<meta property='og:title' content='OG 제목'><meta property='article:published_time' "
        "content='2020-01-01T00:00:00+09:00'><meta name='author' content='김철수 기자'>"
    )
    article = clean_article(html, options=GENERIC)
    assert article.title == "JSON-LD 제목"
    assert article.published_at is not None and article.published_at.isoformat() == "2024-03-01T09:10:00+09:00"
    assert article.modified_at is not None and article.modified_at.isoformat() == "2024-03-01T10:00:00+09:00"
    assert article.authors == ("홍길동",)
    assert article.section == "사회"
    assert article.tags == ("선거", "경제")


def test_meta_dates_and_author_when_there_is_no_json_ld() -> None:
    html = page(
        head="<meta property='og:site_name' content='가나일보'><meta name='author' content='가나일보'>"
        "<meta name='author' content='김철수 기자'>"
        "<meta property='article:published_time' content='2020-08-27T20:27:29+09:00'>"
        "<meta property='article:modified_time' content='2020-08-27T20:27:29+09:00'>"
        "<meta property='article:tag' content='야구'><meta property='article:tag' content='롯데'>"
    )
    article = clean_article(html, options=GENERIC)
    assert article.published_at is not None and article.published_at.isoformat() == "2020-08-27T20:27:29+09:00"
    assert article.modified_at is None  # a modified time equal to the published one says nothing
    assert article.authors == ("김철수",)
    assert article.tags == ("야구", "롯데")


def test_visible_labelled_dates_and_byline() -> None:
    html = page(
        top="<div class='info'><span>기사입력 2013-10-24 03:00:00</span> <span>기사수정 2013-10-25 08:00</span>"
        "<span class='byline'>최윤호 기자 uknow@donga.com</span></div>"
    )
    article = clean_article(html, options=GENERIC)
    assert article.published_at is not None and article.published_at.isoformat() == "2013-10-24T03:00:00+09:00"
    assert article.modified_at is not None and article.modified_at.isoformat() == "2013-10-25T08:00:00+09:00"
    assert article.authors == ("최윤호",)


def test_machine_readable_time_element_gives_the_published_date() -> None:
    # With no date in JSON-LD or meta tags, the first <time datetime> that reads as a date is taken, over a labelled
    # date in the text; one whose value is no date is passed over.
    html = page(
        top="<div class='info'><time datetime='soon'>곧</time><span>기사입력 2013-10-24 03:00:00</span>"
        "<time datetime='2024-01-05T12:30:00+09:00'>1월 5일</time><time datetime='2025-02-01'>2월 1일</time></div>"
    )
    article = clean_article(html, options=GENERIC)
    assert article.published_at is not None and article.published_at.isoformat() == "2024-01-05T12:30:00+09:00"
    # A <time> without a datetime is text only: the labelled date is read.
    article = clean_article(
        html.replace("<time datetime='2024-01-05T12:30:00+09:00'>", "<time>").replace(
            "<time datetime='2025-02-01'>", "<time>"
        ),
        options=GENERIC,
    )
    assert article.published_at is not None and article.published_at.isoformat() == "2013-10-24T03:00:00+09:00"


def test_site_stamp_is_not_the_published_date() -> None:
    html = page(top="<div class='top'>최종편집 : 2024-05-01 오후 07:29:15</div><div>승인 2019.12.02 14:08</div>")
    article = clean_article(html, options=GENERIC)
    assert article.published_at is not None and article.published_at.isoformat() == "2019-12-02T14:08:00+09:00"


def test_subtitles_from_a_deck_element_one_per_line() -> None:
    html = page(top="<h1>제목이다</h1><h2 class='sub_title'>첫째 부제<br>둘째 부제</h2>")
    assert clean_article(html, options=GENERIC).subtitles == ("첫째 부제", "둘째 부제")


def test_url_from_canonical_and_id_from_the_url() -> None:
    html = page(head="<link rel='canonical' href='https://www.example.kr/news/articleView.html?idxno=51806'>")
    article = clean_article(html, options=GENERIC)
    assert article.url == "https://www.example.kr/news/articleView.html?idxno=51806"
    assert article.article_id == "51806"
    assert article.site == "example.kr"


def test_publisher_is_not_an_author() -> None:
    html = page(head="<meta property='og:site_name' content='헤럴드경제'><meta name='author' content='헤럴드경제'>")
    assert clean_article(html, options=GENERIC).authors == ()
