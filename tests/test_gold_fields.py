"""Every field a gold annotation holds, checked against the cleaner on every stored HTML page, with the site rules
on and off: title, subtitles, published and modified time, reporters, captions and paragraphs. The gold files
were written from the pages by hand (fixtures/*/sources.json), not from this code's output."""

from __future__ import annotations

import unicodedata
from datetime import datetime

import pytest
from corpus import Case, cases

from newsclean import Article, CleanOptions, clean_article

HTML_CASES = cases("html")


def _key(text: str | None) -> str:
    return " ".join(unicodedata.normalize("NFKC", text or "").split())


def _time(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


@pytest.fixture(scope="module", params=[True, False], ids=["rules", "generic"])
def articles(request: pytest.FixtureRequest) -> dict[str, Article]:
    options = CleanOptions(site_rules=request.param)
    return {c.id: clean_article(c.path.read_bytes(), url=c.gold.get("url"), options=options) for c in HTML_CASES}


@pytest.mark.parametrize("case", HTML_CASES, ids=lambda c: c.id)
def test_every_gold_field(case: Case, articles: dict[str, Article]) -> None:
    article, gold = articles[case.id], case.gold
    assert _key(article.title) == _key(gold["title"])
    assert [_key(s) for s in article.subtitles] == [_key(s) for s in gold.get("subtitles") or []]
    assert article.published_at == _time(gold["published"]) or (
        article.published_at is not None
        and gold["published"] is not None
        and article.published_at.replace(second=0) == _time(gold["published"]).replace(second=0)  # type: ignore[union-attr]
    )
    modified, gold_modified = article.modified_at, _time(gold.get("modified"))
    assert (modified is None) == (gold_modified is None)
    if modified is not None and gold_modified is not None:
        assert abs((modified - gold_modified).total_seconds()) < 60
    assert sorted(article.authors) == sorted(gold["authors"])
    assert [_key(i.caption) for i in article.images if i.caption] == [_key(c) for c in gold.get("captions") or []]
    assert [_key(p) for p in article.paragraphs] == [_key(p) for p in gold["paragraphs"]]
