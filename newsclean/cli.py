"""Command line: ``newsclean clean|fetch|crawl|export|warc``; the only module that prints."""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from . import __version__
from .api import clean_article
from .crawl import CrawlOptions, CrawlProgress, crawl, default_db_path
from .errors import ExportError, NewscleanError
from .export import ArticleWriter, JsonlWriter, open_writer
from .fetch import FetchOptions, fetch_article
from .models import Article, CleanOptions
from .store import CrawlStore, write_csv, write_jsonl

if TYPE_CHECKING:  # pragma: no cover - warc imports fastwarc, which only ``newsclean warc`` needs
    from .warc import WarcStats

FORMATS = ("json", "text", "markdown")


def render(article: Article, fmt: str) -> str:
    """The article as JSON, plain text or Markdown."""
    if fmt == "json":
        return article.model_dump_json(indent=1)
    heading: list[str] = []
    meta: list[str] = []
    if article.published_at:
        meta.append(article.published_at.isoformat())
    if article.authors:
        meta.append(", ".join(article.authors))
    if article.url:
        meta.append(article.url)
    if fmt == "markdown":
        if article.title:
            heading.append(f"# {article.title}")
        heading.extend(f"## {s}" for s in article.subtitles)
        if meta:
            heading.append("*" + " · ".join(meta) + "*")
        images = [f"![{i.caption or ''}]({i.url})" if i.url else f"> {i.caption}" for i in article.images]
        return "\n\n".join([*heading, *article.paragraphs, *images]) + "\n"
    if article.title:
        heading.append(article.title)
    heading.extend(article.subtitles)
    if meta:
        heading.append(" · ".join(meta))
    return "\n\n".join([*heading, *article.paragraphs]) + "\n"


def _read_input(path: str) -> bytes:
    if path == "-":
        return sys.stdin.buffer.read()
    return Path(path).read_bytes()


def _cmd_clean(args: argparse.Namespace) -> int:
    raw = _read_input(args.path)
    options = CleanOptions(site_rules=not args.no_site_rules)
    article = clean_article(raw, url=args.url, options=options)
    sys.stdout.write(render(article, args.format))
    if args.format == "json":
        sys.stdout.write("\n")
    return 0


def _fetch_options(args: argparse.Namespace, **changes: object) -> FetchOptions:
    values: dict[str, object] = {"robots": not args.no_robots, "retries": args.retries, "read_timeout": args.timeout}
    if args.user_agent:
        values["user_agent"] = args.user_agent
    values.update(changes)
    return FetchOptions.model_validate(values)


def _cmd_fetch(args: argparse.Namespace) -> int:
    article = fetch_article(args.url, options=_fetch_options(args))
    sys.stdout.write(render(article, args.format))
    if args.format == "json":
        sys.stdout.write("\n")
    return 0


class _ProgressBar:
    """A one-line progress bar on stderr, drawn only when stderr is a terminal, at most every 0.1 s."""

    WIDTH = 30  # characters of the bar itself
    INTERVAL = 0.1  # seconds between redraws

    def __init__(self) -> None:
        self.enabled = sys.stderr.isatty()
        self.last = 0.0
        self.progress = CrawlProgress()

    def __call__(self, progress: CrawlProgress) -> None:
        self.progress = progress
        now = time.monotonic()
        if not self.enabled or (now - self.last < self.INTERVAL and not progress.finished):
            return
        self.last = now
        done, total = progress.processed, max(progress.queued, progress.processed, 1)
        filled = self.WIDTH * done // total
        sys.stderr.write(
            f"\r[{'#' * filled}{'.' * (self.WIDTH - filled)}] {done}/{progress.queued} "
            f"new {progress.new} unchanged {progress.unchanged} failed {progress.failed}\x1b[K"
        )
        if progress.finished:
            sys.stderr.write("\n")
        sys.stderr.flush()


def _since(value: str) -> date | datetime:
    try:
        return datetime.fromisoformat(value) if "T" in value or " " in value else date.fromisoformat(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD) or ISO date-time: {value!r}") from exc


def _export(db: Path, fmt: str, out: TextIO) -> int:
    with CrawlStore(db, create=False) as store:
        return (write_jsonl if fmt == "jsonl" else write_csv)(store.articles(), out)


