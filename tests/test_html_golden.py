"""Golden tests over every HTML fixture: the stored expected JSON, the gold's must / must-not snippets, and the
generic path alone (site rules off) on the same pages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from corpus import FIXTURES, Case, cases, leaks, near_duplicates, same_text, token_f1
from regen_expected import article_json, dumps, expected_path, html_fixtures

from newsclean import clean_article
from newsclean.models import CleanOptions

HTML_CASES = [c for c in cases("html") if c.gold["paragraphs"]]
SEED = FIXTURES / "gginews2.dadamedia.net" / "66849"
# Body token F1 every page must reach, with its site rule and with the generic path alone.
MIN_PAGE_F1 = 0.9
MIN_GENERIC_PAGE_F1 = 0.9


def _url(case: Case) -> str | None:
    return dict((p, u) for p, u in html_fixtures()).get(case.path)


@pytest.mark.parametrize(("page", "url"), html_fixtures(), ids=lambda v: v.name if isinstance(v, Path) else "")
def test_output_equals_the_expected_json(page: Path, url: str | None) -> None:
    path = expected_path(page)
    assert path.exists(), f"{path.name} is missing: run python tests/regen_expected.py and review the diff"
    assert dumps(article_json(page, url)) == path.read_text(encoding="utf-8"), (
        "output changed: run python tests/regen_expected.py and review the diff"
    )


@pytest.mark.parametrize("case", HTML_CASES, ids=lambda c: c.id)
def test_body_matches_the_gold(case: Case) -> None:
    article = clean_article(case.path.read_bytes(), url=case.gold.get("url"))
    text = "\n".join(article.paragraphs)
    gold = case.gold
    assert token_f1(text, "\n".join(gold["paragraphs"])) >= MIN_PAGE_F1
    assert near_duplicates(list(article.paragraphs)) == 0
    assert leaks(text, gold["boilerplate"]) == []
    # The first and the last gold paragraph are in the body.
    assert same_text(article.paragraphs[0], gold["paragraphs"][0])
    assert any(same_text(p, gold["paragraphs"][-1]) for p in article.paragraphs)
    assert same_text(article.title, gold["title"])
    assert list(article.authors) == gold["authors"]
    if gold.get("published"):
        assert article.published_at is not None
        assert abs((article.published_at - _parse(gold["published"])).total_seconds()) < 60


@pytest.mark.parametrize("case", HTML_CASES, ids=lambda c: c.id)
def test_generic_path_alone_cleans_every_page(case: Case) -> None:
    article = clean_article(case.path.read_bytes(), url=case.gold.get("url"), options=CleanOptions(site_rules=False))
    text = "\n".join(article.paragraphs)
    assert token_f1(text, "\n".join(case.gold["paragraphs"])) >= MIN_GENERIC_PAGE_F1
    assert leaks(text, case.gold["boilerplate"]) == []
    assert near_duplicates(list(article.paragraphs)) == 0


@pytest.mark.parametrize("site_rules", [True, False])
def test_reference_page_html_equals_its_gold(site_rules: bool) -> None:
    gold = json.loads(SEED.with_suffix(".gold.json").read_text(encoding="utf-8"))
    article = clean_article(SEED.with_suffix(".html").read_bytes(), options=CleanOptions(site_rules=site_rules))
    assert article.url == gold["url"]
    assert article.article_id == "66849"
    assert article.title == gold["title"]
    assert list(article.subtitles) == gold["subtitles"]
    assert article.published_at is not None and article.published_at.isoformat() == gold["published"]
    assert article.modified_at is None
    assert list(article.authors) == gold["authors"] == []
    assert list(article.paragraphs) == gold["paragraphs"]
    assert len(article.paragraphs) == 11
    assert [i.caption for i in article.images] == gold["captions"]


def test_reference_page_html_equals_the_text_path() -> None:
    from_html = clean_article(SEED.with_suffix(".html").read_bytes())
    from_text = clean_article(SEED.with_suffix(".txt").read_bytes())
    assert from_html.model_dump(exclude={"images"}) == from_text.model_dump(exclude={"images"})
    assert [i.caption for i in from_html.images] == [i.caption for i in from_text.images]


def _parse(value: str):  # type: ignore[no-untyped-def]
    from datetime import datetime

    return datetime.fromisoformat(value)
