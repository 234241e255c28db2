"""Paragraph dedup: list[str] -> list[str], deterministic, per document (no state between calls).

A paragraph is dropped when it repeats an earlier one once both are normalised (NFKC, zero-width characters
removed, all spacing removed: ``시·도`` = ``시 · 도``), when it nearly repeats one (character-trigram Jaccard
similarity at or above ``NEAR_DUPLICATE_JACCARD``), or when it is wholly contained in an earlier, longer
paragraph (a caption that quotes the lead's first sentence).

Short paragraphs (under ``MIN_DEDUP_LETTERS`` letters: a one-line quote, "◆ 주요 내용", "(끝)") repeat on
purpose in real articles, so they are dropped only when they directly follow themselves, which is a rendering
artefact rather than writing.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

__all__ = ["DedupResult", "dedup_key", "dedup_paragraphs", "letters"]

# Letters (after squashing) below which a repeat may be intentional; the scorer's own floor is 20 too.
MIN_DEDUP_LETTERS = 20
# Trigram Jaccard similarity at which two paragraphs count as the same text (spacing/punctuation edits).
NEAR_DUPLICATE_JACCARD = 0.9
# A later paragraph at least this long (letters) found inside an earlier one is a repeat of part of it.
MIN_CONTAINED_LETTERS = 30
# Near-duplicate checks look back over at most this many kept paragraphs, so cost stays linear on huge pages.
NEAR_DUPLICATE_WINDOW = 200

_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))


def dedup_key(text: str) -> str:
    """The text with Unicode normalised (NFKC), zero-width characters and all whitespace removed."""
    normalised = unicodedata.normalize("NFKC", text).translate(_ZERO_WIDTH)
    return "".join(normalised.split())


def letters(text: str) -> str:
    """Only the letters and digits of ``dedup_key(text)``: what near-duplicate tests compare."""
    return "".join(ch for ch in dedup_key(text) if ch.isalnum()).lower()


def _trigrams(text: str) -> frozenset[str]:
    return frozenset(text[i : i + 3] for i in range(max(0, len(text) - 2)))


@dataclass(frozen=True)
class DedupResult:
    kept: list[str]
    dropped: list[tuple[str, str]]  # (dropped paragraph, the kept paragraph it repeats)


def dedup_paragraphs(paragraphs: list[str]) -> DedupResult:
    """Drop repeated paragraphs, keeping each first occurrence; report what was dropped and why."""
    kept: list[str] = []
    dropped: list[tuple[str, str]] = []
    by_key: dict[str, str] = {}
    recent: list[tuple[str, frozenset[str], str]] = []  # (letters, trigrams, kept paragraph)
    previous: tuple[str, str] | None = None  # (key, paragraph) of the input paragraph just before
    for paragraph in paragraphs:
        key = dedup_key(paragraph)
        if not key:
            continue
        before, previous = previous, (key, paragraph)
        squashed = letters(paragraph)
        if len(squashed) < MIN_DEDUP_LETTERS:
            if before is not None and before[0] == key:
                dropped.append((paragraph, before[1]))
            else:
                kept.append(paragraph)
            continue
        original = by_key.get(key) or _near_duplicate_of(squashed, recent)
        if original is not None:
            dropped.append((paragraph, original))
            continue
        kept.append(paragraph)
        by_key[key] = paragraph
        recent.append((squashed, _trigrams(squashed), paragraph))
        if len(recent) > NEAR_DUPLICATE_WINDOW:
            recent.pop(0)
    return DedupResult(kept=kept, dropped=dropped)


def _near_duplicate_of(squashed: str, recent: list[tuple[str, frozenset[str], str]]) -> str | None:
    grams = _trigrams(squashed)
    for other_letters, other_grams, paragraph in recent:
        if squashed == other_letters:
            return paragraph
        if len(squashed) >= MIN_CONTAINED_LETTERS and squashed in other_letters:
            return paragraph
        shorter, longer = sorted((len(grams), len(other_grams)))
        if not longer or shorter / longer < NEAR_DUPLICATE_JACCARD:
            continue  # Jaccard cannot reach the threshold: skip the set arithmetic
        if len(grams & other_grams) / len(grams | other_grams) >= NEAR_DUPLICATE_JACCARD:
            return paragraph
    return None
