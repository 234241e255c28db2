"""Paragraph dedup: list[str] -> list[str], deterministic, per document (no state between calls).

A paragraph is dropped when it repeats an earlier one once both are normalised (NFKC, zero-width characters
removed, all spacing removed: ``시·도`` = ``시 · 도``), when it nearly repeats one (about as many letters, and
character-trigram Jaccard similarity at or above ``NEAR_DUPLICATE_JACCARD``), or when it is wholly contained in an
earlier, longer paragraph (a caption that quotes the lead's first sentence).

Short paragraphs (under ``MIN_DEDUP_LETTERS`` letters: a one-line quote, "◆ 주요 내용", "(끝)") repeat on
purpose in real articles, so they are dropped only when they directly follow themselves, which is a rendering
artefact rather than writing.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..text import dedup_key, letters_only

__all__ = ["DedupResult", "dedup_paragraphs"]

# Letters (after squashing) below which a repeat may be intentional; the scorer's own floor is 20 too.
MIN_DEDUP_LETTERS = 20
# Trigram Jaccard similarity at which two paragraphs count as the same text (spacing/punctuation edits).
NEAR_DUPLICATE_JACCARD = 0.9
# Near-duplicates have nearly the same number of letters (shorter / longer at least this).
NEAR_DUPLICATE_LENGTH_RATIO = 0.9
# A later paragraph at least this long (letters) found inside an earlier one is a repeat of part of it.
MIN_CONTAINED_LETTERS = 30
# Near-duplicate checks look back over at most this many kept paragraphs (exact repeats are found at any distance),
# so cost stays linear on huge pages and is already at its per-paragraph maximum on a 25 KB page: a near repeat
# further back than this is writing, not a rendering echo (real articles keep fewer paragraphs than this).
NEAR_DUPLICATE_WINDOW = 50
# Trigrams of one text missing from the other, per trigram the two can share, above which the trigram Jaccard
# similarity cannot reach ``NEAR_DUPLICATE_JACCARD`` (Jaccard >= J needs the differing trigrams d to be at most
# (1 - J) / J times the shared ones, and at most len - 2 can be shared). Two unrelated paragraphs show that many
# missing trigrams among their first few, so they are ruled out with substring tests before any trigram set is
# built; the test never rejects a real near-duplicate.
MAX_MISSING_PER_SHARED_TRIGRAM = (1 - NEAR_DUPLICATE_JACCARD) / NEAR_DUPLICATE_JACCARD
# Trigrams of a paragraph looked up in the other by that test at most, so a pair costs a bounded time before the
# set comparison even when the two are alike.
MISSING_TRIGRAM_PROBES = 48
# Slack (trigrams) on that bound, so float rounding never rejects a pair sitting exactly on it.
_BOUND_SLACK = 1e-6

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
    recent: list[_KeptParagraph] = []
    previous: tuple[str, str] | None = None  # (key, paragraph) of the input paragraph just before
    for paragraph in paragraphs:
        key = dedup_key(paragraph)
        if not key:
            continue
        before, previous = previous, (key, paragraph)
        squashed = letters_only(key)  # the same as letters_only(paragraph): a key is its own key
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
        recent.append(_KeptParagraph(squashed, paragraph))
        if len(recent) > NEAR_DUPLICATE_WINDOW:
            recent.pop(0)
    return DedupResult(kept=kept, dropped=dropped)


class _KeptParagraph:
    """A kept paragraph's letters, with its trigrams computed only when a comparison needs them."""

    __slots__ = ("_grams", "letters", "paragraph")

    def __init__(self, letters: str, paragraph: str) -> None:
        self.letters = letters
        self.paragraph = paragraph
        self._grams: frozenset[str] | None = None

    @property
    def grams(self) -> frozenset[str]:
        if self._grams is None:
            self._grams = _trigrams(self.letters)
        return self._grams


def _near_duplicate_of(squashed: str, recent: list[_KeptParagraph]) -> str | None:
    grams: frozenset[str] | None = None
    size = len(squashed)
    may_be_contained = size >= MIN_CONTAINED_LETTERS
    for kept in recent:
        other = kept.letters
        if squashed == other or (may_be_contained and squashed in other):
            return kept.paragraph
        other_size = len(other)
        shorter, longer = (size, other_size) if size <= other_size else (other_size, size)
        if shorter / longer < NEAR_DUPLICATE_LENGTH_RATIO:
            continue  # texts of very different lengths are not near-duplicates (containment is tested above)
        # Trigram sets, built once per paragraph and compared in C: a pair costs the same whether it is close or
        # not, so paragraphs that are all nearly alike cost no more than unrelated ones.
        if _misses_too_many(squashed, other, MAX_MISSING_PER_SHARED_TRIGRAM * (shorter - 2) + _BOUND_SLACK):
            continue
        grams = grams if grams is not None else _trigrams(squashed)
        other_grams = kept.grams
        if min(len(grams), len(other_grams)) < NEAR_DUPLICATE_JACCARD * max(len(grams), len(other_grams)):
            continue  # the Jaccard similarity is at most the ratio of the set sizes
        shared = len(grams & other_grams)
        if shared / (len(grams) + len(other_grams) - shared) >= NEAR_DUPLICATE_JACCARD:
            return kept.paragraph
    return None


def _misses_too_many(text: str, other: str, allowed: float) -> bool:
    """True when more than ``allowed`` distinct trigrams among the first ``MISSING_TRIGRAM_PROBES`` of ``text`` do
    not occur in ``other`` (then more than ``allowed`` of all its trigrams do not either)."""
    missing: set[str] = set()
    for start in range(min(len(text) - 2, MISSING_TRIGRAM_PROBES)):
        gram = text[start : start + 3]
        if gram not in other and gram not in missing:
            missing.add(gram)
            if len(missing) > allowed:
                return True
    return False
