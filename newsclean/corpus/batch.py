"""Batch cleaning: page files -> one ``CleanResult`` each, in input order, cleaned in a pool of processes.

``clean_file`` is the pure per-record step (read one file, clean it, keep the failure on the record);
``clean_files`` runs it over many files, in this process or in ``jobs`` worker processes. A file that cannot
be read or holds no article is a result with its error, never an exception: the batch goes on.

Asked for a format (``fmt``), each worker renders the articles it cleaned and hands back only their text: the
calling process then needs neither the cleaner nor the models, and starts (and stays) light. The cleaner is
imported where a page is first cleaned.
"""

from __future__ import annotations

import functools
import multiprocessing
import os
import sys
import threading
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import NewscleanError

if TYPE_CHECKING:  # pragma: no cover
    from ..models import Article, CleanOptions
    from ..sites import Family

__all__ = ["PAGE_SUFFIXES", "CleanResult", "clean_file", "clean_files", "page_files"]

# File name endings taken as pages when a directory is searched without a pattern: HTML and text dumps.
PAGE_SUFFIXES = (".html", ".htm", ".xhtml", ".txt")
# Files handed to a worker process at once: large enough that the pool's messaging costs little per file,
# small enough that every worker gets a share of a short batch.
MAX_CHUNK = 16


@dataclass(frozen=True)
class CleanResult:
    """One file's outcome: its article, or the class and message of the error that kept it out."""

    path: str
    article: Article | None = None
    text: str | None = None  # the article rendered, when a format was asked for (``article`` is then None)
    error: str | None = None  # the error's class name, e.g. "NoArticleBodyError"
    message: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


def clean_file(path: str, *, options: CleanOptions | None = None, fmt: str | None = None) -> CleanResult:
    """Read the file at ``path`` and clean it; a read or clean failure is kept on the result.

    With ``fmt`` (one of ``formats.CLEAN_FORMATS``) the result holds the article rendered in it, as ``text``."""
    from ..api import clean_article

    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        return CleanResult(path, error="OSError", message=f"cannot read {path}: {exc.strerror or exc}")
    try:
        article = clean_article(raw, options=options)
    except NewscleanError as exc:
        return CleanResult(path, error=type(exc).__name__, message=str(exc))
    if fmt is None:
        return CleanResult(path, article=article)
    from .formats import render

    return CleanResult(path, text=render(article, fmt))


def page_files(directory: str | os.PathLike[str], *, pattern: str | None = None) -> list[str]:
    """Files under ``directory`` (searched recursively) matching the glob ``pattern``, else every file with
    one of ``PAGE_SUFFIXES``; sorted, so a batch's order does not depend on the file system."""
    root = Path(directory)
    if pattern is not None:
        found: Iterable[Path] = root.glob(pattern)
    else:
        found = (p for p in root.rglob("*") if p.suffix.lower() in PAGE_SUFFIXES)
    return sorted(str(p) for p in found if p.is_file())


def _context() -> multiprocessing.context.BaseContext:
    # Forking starts a worker at once with newsclean already imported; it is safe only while this process runs
    # no other thread. Otherwise the workers are spawned.
    if threading.active_count() == 1 and "fork" in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


def _own_families() -> tuple[Family, ...]:
    # The caller's own families; none can be registered while the family registry was never imported.
    if "newsclean.sites" not in sys.modules:
        return ()
    from ..sites import registered_families

    return registered_families()


def clean_files(
    paths: Sequence[str], *, jobs: int = 1, options: CleanOptions | None = None, fmt: str | None = None
) -> Iterator[CleanResult]:
    """Clean every file in ``paths``; yield their results in input order as they are ready.

    With ``jobs`` above 1 (and more than one file) the files are cleaned in that many worker processes.
    Closing the iterator early stops the workers. With ``fmt`` each result holds its article rendered in that
    format (``CleanResult.text``) instead of the model.
    """
    if fmt is not None:
        from .formats import check_format

        check_format(fmt)
    job = functools.partial(clean_file, options=options, fmt=fmt)
    if jobs <= 1 or len(paths) <= 1:
        yield from map(job, paths)
        return
    chunk = max(1, min(MAX_CHUNK, len(paths) // (jobs * 4)))
    # A spawned worker starts with the built-in families only: the caller's own are handed to it.
    executor = ProcessPoolExecutor(
        max_workers=jobs, mp_context=_context(), initializer=_install_families, initargs=(_own_families(),)
    )
    try:
        yield from executor.map(job, paths, chunksize=chunk)
    finally:
        executor.shutdown(wait=True, cancel_futures=True)


def _install_families(families: tuple[Family, ...]) -> None:
    if families:
        from ..sites import install_families

        install_families(families)
