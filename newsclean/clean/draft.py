"""Draft: what one extraction path (HTML or text dump) found, before the shared finishing stages."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass
class DraftImage:
    url: str | None
    caption: str | None


@dataclass
class Draft:
    """Mutable working record of one extraction; ``api.clean_article`` turns it into an ``Article``."""

    url: str | None = None
    article_id: str | None = None
    site: str | None = None
    title: str | None = None
    subtitles: list[str] = field(default_factory=list)
    published_at: datetime | None = None
    modified_at: datetime | None = None
    authors: list[str] = field(default_factory=list)
    section: str | None = None
    paragraphs: list[str] = field(default_factory=list)
    images: list[DraftImage] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    # True when a later near-copy of a paragraph is a photo caption echoing it (text dumps print captions as
    # lines): the finishing stage keeps it as a caption when it drops it from the body.
    echoes_are_captions: bool = False
