"""HTML body extraction: HtmlPage -> Draft (metadata and body paragraphs)."""

from __future__ import annotations

from .draft import Draft
from .errors import NoArticleBodyError
from .models import CleanOptions
from .page import HtmlPage


def extract_html(page: HtmlPage, *, options: CleanOptions) -> Draft:
    raise NoArticleBodyError("HTML extraction is not available yet")
