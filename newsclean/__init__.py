"""newsclean: Korean news pages in, clean typed articles out."""

from .api import clean_article
from .errors import (
    BodyTooLargeError,
    ContentTypeError,
    DecodeError,
    EmptyInputError,
    ExtractionError,
    FetchError,
    HTTPStatusError,
    InputError,
    NewscleanError,
    NoArticleBodyError,
    RequestError,
    RobotsDisallowedError,
    StoreError,
    TooManyRedirectsError,
    UnsupportedInputError,
    UnsupportedURLError,
)
from .models import Article, CleanOptions, Image

__version__ = "0.1.0"

__all__ = [
    "Article",
    "BodyTooLargeError",
    "CleanOptions",
    "ContentTypeError",
    "DecodeError",
    "EmptyInputError",
    "ExtractionError",
    "FetchError",
    "HTTPStatusError",
    "Image",
    "InputError",
    "NewscleanError",
    "NoArticleBodyError",
    "RequestError",
    "RobotsDisallowedError",
    "StoreError",
    "TooManyRedirectsError",
    "UnsupportedInputError",
    "UnsupportedURLError",
    "__version__",
    "clean_article",
]
