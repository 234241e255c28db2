"""The named normalisers of newsclean.text, one table of (input, expected) per function."""

from __future__ import annotations

import ast
import inspect
import random
import unicodedata
from collections.abc import Callable

import pytest

from newsclean import text

NBSP, ZWSP, ZWNJ, ZWJ, WJ, BOM, SHY = "\u00a0", "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad"
IDEOGRAPHIC_SPACE = "\u3000"
# "한" written as conjoining jamo (NFD) and composed (NFC).
HAN_NFD = unicodedata.normalize("NFD", "한")
# A full-width digit and a compatibility letter: NFKC folds them, NFC keeps them.
FULLWIDTH_ONE = "１"

CASES: dict[Callable[[str], object], list[tuple[str, object]]] = {
    text.strip_zero_width: [
        ("시" + ZWSP + "도", "시도"),
        (ZWNJ + ZWJ + WJ + BOM + SHY + "가", "가"),
        ("가 나", "가 나"),
        ("", ""),
    ],
    text.fold_spaces: [
        ("  가 \t\n 나  ", "가 나"),
        ("가" + NBSP + NBSP + "나", "가 나"),
        ("가" + IDEOGRAPHIC_SPACE + "나", "가 나"),
        ("가" + ZWSP + "나", "가" + ZWSP + "나"),  # zero width is not spacing
        (HAN_NFD, HAN_NFD),  # nothing but spacing changes
        ("", ""),
    ],
    text.display_form: [
        ("  광명시가   선정됐다. ", "광명시가 선정됐다."),
        ("가\t\n나", "가 나"),
        ("가" + NBSP + "나", "가 나"),
        ("시" + ZWSP + "·" + BOM + "도", "시·도"),
        (HAN_NFD + "국", "한국"),  # composed
        (FULLWIDTH_ONE + "위", FULLWIDTH_ONE + "위"),  # NFC, not NFKC: what the page printed
        ("• 첫째 항목", "• 첫째 항목"),  # bullets are shown
        ("", ""),
    ],
    text.line_form: [
        ("• 첫째 항목", "첫째 항목"),
        ("- 둘째 항목", "둘째 항목"),
        ("■ 관련기사", "관련기사"),
        ("  많이 본   뉴스 ", "많이 본 뉴스"),
        ("기사" + NBSP + "메일전송", "기사 메일전송"),
        ("본문" + ZWSP + "듣기", "본문듣기"),
        (HAN_NFD + "국", "한국"),
        ("-", "-"),  # a bullet alone is the line itself
        ("광명시가 선정됐다.", "광명시가 선정됐다."),
        ("광명시가  선정됐다. ", "광명시가 선정됐다."),  # printable, but spaced twice and at the end
        ("* 셋째 항목", "셋째 항목"),
        ("가\u2028나", "가 나"),  # a line separator is spacing too
        ("", ""),
    ],
    text.line_forms: [
        (
            ["• 첫째 항목", "", "  많이 본   뉴스 ", "광명시가 선정됐다.", HAN_NFD + "국"],
            ["첫째 항목", "", "많이 본 뉴스", "광명시가 선정됐다.", "한국"],
        ),
        ([], []),
    ],
    text.dedup_key: [
        ("시 · 도", "시·도"),
        ("시" + ZWSP + "·도", "시·도"),
        (FULLWIDTH_ONE + " 위", "1위"),  # NFKC
        (HAN_NFD + " 국", "한국"),
        ("Seoul City", "SeoulCity"),  # case kept
        ("", ""),
    ],
    text.letters_only: [
        ("시 · 도", "시도"),
        ("Seoul, City!", "seoulcity"),
        ("snake_case 1", "snakecase1"),  # underscore is no letter
        (FULLWIDTH_ONE + "위", "1위"),
        ("“…”", ""),
    ],
    text.letter_count: [
        ("광명시, 1위!", 5),
        ("snake_case", 10),  # word characters, as written
        ("━━━ • ●", 0),
        ("", 0),
    ],
    text.hangul_count: [
        ("광명시, 1위!", 4),
        ("가힣 각", 3),  # the first and last syllables (lead bytes 0xEA and 0xED)
        ("힘\ud7b0힣\ud7ff", 2),  # characters past the last syllable, under its high byte, are none
        ("ㄱㅎ ᄀ", 0),  # compatibility and conjoining jamo are no syllables
        ("Seoul", 0),
        ("", 0),
    ],
}