def _export_to(db: Path, fmt: str, target: str) -> int:
    if fmt == "parquet":
        if target == "-":
            raise ExportError("Parquet is written to a file: give one with -o FILE.parquet")
        writer = open_writer(target, "parquet")
        with CrawlStore(db, create=False) as store:
            for article in store.articles():
                writer.write(article)
        writer.close()
        return writer.count
    if target == "-":
        return _export(db, fmt, sys.stdout)
    path = Path(target)
    partial = path.with_name(path.name + ".partial")
    try:
        with partial.open("w", encoding="utf-8", newline="") as out:
            count = _export(db, fmt, out)
        os.replace(partial, path)
    except OSError as exc:
        raise SystemExit(f"newsclean: cannot write {target}: {exc.strerror or exc}") from exc
    return count


def _cmd_crawl(args: argparse.Namespace) -> int:
    fetch_options = _fetch_options(args, delay=args.delay, per_host_concurrency=args.concurrency)
    options = CrawlOptions(
        fetch=fetch_options,
        concurrency=args.concurrency,
        refresh=args.refresh,
        walk_misses=args.walk,
        walk_from=args.walk_from,
        clean_processes=args.clean_processes,
    )
    db = Path(args.db) if args.db else default_db_path(args.site_url)
    bar = _ProgressBar()
    for _ in crawl(args.site_url, limit=args.limit, since=args.since, db=db, options=options, progress=bar):
        pass
    p = bar.progress
    with CrawlStore(db, create=False) as store:
        counts = store.counts()
    print(
        f"newsclean: {p.new} new, {p.unchanged} unchanged, {p.failed} failed "
        f"({p.updated} updated, {p.old} older than --since); {db} holds {counts.articles} articles, "
        f"{counts.failed} failed URLs",
        file=sys.stderr,
    )
    if args.jsonl:
        _export_to(db, "jsonl", args.jsonl)
    return 0


def _cmd_export(args: argparse.Namespace) -> int:
    count = _export_to(Path(args.db), args.format, args.output)
    print(f"newsclean: exported {count} articles", file=sys.stderr)
    return 0


# Labels of the reasons a WARC record gave no article, as the summary prints them.
SKIP_LABELS = {
    "not_http": "not an HTTP response",
    "status": "HTTP status not 200",
    "not_html": "not HTML",
    "too_large": "too large",
    "damaged": "damaged record",
    "not_korean": "not Korean",
    "no_article": "no article (list page, ...)",
    "failed": "failed to clean",
}


class _WarcProgress:
    """A one-line progress line on stderr (records/s, articles, skipped by reason), only on a terminal."""

    INTERVAL = 0.2  # seconds between redraws

    def __init__(self) -> None:
        self.enabled = sys.stderr.isatty()
        self.start = time.monotonic()
        self.last = 0.0

    def __call__(self, stats: WarcStats) -> None:
        now = time.monotonic()
        if not self.enabled or now - self.last < self.INTERVAL:
            return
        self.last = now
        rate = stats.records / max(now - self.start, 1e-9)
        skipped = " ".join(f"{reason} {n}" for reason, n in stats.skipped.most_common())
        sys.stderr.write(
            f"\r{stats.records:,} records ({rate:,.0f}/s) articles {stats.kept:,} skipped: {skipped or 0}\x1b[K"
        )
        sys.stderr.flush()

    def finish(self) -> None:
        if self.enabled:
            sys.stderr.write("\r\x1b[K")
            sys.stderr.flush()


def _cmd_warc(args: argparse.Namespace) -> int:
    from .warc import SKIP_REASONS, Kept, WarcStats, clean_warcs

    if args.jobs < 1:
        raise SystemExit("newsclean: --jobs must be at least 1")
    stats = WarcStats()
    bar = _WarcProgress()
    start = time.monotonic()
    writer: ArticleWriter
    if args.output == "-":
        if args.format != "jsonl":
            raise ExportError("Parquet is written to a file: give one with -o FILE.parquet (or --format jsonl)")
        writer = JsonlWriter(sys.stdout)
    else:
        writer = open_writer(args.output, args.format)
    try:
        for outcome in clean_warcs(args.paths, jobs=args.jobs, stats=stats, progress=bar):
            if isinstance(outcome, Kept):
                writer.write(outcome.article, outcome.capture)
    finally:
        bar.finish()
    writer.close()
    elapsed = time.monotonic() - start
    lines = [
        f"newsclean: {stats.files} files, {stats.records:,} response records in {elapsed:.1f} s "
        f"({stats.records / max(elapsed, 1e-9):,.1f} records/s, {args.jobs} jobs)",
        f"  {'articles written':28} {stats.kept:>9,}  -> {args.output}",
    ]
    lines += [f"  {SKIP_LABELS[r]:28} {stats.skipped[r]:>9,}" for r in SKIP_REASONS if stats.skipped[r]]
    lines += [f"  unreadable file: {message}" for message in stats.failed_files]
    print("\n".join(lines), file=sys.stderr)
    return 1 if stats.failed_files and len(stats.failed_files) == stats.files else 0


