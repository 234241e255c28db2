"""Adversarial inputs: each family of tests/adversarial.py, at a size where a super-linear step would take minutes,
gives an article or one of newsclean's own errors within a generous time bound; deep nesting is read, not refused.

Timings are bounds against hangs, not benchmarks: bench/fuzz.py measures the costs and their growth.
"""

from __future__ import annotations

import signal
import time
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

import pytest
from adversarial import FAMILIES, SENTENCE

from newsclean import Article, ExtractionError, NewscleanError, clean_article
from newsclean.clean.dates import DATE_LABELS, find_labelled_dates

# Generous bound for one call on the inputs below (each takes well under a second, on a loaded machine too; the
# super-linear steps took from several seconds to hours on them).
SECONDS = 4.0
# Size (bytes) each family is run at here: large enough that a quadratic step shows, small enough to stay fast.
SIZE = 100_000


class _Timeout(BaseException):  # not caught by the safety net of clean_article
    pass


def _alarm(signum: int, frame: FrameType | None) -> None:
    raise _Timeout


@contextmanager
def bounded(seconds: float = SECONDS) -> Iterator[None]:
    """Fail the test when the block runs longer than ``seconds`` (checked by a timer and again at the end)."""
    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    start = time.perf_counter()
    try:
        yield
    except _Timeout:
        pytest.fail(f"took longer than {seconds} s")
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    assert time.perf_counter() - start < seconds, f"took longer than {seconds} s"


def clean_within_bound(raw: str | bytes) -> Article | None:
    """The article, or None for one of newsclean's own errors that no internal exception caused."""
    with bounded():
        try:
            return clean_article(raw)
        except NewscleanError as exc:
            cause = exc.__cause__
            assert not (isinstance(exc, ExtractionError) and cause), f"internal error: {cause!r}"
            return None


@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_family_is_handled_in_bounded_time(family: str) -> None:
    clean_within_bound(FAMILIES[family](SIZE))


@pytest.mark.parametrize("depth", [100_000])
def test_deep_nesting_is_read(depth: int) -> None:
    for html in (
        "<html><body>" + "<div>" * depth + f"<p>{SENTENCE}</p>" + "</div>" * depth + "</body></html>",
        "<html><body>" + "<section><div>" * (depth // 2) + f"<p>{SENTENCE}</p>",
    ):
        article = clean_within_bound(html)
        assert article is not None
        assert article.paragraphs == (SENTENCE,)


def test_flattening_keeps_text_and_drops_only_tags_past_the_limit() -> None:
    from newsclean.clean.page import MAX_NESTING_DEPTH, _flatten_nesting

    depth = MAX_NESTING_DEPTH + 10
    html = "<div>" * depth + "본문" + "</div>" * depth + "<div>끝</div>"
    flat = _flatten_nesting(html)
    assert flat == "<div>" * MAX_NESTING_DEPTH + "본문" + "</div>" * MAX_NESTING_DEPTH + "<div>끝</div>"


@pytest.mark.parametrize("label", sorted(DATE_LABELS))
@pytest.mark.parametrize("space", [" ", "\n", "\t", "\u00a0", "\u3000"])
def test_spacing_after_a_date_label(label: str, space: str) -> None:
    with bounded():
        assert find_labelled_dates(label + space * 20_000 + "x") == []
        found = find_labelled_dates(label + space * 20_000 + "2021.11.26 12:06")
    assert [d.kind for d in found] == [DATE_LABELS[label]]


def test_many_dates() -> None:
    with bounded():
        assert len(find_labelled_dates("2021-11-26T12:06:03+09:00 2021.11.26 12:06 입력 " * 10_000)) == 20_000


def test_sibling_images_each_listed() -> None:
    html = "<html><body><div>" + "<img src='/p.jpg'>" * 20_000 + f"<p>{SENTENCE}</p></div></body></html>"
    article = clean_within_bound(html)
    assert article is not None
    assert article.paragraphs == (SENTENCE,)


def test_nesting_bound_never_misses_a_deep_page() -> None:
    from newsclean.clean.page import NESTING_SCAN_DEPTH, _may_nest_deeper_than

    deep = NESTING_SCAN_DEPTH + 1
    assert _may_nest_deeper_than(b"<div>" * deep, NESTING_SCAN_DEPTH)
    assert _may_nest_deeper_than(b"<div>\x01" * deep, NESTING_SCAN_DEPTH)  # a stray byte is not a closing tag
    assert _may_nest_deeper_than(b"<p>x</p><div>" * deep, NESTING_SCAN_DEPTH)
    assert not _may_nest_deeper_than(b"<div>x</div>" * 5000, NESTING_SCAN_DEPTH)


def test_nesting_bound_is_the_slice_by_slice_count() -> None:
    """The bound counts, over each slice of ``NESTING_SCAN_BYTES`` bytes, every ``<`` as an opening and every
    ``</`` as a closing: the quick count (groups of slices, end tags found by a pattern) answers as that count
    does, including for an end tag cut by a slice's edge."""
    import random

    from newsclean.clean.page import NESTING_SCAN_BYTES, _may_nest_deeper_than

    def by_slices(raw: bytes, depth: int) -> bool:
        level = 0
        for start in range(0, len(raw), NESTING_SCAN_BYTES):
            piece = raw[start : start + NESTING_SCAN_BYTES]
            opens, closes = piece.count(b"<"), piece.count(b"</")
            if level + opens - closes > depth:
                return True
            level += opens - 2 * closes
        return False

    rng = random.Random(11)
    pieces = [b"<div>", b"</div>", b"<a href='/x/y'>", b"</a>", b"<br>", b"//", b"x/", b"<", b"/", b"</"]
    pieces.append("가".encode())
    answers = set()
    for _ in range(300):
        raw = b"".join(rng.choice(pieces) for _ in range(rng.randrange(0, 12_000)))
        for depth in (16, 64, 256):
            answer = _may_nest_deeper_than(raw, depth)
            assert answer == by_slices(raw, depth), (len(raw), depth)
            answers.add(answer)
    assert answers == {True, False}
