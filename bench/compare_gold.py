"""Compare clean_article with the gold of a corpus folder: body token F1 per page, rules on and off.

    python bench/compare_gold.py CORPUS_DIR [--generic] [--fields] [--by-site]

CORPUS_DIR holds pages (*.html or *.txt) and gold/<stem>.json, as the evaluation corpus does (or a fixtures
folder, pages beside their <stem>.gold.json). ``--by-site`` prints the scores of each site's pages on their
own, worst site first: the generic path has no parameters fitted to pages, so with ``--generic`` this is the
leave-one-site-out view, each site scored as a site the cleaner has no rule for. The token F1 is the same
measure as the evaluation scorer's (NFKC, lower-cased, punctuation and symbols dropped, bag of tokens).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from corpus import same_text
from corpus import token_f1 as f1

from newsclean import clean_article
from newsclean.errors import NewscleanError
from newsclean.models import CleanOptions


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--generic", action="store_true", help="site rules off")
    parser.add_argument("--fields", action="store_true", help="show title/subtitles/authors/captions differences")
    parser.add_argument("--by-site", action="store_true", help="scores per site, worst first")
    args = parser.parse_args()
    options = CleanOptions(site_rules=not args.generic)
    scores = []
    by_site: dict[str, list[tuple[float, bool, bool, bool]]] = {}
    for gold_file, page in _pages(args.corpus):
        gold = json.loads(gold_file.read_text(encoding="utf-8"))
        try:
            article = clean_article(page.read_bytes(), url=gold.get("url"), options=options)
            text = "\n".join(article.paragraphs)
        except NewscleanError as exc:
            print(f"{page.name}: {type(exc).__name__}: {exc}")
            text, article = "", None
        score = f1(text, "\n".join(gold["paragraphs"]))
        scores.append(score)
        site = gold.get("site") or page.stem.split("_")[0]
        by_site.setdefault(site, []).append(
            (
                score,
                article is not None and same_text(article.title, gold["title"]),
                article is not None and sorted(article.authors) == sorted(gold["authors"]),
                article is not None and _same_minute(article.published_at, gold["published"]),
            )
        )
        print(f"{page.name:45s} F1 {score:.3f}")
        if args.fields and article is not None:
            captions = [i.caption for i in article.images if i.caption]
            for name, ours, theirs in (
                ("title", article.title, gold["title"]),
                ("subtitles", list(article.subtitles), gold["subtitles"]),
                ("authors", list(article.authors), gold["authors"]),
                ("published", article.published_at.isoformat() if article.published_at else None, gold["published"]),
                ("captions", captions, gold["captions"]),
                ("paragraphs", len(article.paragraphs), len(gold["paragraphs"])),
            ):
                if ours != theirs:
                    print(f"    {name}: ours {ours!r}\n    {' ' * len(name)}  gold {theirs!r}")
    mode = "generic only" if args.generic else "rules on"
    print(f"mean F1 {statistics.fmean(scores):.3f} over {len(scores)} pages ({mode})")
    if args.by_site:
        print(f"\n{'site':28s} pages  mean F1  min F1  title  authors  published")
        rows = sorted(by_site.items(), key=lambda item: statistics.fmean(r[0] for r in item[1]))
        for site, rows_ in rows:
            n = len(rows_)
            print(
                f"{site:28s} {n:5d}  {statistics.fmean(r[0] for r in rows_):7.3f}  {min(r[0] for r in rows_):6.3f}"
                f"  {sum(r[1] for r in rows_) / n:5.2f}  {sum(r[2] for r in rows_) / n:7.2f}"
                f"  {sum(r[3] for r in rows_) / n:9.2f}"
            )
        print(f"worst site: {rows[0][0]}")


def _pages(corpus: Path) -> list[tuple[Path, Path]]:
    """(gold file, page) pairs of a corpus folder (gold/<stem>.json) or a fixtures tree (<stem>.gold.json)."""
    out = []
    for gold_file in sorted((corpus / "gold").glob("*.json")):
        for suffix in (".html", ".txt"):
            page = corpus / (gold_file.stem + suffix)
            if page.exists():
                out.append((gold_file, page))
    for gold_file in sorted(corpus.glob("**/*.gold.json")):
        stem = gold_file.name[: -len(".gold.json")]
        for suffix in (".html", ".txt"):
            page = gold_file.with_name(stem + suffix)
            if page.exists():
                out.append((gold_file, page))
    return out


def _same_minute(value: datetime | None, gold: str | None) -> bool:
    if value is None or gold is None:
        return value is None and gold is None
    return abs((value - datetime.fromisoformat(gold)).total_seconds()) < 60


if __name__ == "__main__":
    main()
