"""The Article model: frozen, typed, JSON round trip, published schema, Korea time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from pydantic import ValidationError

from newsclean import Article, Image
from newsclean.models import KST


def make() -> Article:
    return Article(
        url="http://gginews2.dadamedia.net/news/view.php?idx=66849",
        article_id="66849",
        site="gginews2.dadamedia.net",
        title="광명시, 사회적경제 정책평가 전국 최우수 기관 선정",
        subtitles=("제3회 전국 지방자치단체 사회적경제 정책평가, 최우수 기관 선정",),
        published_at=datetime(2021, 11, 26, 3, 6, 3, tzinfo=UTC),
        authors=("홍길동",),
        paragraphs=("첫 문단이다.", "둘째 문단이다."),
        images=(Image(url=None, caption="사진 설명"),),
        tags=("광명시",),
    )


def test_json_round_trip() -> None:
    article = make()
    assert Article.model_validate_json(article.model_dump_json()) == article


def test_text_is_paragraphs_joined_by_a_blank_line() -> None:
    assert make().text == "첫 문단이다.\n\n둘째 문단이다."
    assert '"text":"첫 문단이다.\\n\\n둘째 문단이다."' in make().model_dump_json()


def test_datetimes_are_korea_time() -> None:
    published = make().published_at
    assert published is not None
    assert published.utcoffset() == timedelta(hours=9)
    assert published == datetime(2021, 11, 26, 12, 6, 3, tzinfo=KST)


def test_naive_datetime_is_refused() -> None:
    with pytest.raises(ValidationError):
        Article(published_at=datetime(2021, 11, 26, 12, 6))


def test_frozen() -> None:
    article = make()
    with pytest.raises(ValidationError):
        article.title = "다른 제목"  # type: ignore[misc]


def test_missing_fields_are_empty_not_invented() -> None:
    article = Article(paragraphs=("본문이다.",))
    assert article.title is None and article.published_at is None and article.authors == ()


def test_json_schema_is_published() -> None:
    schema = Article.model_json_schema(mode="serialization")
    assert {"url", "title", "published_at", "paragraphs", "images", "text"} <= set(schema["properties"])
