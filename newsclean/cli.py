"""Command line: ``newsclean clean|fetch|crawl|export``; the only module that prints."""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import NoReturn, TextIO

from pydantic import ValidationError

from . import __version__
from .api import clean_article
from .crawl import CrawlOptions, CrawlProgress, crawl, default_db_path
from .errors import FetchError, NewscleanError
from .fetch import FetchOptions, fetch_article
from .models import Article, CleanOptions
from .store import CrawlStore, write_csv, write_jsonl

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
    values: dict[str, object] = {
        "robots": not args.no_robots,
        "retries": args.retries,
        "read_timeout": args.timeout,
        "deadline": args.deadline,
    }
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


class _WriteError(Exception):
    """An output could not be written (a full disk, a closed pipe, a missing folder)."""

    def __init__(self, target: str, exc: OSError) -> None:
        super().__init__(f"cannot write {target}: {exc.strerror or exc}")


def _export(db: Path, fmt: str, out: TextIO, target: str) -> int:
    with CrawlStore(db, create=False) as store:
        try:
            return (write_jsonl if fmt == "jsonl" else write_csv)(store.articles(), out)
        except OSError as exc:
            raise _WriteError(target, exc) from exc


def _same_file(target: Path, db: Path) -> bool:
    """True when writing ``target`` would overwrite the database ``db`` (or its WAL and shared-memory files)."""
    resolved = target.resolve()
    return any(resolved == db.resolve().with_name(db.name + suffix) for suffix in ("", "-wal", "-shm", "-journal"))


def _export_to(db: Path, fmt: str, target: str) -> int:
    if target == "-":
        return _export(db, fmt, sys.stdout, "standard output")
    path = Path(target)
    if _same_file(path, db):
        raise SystemExit(f"newsclean: will not write the export onto the database it reads: {target}")
    partial = path.with_name(path.name + ".partial")
    try:
        with partial.open("w", encoding="utf-8", newline="") as out:
            count = _export(db, fmt, out, target)
        os.replace(partial, path)
    except OSError as exc:
        raise _WriteError(target, exc) from exc
    finally:
        if partial.exists():
            partial.unlink()
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
    if args.jsonl and args.jsonl != "-" and _same_file(Path(args.jsonl), db):
        raise SystemExit(f"newsclean: will not write the export onto the database it reads: {args.jsonl}")
    bar = _ProgressBar()
    outage: FetchError | None = None
    try:
        for _ in crawl(args.site_url, limit=args.limit, since=args.since, db=db, options=options, progress=bar):
            pass
    except FetchError as exc:  # the site could not be reached: what was done is kept, the rest stays to do
        outage = exc
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
    if outage is not None:
        raise outage
    return 0


def _cmd_export(args: argparse.Namespace) -> int:
    count = _export_to(Path(args.db), args.format, args.output)
    print(f"newsclean: exported {count} articles", file=sys.stderr)
    return 0


def _number(kind: type[int] | type[float], *, least: float, strict: bool = False) -> Callable[[str], float]:
    """An argparse type: a number of ``kind`` at least (or, ``strict``, above) ``least``."""

    def parse(text: str) -> float:
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not {'an integer' if kind is int else 'a number'}: {text!r}") from None
        if value != value or value in (float("inf"), float("-inf")):
            raise argparse.ArgumentTypeError(f"not a finite number: {text!r}")
        if value < least or (strict and value == least):
            raise argparse.ArgumentTypeError(f"must be {'above' if strict else 'at least'} {least:g}, not {text}")
        return value

    parse.__name__ = kind.__name__  # argparse names the type in its messages
    return parse


_COUNT = _number(int, least=1)  # 1 or more
_NON_NEGATIVE_INT = _number(int, least=0)
_SECONDS = _number(float, least=0, strict=True)  # more than 0
_NON_NEGATIVE_SECONDS = _number(float, least=0)


def _user_agent(text: str) -> str:
    if not text.strip():
        raise argparse.ArgumentTypeError("an empty User-Agent names no one; leave the option out for the default")
    return text


def _add_fetch_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--no-robots", action="store_true", help="do not read or honour robots.txt")
    parser.add_argument("--retries", type=_NON_NEGATIVE_INT, default=3, help="retries of a failing request (default 3)")
    parser.add_argument("--timeout", type=_SECONDS, default=30.0, help="seconds to wait for each read (default 30)")
    parser.add_argument(
        "--deadline",
        type=_SECONDS,
        default=120.0,
        help="seconds one request may take in all, however slowly the server sends it (default 120)",
    )
    parser.add_argument(
        "--user-agent", type=_user_agent, help="User-Agent header (default names newsclean and its version)"
    )


def _default_clean_processes() -> int:
    """One cleaning process per core when there are several: cleaning, not fetching, bounds a crawl's speed."""
    cores = os.cpu_count() or 1
    return cores if cores > 1 else 0


class _Parser(argparse.ArgumentParser):
    """Reports a bad command line in one line (and where to read more), never with a usage block."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="newsclean", description="Clean Korean news pages into articles.")
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
    crawl_cmd.add_argument("--limit", type=_COUNT, help="stop after this many new or changed articles")
    crawl_cmd.add_argument("--since", type=_since, help="skip articles published before this date (YYYY-MM-DD)")
    crawl_cmd.add_argument("--concurrency", type=_COUNT, default=4, help="requests at once (default 4)")
    crawl_cmd.add_argument(
        "--delay", type=_NON_NEGATIVE_SECONDS, default=0.5, help="seconds between requests to the site (0.5)"
    )
    crawl_cmd.add_argument("--refresh", action="store_true", help="check done articles again (conditional GET)")
    crawl_cmd.add_argument(
        "--walk", type=_NON_NEGATIVE_INT, default=0, metavar="K", help="id walk: stop after K misses in a row"
    )
    crawl_cmd.add_argument("--walk-from", type=_COUNT, metavar="N", help="id walk start (default: highest id known)")
    crawl_cmd.add_argument(
        "--clean-processes",
        type=_NON_NEGATIVE_INT,
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
    export.set_defaults(func=_cmd_export)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        code: int = args.func(args)
        sys.stdout.flush()  # a write error of the last output shows here, not at exit
    except NewscleanError as exc:
        print(f"newsclean: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    except ValidationError as exc:  # an option value the models refuse
        problems = "; ".join(f"{'.'.join(map(str, e['loc'])) or 'value'}: {e['msg']}" for e in exc.errors())
        print(f"newsclean: bad option: {problems}", file=sys.stderr)
        return 2
    except _WriteError as exc:
        _drop_stdout()
        print(f"newsclean: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        if exc.filename is None:  # no file named: the output failed (stdout to a full disk or a closed pipe)
            _drop_stdout()
            print(f"newsclean: cannot write standard output: {exc.strerror or exc}", file=sys.stderr)
        else:
            print(f"newsclean: cannot read {exc.filename}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("newsclean: interrupted", file=sys.stderr)
        return 130
    return code


def _drop_stdout() -> None:
    """Point stdout at /dev/null, so that the interpreter's last flush at exit cannot fail a second time."""
    try:
        fd = os.open(os.devnull, os.O_WRONLY)
        os.dup2(fd, sys.stdout.fileno())
        os.close(fd)
    except (OSError, ValueError):  # stdout has no file descriptor (captured): nothing to flush at exit
        pass


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
