"""The generic HTML body extractor on small pages: paragraphs as laid out, captions out, boilerplate boxes out,
bodies held in scripts, and the tables it reads (one test per entry)."""

from __future__ import annotations

import json

import pytest

from newsclean import NoArticleBodyError, clean_article
from newsclean.clean.boilerplate import count_sentence_endings, is_photo_credit, is_placeholder
from newsclean.clean.markup import NOISE_TOKENS, class_tokens
from newsclean.models import CleanOptions
from newsclean.phrases import PHOTO_CREDIT_PATTERNS, PLACEHOLDER_PATTERNS, SENTENCE_ENDINGS

GENERIC = CleanOptions(site_rules=False)
P1 = "광명시가 전국 지방자치단체를 대상으로 실시한 사회적경제정책 평가에서 최우수기관으로 선정됐다."
P2 = "고용노동부가 주관하는 사회적경제정책평가는 2019년부터 매년 실시하고 있으며 올해로 세 번째를 맞았다."
P3 = "박승원 시장은 “앞으로도 사회적경제 활성화를 위해 최선을 다하겠다”고 말했다."
TEASER = "다른 기사의 요약 문장이 여기에 길게 들어간다. 이 문장도 기사처럼 보이지만 본문이 아니다."


def page(body: str, head: str = "") -> str:
    return f"<!DOCTYPE html><html><head><meta charset='utf-8'>{head}</head><body>{body}</body></html>"


def test_paragraphs_from_p() -> None:
    html = page(f"<div class='story'><p>{P1}</p><p>{P2}</p><p>{P3}</p></div>")
    assert clean_article(html, options=GENERIC).paragraphs == (P1, P2, P3)


def test_paragraphs_from_br_br_and_single_br_joins_lines() -> None:
    html = page(f"<div id='text'>{P1}<br><br>{P2[:20]}<br>{P2[20:]}<br><br>{P3}</div>")
    article = clean_article(html, options=GENERIC)
    assert article.paragraphs == (P1, f"{P2[:20]} {P2[20:]}".replace("  ", " "), P3)


def test_figcaption_goes_to_images_not_paragraphs() -> None:
    html = page(
        f"<div class='story'><p>{P1}</p><figure><img src='/a.jpg'><figcaption>사진 설명 문장</figcaption>"
        f"</figure><p>{P2}</p><p>{P3}</p></div>",
        head="<meta property='og:url' content='https://news.example.kr/a/1'>",
    )
    article = clean_article(html, options=GENERIC)
    assert article.paragraphs == (P1, P2, P3)
    assert [(i.url, i.caption) for i in article.images] == [("https://news.example.kr/a.jpg", "사진 설명 문장")]


def test_triangle_caption_line_after_an_image_is_a_caption() -> None:
    html = page(
        f"<div class='story'><p>{P1}</p><p><img src='/b.jpg'></p><p>▲ 시상식 모습</p><p>{P2}</p><p>{P3}</p></div>"
    )
    article = clean_article(html, options=GENERIC)
    assert article.paragraphs == (P1, P2, P3)
    assert [i.caption for i in article.images] == ["▲ 시상식 모습"]


def test_alt_text_repeated_as_a_paragraph_is_a_caption() -> None:
    alt = "광명시청 전경을 하늘에서 내려다본 모습"
    html = page(
        f"<div class='story'><p>{P1}</p><p><img src='/c.jpg' alt='{alt}'></p><p>{alt}</p><p>{P2}</p><p>{P3}</p></div>"
    )
    article = clean_article(html, options=GENERIC)
    assert article.paragraphs == (P1, P2, P3)
    assert [i.caption for i in article.images] == [alt]


def test_photo_credit_line_goes_to_images() -> None:
    html = page(f"<div class='story'><p>{P1}</p><p>{P2}</p><p>{P3}</p><p>[사진=JTBC, 이매진아시아]</p></div>")
    article = clean_article(html, options=GENERIC)
    assert article.paragraphs == (P1, P2, P3)
    assert [i.caption for i in article.images] == ["[사진=JTBC, 이매진아시아]"]


def test_byline_copyright_and_credit_are_removed_and_names_kept() -> None:
    html = page(
        f"<div class='story'><p>[서울=뉴시스] 홍길동 기자 = {P1}</p><p>{P2}</p><p>{P3}</p>"
        "<p>홍길동 기자 hong@newsis.com</p><p>저작권자 © 뉴시스 무단전재 및 재배포 금지</p><p>꼬리 문장이다.</p></div>"
    )
    article = clean_article(html, options=GENERIC)
    assert article.paragraphs == (P1, P2, P3)
    assert article.authors == ("홍길동",)


