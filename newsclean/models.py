"""Models: the immutable, typed objects newsclean returns (pydantic v2, frozen)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, computed_field, field_validator

__all__ = ["KST", "Article", "Capture", "CleanOptions", "Image"]

try:
    KST: timezone | ZoneInfo = ZoneInfo("Asia/Seoul")
except ZoneInfoNotFoundError:  # pragma: no cover - a machine without a tz database
    KST = timezone(timedelta(hours=9), "KST")

PARAGRAPH_SEPARATOR = "\n\n"


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore", str_strip_whitespace=True)


class Image(_Frozen):
    """An image of the article: its URL where the input shows one, and its caption."""

    url: str | None = None
    caption: str | None = None


class Article(_Frozen):
    """A clean news article.

    A field the input does not show is ``None`` or empty; nothing is invented.
    Datetimes are timezone-aware and expressed in Korea time (Asia/Seoul).
    """

    url: str | None = None
    article_id: str | None = None
    site: str | None = None
    title: str | None = None
    subtitles: tuple[str, ...] = ()
    published_at: AwareDatetime | None = None
    modified_at: AwareDatetime | None = None
    authors: tuple[str, ...] = ()
    section: str | None = None
    paragraphs: tuple[str, ...] = Field(default=(), description="The article body, one entry per paragraph.")
    images: tuple[Image, ...] = ()
    tags: tuple[str, ...] = ()

    @field_validator("published_at", "modified_at")
    @classmethod
    def _to_kst(cls, value: datetime | None) -> datetime | None:
        return value.astimezone(KST) if value is not None else None

    @computed_field  # type: ignore[prop-decorator]
    @property
    def text(self) -> str:
        """The body: paragraphs joined by a blank line."""
        return PARAGRAPH_SEPARATOR.join(self.paragraphs)


class CleanOptions(_Frozen):
    """Options of ``clean_article``, grouped in one model."""

    site_rules: bool = Field(
        default=True,
        description="Use the site/CMS rules in newsclean.sites; off means the generic extractor only.",
    )
    max_input_bytes: int = Field(
        default=50_000_000, gt=0, description="Inputs larger than this are refused (bytes, or characters)."
    )


class Capture(_Frozen):
    """Where an article was read from in a web archive: its WARC record id, target URI and capture date."""

    warc_record_id: str
    warc_target_uri: str | None = None
    warc_date: AwareDatetime | None = None

    @field_validator("warc_date")
    @classmethod
    def _to_kst(cls, value: datetime | None) -> datetime | None:
        return value.astimezone(KST) if value is not None else None
