"""newsclean: Korean news pages in, clean typed articles out.

Every name but the errors is loaded from its module on first use: cleaning alone never imports the network
stack, and a command that only hands pages to worker processes (``newsclean clean --jobs N``) never imports the
cleaner or the models itself.
"""

import importlib as _importlib
import typing as _typing

from .errors import (
    ArchiveError,
    BodyTooLargeError,
    ContentTypeError,
    DecodeError,
    DedupError,
    EmptyInputError,
    ExportError,
    ExtractionError,
    FamilyError,
    FeedError,
    FetchError,
    FetchTimeoutError,
    HostUnreachableError,
    HTTPStatusError,
    InputError,
    MissingExtraError,
    NewscleanError,
    NoArticleBodyError,
    NotKoreanError,
    RequestError,
    RobotsDisallowedError,
    RobotsUnavailableError,
    StoreError,
    TooManyRedirectsError,
    UnsafeRedirectError,
    UnsupportedInputError,
    UnsupportedURLError,
)

if _typing.TYPE_CHECKING:
    from .api import clean_article
    from .models import Article, Capture, CleanOptions, Image
    from .net.crawl import CrawlOptions
    from .net.fetch import AsyncFetcher, Fetcher, FetchOptions, afetch_article, fetch_article
    from .net.store import CrawlStore

__version__ = "0.1.0"

__all__ = [
    "ArchiveError",
    "Article",
    "AsyncFetcher",
    "BodyTooLargeError",
    "Capture",
    "CleanOptions",
    "ContentTypeError",
    "CrawlOptions",
    "CrawlStore",
    "DecodeError",
    "DedupError",
    "EmptyInputError",
    "ExportError",
    "ExtractionError",
    "FamilyError",
    "FeedError",
    "FetchError",
    "FetchOptions",
    "FetchTimeoutError",
    "Fetcher",
    "HTTPStatusError",
    "HostUnreachableError",
    "Image",
    "InputError",
    "MissingExtraError",
    "NewscleanError",
    "NoArticleBodyError",
    "NotKoreanError",
    "RequestError",
    "RobotsDisallowedError",
    "RobotsUnavailableError",
    "StoreError",
    "TooManyRedirectsError",
    "UnsafeRedirectError",
    "UnsupportedInputError",
    "UnsupportedURLError",
    "__version__",
    "afetch_article",
    "clean_article",
    "fetch_article",
]

# Public names loaded from their module on first use: name -> module.
_LAZY = {
    "Article": "models",
    "Capture": "models",
    "CleanOptions": "models",
    "Image": "models",
    "clean_article": "api",
    "AsyncFetcher": "net.fetch",
    "CrawlOptions": "net.crawl",
    "CrawlStore": "net.store",
    "FetchOptions": "net.fetch",
    "Fetcher": "net.fetch",
    "afetch_article": "net.fetch",
    "fetch_article": "net.fetch",
}


def __getattr__(name: str) -> object:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'newsclean' has no attribute {name!r}")
    value = getattr(_importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))
