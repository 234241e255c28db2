"""Text-dump path: TextPage (a page's plain text, as a browser shows it) -> Draft."""

from __future__ import annotations

from .draft import Draft
from .page import TextPage


def extract(page: TextPage) -> Draft:
    return Draft(url=page.url, paragraphs=[line for line in page.lines if line.strip()])
