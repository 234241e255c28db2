"""Errors: every failure newsclean reports is one of these.

    NewscleanError
    ├── InputError              the input itself is unusable
    │   ├── EmptyInputError     nothing (or only whitespace) was given
    │   ├── DecodeError         bytes that no Korean or Unicode encoding reads
    │   ├── UnsupportedInputError  not str/bytes, or too large
    │   └── ArchiveError        a web archive (WARC) file cannot be opened or read at all
    ├── ExtractionError         the input was read, but holds no article
    │   └── NoArticleBodyError  no article body could be found
    │       └── NotKoreanError  the page is not in Korean
    ├── FetchError              a page could not be fetched (carries ``url`` and ``status``)
    │   ├── RequestError        connect / read / protocol failure after all retries
    │   │   ├── FetchTimeoutError   the answer did not end within the request's deadline
    │   │   └── HostUnreachableError  the host could not be reached at all (connection refused, no answer)
    │   ├── HTTPStatusError     a non-success status after all retries
    │   ├── TooManyRedirectsError
    │   ├── UnsupportedURLError only http and https are fetched
    │   ├── ContentTypeError    the response is not an HTML page
    │   ├── BodyTooLargeError   the body passed the size limit
    │   ├── UnsafeRedirectError a redirect led from a public host into a private or loopback address
    │   └── RobotsDisallowedError  robots.txt forbids the URL
    │       └── RobotsUnavailableError  robots.txt could not be read, so the host is kept closed
    ├── FeedError               a feed or sitemap could not be read
    ├── FamilyError             a CMS family could not be declared, loaded from its file or registered
    ├── StoreError              the crawl database could not be read or written
    ├── DedupError              a corpus could not be clustered (unreadable input, missing dedup extra)
    ├── ExportError             an output file could not be written, or read back
    └── MissingExtraError       a feature's optional packages are not installed (the message names the extra)

Each is raised with a message that says what was wrong, chained with ``from`` to its cause.
"""

from __future__ import annotations


class NewscleanError(Exception):
    """Base of every error newsclean raises."""


class InputError(NewscleanError):
    """The input given to ``clean_article`` cannot be used."""


class EmptyInputError(InputError):
    """The input is empty or holds only whitespace."""


class DecodeError(InputError):
    """The input bytes cannot be decoded as text."""


class UnsupportedInputError(InputError):
    """The input is of a type or size newsclean does not take."""


class ArchiveError(InputError):
    """A web archive file cannot be opened or read at all (a damaged record in it is skipped, not raised)."""


class ExtractionError(NewscleanError):
    """The input was read but holds no article."""


class NoArticleBodyError(ExtractionError):
    """No article body could be found in the input."""


class NotKoreanError(NoArticleBodyError):
    """No Korean article body: the page's text is in another language."""


class FetchError(NewscleanError):
    """A page could not be fetched."""

    def __init__(self, message: str, *, url: str, status: int | None = None) -> None:
        super().__init__(message)
        self.url = url
        self.status = status


class RequestError(FetchError):
    """The request failed (connection, timeout, protocol) after every retry."""


class FetchTimeoutError(RequestError):
    """The answer (head and body) did not end within the request's deadline: a server that drips it."""


class HostUnreachableError(RequestError):
    """The host could not be reached (connection refused, no route, name unknown) after every retry.

    It says nothing of the URL itself: a crawl leaves the URL to do for a later run.
    """


class HTTPStatusError(FetchError):
    """The server answered with a non-success status after every retry."""


class TooManyRedirectsError(FetchError):
    """The redirect chain was longer than allowed, or looped."""


class UnsupportedURLError(FetchError):
    """The URL's scheme is not http or https, or the URL is malformed."""


class ContentTypeError(FetchError):
    """The response is not an HTML (or text) page."""


class BodyTooLargeError(FetchError):
    """The response body passed the configured size limit."""


class RobotsDisallowedError(FetchError):
    """robots.txt of the host disallows the URL."""


class RobotsUnavailableError(RobotsDisallowedError):
    """robots.txt of the host could not be read (server error, no answer), so the whole host is kept closed.

    Like ``HostUnreachableError`` it says nothing of the URL itself.
    """


class UnsafeRedirectError(FetchError):
    """A redirect led from a public host into a loopback, private or link-local address (refused by option)."""


class FeedError(NewscleanError):
    """A feed or sitemap was fetched but could not be read (not text, not a feed, not a sitemap)."""


class FamilyError(NewscleanError):
    """A CMS family could not be declared (a bad pattern), loaded from its file, or registered (its name taken)."""


class StoreError(NewscleanError):
    """The crawl database could not be opened, read or written."""


class DedupError(NewscleanError):
    """Near-duplicate clustering could not run: an unreadable corpus file, or the dedup extra is missing."""


class ExportError(NewscleanError):
    """An output file (JSONL, CSV, Parquet) could not be written, or read back."""


class MissingExtraError(NewscleanError):
    """A feature needs optional packages that are not installed; the message names the extra to install."""
