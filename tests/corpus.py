"""Stored pages in fixtures/ and the measures the tests apply to them (no network, nothing outside the repo)."""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from newsclean import Article, clean_article

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


@dataclass(frozen=True)
class Case:
    site: str
    path: Path
    gold: dict[str, Any]

    @property
    def id(self) -> str:
        return f"{self.site}/{self.path.name}"

    @property
    def kind(self) -> str:
        return "html" if self.path.suffix == ".html" else "text"


def cases(kind: str | None = None) -> list[Case]:
    """Every fixture page that has a gold annotation, optionally only HTML or only text."""
    out = []
    for gold_file in sorted(FIXTURES.glob("*/*.gold.json")):
        stem = gold_file.name[: -len(".gold.json")]
        for suffix in (".html", ".txt"):
            page = gold_file.with_name(stem + suffix)
            if page.exists():
                case = Case(gold_file.parent.name, page, json.loads(gold_file.read_text(encoding="utf-8")))
                if kind is None or case.kind == kind:
                    out.append(case)
    return out


def _norm(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "").replace("\u200b", "").strip()


def tokens(text: str) -> list[str]:
    out = []
    for raw in _norm(text).lower().split():
        token = "".join(ch for ch in raw if not unicodedata.category(ch).startswith(("P", "S")))
        if token:
            out.append(token)
    return out


def token_f1(predicted: str, gold: str) -> float:
    """Body token F1 over whitespace tokens with punctuation removed (bag of words)."""
    p, g = Counter(tokens(predicted)), Counter(tokens(gold))
    if not p and not g:
        return 1.0
    common = sum((p & g).values())
    if not common:
        return 0.0
    precision, recall = common / sum(p.values()), common / sum(g.values())
    return 2 * precision * recall / (precision + recall)


def squash(text: str) -> str:
    return "".join(ch for ch in _norm(text) if ch.isalnum())


def near_duplicates(paragraphs: list[str]) -> int:
    """Paragraphs of 20+ letters that repeat an earlier one exactly or nearly (3-gram Jaccard >= 0.9)."""
    seen: list[set[str]] = []
    count = 0
    for paragraph in paragraphs:
        letters = squash(paragraph)
        if len(letters) < 20:
            continue
        grams = {letters[i : i + 3] for i in range(len(letters) - 2)}
        if any(len(grams & other) / len(grams | other) >= 0.9 for other in seen):
            count += 1
        seen.append(grams)
    return count


def leaks(text: str, boilerplate: list[str]) -> list[str]:
    body = squash(text)
    return [b for b in boilerplate if len(squash(b)) >= 6 and squash(b) in body]


def same_text(a: str | None, b: str | None) -> bool:
    return squash(a or "") == squash(b or "")


_SPACE = re.compile(r"\s+")


def reference_article() -> Article:
    """The reference page's article (its text dump, with its URL)."""
    raw = (FIXTURES / "gginews2.dadamedia.net" / "66849.txt").read_bytes()
    return clean_article(raw, url="http://gginews2.dadamedia.net/news/view.php?idx=66849")


def other_article() -> Article:
    """An article of another site and story than the reference page's."""
    return clean_article((FIXTURES / "mk.co.kr" / "mk_11328184.html").read_bytes())
