"""Paragraph dedup: deterministic, per document."""

from __future__ import annotations

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
