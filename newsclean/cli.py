"""Command line: ``newsclean clean|fetch|crawl|export|dedup``; the only module that prints."""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Iterator, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import TextIO

from . import __version__
from .api import clean_article
from .crawl import CrawlOptions, CrawlProgress, crawl, default_db_path
from .errors import DedupError, NewscleanError
from .fetch import FetchOptions, fetch_article
from .models import Article, CleanOptions
from .store import CrawlStore, write_csv, write_jsonl, write_unique_csv, write_unique_jsonl

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


def _export(db: Path, fmt: str, out: TextIO, *, unique: bool = False) -> int:
    with CrawlStore(db, create=False) as store:
        if unique:
            return (write_unique_jsonl if fmt == "jsonl" else write_unique_csv)(store.unique_articles(), out)
        return (write_jsonl if fmt == "jsonl" else write_csv)(store.articles(), out)


def _export_to(db: Path, fmt: str, target: str, *, unique: bool = False) -> int:
    if target == "-":
        return _export(db, fmt, sys.stdout, unique=unique)
    path = Path(target)
    partial = path.with_name(path.name + ".partial")
    try:
        with partial.open("w", encoding="utf-8", newline="") as out:
            count = _export(db, fmt, out, unique=unique)
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
    count = _export_to(Path(args.db), args.format, args.output, unique=args.unique)
    print(f"newsclean: exported {count} {'stories' if args.unique else 'articles'}", file=sys.stderr)
    return 0


def _cmd_dedup(args: argparse.Namespace) -> int:
    from .corpus import ClusterRow, Corpus, detect_format, write_cluster_rows
    from .neardup import assign  # needs the dedup extra: a clear DedupError without it

    path = Path(args.input)
    fmt = detect_format(path)
    skipped: list[str] = []
    if fmt == "sqlite":
        keys: list[str] = []
        with CrawlStore(path, create=False) as store:

            def stored() -> Iterator[Article]:
                for key, article in store.keyed_articles():
                    keys.append(key)
                    yield article if article.url == key else article.model_copy(update={"url": key})

            memberships = assign(stored(), threshold=args.threshold)
            store.write_clusters(
                ((keys[m.index], keys[m.representative], m.rank, m.similarity) for m in memberships),
                threshold=args.threshold,
            )
        positions: Sequence[int] = range(len(keys))
    else:
        if not args.output:
            raise DedupError(f"{path} is a {fmt} file: give -o clusters.jsonl or -o clusters.parquet for the result")
        corpus = Corpus(path, fmt)
        memberships = assign(corpus, threshold=args.threshold)
        positions, skipped = corpus.positions, corpus.skipped
        if corpus.skipped_count > len(skipped):
            skipped.append(f"and {corpus.skipped_count - len(skipped)} more")
    if args.output:
        rows = [
            ClusterRow(
                index=positions[m.index],
                url=m.url,
                cluster=memberships[m.representative].url,
                cluster_index=positions[m.representative],
                rank=m.rank,
                size=m.size,
                similarity=round(m.similarity, 4),
            )
            for m in memberships
        ]
        write_cluster_rows(rows, args.output)
    stories = sum(1 for m in memberships if m.rank == 0)
    copied = sum(1 for m in memberships if m.rank == 0 and m.size > 1)
    where = f"; clusters written to {args.output}" if args.output and args.output != "-" else ""
    print(
        f"newsclean: {len(memberships)} articles in {stories} stories ({copied} with copies){where}"
        + (f"; skipped records that do not load: {'; '.join(skipped)}" if skipped else ""),
        file=sys.stderr,
    )
    return 0


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
    export = commands.add_parser("export", help="write a crawl database's articles as JSONL or CSV")
    export.add_argument("db", help="the crawl database")
    export.add_argument("--format", choices=("jsonl", "csv"), default="jsonl")
    export.add_argument("--output", "-o", default="-", help="output file (default: stdout)")
    export.add_argument(
        "--unique", action="store_true", help="one row per story (after `newsclean dedup DB`), with its `copies`"
    )
    export.set_defaults(func=_cmd_export)
    dedup = commands.add_parser(
        "dedup", help="cluster near-duplicate articles (a crawl database, or a JSONL / Parquet file of articles)"
    )
    dedup.add_argument("input", help="crawl database (gets a cluster table), articles.jsonl or articles.parquet")
    dedup.add_argument("--output", "-o", help="write one row per article: clusters.jsonl, .parquet, or - (stdout)")
    dedup.add_argument(
        "--threshold", type=float, default=0.8, help="Jaccard similarity from which bodies are copies (default 0.8)"
    )
    dedup.set_defaults(func=_cmd_dedup)
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
