"""Paragraph dedup: deterministic, per document."""

from __future__ import annotations

import random

import pytest

from newsclean.clean import dedup
from newsclean.clean.dedup import dedup_paragraphs
from newsclean.text import dedup_key, letters_only

LEAD = "광명시가 전국 243개 지방자치단체(17개 시·도, 226개 기초지방자치단체)를 대상으로 실시한 평가에서 선정됐다."
LEAD_SPACED = (
    "광명시가 전국 243개 지방자치단체(17개 시 · 도, 226개 기초지방자치단체)를 대상으로 실시한 평가에서 선정됐다."
)
OTHER = "고용노동부가 주관하고 사회적경제활성화전국네트워크가 주최하는 평가는 매년 실시하고 있다."


def test_spacing_around_punctuation_is_the_same_paragraph() -> None:
    assert dedup_key(LEAD) == dedup_key(LEAD_SPACED)
    result = dedup_paragraphs([LEAD, OTHER, LEAD_SPACED])
    assert result.kept == [LEAD, OTHER]
    assert result.dropped == [(LEAD_SPACED, LEAD)]


def test_nfkc_and_zero_width_characters() -> None:
    assert dedup_key("ＡＢＣ\u200b 가나다") == dedup_key("ABC가나다")


def test_near_duplicate_is_dropped() -> None:
    edited = OTHER.replace("매년", "매 년").rstrip(".") + "!"
    assert dedup_paragraphs([OTHER, edited]).kept == [OTHER]


def test_caption_quoting_part_of_the_lead_is_dropped() -> None:
    caption = "광명시가 전국 243개 지방자치단체(17개 시·도, 226개 기초지방자치단체)를 대상으로"
    assert dedup_paragraphs([LEAD, caption]).kept == [LEAD]


def test_short_repeat_on_purpose_is_kept() -> None:
    quote = "“함께 갑시다”"
    paragraphs = [quote, OTHER, quote]
    assert dedup_paragraphs(paragraphs).kept == paragraphs


def test_short_line_printed_twice_in_a_row_is_dropped() -> None:
    assert dedup_paragraphs(["◆ 주요 내용", "◆ 주요 내용", OTHER]).kept == ["◆ 주요 내용", OTHER]


def test_different_paragraphs_are_all_kept() -> None:
    paragraphs = [LEAD, OTHER, "시는 지역사회 특성에 맞는 사회적경제기업을 발굴, 육성하고 있다."]
    assert dedup_paragraphs(paragraphs).kept == paragraphs


def test_deterministic_and_stateless() -> None:
    paragraphs = [LEAD, OTHER, LEAD_SPACED, OTHER]
    assert dedup_paragraphs(paragraphs) == dedup_paragraphs(paragraphs)
    assert dedup_paragraphs([LEAD_SPACED]).kept == [LEAD_SPACED]  # nothing remembered from the call before


def test_empty_paragraphs_are_ignored() -> None:
    assert dedup_paragraphs(["", "   ", OTHER]).kept == [OTHER]


def test_near_duplicates_on_both_sides_of_the_threshold() -> None:
    # Pairs of about the same length on both sides of the Jaccard threshold: dropped exactly when the trigram
    # Jaccard similarity of their letters reaches it.
    from newsclean.clean.dedup import NEAR_DUPLICATE_JACCARD, _trigrams

    base = letters_only(OTHER)
    for edits in range(8):
        edited = base
        for i in range(edits):
            at = 5 + 7 * i
            edited = edited[:at] + "흠" + edited[at + 1 :]
        a, b = _trigrams(base), _trigrams(edited)
        near = len(a & b) / len(a | b) >= NEAR_DUPLICATE_JACCARD
        assert dedup_paragraphs([OTHER, edited]).kept == ([OTHER] if near else [OTHER, edited])


def _edited_copies(rng: random.Random, count: int) -> list[str]:
    """``count`` paragraphs: edited copies of one text (a few syllables changed, added or removed), unrelated
    texts and tails of earlier paragraphs, so some are dropped as near or contained repeats and some are kept."""
    syllables = "가나다라마바사아자차카"
    base = [rng.choice(syllables) for _ in range(rng.randrange(20, 80))]
    paragraphs: list[str] = []
    for _ in range(count):
        if paragraphs and rng.random() < 0.1:
            paragraphs.append(rng.choice(paragraphs)[rng.randrange(5) :])
            continue
        text = list(base) if rng.random() < 0.7 else [rng.choice(syllables) for _ in range(rng.randrange(5, 90))]
        for _ in range(rng.randrange(8)):
            at = rng.randrange(len(text))
            choice = rng.random()
            if choice < 0.4:
                text[at] = rng.choice(syllables)
            elif choice < 0.7:
                text.insert(at, rng.choice(syllables))
            elif len(text) > 1:
                del text[at]
        paragraphs.append("".join(text))
    return paragraphs


def test_the_index_of_a_long_page_drops_what_comparing_every_pair_drops(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(3)
    pages = [_edited_copies(rng, rng.randrange(60, 160)) for _ in range(40)]
    indexed = [dedup_paragraphs(page) for page in pages]
    monkeypatch.setattr(dedup, "INDEXED_FROM", 10**9)  # every page compared pair by pair
    assert [dedup_paragraphs(page) for page in pages] == indexed
    dropped = [pair for result in indexed for pair in result.dropped]
    near = [(text, original) for text, original in dropped if len(text) == len(original) and text != original]
    contained = [(text, original) for text, original in dropped if len(text) < len(original) and text in original]
    assert len(near) > 20 and len(contained) > 100  # repeats of every kind were there to find
    assert all(result.kept for result in indexed)


@pytest.mark.parametrize("sample", [1, 7, 40])
def test_the_index_finds_the_same_repeats_whatever_paragraphs_rank_its_trigrams(
    monkeypatch: pytest.MonkeyPatch, sample: int
) -> None:
    # The trigram order of the index comes from the page's first paragraphs; on a page longer than that sample,
    # trigrams the sample never holds are ordered by themselves. Any order gives what comparing every pair gives.
    rng = random.Random(5)
    pages = [_edited_copies(rng, rng.randrange(60, 160)) for _ in range(30)]
    monkeypatch.setattr(dedup, "INDEXED_FROM", 10**9)
    pairwise = [dedup_paragraphs(page) for page in pages]
    monkeypatch.setattr(dedup, "INDEXED_FROM", dedup.NEAR_DUPLICATE_WINDOW)
    monkeypatch.setattr(dedup, "RANK_SAMPLE", sample)
    assert [dedup_paragraphs(page) for page in pages] == pairwise


def test_the_index_keeps_trigrams_only_of_the_window_and_the_sample() -> None:
    # A huge page of paragraphs, all kept: the index holds the trigrams of the kept paragraphs still in the window
    # and of the sample's paragraphs not yet arrived, never of every paragraph of the page.
    rng = random.Random(7)
    syllables = "가나다라마바사아자차카타파하"
    letters = ["".join(rng.choice(syllables) for _ in range(60)) for _ in range(3 * dedup.RANK_SAMPLE)]
    window = dedup._IndexedWindow(letters)
    assert len(window._sample) == dedup.RANK_SAMPLE
    for squashed in letters:
        assert window.near_duplicate_of(squashed) is None
        window.add(dedup._KeptParagraph(squashed, squashed))
    assert len(window.recent) == dedup.NEAR_DUPLICATE_WINDOW
    assert not window._sample  # every sampled paragraph arrived and took its trigrams with it
    held = {order for kept in window._by_gram.values() for order in kept}
    assert held == {kept.order for kept in window.recent}
