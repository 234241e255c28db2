"""Command line: ``newsclean clean|fetch|crawl|export|dedup|warc``; the only module that prints.

``newsclean clean`` loads only the cleaning pipeline: the network (httpx), the crawler and the store are
imported by the commands that use them, so cleaning a page starts fast.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn, TextIO

from . import __version__
from .corpus.formats import CLEAN_FORMATS
from .errors import DedupError, ExportError, FetchError, NewscleanError

if TYPE_CHECKING:
    from pydantic import ValidationError

    from .corpus.export import ArticleWriter
    from .corpus.warc import WarcStats
    from .models import Article, CleanOptions
    from .net.crawl import CrawlProgress
    from .net.fetch import FetchOptions

# Formats of ``newsclean fetch`` (one article); ``newsclean clean`` also writes many as a JSON array, JSON lines
# or CSV rows (``CLEAN_FORMATS``).
FORMATS = ("json", "text", "markdown")
# Exit status when the reader of our output went away (``| head``): 128 + SIGPIPE, as Unix tools end.
BROKEN_PIPE_STATUS = 141


def _read_input(path: str) -> bytes:
    if path == "-":
        return sys.stdin.buffer.read()
    return Path(path).read_bytes()


class _UsageError(Exception):
    """A command line that cannot be run as given; printed as one line, exit status 2."""


def _clean_inputs(args: argparse.Namespace) -> list[str]:
    """The files ``newsclean clean`` reads, in order; a URL or an empty directory is a usage error."""
    paths: list[str] = list(args.paths)
    for path in paths:
        if path.startswith(("http://", "https://")) and not Path(path).exists():
            raise _UsageError(f"clean reads files or stdin, not URLs: to fetch and clean {path}, use `newsclean fetch`")
    if args.input_dir is not None:
        from .corpus.batch import PAGE_SUFFIXES, page_files

        if not Path(args.input_dir).is_dir():
            raise _UsageError(f"--input-dir {args.input_dir} is not a directory")
        found = page_files(args.input_dir, pattern=args.glob)
        if not found:
            wanted = args.glob or ", ".join("*" + s for s in PAGE_SUFFIXES)
            raise _UsageError(f"no page files under {args.input_dir} (looked for {wanted})")
        paths += found
    elif args.glob is not None:
        raise _UsageError("--glob chooses files of --input-dir; give --input-dir too")
    if not paths:
        raise _UsageError("clean needs a PATH, - for stdin, or --input-dir DIR")
    if "-" in paths and len(paths) > 1:
        raise _UsageError("- (stdin) can only be cleaned on its own")
    if args.url and len(paths) > 1:
        raise _UsageError("--url names one page; it cannot be given with several inputs")
    return paths


def _write_rendered(texts: Iterable[str], fmt: str, out: TextIO, *, single: bool = False) -> int:
    """Write articles already rendered in ``fmt`` as they come; ``single`` writes a lone JSON object instead
    of an array. Returns how many were written."""
    from .corpus.formats import ARTICLE_SEPARATOR, csv_header

    count = 0
    for text in texts:
        if fmt == "json":
            out.write(text + "\n" if single else ("[\n" if count == 0 else ",\n") + text)
        elif fmt in ("text", "markdown"):
            out.write((ARTICLE_SEPARATOR if count else "") + text)
        else:  # jsonl and csv: one line (or CSV record) each, after the CSV header
            if fmt == "csv" and count == 0:
                out.write(csv_header())
            out.write(text)
        count += 1
    if fmt == "json" and not single:
        out.write("\n]\n" if count else "[]\n")
    elif fmt == "csv" and count == 0:
        out.write(csv_header())
    return count


@contextlib.contextmanager
def _output(target: str | None) -> Iterator[TextIO]:
    """stdout, or a file written under a temporary name and renamed when complete (never half a file)."""
    if target is None or target == "-":
        yield sys.stdout
        return
    path = Path(target)
    partial = path.with_name(path.name + ".partial")
    try:
        with partial.open("w", encoding="utf-8", newline="") as out:
            yield out
        os.replace(partial, path)
    except OSError as exc:
        raise _UsageError(f"cannot write {target}: {exc.strerror or exc}") from exc
    finally:
        with contextlib.suppress(OSError):
            partial.unlink()


def _cmd_clean(args: argparse.Namespace) -> int:
    paths = _clean_inputs(args)
    # Site rules are on by default; the models are built only where pages are cleaned.
    options: CleanOptions | None = None
    if args.no_site_rules:
        from .models import CleanOptions

        options = CleanOptions(site_rules=False)
    if len(paths) == 1 and args.input_dir is None:
        from .api import clean_article
        from .corpus.formats import render

        article = clean_article(_read_input(paths[0]), url=args.url, charset=args.charset, options=options)
        with _output(args.output) as out:
            _write_rendered([render(article, args.format)], args.format, out, single=True)
        return 0
    return _clean_batch(paths, args, options)


def _clean_batch(paths: list[str], args: argparse.Namespace, options: CleanOptions | None) -> int:
    """Clean many files in a process pool, each rendered where it was cleaned; write the kept articles; sum up
    kept and skipped on stderr."""
    from .corpus.batch import clean_files

    skipped: Counter[str] = Counter()
    bar = _ProgressBar()
    started = time.monotonic()

    def kept() -> Iterator[str]:
        results = clean_files(paths, jobs=args.jobs, options=options, fmt=args.format)
        for done, result in enumerate(results, 1):
            if result.text is not None:
                yield result.text
            else:
                skipped[result.error or "Error"] += 1
                if args.verbose:
                    bar.clear()
                    print(f"newsclean: skipped {result.path}: {result.error}: {result.message}", file=sys.stderr)
            bar.draw(done, len(paths), f"skipped {sum(skipped.values())}")
        bar.draw(len(paths), len(paths), f"skipped {sum(skipped.values())}", final=True)

    with _output(args.output) as out:
        count = _write_rendered(kept(), args.format, out)
    seconds = time.monotonic() - started
    detail = ", ".join(f"{name} {n}" for name, n in sorted(skipped.items(), key=lambda item: (-item[1], item[0])))
    print(
        f"newsclean: {count} kept, {sum(skipped.values())} skipped{f' ({detail})' if detail else ''}; "
        f"{len(paths)} files in {seconds:.1f} s",
        file=sys.stderr,
    )
    return 0 if count else 1


def _fetch_options(args: argparse.Namespace, **changes: object) -> FetchOptions:
    from .net.fetch import FetchOptions

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
    from .corpus.formats import render
    from .net.fetch import fetch_article

    article = fetch_article(args.url, options=_fetch_options(args))
    sys.stdout.write(render(article, args.format))
    if args.format == "json":
        sys.stdout.write("\n")
    return 0


class _ProgressBar:
    """A one-line progress bar on stderr with rate and ETA, drawn only on a terminal, at most every 0.1 s.

    The bar never runs backwards: when the total grows (a crawl finds more URLs), it waits until the work done
    catches up with what it already showed.
    """

    WIDTH = 30  # characters of the bar itself
    INTERVAL = 0.1  # seconds between redraws

    def __init__(self, *, enabled: bool | None = None) -> None:
        self.enabled = sys.stderr.isatty() if enabled is None else enabled
        self.started = time.monotonic()
        self.last = 0.0
        self.filled = 0
        self.drawn = False

    def line(self, done: int, total: int, detail: str, *, now: float) -> str:
        total = max(total, done, 1)
        self.filled = max(self.filled, self.WIDTH * done // total)
        elapsed = now - self.started
        rate = done / elapsed if elapsed > 0 else 0.0
        eta = _duration((total - done) / rate) if rate > 0 else "?"
        bar = "#" * self.filled + "." * (self.WIDTH - self.filled)
        return f"[{bar}] {done}/{total} {rate:.1f}/s ETA {eta} {detail}"

    def draw(self, done: int, total: int, detail: str, *, final: bool = False) -> None:
        now = time.monotonic()
        if not self.enabled or (now - self.last < self.INTERVAL and not final):
            return
        self.last = now
        sys.stderr.write("\r" + self.line(done, total, detail, now=now) + "\x1b[K" + ("\n" if final else ""))
        sys.stderr.flush()
        self.drawn = not final

    def clear(self) -> None:
        """Wipe the bar so a message can be printed on its line."""
        if self.enabled and self.drawn:
            sys.stderr.write("\r\x1b[K")
            self.drawn = False


def _duration(seconds: float) -> str:
    seconds = int(seconds)
    if seconds >= 3600:
        return f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"
    return f"{seconds // 60}:{seconds % 60:02d}"


class _CrawlBar:
    """The crawl's progress callback: keeps the last counts and draws them."""

    def __init__(self) -> None:
        from .net.crawl import CrawlProgress

        self.bar = _ProgressBar()
        self.progress = CrawlProgress()

    def __call__(self, progress: CrawlProgress) -> None:
        self.progress = progress
        detail = f"new {progress.new} unchanged {progress.unchanged} failed {progress.failed}"
        self.bar.draw(progress.processed, progress.queued, detail, final=progress.finished)