def test_promo_link_block_is_dropped() -> None:
    html = page(
        f"<div class='story'><p>{P1}</p><p>{P2}</p><p>{P3}</p>"
        "<p>▲ <a href='/x'>다른 기사 제목이 여기에 들어간다</a><br>▲ <a href='/y'>또 다른 기사 제목이다</a></p></div>"
    )
    assert clean_article(html, options=GENERIC).paragraphs == (P1, P2, P3)


def test_related_and_most_read_boxes_are_not_chosen() -> None:
    box = "".join(f"<li><p>{TEASER}</p></li>" for _ in range(8))
    html = page(
        f"<div class='article'><p>{P1}</p><p>{P2}</p><p>{P3}</p></div>"
        f"<div class='best_news'><ul>{box}</ul></div><div class='relation'><p>{TEASER}</p></div>"
    )
    article = clean_article(html, options=GENERIC)
    assert article.paragraphs == (P1, P2, P3)


@pytest.mark.parametrize("token", sorted(NOISE_TOKENS))
def test_each_noise_token_keeps_its_box_out_of_the_body(token: str) -> None:
    html = page(
        f"<div class='story'><p>{P1}</p><div class='x_{token}'><p>{TEASER}</p></div><p>{P2}</p><p>{P3}</p></div>"
    )
    article = clean_article(html, options=GENERIC)
    assert TEASER not in " ".join(article.paragraphs)
    assert article.paragraphs == (P1, P2, P3)


def test_article_body_itemprop_is_never_noise() -> None:
    html = page(f"<div class='font-size17 ad' itemprop='articleBody'><p>{P1}</p><p>{P2}</p><p>{P3}</p></div>")
    assert clean_article(html, options=GENERIC).paragraphs == (P1, P2, P3)


def test_hidden_elements_are_skipped() -> None:
    html = page(f"<div class='story'><p>{P1}</p><p style='display:none'>{TEASER}</p><p>{P2}</p><p>{P3}</p></div>")
    assert clean_article(html, options=GENERIC).paragraphs == (P1, P2, P3)


def test_list_page_raises_no_article_body() -> None:
    items = "".join(
        f"<li><a href='/news/view.php?idx={i}'>기사 제목 {i}번이 여기에 들어갑니다</a></li>" for i in range(30)
    )
    with pytest.raises(NoArticleBodyError, match="no article body"):
        clean_article(page(f"<div class='basicList'><ul>{items}</ul></div>"), options=GENERIC)


def test_body_from_json_ld_article_body_when_the_dom_has_none() -> None:
    body_text = "\n".join([P1, P2, P3] * 2)
    ld = {
        "@context": "https://schema.org",
        "@graph": [
            {
                "@type": "NewsArticle",
                "headline": "제목입니다",
                "articleBody": body_text,
                "datePublished": "2024-01-02T03:04:05+09:00",
            }
        ],
    }
    html = page("<div id='root'></div>", head=f"<script type='application/ld+json'>{json.dumps(ld)}</script>")
    article = clean_article(html, options=GENERIC)
    assert article.paragraphs == (P1, P2, P3)
    assert article.title == "제목입니다"
    assert article.published_at is not None and article.published_at.isoformat() == "2024-01-02T03:04:05+09:00"


def test_body_from_next_data_html() -> None:
    data = {
        "props": {
            "pageProps": {
                "article": {
                    "title": "넥스트 제목",
                    "subTitle": "첫 줄<br>둘째 줄",
                    "deployDt": "2026.01.29 18:40",
                    "contentHtml": f"<p>{P1}</p>$$ARTICLEAD$$<p>{P2}</p><div class='editor-img-box'><img src='https://i.example/a.jpg'>"
                    f"<div class='caption'><p>사진 캡션</p></div></div><p>{P3}</p>",
                }
            }
        }
    }
    html = page(
        f"<div id='__next'></div><script id='__NEXT_DATA__' type='application/json'>{json.dumps(data)}</script>"
    )
    article = clean_article(html, options=GENERIC)
    assert article.paragraphs == (P1, P2, P3)
    assert article.title == "넥스트 제목"
    assert article.subtitles == ("첫 줄", "둘째 줄")
    assert [i.caption for i in article.images] == ["사진 캡션"]
    assert article.published_at is not None and article.published_at.isoformat() == "2026-01-29T18:40:00+09:00"


