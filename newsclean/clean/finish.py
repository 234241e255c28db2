"""Finishing: Draft -> Article, the same for both paths: the article's identity, its display text, captions out of
the body, repeated paragraphs dropped once, and the immutable model."""

from __future__ import annotations

from pydantic import ValidationError

from ..errors import ExtractionError, NoArticleBodyError
from ..models import Article, Image
from ..text import dedup_key, display_form, line_form
from .dedup import dedup_paragraphs
from .draft import Draft, DraftImage
from .urls import article_id, canonical_url, site_of

__all__ = ["fill_identity", "finish_body", "to_article"]


def fill_identity(draft: Draft, url: str | None) -> None:
    """URL, site and id: from the URL the caller gave, else from the one the page shows."""
    given = url or draft.url
    if given:
        draft.url = canonical_url(given) if given.startswith(("http://", "https://")) else given
        draft.site = draft.site or site_of(draft.url)
        draft.article_id = draft.article_id or article_id(draft.url)


def finish_body(draft: Draft) -> None:
    """Fold the body's spacing, take captions out of it and drop repeated paragraphs (once, for both paths).

    Raises ``NoArticleBodyError`` when no paragraph is left.
    """
    paragraphs = [p for p in (display_form(p) for p in draft.paragraphs) if p]
    images: list[DraftImage] = []
    seen_captions: set[str] = set()
    # 1. Captions in display form, each text once unless it belongs to another image.
    for image in draft.images:
        caption = display_form(image.caption) if image.caption else None
        key = dedup_key(caption) if caption else None
        if key and key in seen_captions and image.url is None:
            continue
        if key:
            seen_captions.add(key)
        images.append(DraftImage(url=image.url, caption=caption or None))
    # 2. A paragraph that is only an image's caption is the caption, not body text; a caption repeating the lead
    #    leaves the lead in the body (once) and the caption on its image.
    if seen_captions:
        lead = dedup_key(paragraphs[0]) if paragraphs else None
        paragraphs = [p for p in paragraphs if (key := dedup_key(p)) not in seen_captions or key == lead]
    # 3. Repeated paragraphs: a later copy is dropped. In a text dump a later near-copy (not the same line) is a
    #    photo caption echoing the paragraph: it is kept as a caption.
    result = dedup_paragraphs(paragraphs)
    paragraphs = result.kept
    if draft.echoes_are_captions:
        for dropped, original in result.dropped:
            if line_form(dropped) != line_form(original) and dedup_key(dropped) not in seen_captions:
                seen_captions.add(dedup_key(dropped))
                images.append(DraftImage(url=None, caption=dropped))
    draft.paragraphs = paragraphs
    draft.images = images
    if not draft.paragraphs:
        raise NoArticleBodyError("no article body found: the input has no run of article text")


def to_article(draft: Draft) -> Article:
    """The immutable ``Article``: display text everywhere, lists without repeats."""
    title = display_form(draft.title) if draft.title else None
    try:
        return Article(
            url=draft.url,
            article_id=draft.article_id,
            site=draft.site,
            title=title or None,
            subtitles=_clean_list(draft.subtitles),
            published_at=draft.published_at,
            modified_at=draft.modified_at,
            authors=_clean_list(draft.authors),
            section=display_form(draft.section) if draft.section else None,
            paragraphs=tuple(draft.paragraphs),
            images=tuple(Image(url=i.url, caption=i.caption) for i in draft.images),
            tags=_clean_list(draft.tags),
        )
    except ValidationError as exc:
        raise ExtractionError(f"extracted fields do not form a valid article: {exc}") from exc


def _clean_list(values: list[str]) -> tuple[str, ...]:
    out: list[str] = []
    seen: set[str] = set()
    for value in values:
        value = display_form(value)
        if value and value not in seen:
            seen.add(value)
            out.append(value)
    return tuple(out)
