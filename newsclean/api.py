"""The pipeline: raw page (HTML or text dump, str or bytes) -> Article. Pure: no I/O, no state between calls."""

from __future__ import annotations

import re

from pydantic import ValidationError

from . import body, textdump
from .dedup import dedup_paragraphs
from .draft import Draft, DraftImage
from .errors import ExtractionError, NewscleanError, NoArticleBodyError, NotKoreanError
from .models import Article, CleanOptions, Image
from .page import HtmlPage, TextPage, load
from .text import dedup_key, display_form
from .urls import article_id, canonical_url, site_of

__all__ = ["clean_article"]

_DEFAULT_OPTIONS = CleanOptions()
# A page without an article body whose letters are less than this share Hangul is reported as not Korean
# (``NotKoreanError``) rather than as a list page: an English or Japanese page with a Korean menu is still
# far below it, a Korean list or index page far above.
MIN_KOREAN_LETTER_SHARE = 0.1
_HANGUL_RE = re.compile(r"[\uac00-\ud7a3\u1100-\u11ff\u3130-\u318f]")  # syllables and jamo
_LETTER_RE = re.compile(r"[^\W\d_]")


def clean_article(
    raw: str | bytes, *, url: str | None = None, charset: str | None = None, options: CleanOptions | None = None
) -> Article:
    """Turn one news page (its HTML or its plain-text dump, as str or bytes) into a clean ``Article``.

    ``charset`` is the encoding named outside the page (an HTTP ``Content-Type`` header, a WARC record's),
    used for bytes when the page declares none of its own.

    Raises a ``NewscleanError`` subclass when the input is empty, cannot be decoded, or holds no article.
    """
    options = options or _DEFAULT_OPTIONS
    try:
        return _pipeline(raw, url=url, charset=charset, options=options)
    except NewscleanError:
        raise
    except RecursionError as exc:
        raise ExtractionError("page is nested too deeply to extract an article from") from exc
    except Exception as exc:  # a safety net: every failure leaves as a NewscleanError, with its cause chained
        raise ExtractionError(f"could not extract an article: {type(exc).__name__}: {exc}") from exc


def _pipeline(raw: str | bytes, *, url: str | None, charset: str | None, options: CleanOptions) -> Article:
    # 1. Load: check, decode and sniff the input; HTML is parsed once here.
    page = load(raw, url=url, charset=charset, max_size=options.max_input_bytes)
    # 2. Extract: the HTML path or the text-dump path fills a draft; a page without a body in another
    #    language is told apart from a Korean list page.
    try:
        draft = body.extract_html(page, options=options) if isinstance(page, HtmlPage) else textdump.extract(page)
    except NoArticleBodyError as exc:
        _check_korean(page, exc)
        raise
    # 3. Identity: URL, site and id from what the caller gave, else from what the page shows.
    _fill_identity(draft, url)
    # 4. Finish the body: fold spacing, take captions out, drop repeated paragraphs.
    _finish_body(draft)
    if not draft.paragraphs:
        missing = NoArticleBodyError("no article body found: the input has no run of article text")
        _check_korean(page, missing)
        raise missing
    # 5. Build the immutable article.
    return _to_article(draft)


def _check_korean(page: HtmlPage | TextPage, cause: NoArticleBodyError) -> None:
    """Raise ``NotKoreanError`` when the page that gave no body is written in another language."""
    if isinstance(page, HtmlPage):
        for node in page.tree.css("script, style, noscript, template"):
            node.decompose()
        root = page.tree.body or page.tree.root
        text = root.text(separator=" ") if root is not None else ""
    else:
        text = page.text
    letters = len(_LETTER_RE.findall(text))
    hangul = len(_HANGUL_RE.findall(text))
    if letters and hangul < MIN_KOREAN_LETTER_SHARE * letters:
        raise NotKoreanError(
            f"no Korean article body: {hangul} of the page's {letters} letters are Hangul; newsclean cleans "
            "Korean news pages"
        ) from cause


def _fill_identity(draft: Draft, url: str | None) -> None:
    given = url or draft.url
    if given:
        draft.url = canonical_url(given) if given.startswith(("http://", "https://")) else given
        draft.site = draft.site or site_of(draft.url)
        draft.article_id = draft.article_id or article_id(draft.url)


def _finish_body(draft: Draft) -> None:
    paragraphs = [p for p in (display_form(p) for p in draft.paragraphs) if p]
    images: list[DraftImage] = []
    seen_captions: set[str] = set()
    for image in draft.images:
        caption = display_form(image.caption) if image.caption else None
        key = dedup_key(caption) if caption else None
        if key and key in seen_captions and image.url is None:
            continue
        if key:
            seen_captions.add(key)
        images.append(DraftImage(url=image.url, caption=caption or None))
    # A paragraph that is only an image's caption is the caption, not body text.
    if seen_captions:
        paragraphs = [p for p in paragraphs if dedup_key(p) not in seen_captions or _is_lead_echo(p, draft)]
    # Dropping captions from paragraphs already deduplicated leaves no repeat, so the dedup runs once per page.
    draft.paragraphs = paragraphs if draft.deduplicated else dedup_paragraphs(paragraphs).kept
    draft.images = images


def _is_lead_echo(paragraph: str, draft: Draft) -> bool:
    """A caption that repeats the lead: the lead stays in the body (once), the caption on its image."""
    return bool(draft.paragraphs) and dedup_key(paragraph) == dedup_key(display_form(draft.paragraphs[0]))


def _clean_list(values: list[str]) -> tuple[str, ...]:
    out: list[str] = []
    seen: set[str] = set()
    for value in values:
        value = display_form(value)
        if value and value not in seen:
            seen.add(value)
            out.append(value)
    return tuple(out)


def _to_article(draft: Draft) -> Article:
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