def test_body_from_a_window_state_push() -> None:
    state = {
        "queries": [
            {"state": {"data": {"detail": {"title": "상태 제목", "contentHtml": f"<p>{P1}</p><p>{P2}</p><p>{P3}</p>"}}}}
        ]
    }
    script = f"window['__RQ']=window['__RQ']||[];window['__RQ'].push({json.dumps(state, ensure_ascii=False)});"
    article = clean_article(page(f"<main></main><script>{script}</script>"), options=GENERIC)
    assert article.paragraphs == (P1, P2, P3)
    assert article.title == "상태 제목"


@pytest.mark.parametrize("ending", SENTENCE_ENDINGS)
def test_each_sentence_ending_counts(ending: str) -> None:
    assert count_sentence_endings(f"그는 이렇게 말했{ending}") >= 1


def test_sentence_endings_absent_in_a_headline() -> None:
    assert count_sentence_endings("광명시, 사회적경제 정책평가 전국 최우수 기관 선정") == 0


@pytest.mark.parametrize(
    ("line", "pattern"),
    [("[사진=JTBC, 이매진아시아]", 0), ("<사진 출처=연합뉴스>", 0), ("(자료=통계청)", 0), ("사진=뉴시스", 1)],
)
def test_each_photo_credit_pattern(line: str, pattern: int) -> None:
    import re

    assert re.match(PHOTO_CREDIT_PATTERNS[pattern], line)
    assert is_photo_credit(line)


def test_photo_credit_needs_the_whole_line() -> None:
    assert not is_photo_credit(
        "사진=뉴시스 제공이라고 밝힌 뒤 그는 이어서 길게 설명했다. 그리고 또 한참 이야기를 이어갔다."
    )


@pytest.mark.parametrize(("line", "pattern"), [("$$ARTICLEAD$$", 0), ("{{ ad.slot }}", 1), ("%%BANNER%%", 2)])
def test_each_placeholder_pattern(line: str, pattern: int) -> None:
    import re

    assert re.match(PLACEHOLDER_PATTERNS[pattern], line)
    assert is_placeholder(line)


@pytest.mark.parametrize(
    ("value", "tokens"),
    [
        ("article_relation", ["article", "relation"]),
        ("relatedNews", ["related", "news"]),
        ("news-ad-wrap", ["news", "ad", "wrap"]),
        ("header", ["header"]),
        ("article-veiw-body view-page font-size17", ["article", "veiw", "body", "view", "page", "font", "size17"]),
    ],
)
def test_class_tokens(value: str, tokens: list[str]) -> None:
    assert list(class_tokens(value)) == tokens


def test_hangul_counts_agree_with_the_syllable_range() -> None:
    import re

    from newsclean.clean.html_body import _at_least_hangul
    from newsclean.text import hangul_count

    syllable = re.compile(r"[가-힣]")
    samples = [
        "",
        "abc",
        "가",
        "힣\ud7a4\uac00",
        "ꀀ각\ud7a3\ud7b0 퀀 2020년",
        "光明 광명 kwangmyeong" * 3,
        "힘\ud7ff힌\ud7a4히 \uabff\ud7a3",  # syllables and non-syllables under the high byte 0xD7, and below 0xAC00
        "\U0001f600가\ud800\udc00힣\udfff\ud7a3",  # beyond U+FFFF, a surrogate pair's text, lone surrogates
        "é힣" * 50 + "\ud7fe" * 7,
    ]
    for text in samples:
        count = len(syllable.findall(text))
        assert hangul_count(text) == count
        for threshold in (1, 3, 10):
            assert (_at_least_hangul(threshold).match(text) is not None) == (count >= threshold)


def test_images_of_the_body_are_listed_up_to_the_bound_in_page_order() -> None:
    from newsclean.clean.blocks import MAX_BODY_IMAGES

    images = "".join(f"<img src='https://img.example.kr/{i}.jpg'>" for i in range(MAX_BODY_IMAGES + 20))
    html = page(f"<div class='story'><p>{P1}</p>{images}<p>{P2}</p><p>{P3}</p></div>")
    article = clean_article(html, options=GENERIC)
    assert article.paragraphs == (P1, P2, P3)
    assert [i.url for i in article.images] == [f"https://img.example.kr/{i}.jpg" for i in range(MAX_BODY_IMAGES)]