def _since(value: str) -> date | datetime:
    try:
        return datetime.fromisoformat(value) if "T" in value or " " in value else date.fromisoformat(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD) or ISO date-time: {value!r}") from exc


class _WriteError(Exception):
    """An output could not be written (a full disk, a missing folder); a closed pipe stays a BrokenPipeError."""

    def __init__(self, target: str, exc: OSError) -> None:
        super().__init__(f"cannot write {target}: {exc.strerror or exc}")


def _export(db: Path, fmt: str, out: TextIO, target: str, *, unique: bool = False) -> int:
    from .corpus.export import write_csv, write_jsonl, write_unique_csv, write_unique_jsonl
    from .net.store import CrawlStore

    with CrawlStore(db, create=False) as store:
        try:
            if unique:
                return (write_unique_jsonl if fmt == "jsonl" else write_unique_csv)(store.unique_articles(), out)
            return (write_jsonl if fmt == "jsonl" else write_csv)(store.articles(), out)
        except BrokenPipeError:
            raise
        except OSError as exc:
            raise _WriteError(target, exc) from exc


def _same_file(target: Path, db: Path) -> bool:
    """True when writing ``target`` would overwrite the database ``db`` (or its WAL and shared-memory files)."""
    resolved = target.resolve()
    return any(resolved == db.resolve().with_name(db.name + suffix) for suffix in ("", "-wal", "-shm", "-journal"))


