"""Regenerate fixtures/<site>/<stem>.expected.json: what clean_article returns for every HTML fixture.

    python tests/regen_expected.py          # rewrite every expected JSON
    git diff fixtures/                      # review the change like code

The URL given to clean_article is the one the folder's sources.json records for the file.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from newsclean import clean_article

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def html_fixtures() -> list[tuple[Path, str | None]]:
    """Every HTML fixture page with the URL its sources.json gives (``None`` when it gives none)."""
    out = []
    for page in sorted(FIXTURES.glob("*/*.html")):
        url = None
        sources = page.parent / "sources.json"
        if sources.exists():
            for entry in json.loads(sources.read_text(encoding="utf-8")).get("files", []):
                if entry.get("file") == page.name:
                    url = entry.get("url")
        out.append((page, url))
    return out


def expected_path(page: Path) -> Path:
    return page.with_name(page.stem + ".expected.json")


def article_json(page: Path, url: str | None) -> dict[str, Any]:
    article = clean_article(page.read_bytes(), url=url)
    data: dict[str, Any] = article.model_dump(mode="json", exclude={"text"})
    return data


def dumps(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def main() -> int:
    for page, url in html_fixtures():
        path = expected_path(page)
        text = dumps(article_json(page, url))
        changed = not path.exists() or path.read_text(encoding="utf-8") != text
        path.write_text(text, encoding="utf-8")
        print(f"{'updated' if changed else 'same   '} {path.relative_to(FIXTURES)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