def _default_jobs() -> int:
    return os.cpu_count() or 1


def _add_fetch_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--no-robots", action="store_true", help="do not read or honour robots.txt")
    parser.add_argument("--retries", type=int, default=3, help="retries of a failing request (default 3)")
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds to wait for each read (default 30)")
    parser.add_argument("--user-agent", help="User-Agent header (default names newsclean and its version)")


def _default_clean_processes() -> int:
    """One cleaning process per core when there are several: cleaning, not fetching, bounds a crawl's speed."""
    cores = os.cpu_count() or 1
    return cores if cores > 1 else 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="newsclean", description="Clean Korean news pages into articles.")
    parser.add_argument("--version", action="version", version=f"newsclean {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)
    clean = commands.add_parser("clean", help="clean one page (HTML or text dump) from a file or stdin")
    clean.add_argument("path", help="a page's HTML or text dump; - reads stdin")
    clean.add_argument("--url", help="the page's URL (gives site and article id)")
    clean.add_argument("--format", choices=FORMATS, default="json")
    clean.add_argument("--no-site-rules", action="store_true", help="use the generic extractor only")
    clean.set_defaults(func=_cmd_clean)
    fetch = commands.add_parser("fetch", help="fetch one article page and clean it")
    fetch.add_argument("url", help="the article's http(s) URL")
    fetch.add_argument("--format", choices=FORMATS, default="json")
    _add_fetch_arguments(fetch)
    fetch.set_defaults(func=_cmd_fetch)
    crawl_cmd = commands.add_parser("crawl", help="crawl a site's articles into a database (resumable)")
    crawl_cmd.add_argument("site_url", help="the site's start page, or one of its section lists")
    crawl_cmd.add_argument("--db", help="crawl database (default: <site>.sqlite here)")
    crawl_cmd.add_argument("--jsonl", help="at the end, write every stored article to this JSONL file (- = stdout)")
    crawl_cmd.add_argument("--limit", type=int, help="stop after this many new or changed articles")
    crawl_cmd.add_argument("--since", type=_since, help="skip articles published before this date (YYYY-MM-DD)")
    crawl_cmd.add_argument("--concurrency", type=int, default=4, help="requests at once (default 4)")
    crawl_cmd.add_argument("--delay", type=float, default=0.5, help="seconds between requests to the site (0.5)")
    crawl_cmd.add_argument("--refresh", action="store_true", help="check done articles again (conditional GET)")
    crawl_cmd.add_argument("--walk", type=int, default=0, metavar="K", help="id walk: stop after K misses in a row")
    crawl_cmd.add_argument("--walk-from", type=int, metavar="N", help="id walk start (default: highest id known)")
    crawl_cmd.add_argument(
        "--clean-processes",
        type=int,
        default=_default_clean_processes(),
        metavar="N",
        help="clean pages in N processes; 0 cleans in the crawl's thread (default: one per core, if several)",
    )
    _add_fetch_arguments(crawl_cmd)
    crawl_cmd.set_defaults(func=_cmd_crawl)
    export = commands.add_parser("export", help="write a crawl database's articles as JSONL, CSV or Parquet")
    export.add_argument("db", help="the crawl database")
    export.add_argument("--format", choices=("jsonl", "csv", "parquet"), default="jsonl")
    export.add_argument("--output", "-o", default="-", help="output file (default: stdout)")
    export.set_defaults(func=_cmd_export)
    warc = commands.add_parser("warc", help="clean every Korean news article in web archives (WARC) into one file")
    warc.add_argument("paths", nargs="+", metavar="IN", help="WARC files (.warc, .warc.gz), paths or fsspec URLs")
    warc.add_argument("--output", "-o", required=True, help="the output file (- writes JSONL to stdout)")
    warc.add_argument("--format", choices=("parquet", "jsonl"), default="parquet")
    warc.add_argument(
        "--jobs", "-j", type=int, default=_default_jobs(), help="cleaning processes (default: one per core)"
    )
    warc.set_defaults(func=_cmd_warc)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        code: int = args.func(args)
    except NewscleanError as exc:
        print(f"newsclean: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"newsclean: cannot read {exc.filename or 'input'}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("newsclean: interrupted", file=sys.stderr)
        return 130
    return code


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