def _export_to(db: Path, fmt: str, target: str, *, unique: bool = False) -> int:
    if fmt == "parquet":
        from .corpus.export import open_writer
        from .net.store import CrawlStore

        if target == "-":
            raise ExportError("Parquet is written to a file: give one with -o FILE.parquet")
        if unique:
            raise ExportError("--unique writes JSONL or CSV: give --format jsonl or --format csv")
        writer = open_writer(target, "parquet")
        with CrawlStore(db, create=False) as store:
            for article in store.articles():
                writer.write(article)
        writer.close()
        return writer.count
    if target == "-":
        return _export(db, fmt, sys.stdout, "standard output", unique=unique)
    path = Path(target)
    if _same_file(path, db):
        raise SystemExit(f"newsclean: will not write the export onto the database it reads: {target}")
    partial = path.with_name(path.name + ".partial")
    try:
        with partial.open("w", encoding="utf-8", newline="") as out:
            count = _export(db, fmt, out, target, unique=unique)
        os.replace(partial, path)
    except OSError as exc:
        raise _WriteError(target, exc) from exc
    finally:
        if partial.exists():
            partial.unlink()
    return count


def _read_sites(path: str) -> list[str]:
    """Site URLs of a ``--sites`` file: one a line; blank lines and lines starting with ``#`` are skipped."""
    try:
        lines = Path(path).read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise _UsageError(f"cannot read the --sites file {path}: {getattr(exc, 'strerror', None) or exc}") from exc
    sites = [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]
    if not sites:
        raise _UsageError(f"the --sites file {path} names no site (one URL a line)")
    return sites


def _cmd_crawl(args: argparse.Namespace) -> int:
    from .net.crawl import CrawlOptions, crawl, crawl_sites, default_db_path
    from .net.store import CrawlStore

    if (args.site_url is None) == (args.sites is None):
        raise _UsageError("crawl needs a site URL or --sites FILE (not both)")

    fetch_options = _fetch_options(args, delay=args.delay, per_host_concurrency=args.concurrency)
    options = CrawlOptions(
        fetch=fetch_options,
        concurrency=args.concurrency,
        refresh=args.refresh,
        walk_misses=args.walk,
        walk_from=args.walk_from,
        clean_processes=args.clean_processes,
    )
    if args.sites is not None:
        sites = _read_sites(args.sites)
        db = Path(args.db) if args.db else Path(args.sites).with_suffix(".sqlite")
    else:
        sites = [args.site_url]
        db = Path(args.db) if args.db else default_db_path(args.site_url)
    if args.jsonl and args.jsonl != "-" and _same_file(Path(args.jsonl), db):
        raise SystemExit(f"newsclean: will not write the export onto the database it reads: {args.jsonl}")
    bar = _CrawlBar()
    if args.sites is not None:
        articles = crawl_sites(sites, db=db, limit=args.limit, since=args.since, options=options, progress=bar)
    else:
        articles = crawl(args.site_url, limit=args.limit, since=args.since, db=db, options=options, progress=bar)
    outage: FetchError | None = None
    try:
        for _ in articles:
            pass
    except FetchError as exc:  # a site could not be reached: what was done is kept, the rest stays to do
        outage = exc
    p = bar.progress
    nothing_read = bool(p.start_errors) and len(p.start_errors) >= len(sites) and p.new + p.updated == 0
    if nothing_read and outage is None:
        # Nothing stored and every start page failed: a dead or mistyped site, not an empty one.
        where = "the start page" if len(sites) == 1 else f"all {len(sites)} start pages"
        print(f"newsclean: nothing stored: {where} failed: {'; '.join(p.start_errors)}", file=sys.stderr)
        return 1
    with CrawlStore(db, create=False) as store:
        counts = store.counts()
    summary = (
        f"{p.new} new, {p.unchanged} unchanged, {p.failed} failed "
        f"({p.updated} updated, {p.old} older than --since), {p.discovery_failed} discovery pages failed "
        f"(lists, feeds, sitemaps){_start_note(p, len(sites))}; {db} holds {counts.articles} articles, "
        f"{counts.failed} failed URLs"
    )
    # A site that was down fails the command, unless other sites of a --sites crawl were crawled.
    failed = outage is not None and (len(sites) == 1 or len(p.outages) >= len(sites))
    if failed:
        assert outage is not None
        print(f"newsclean: {type(outage).__name__}: {outage}; {summary}", file=sys.stderr)
    else:
        down = f" ({len(p.outages)} of {len(sites)} sites down: their URLs stay to do)" if p.outages else ""
        print(f"newsclean: {summary}{down}", file=sys.stderr)
    if args.jsonl:
        _export_to(db, "jsonl", args.jsonl)
    return 1 if failed else 0


