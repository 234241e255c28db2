"""Adversarial input families: pages of a chosen size built to make a super-linear step show.

Each family is a function ``size -> raw page`` (about ``size`` bytes of HTML or plain text, as ``clean_article``
takes it). They cover the shapes that cost more than linear time in some version of the extractor: whitespace
runs after date labels, share-button word runs, deep nesting, kept near-duplicate paragraphs, tab runs, long
digit-run URLs, ``charset=`` followed by spaces, long e-mail-like author strings and keyword strings, many dates,
images and paragraphs. The property tests run them at small sizes; ``bench/fuzz.py`` runs them at 10 KB, 100 KB
and 1 MB and compares the costs.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable

from newsclean.clean.dates import DATE_LABELS

SENTENCE = "광명시가 전국 지방자치단체를 대상으로 실시한 사회적경제 정책평가에서 최우수 기관으로 선정됐다."
HEAD = "<html><head><meta charset='utf-8'><title>광명시 사회적경제 정책평가 최우수</title></head><body>"
ARTICLE = "<div id='article'>" + f"<p>{SENTENCE}</p>" * 3
TAIL = "</div></body></html>"
# Syllables near-duplicate paragraphs are drawn from.
SYLLABLES = "가나다라마바사아자차카타파하거너더러머버서어저처커터퍼허고노도로모보소오조초코토포호"


def _fill(unit: str, size: int) -> str:
    return unit * max(1, size // max(1, len(unit.encode())))


def _html(inner: str) -> bytes:
    return (HEAD + ARTICLE + inner + TAIL).encode()


def _text(inner: str) -> bytes:
    return ("기사 메일전송\n광명시 사회적경제 정책평가 최우수\n" + SENTENCE + "\n" + inner + "\n" + SENTENCE).encode()


def _labels_with(space: str, size: int) -> str:
    """Every date label twice, each followed by a run of ``space`` and then a date or a word, filling ``size``."""
    labels = [*DATE_LABELS, *DATE_LABELS]
    run = max(1, size // len(labels) // max(1, len(space.encode())))
    ends = ("2021.11.26 12:06", "기사")
    return "".join(f"{label}{space * run}{ends[i % 2]} " for i, label in enumerate(labels))


def label_spaces_text(size: int) -> bytes:
    return _text(_labels_with(" ", size))


def label_newlines_text(size: int) -> bytes:
    return _text(_labels_with("\n", size))


def label_tabs_text(size: int) -> bytes:
    return _text(_labels_with("\t", size))


def label_spaces_html(size: int) -> bytes:
    return _html("<p>" + _labels_with(" ", size) + "</p>")


def label_nbsp_html(size: int) -> bytes:
    return _html("<p>" + _labels_with("&nbsp;", size) + "</p>")


def label_tabs_html(size: int) -> bytes:
    return _html("<div class='date'>" + _labels_with("\t", size) + "</div>")


def share_words_text(size: int) -> bytes:
    return _text(_fill("band" * 24 + " x\n", size))


def share_words_html(size: int) -> bytes:
    return _html(_fill("<p>" + "band" * 24 + " x</p>", size))


def share_words_subtitle(size: int) -> bytes:
    return _html(_fill("<h3 class='subtitle'>" + "Facebook" * 12 + " x</h3>", size))


def nesting(size: int) -> bytes:
    depth = size // 11
    return _html("<div>" * depth + f"<p>{SENTENCE}</p>" + "</div>" * depth)


def nesting_unclosed(size: int) -> bytes:
    return _html("<div>" * (size // 5) + f"<p>{SENTENCE}</p>")


def _nested_boxes(tag: str, size: int) -> bytes:
    """A thousand boxes nested in one another (under the depth at which tags are dropped), with the text inside."""
    depth = 1000
    return _html(tag * depth + _fill(f"<p>{SENTENCE}</p>", size) + f"</{tag[1:].split()[0].rstrip('>')}>" * depth)


def nested_subtitles(size: int) -> bytes:
    return _nested_boxes("<div class='subtitle'>", size)


def nested_spans(size: int) -> bytes:
    return _nested_boxes("<span>", size)


def nested_bylines(size: int) -> bytes:
    return _nested_boxes("<div class='byline'>", size)


def near_duplicates_html(size: int) -> bytes:
    """Paragraphs of one text, each with a few syllables changed: close, but not close enough to be dropped."""
    rng = random.Random(size)
    base = [rng.choice(SYLLABLES) for _ in range(150)]
    paragraphs = []
    for _ in range(max(1, size // 470)):
        text = list(base)
        for at in rng.sample(range(len(text)), 6):
            text[at] = rng.choice(SYLLABLES)
        paragraphs.append("".join(text) + "다.")
    return _html("".join(f"<p>{p}</p>" for p in paragraphs))


def near_duplicates_text(size: int) -> bytes:
    html = near_duplicates_html(size).decode()
    return _text("\n".join(p.split("</p>")[0] for p in html.split("<p>")[4:]))


def many_paragraphs_html(size: int) -> bytes:
    return _html("".join(f"<p>{i}번째 문단입니다. {SENTENCE}</p>" for i in range(size // 260)))


def many_paragraphs_text(size: int) -> bytes:
    return _text("\n\n".join(f"{i}번째 문단입니다. {SENTENCE}" for i in range(size // 250)))


def many_dates_text(size: int) -> bytes:
    return _text(_fill("2021.11.26 12:06 입력 ", size))


def many_dates_html(size: int) -> bytes:
    return _html("<p>" + _fill("2021.11.26 12:06 입력 ", size) + "</p>")


def sibling_images(size: int) -> bytes:
    return _html("<div>" + _fill("<img src='/p.jpg'>", size) + f"<p>{SENTENCE}</p></div>")


def headings_text(size: int) -> bytes:
    """Short lines between a body-start marker and the body."""
    return ("기사수정\n" + _fill("소제목 한 줄\n", size // 2) + _fill(SENTENCE + "\n", size // 2)).encode()


def broken_lines_text(size: int) -> bytes:
    return _text(
        _fill("광명시가 전국 지방자치단체를 대상으로 실시한 사회적경제 정책평가에서 최우수 기관으로 선정되어\n", size)
    )


def marker_lines_text(size: int) -> bytes:
    return _text(_fill("기사 메일전송\n", size))


def digit_url(size: int) -> bytes:
    href = "https://news.example.kr/news/" + "1" * size + "-x"
    return (HEAD.replace("<title>", f"<link rel='canonical' href='{href}'><title>") + ARTICLE + TAIL).encode()


def query_url(size: int) -> bytes:
    href = "https://news.example.kr/news/view.php?" + "a=1&" * (size // 4)
    return (HEAD.replace("<title>", f"<link rel='canonical' href='{href}'><title>") + ARTICLE + TAIL).encode()


def charset_spaces(size: int) -> bytes:
    return b"<html><head><meta charset=" + b" " * size + b">" + _html("")


def xml_declaration(size: int) -> bytes:
    return _fill("<?xml version='1.0' ", size).encode() + _html("")


def _ld(item: dict[str, object]) -> bytes:
    script = f"<script type='application/ld+json'>{json.dumps(item, ensure_ascii=False)}</script>"
    return (HEAD.replace("<title>", script + "<title>") + ARTICLE + TAIL).encode()


def long_email_author(size: int) -> bytes:
    return _ld({"@type": "NewsArticle", "headline": "제목", "author": {"name": "a" * size}})


def email_like_author(size: int) -> bytes:
    return _ld({"@type": "NewsArticle", "headline": "제목", "author": {"name": _fill("a.b-", size) + "@x"}})


def keyword_spaces(size: int) -> bytes:
    return _ld({"@type": "NewsArticle", "headline": "제목", "keywords": "광명" + " " * size + "시"})


def script_body_spaces(size: int) -> bytes:
    """A client-rendered page whose body (in a script) keeps its runs of spaces after sentence ends."""
    body = _fill(SENTENCE + " " * 400, size) + "홍길동"
    data = json.dumps({"props": {"article": {"content": body}}}, ensure_ascii=False)
    return (HEAD + f"<div id='root'></div><script id='__NEXT_DATA__'>window.__DATA__ = {data}</script>" + TAIL).encode()


FAMILIES: dict[str, Callable[[int], bytes]] = {
    f.__name__: f
    for f in (
        label_spaces_text,
        label_newlines_text,
        label_tabs_text,
        label_spaces_html,
        label_nbsp_html,
        label_tabs_html,
        share_words_text,
        share_words_html,
        share_words_subtitle,
        nesting,
        nesting_unclosed,
        nested_subtitles,
        nested_spans,
        nested_bylines,
        near_duplicates_html,
        near_duplicates_text,
        many_paragraphs_html,
        many_paragraphs_text,
        many_dates_text,
        many_dates_html,
        sibling_images,
        headings_text,
        broken_lines_text,
        marker_lines_text,
        digit_url,
        query_url,
        charset_spaces,
        xml_declaration,
        long_email_author,
        email_like_author,
        keyword_spaces,
        script_body_spaces,
    )
}
