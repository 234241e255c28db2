"""Properties on arbitrary and damaged input: an Article with its invariants, or a NewscleanError, nothing else."""

from __future__ import annotations

import random
import re

import pytest
from adversarial import FAMILIES
from corpus import cases
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsclean import Article, ExtractionError, NewscleanError, clean_article
from newsclean.clean.dedup import MIN_DEDUP_LETTERS
from newsclean.text import dedup_key, letters_only

# CI runs a bounded number of examples; bench/fuzz.py runs the same properties at length.
settings.register_profile(
    "newsclean", max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True
)
settings.load_profile("newsclean")

HTML_PAGES = [c.path.read_bytes() for c in cases("html")]
TEXT_PAGES = [c.path.read_bytes() for c in cases("text")]
TAG_RE = re.compile(rb"<[^<>]{0,200}>")


def check_article(article: Article) -> None:
    """The invariants every returned article keeps."""
    assert article.paragraphs, "an article has a body"
    assert all(p.strip() == p and p for p in article.paragraphs), "no empty or untrimmed paragraph"
    # Paragraphs with fewer letters than the dedup's floor may repeat (a one-line quote, "(끝)"): their punctuation
    # does not count, as in the dedup itself.
    keys = [dedup_key(p) for p in article.paragraphs if len(letters_only(p)) >= MIN_DEDUP_LETTERS]
    assert len(keys) == len(set(keys)), "no paragraph repeated"
    assert article.text == "\n\n".join(article.paragraphs)
    for value in (article.published_at, article.modified_at):
        assert value is None or value.utcoffset() is not None
    assert Article.model_validate_json(article.model_dump_json()) == article


def internal_failure(exc: NewscleanError) -> BaseException | None:
    """The internal exception behind an error, if any. clean_article's safety net turns an exception raised inside
    the pipeline (an IndexError in a stage, a RecursionError) into an ExtractionError chained to it: that is a bug
    in newsclean, not an answer about the input, so it breaks the properties like any other exception."""
    cause = exc.__cause__
    if isinstance(exc, ExtractionError) and cause is not None and not isinstance(cause, NewscleanError):
        return cause
    return None


def outcome(raw: str | bytes) -> None:
    try:
        article = clean_article(raw)
    except NewscleanError as exc:
        assert str(exc), "an error says what was wrong"
        cause = internal_failure(exc)
        assert cause is None, f"internal error behind {type(exc).__name__}: {type(cause).__name__}: {cause}"
        return
    check_article(article)


# --------------------------------------------------------------------------- mutations of real pages
def truncate(page: bytes, rng: random.Random) -> bytes:
    return page[: rng.randrange(len(page) + 1)]


def drop_tags(page: bytes, rng: random.Random) -> bytes:
    return TAG_RE.sub(lambda m: b"" if rng.random() < 0.3 else m.group(0), page)


def duplicate_tags(page: bytes, rng: random.Random) -> bytes:
    return TAG_RE.sub(lambda m: m.group(0) * 2 if rng.random() < 0.2 else m.group(0), page)


def drop_closing_tags(page: bytes, rng: random.Random) -> bytes:
    return re.sub(rb"</[a-zA-Z0-9]+>", lambda m: b"" if rng.random() < 0.5 else m.group(0), page)


def control_characters(page: bytes, rng: random.Random) -> bytes:
    out = bytearray(page)
    for _ in range(rng.randrange(1, 50)):
        out.insert(rng.randrange(len(out) + 1), rng.choice(b"\x00\x01\x07\x0b\x1b\x7f"))
    return bytes(out)


def euc_kr_fragments(page: bytes, rng: random.Random) -> bytes:
    fragment = "한국어 기사 본문".encode("cp949")
    at = rng.randrange(len(page) + 1)
    return page[:at] + fragment + page[at:]


def shuffle_lines(page: bytes, rng: random.Random) -> bytes:
    lines = page.split(b"\n")
    rng.shuffle(lines)
    return b"\n".join(lines)


MUTATIONS = [truncate, drop_tags, duplicate_tags, drop_closing_tags, control_characters, euc_kr_fragments]


@given(st.binary(max_size=4000))
def test_arbitrary_bytes(raw: bytes) -> None:
    outcome(raw)


@given(st.text(max_size=4000))
def test_arbitrary_text(raw: str) -> None:
    outcome(raw)


@given(
    st.lists(st.sampled_from(["<div>", "</div>", "<p>", "</p>", "<br>", "기사 본문이다. ", "\n", "<script>", "&amp;"]))
)
def test_arbitrary_tag_soup(parts: list[str]) -> None:
    outcome("".join(parts))


@given(
    st.sampled_from(range(len(HTML_PAGES))),
    st.sampled_from(MUTATIONS),
    st.integers(min_value=0, max_value=2**32 - 1),
)
def test_mutated_real_html(index: int, mutation: object, seed: int) -> None:
    outcome(mutation(HTML_PAGES[index], random.Random(seed)))  # type: ignore[operator]


@given(
    st.sampled_from(range(len(TEXT_PAGES))),
    st.sampled_from([*MUTATIONS, shuffle_lines]),
    st.integers(min_value=0, max_value=2**32 - 1),
)
def test_mutated_real_text(index: int, mutation: object, seed: int) -> None:
    outcome(mutation(TEXT_PAGES[index], random.Random(seed)))  # type: ignore[operator]


@given(st.sampled_from(sorted(FAMILIES)), st.integers(min_value=1, max_value=20_000))
@settings(max_examples=30)
def test_adversarial_families(family: str, size: int) -> None:
    outcome(FAMILIES[family](size))


def test_an_internal_bug_breaks_the_properties(monkeypatch: pytest.MonkeyPatch) -> None:
    # A bug planted in a stage: the safety net still raises an ExtractionError, and the properties catch it.
    from newsclean.clean import paragraphs

    def broken_stage(*args: object, **kwargs: object) -> None:
        raise IndexError("list index out of range")

    monkeypatch.setattr(paragraphs, "clean_blocks", broken_stage)
    with pytest.raises(ExtractionError) as raised:
        clean_article(HTML_PAGES[0])
    assert isinstance(internal_failure(raised.value), IndexError)
    with pytest.raises(AssertionError, match="internal error behind ExtractionError: IndexError"):
        outcome(HTML_PAGES[0])


@pytest.mark.parametrize("depth", [10_000, 100_000])
def test_deep_nesting(depth: int) -> None:
    html = (
        "<html><body>"
        + "<div>" * depth
        + "<p>깊은 곳에 있는 기사 본문입니다. 충분히 긴 문장이어야 합니다.</p>"
        + "</div>" * depth
    )
    outcome(html)
    outcome(html.replace("</div>", ""))


@pytest.mark.parametrize(
    "html", ["<html><body></body></html>", "<html><head><title>제목</title></head><body>", "<body>"]
)
def test_empty_body(html: str) -> None:
    outcome(html)


def test_large_page() -> None:
    page = HTML_PAGES[0]
    filler = b"<div class='ad'>" + "광고 문구입니다 ".encode() * 20 + b"</div>\n"
    big = page.replace(b"</body>", filler * (20_000_000 // len(filler)) + b"</body>")
    assert len(big) > 20_000_000
    outcome(big)