@pytest.mark.parametrize(
    ("function", "raw", "expected"),
    [(function, raw, expected) for function, cases in CASES.items() for raw, expected in cases],
    ids=lambda value: getattr(value, "__name__", None),
)
def test_normaliser(function: Callable[[str], object], raw: str, expected: object) -> None:
    assert function(raw) == expected


@pytest.mark.parametrize("name", text.__all__)
def test_every_normaliser_has_a_table(name: str) -> None:
    value = getattr(text, name)
    if callable(value):
        assert value in CASES


@pytest.mark.parametrize("function", [f for f in CASES if f not in (text.letter_count, text.hangul_count)])
def test_normalisers_are_idempotent(function: Callable[[str], str]) -> None:
    for raw, _ in CASES[function]:
        once = function(raw)
        assert function(once) == once


def test_a_line_left_as_it_is_is_already_in_line_form(monkeypatch: pytest.MonkeyPatch) -> None:
    """The quick test that lets most lines through unchanged never lets through one the full form would change."""
    rng = random.Random(5)
    pieces = [" ", "  ", "\t", "\n", NBSP, ZWSP, ZWNJ, IDEOGRAPHIC_SPACE, "\u2028", "\x85", *"•-–*·가"]
    lines = ["".join(rng.choice(pieces) for _ in range(rng.randrange(6))) for _ in range(20_000)]
    quick = [text.line_form(line) for line in lines]
    monkeypatch.setattr(text, "_needs_line_form", lambda line: True)  # every line through the full form
    assert [text.line_form(line) for line in lines] == quick
    assert text.line_forms(lines) == quick  # the same test, written out for a page's lines
    assert sum(q != line for q, line in zip(quick, lines, strict=True)) > 10_000  # most lines needed the form


def test_a_text_shown_as_it_is_needs_no_folding(monkeypatch: pytest.MonkeyPatch) -> None:
    """The quick test that lets most texts through with their ends trimmed never lets through one whose zero-width
    characters or spacing the full display form would change."""
    rng = random.Random(6)
    pieces = [" ", "  ", "\t", "\n", NBSP, ZWSP, ZWNJ, BOM, SHY, IDEOGRAPHIC_SPACE, "\u2009", "\x0b", *"•가a."]
    texts = ["".join(rng.choice(pieces) for _ in range(rng.randrange(6))) for _ in range(20_000)]
    quick = [text.display_form(raw) for raw in texts]
    monkeypatch.setattr(text, "_is_plain", lambda raw: False)  # every text through the full form
    assert [text.display_form(raw) for raw in texts] == quick
    assert sum(shown != raw.strip() for shown, raw in zip(quick, texts, strict=True)) > 5_000


def test_text_imports_nothing_from_newsclean() -> None:
    tree = ast.parse(inspect.getsource(text))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            assert node.level == 0 and not (node.module or "").startswith("newsclean")
        elif isinstance(node, ast.Import):
            assert not any(alias.name.startswith("newsclean") for alias in node.names)


def test_a_printable_text_keys_without_splitting() -> None:
    """The quick path of ``dedup_key`` (a printable text: plain spaces only, no zero-width character) gives what
    dropping zero-width characters and splitting on every whitespace gives."""
    rng = random.Random(8)
    pieces = [" ", "  ", "\t", "\n", NBSP, ZWSP, ZWNJ, ZWJ, WJ, BOM, SHY, IDEOGRAPHIC_SPACE, "\u2028", "\x85"]
    pieces += ["\u2009", "\x1c", FULLWIDTH_ONE, "ﬁ", HAN_NFD, *"•가a."]
    texts = ["".join(rng.choice(pieces) for _ in range(rng.randrange(8))) for _ in range(20_000)]
    full = ["".join(text.strip_zero_width(unicodedata.normalize("NFKC", raw)).split()) for raw in texts]
    assert [text.dedup_key(raw) for raw in texts] == full
    assert sum(raw.isprintable() for raw in texts) > 1_000  # the quick path was taken
