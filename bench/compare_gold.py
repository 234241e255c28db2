"""Compare clean_article with the gold of a corpus folder: body token F1 per page, rules on and off.

    python bench/compare_gold.py CORPUS_DIR [--generic] [--fields]

CORPUS_DIR holds pages (*.html) and gold/<stem>.json, as the evaluation corpus does. The token F1 is the same
measure as the evaluation scorer's (NFKC, lower-cased, punctuation and symbols dropped, bag of tokens).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from corpus import token_f1 as f1

from newsclean import clean_article
from newsclean.errors import NewscleanError
from newsclean.models import CleanOptions


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--generic", action="store_true", help="site rules off")
    parser.add_argument("--fields", action="store_true", help="show title/subtitles/authors/captions differences")
    args = parser.parse_args()
    options = CleanOptions(site_rules=not args.generic)
    scores = []
    for gold_file in sorted((args.corpus / "gold").glob("*.json")):
        gold = json.loads(gold_file.read_text(encoding="utf-8"))
        page = args.corpus / (gold_file.stem + ".html")
        if not page.exists():
            continue
        try:
            article = clean_article(page.read_bytes(), url=gold.get("url"), options=options)
            text = "\n".join(article.paragraphs)
        except NewscleanError as exc:
            print(f"{page.name}: {type(exc).__name__}: {exc}")
            text, article = "", None
        score = f1(text, "\n".join(gold["paragraphs"]))
        scores.append(score)
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


if __name__ == "__main__":
    main()
