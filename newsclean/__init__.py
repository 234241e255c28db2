"""newsclean: Korean news pages in, clean typed articles out."""

from .api import clean_article
from .crawl import CrawlOptions
from .errors import (
    ArchiveError,
    BodyTooLargeError,
    ContentTypeError,
    DecodeError,
    EmptyInputError,
    ExportError,
    ExtractionError,
    FetchError,
    HTTPStatusError,
    InputError,
    MissingExtraError,
    NewscleanError,
    NoArticleBodyError,
    RequestError,
    RobotsDisallowedError,
    StoreError,
    TooManyRedirectsError,
    UnsupportedInputError,
    UnsupportedURLError,
)
from .fetch import AsyncFetcher, Fetcher, FetchOptions, afetch_article, fetch_article
from .models import Article, Capture, CleanOptions, Image
from .store import CrawlStore

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
    "EmptyInputError",
    "ExportError",
    "ExtractionError",
    "FetchError",
    "FetchOptions",
    "Fetcher",
    "HTTPStatusError",
    "Image",
    "InputError",
    "MissingExtraError",
    "NewscleanError",
    "NoArticleBodyError",
    "RequestError",
    "RobotsDisallowedError",
    "StoreError",
    "TooManyRedirectsError",
    "UnsupportedInputError",
    "UnsupportedURLError",
    "__version__",
    "afetch_article",
    "clean_article",
    "fetch_article",
]
