"""Command line: ``newsclean clean PATH|-``; the only module that prints."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from . import __version__
from .api import clean_article
from .errors import NewscleanError
from .models import Article, CleanOptions

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
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise SystemExit(f"newsclean: cannot read {path}: {exc.strerror or exc}") from exc


def _cmd_clean(args: argparse.Namespace) -> int:
    raw = _read_input(args.path)
    options = CleanOptions(site_rules=not args.no_site_rules)
    article = clean_article(raw, url=args.url, options=options)
    sys.stdout.write(render(article, args.format))
    if args.format == "json":
        sys.stdout.write("\n")
    return 0


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
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        code: int = args.func(args)
    except NewscleanError as exc:
        print(f"newsclean: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("newsclean: interrupted", file=sys.stderr)
        return 130
    return code


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
