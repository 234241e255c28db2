"""newsclean: Korean news pages in, clean typed articles out."""

from .api import clean_article
from .crawl import CrawlOptions
from .errors import (
    BodyTooLargeError,
    ContentTypeError,
    DecodeError,
    EmptyInputError,
    ExtractionError,
    FetchError,
    FetchTimeoutError,
    HostUnreachableError,
    HTTPStatusError,
    InputError,
    NewscleanError,
    NoArticleBodyError,
    RequestError,
    RobotsDisallowedError,
    RobotsUnavailableError,
    StoreError,
    TooManyRedirectsError,
    UnsafeRedirectError,
    UnsupportedInputError,
    UnsupportedURLError,
)
from .fetch import AsyncFetcher, Fetcher, FetchOptions, afetch_article, fetch_article
from .models import Article, CleanOptions, Image
from .store import CrawlStore

__version__ = "0.1.0"

__all__ = [
    "Article",
    "AsyncFetcher",
    "BodyTooLargeError",
    "CleanOptions",
    "ContentTypeError",
    "CrawlOptions",
    "CrawlStore",
    "DecodeError",
    "EmptyInputError",
    "ExtractionError",
    "FetchError",
    "FetchOptions",
    "FetchTimeoutError",
    "Fetcher",
    "HTTPStatusError",
    "HostUnreachableError",
    "Image",
    "InputError",
    "NewscleanError",
    "NoArticleBodyError",
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
