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

import math
from collections import Counter
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
# Paragraphs of at least ``MIN_DEDUP_LETTERS`` letters on a page above which a new one is compared only with the kept
# ones an index of their rarest trigrams names; on shorter pages comparing with every kept one is cheaper.
INDEXED_FROM = NEAR_DUPLICATE_WINDOW
# Distinct paragraphs of a page whose trigrams rank all trigrams for that index (see ``_IndexedWindow``).
RANK_SAMPLE = 256
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
    items: list[tuple[str, str, str]] = []  # (paragraph, key, letters) of the paragraphs with any text
    for paragraph in paragraphs:
        key = dedup_key(paragraph)
        if key:
            items.append((paragraph, key, letters_only(key)))  # a key is its own key: the paragraph's letters
    long_letters = [squashed for _, _, squashed in items if len(squashed) >= MIN_DEDUP_LETTERS]
    window: _Window = _IndexedWindow(long_letters) if len(long_letters) > INDEXED_FROM else _Window()
    kept: list[str] = []
    dropped: list[tuple[str, str]] = []
    by_key: dict[str, str] = {}
    previous: tuple[str, str] | None = None  # (key, paragraph) of the input paragraph just before
    for paragraph, key, squashed in items:
        before, previous = previous, (key, paragraph)
        if len(squashed) < MIN_DEDUP_LETTERS:
            if before is not None and before[0] == key:
                dropped.append((paragraph, before[1]))
            else:
                kept.append(paragraph)
            continue
        original = by_key.get(key) or window.near_duplicate_of(squashed)
        if original is not None:
            dropped.append((paragraph, original))
            continue
        kept.append(paragraph)
        by_key[key] = paragraph
        window.add(_KeptParagraph(squashed, paragraph))
    return DedupResult(kept=kept, dropped=dropped)


class _Window:
    """The last ``NEAR_DUPLICATE_WINDOW`` kept paragraphs, each compared with a new one in turn."""

    def __init__(self) -> None:
        self.recent: list[_KeptParagraph] = []

    def add(self, kept: _KeptParagraph) -> None:
        self.recent.append(kept)
        if len(self.recent) > NEAR_DUPLICATE_WINDOW:
            self.forget(self.recent.pop(0))

    def forget(self, kept: _KeptParagraph) -> None:
        """``kept`` left the window."""

    def near_duplicate_of(self, squashed: str) -> str | None:
        return _near_duplicate_of(squashed, self.recent)


class _IndexedWindow(_Window):
    """The window on a page of many paragraphs: a new paragraph is compared only with the kept ones that could
    repeat it, so its cost does not grow with how many were kept.

    Containment (and equality) is looked for in one substring search over the window's letters. Trigram Jaccard
    similarity uses prefix filtering: with every trigram ranked in one fixed order, two sets with Jaccard
    similarity at least J share a trigram among the first ``len - floor(J * len) + 1`` of each, so only kept
    paragraphs sharing one of the new paragraph's first trigrams are compared. Both filters only rule out pairs the
    full comparison rejects: the result is the same, whatever the order. The order puts rare trigrams first, so
    that few kept paragraphs share one: it ranks the trigrams of the page's first ``RANK_SAMPLE`` distinct
    paragraphs by how many of them hold each (rarest first), after every trigram they never hold (by the trigram
    itself). A paragraph's trigrams are worked out when it arrives and kept while it is in the window, so memory
    stays bounded by the window and the sample on a huge page.
    """

    def __init__(self, letters: list[str]) -> None:
        super().__init__()
        sample: dict[str, frozenset[str]] = {}  # the first distinct paragraphs' trigrams, until they arrive
        for squashed in letters:
            if squashed not in sample:
                sample[squashed] = _trigrams(squashed)
                if len(sample) == RANK_SAMPLE:
                    break
        counts: Counter[str] = Counter()
        for paragraph_grams in sample.values():
            counts.update(paragraph_grams)
        self._rank = {gram: at for at, gram in enumerate(sorted(counts, key=lambda gram: (counts[gram], gram)))}
        self._ranked = frozenset(self._rank)
        self._sample = sample
        self._by_gram: dict[int | str, dict[int, _KeptParagraph]] = {}  # prefix trigram -> kept paragraphs (by order)
        self._arrived = 0
        self._joined: str | None = ""
        self._last: tuple[str, frozenset[str], list[int | str]] | None = None  # the paragraph last worked out

    def _grams_and_prefix(self, squashed: str) -> tuple[frozenset[str], list[int | str]]:
        """The paragraph's trigrams and its first ones in the order of the index (unranked ones by themselves,
        ranked ones by their rank)."""
        last = self._last
        if last is not None and last[0] == squashed:
            return last[1], last[2]
        grams = self._sample.pop(squashed, None)
        if grams is None:
            grams = _trigrams(squashed)
        size = len(grams) - math.floor(NEAR_DUPLICATE_JACCARD * len(grams)) + 1
        prefix: list[int | str] = [*sorted(grams - self._ranked)[:size]]
        if len(prefix) < size:
            prefix.extend(sorted(map(self._rank.__getitem__, grams & self._ranked))[: size - len(prefix)])
        self._last = (squashed, grams, prefix)
        return grams, prefix

    def add(self, kept: _KeptParagraph) -> None:
        self._arrived += 1
        kept.order = self._arrived
        grams, kept.prefix = self._grams_and_prefix(kept.letters)
        kept.known_grams(grams)
        for gram in kept.prefix:
            self._by_gram.setdefault(gram, {})[kept.order] = kept
        self._joined = None
        super().add(kept)

    def forget(self, kept: _KeptParagraph) -> None:
        for gram in kept.prefix:
            del self._by_gram[gram][kept.order]

    def near_duplicate_of(self, squashed: str) -> str | None:
        if self._joined is None:
            self._joined = "\0".join(kept.letters for kept in self.recent)  # letters never hold a NUL
        if squashed in self._joined:
            return _near_duplicate_of(squashed, self.recent)  # maybe contained in a kept one: every check, in turn
        grams, prefix = self._grams_and_prefix(squashed)
        candidates: dict[int, _KeptParagraph] = {}
        for gram in prefix:
            near = self._by_gram.get(gram)
            if near:
                candidates.update(near)
        if not candidates:
            return None
        return _near_duplicate_of(squashed, [candidates[order] for order in sorted(candidates)], grams)


class _KeptParagraph:
    """A kept paragraph's letters, with its trigrams computed only when a comparison needs them."""

    __slots__ = ("_grams", "letters", "order", "paragraph", "prefix")

    def __init__(self, letters: str, paragraph: str) -> None:
        self.letters = letters
        self.paragraph = paragraph
        self.order = 0  # its place among the kept paragraphs of an indexed window
        self.prefix: list[int | str] = []  # its first trigrams in that window's order
        self._grams: frozenset[str] | None = None

    def known_grams(self, grams: frozenset[str]) -> None:
        self._grams = grams

    @property
    def grams(self) -> frozenset[str]:
        if self._grams is None:
            self._grams = _trigrams(self.letters)
        return self._grams


def _near_duplicate_of(squashed: str, recent: list[_KeptParagraph], grams: frozenset[str] | None = None) -> str | None:
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
