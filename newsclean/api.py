"""The pipeline: raw page (HTML or text dump, str or bytes) -> Article. Pure: no I/O, no state between calls.

Every stage of both paths is a call in ``_pipeline``, in order; each stage is one module with one job, and no
stage calls back into an earlier one:

1. load (``page``): check, decode and sniff the input; HTML is parsed once;
2. site rule (``sites``) for HTML; line kinds, body run and header (``textdump.layout``) for a text dump;
3. metadata (``metadata``; ``textdump.read_header``): title, subtitles, dates, reporters, section, tags;
4. body: the container's blocks (``html_body``), a script's body when the DOM shows none (``scripts``), blocks
   cleaned into paragraphs, images and reporters (``paragraphs``); the text dump's run (``textdump.read_body``);
5. identity (``finish``): URL, site and article id;
6. finish (``finish``): display text, captions out of the body, repeated paragraphs dropped, once for both paths;
7. the immutable ``Article``.
"""

from __future__ import annotations

from .clean import finish, html_body, metadata, paragraphs, scripts, textdump
from .clean.draft import Draft
from .clean.page import HtmlPage, TextPage, load
from .errors import ExtractionError, NewscleanError, NoArticleBodyError, NotKoreanError
from .lazy import LazyPattern
from .models import Article, CleanOptions
from .sites import match_rule

__all__ = ["clean_article"]

_DEFAULT_OPTIONS = CleanOptions()
# A page without an article body whose letters are less than this share Hangul is reported as not Korean
# (``NotKoreanError``) rather than as a list page: an English or Japanese page with a Korean menu is still
# far below it, a Korean list or index page far above.
MIN_KOREAN_LETTER_SHARE = 0.1
_HANGUL_RE = LazyPattern(r"[\uac00-\ud7a3\u1100-\u11ff\u3130-\u318f]")  # syllables and jamo
_LETTER_RE = LazyPattern(r"[^\W\d_]")


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
    try:
        draft = _html(page, options) if isinstance(page, HtmlPage) else _text(page)
        # 5. Identity: URL, site and id from what the caller gave, else from what the page shows.
        finish.fill_identity(draft, url)
        # 6. Finish the body: display text, captions out, repeated paragraphs dropped.
        finish.finish_body(draft)
    except NoArticleBodyError as exc:
        _check_korean(page, exc)  # a page without a body in another language is told apart from a list page
        raise
    # 7. The immutable article.
    return finish.to_article(draft)


def _html(page: HtmlPage, options: CleanOptions) -> Draft:
    """Stages 2-4 of an HTML page."""
    # 2. The site rule: by host, URL, then markup (none when rules are off or none fits).
    rule = None
    if options.site_rules:
        rule = match_rule(host=page.host, urls=(page.url, page.canonical, page.meta.get("og:url")), tree=page.tree)
    # 3. Metadata, in the fixed order of trust.
    draft = metadata.read(page, rule=rule)
    # 4a. The body container's blocks.
    blocks = html_body.dom_blocks(page, rule=rule)
    # 4b. A client-rendered page: the body, and more metadata, in a script.
    script = scripts.script_body(page, dom_blocks=blocks)
    if script is not None:
        metadata.fill_from_script(draft, script.holder)
        blocks = script.blocks or blocks
    # 4c. The blocks cleaned into paragraphs, images and reporters; a visible byline when they name none.
    paragraphs.clean_blocks(blocks, draft, rule=rule)
    if not draft.authors:
        draft.authors = metadata.visible_authors(page)
    if not draft.paragraphs:
        raise NoArticleBodyError(
            "no article body found in the HTML page: no block of article text (it may be a list or index page)"
        )
    return draft


def _text(page: TextPage) -> Draft:
    """Stages 2-4 of a text dump."""
    # 2. Line kinds, the body run and the header before it.
    layout = textdump.layout(page)
    # 3. Metadata from the header (and dates from anywhere).
    draft = textdump.read_header(layout)
    # 4. Paragraphs, captions and reporters from the run.
    textdump.read_body(layout, draft)
    return draft


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