def _start_note(p: CrawlProgress, sites: int) -> str:
    """What the summary says of start pages that could not be read."""
    if not p.start_errors:
        return ""
    if sites == 1:
        return ", the start page failed"
    if len(p.start_errors) >= sites:
        return f", all {sites} start pages failed"
    return f", {len(p.start_errors)} of {sites} start pages failed"


def _cmd_export(args: argparse.Namespace) -> int:
    count = _export_to(Path(args.db), args.format, args.output, unique=args.unique)
    print(f"newsclean: exported {count} {'stories' if args.unique else 'articles'}", file=sys.stderr)
    return 0


def _cmd_dedup(args: argparse.Namespace) -> int:
    from .corpus.neardup import assign
    from .corpus.records import ClusterRow, Corpus, detect_format, write_cluster_rows
    from .net.store import CrawlStore

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
    from .corpus.export import JsonlWriter, open_writer
    from .corpus.warc import SKIP_REASONS, Kept, WarcStats, clean_warcs

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


def _add_family_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--family",
        dest="families",
        action="append",
        default=[],
        metavar="FILE",
        help="a CMS family of your own: a Python file declaring FAMILY = newsclean.sites.Family(...) (repeatable)",
    )


def _default_clean_processes() -> int:
    """One cleaning process per core when there are several: cleaning, not fetching, bounds a crawl's speed."""
    cores = os.cpu_count() or 1
    return cores if cores > 1 else 0


class _Parser(argparse.ArgumentParser):
    """Reports a bad command line in one line (and where to read more), never with a usage block."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def _add_clean_command(commands: argparse._SubParsersAction[_Parser]) -> None:
    clean = commands.add_parser(
        "clean",
        help="clean pages (HTML or text dumps) from files, a directory or stdin",
        description="Clean one page, or many in worker processes. With several inputs the kept articles are "
        "written in input order and a summary of kept and skipped pages (by error class) goes to stderr.",
    )
    clean.add_argument("paths", nargs="*", metavar="PATH", help="pages' HTML or text dumps; - reads stdin")
    clean.add_argument("--input-dir", metavar="DIR", help="also clean every page file under DIR (recursively)")
    clean.add_argument(
        "--glob", metavar="PATTERN", help="with --input-dir: files matching PATTERN (default: *.html, *.htm, *.txt)"
    )
    clean.add_argument("--format", choices=CLEAN_FORMATS, default="json", help="output format (default json)")
    clean.add_argument("--output", "-o", metavar="OUT", help="write to OUT instead of stdout")
    clean.add_argument(
        "--jobs", "-j", type=_COUNT, default=os.cpu_count() or 1, metavar="N", help="worker processes (default: cores)"
    )
    clean.add_argument("--url", help="the page's URL (gives site and article id); one input only")
    clean.add_argument("--charset", help="the page's charset when it declares none (e.g. from an HTTP header)")
    clean.add_argument("--no-site-rules", action="store_true", help="use the generic extractor only")
    clean.add_argument("--verbose", "-v", action="store_true", help="name each skipped file and why")
    _add_family_argument(clean)
    clean.set_defaults(func=_cmd_clean)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="newsclean", description="Clean Korean news pages into articles.")
    parser.add_argument("-V", "--version", action="version", version=f"newsclean {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)
    _add_clean_command(commands)
    fetch = commands.add_parser("fetch", help="fetch one article page and clean it")
    fetch.add_argument("url", help="the article's http(s) URL")
    fetch.add_argument("--format", choices=FORMATS, default="json")
    _add_fetch_arguments(fetch)
    _add_family_argument(fetch)
    fetch.set_defaults(func=_cmd_fetch)
    crawl_cmd = commands.add_parser("crawl", help="crawl a site's articles into a database (resumable)")
    crawl_cmd.add_argument("site_url", nargs="?", help="the site's start page, or one of its section lists")
    crawl_cmd.add_argument(
        "--sites",
        metavar="FILE",
        help="crawl every site listed in FILE (one URL a line) at once, into one database "
        "(default: FILE's name with .sqlite); each host keeps its own delay and concurrency",
    )
    crawl_cmd.add_argument("--db", help="crawl database (default: <site>.sqlite in the current directory)")
    crawl_cmd.add_argument("--jsonl", help="at the end, write every stored article to this JSONL file (- = stdout)")
    crawl_cmd.add_argument("--limit", type=_COUNT, help="stop after this many new or changed articles (per site)")
    crawl_cmd.add_argument("--since", type=_since, help="skip articles published before this date (YYYY-MM-DD)")
    crawl_cmd.add_argument(
        "--concurrency", type=_COUNT, default=4, help="requests at once to the site's host (default 4)"
    )
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
    _add_family_argument(crawl_cmd)
    crawl_cmd.set_defaults(func=_cmd_crawl)
    export = commands.add_parser("export", help="write a crawl database's articles as JSONL, CSV or Parquet")
    export.add_argument("db", help="the crawl database")
    export.add_argument("--format", choices=("jsonl", "csv", "parquet"), default="jsonl")
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
    warc = commands.add_parser("warc", help="clean every Korean news article in web archives (WARC) into one file")
    warc.add_argument("paths", nargs="+", metavar="IN", help="WARC files (.warc, .warc.gz), paths or fsspec URLs")
    warc.add_argument("--output", "-o", required=True, help="the output file (- writes JSONL to stdout)")
    warc.add_argument("--format", choices=("parquet", "jsonl"), default="parquet")
    warc.add_argument(
        "--jobs", "-j", type=_COUNT, default=_default_jobs(), help="cleaning processes (default: one per core)"
    )
    _add_family_argument(warc)
    warc.set_defaults(func=_cmd_warc)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    registered: list[str] = []  # the command line's own families, registered for this call only
    try:
        for path in getattr(args, "families", ()):
            from .sites import register_family_file

            registered.append(register_family_file(path).name)
        code: int = args.func(args)
        sys.stdout.flush()  # a write error of the last output shows here, not at exit
    except _UsageError as exc:
        print(f"newsclean: {exc}", file=sys.stderr)
        return 2
    except NewscleanError as exc:
        print(f"newsclean: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    except _validation_errors() as exc:  # an option value the models refuse
        problems = "; ".join(f"{'.'.join(map(str, e['loc'])) or 'value'}: {e['msg']}" for e in exc.errors())
        print(f"newsclean: bad option: {problems}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        # The reader of the output went away (``newsclean clean … | head``): stop quietly, as Unix tools do.
        _silence_stdout()
        return BROKEN_PIPE_STATUS
    except _WriteError as exc:
        _silence_stdout()
        print(f"newsclean: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        if exc.filename is None:  # no file named: the output failed (stdout to a full disk or a closed pipe)
            _silence_stdout()
            print(f"newsclean: cannot write standard output: {exc.strerror or exc}", file=sys.stderr)
        else:
            print(f"newsclean: cannot read {exc.filename}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("newsclean: interrupted", file=sys.stderr)
        return 130
    finally:
        for name in registered:
            from .sites import unregister_family

            unregister_family(name)
    return code


def _validation_errors() -> tuple[type[ValidationError], ...]:
    """The models' validation error, when the models are loaded (a command that never built one cannot have
    raised it): an ``except`` clause evaluates this only when an exception reaches it."""
    if "pydantic_core" not in sys.modules:
        return ()
    from pydantic import ValidationError

    return (ValidationError,)


def _silence_stdout() -> None:
    """Point stdout at /dev/null, so that the interpreter's last flush at exit cannot fail a second time."""
    with contextlib.suppress(OSError, ValueError, AttributeError):  # no file descriptor (captured): nothing to do
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
