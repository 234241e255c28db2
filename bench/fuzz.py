"""Long fuzz run: the properties of tests/test_properties.py over many generated inputs, and the worst case.

    python bench/fuzz.py [--inputs 100000] [--seed 1] [--no-worst-case]

Inputs are random bytes, random text, tag soup, the stored pages damaged by the same mutations as the tests
(truncation, dropped/duplicated/unclosed tags, control characters, EUC-KR fragments, shuffled lines), and the
adversarial families of tests/adversarial.py at random sizes up to 20 KB. Prints how many inputs were tried, how
many gave an article and how many raised which error, anything that broke a property (an exception other than
newsclean's own, an ExtractionError caused by an internal exception, a broken article invariant), the slowest
input's time and the peak RSS.

The worst-case check then runs every adversarial family at 10 KB, 100 KB and 1 MB and prints, in the same run:
the slowest input's time per KB against a real news page of about 100 KB (target: at most 100 times), and each
family's 1 MB time against its 100 KB time (target: at most 12 times, i.e. linear).
"""

from __future__ import annotations

import argparse
import gc
import random
import resource
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from adversarial import FAMILIES
from corpus import FIXTURES
from test_properties import HTML_PAGES, MUTATIONS, TEXT_PAGES, check_article, internal_failure, shuffle_lines

from newsclean import NewscleanError, clean_article

SOUP = ["<div>", "</div>", "<p>", "</p>", "<br>", "기사 본문이다. ", "\n", "<script>", "&amp;", "<table>", "▲", "기자"]
# Share of generated inputs by kind; damaged real pages are the slow, realistic part.
KINDS = (("bytes", 0.24), ("text", 0.24), ("soup", 0.18), ("html", 0.18), ("dump", 0.1), ("adversarial", 0.06))
# Largest size (bytes) of an adversarial input among the generated ones; the worst-case check goes to 1 MB.
MAX_GENERATED_ADVERSARIAL = 20_000
# Sizes of the worst-case check, and its targets.
WORST_CASE_SIZES = (10_000, 100_000, 1_000_000)
TARGET_WORST_PER_KB = 100.0  # slowest time per KB, as a multiple of a real ~100 KB page's time per KB
TARGET_GROWTH = 12.0  # a family's 1 MB time, as a multiple of its 100 KB time
REFERENCE_PAGE_BYTES = 100_000
WORST_CASE_ROUNDS = 7  # best of, for every family and size: the slower rounds measure the machine's load


def generate(rng: random.Random) -> tuple[str, str | bytes]:
    kind = rng.choices([k for k, _ in KINDS], weights=[w for _, w in KINDS])[0]
    if kind == "bytes":
        return kind, rng.randbytes(rng.randrange(4000))
    if kind == "text":
        return kind, "".join(
            chr(rng.choice([rng.randrange(32, 127), rng.randrange(0xAC00, 0xD7A4), rng.randrange(0, 0x3000)]))
            for _ in range(rng.randrange(2000))
        )
    if kind == "soup":
        return kind, "".join(rng.choice(SOUP) for _ in range(rng.randrange(300)))
    if kind == "html":
        return kind, rng.choice(MUTATIONS)(rng.choice(HTML_PAGES), rng)
    if kind == "adversarial":
        family = rng.choice(sorted(FAMILIES))
        return f"{kind} {family}", FAMILIES[family](rng.randrange(1, MAX_GENERATED_ADVERSARIAL))
    return kind, rng.choice([*MUTATIONS, shuffle_lines])(rng.choice(TEXT_PAGES), rng)


def timed(raw: bytes, broken: list[str], name: str) -> float:
    """CPU seconds one clean_article call takes (other processes on the machine do not count); a broken property
    is recorded in ``broken``."""
    gc.collect()  # each call starts from the same heap
    start = time.process_time()
    try:
        article = clean_article(raw)
    except NewscleanError as exc:
        cause = internal_failure(exc)
        if cause is not None:
            broken.append(f"{name}: {type(exc).__name__} caused by {type(cause).__name__}: {cause}")
    except Exception as exc:  # a property broken: report it, keep going
        broken.append(f"{name}: {type(exc).__name__}: {exc}")
    else:
        try:
            check_article(article)
        except AssertionError as exc:
            broken.append(f"{name}: {exc}")
    return time.process_time() - start


def worst_case(broken: list[str]) -> bool:
    """Every family at every size of ``WORST_CASE_SIZES``; print the per-KB and growth ratios; True when on target."""
    reference = min(FIXTURES.glob("*/*.html"), key=lambda p: abs(p.stat().st_size - REFERENCE_PAGE_BYTES))
    page = reference.read_bytes()
    timed(page, broken, reference.name)  # warm-up
    page_per_kb = min(timed(page, broken, reference.name) for _ in range(5)) / (len(page) / 1000)
    print(f"reference page: {reference.name} ({len(page) / 1000:.0f} KB), {page_per_kb * 1e3:.3f} ms per KB")
    print(f"{'family':24s}" + "".join(f"{s // 1000:>9d} KB" for s in WORST_CASE_SIZES) + "   1 MB / 100 KB")
    slowest = (0.0, "")
    worst_growth = 0.0
    for name, family in sorted(FAMILIES.items()):
        inputs = {size: family(size) for size in WORST_CASE_SIZES}
        seconds = dict.fromkeys(WORST_CASE_SIZES, float("inf"))
        # A round times every size once, in turn: a spell of load on the machine slows both sides of the growth
        # ratio alike, where timing all rounds of one size before the next would put it on one side only.
        for _ in range(WORST_CASE_ROUNDS):
            for size, raw in inputs.items():
                seconds[size] = min(seconds[size], timed(raw, broken, f"{name} {size}"))
        for size, raw in inputs.items():
            per_kb = seconds[size] / (len(raw) / 1000)
            if per_kb > slowest[0]:
                slowest = (per_kb, f"{name} at {len(raw) / 1000:.0f} KB")
        growth = seconds[WORST_CASE_SIZES[-1]] / seconds[WORST_CASE_SIZES[-2]]
        worst_growth = max(worst_growth, growth)
        print(f"{name:24s}" + "".join(f"{seconds[s] * 1e3:9.1f} ms" for s in WORST_CASE_SIZES) + f"   {growth:6.1f}x")
    ratio = slowest[0] / page_per_kb
    print(
        f"slowest input per KB: {slowest[0] * 1e3:.3f} ms ({slowest[1]}), {ratio:.1f}x the reference page's "
        f"(target <= {TARGET_WORST_PER_KB:.0f})"
    )
    print(f"largest 1 MB / 100 KB cost of a family: {worst_growth:.1f}x (target <= {TARGET_GROWTH:.0f})")
    return ratio <= TARGET_WORST_PER_KB and worst_growth <= TARGET_GROWTH


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--inputs", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-worst-case", action="store_true", help="skip the worst-case check over the families")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    outcomes: Counter[str] = Counter()
    broken: list[str] = []
    slowest = (0.0, "", 0)
    started = time.perf_counter()
    for i in range(args.inputs):
        kind, raw = generate(rng)
        start = time.perf_counter()
        try:
            article = clean_article(raw)
        except NewscleanError as exc:
            cause = internal_failure(exc)
            if cause is None:
                outcomes[type(exc).__name__] += 1
            else:
                outcomes[f"INTERNAL {type(cause).__name__}"] += 1
                broken.append(f"input {i} ({kind}): {type(exc).__name__} caused by {type(cause).__name__}: {cause}")
        except Exception as exc:  # a property broken: report it, keep going
            outcomes[f"UNEXPECTED {type(exc).__name__}"] += 1
            broken.append(f"input {i} ({kind}): {type(exc).__name__}: {exc}")
        else:
            try:
                check_article(article)
                outcomes["Article"] += 1
            except AssertionError as exc:
                outcomes["INVARIANT BROKEN"] += 1
                broken.append(f"input {i} ({kind}): {exc}")
        elapsed = time.perf_counter() - start
        if elapsed > slowest[0]:
            slowest = (elapsed, kind, len(raw))
        if (i + 1) % 10_000 == 0:
            print(f"  {i + 1} inputs, {time.perf_counter() - started:.0f} s", file=sys.stderr)
    print(f"inputs tried: {args.inputs} (seed {args.seed}) in {time.perf_counter() - started:.0f} s")
    for name, count in outcomes.most_common():
        print(f"  {name:28s} {count}")
    print(f"slowest input: {slowest[0] * 1e3:.1f} ms ({slowest[1]}, {slowest[2]:,} bytes)")
    print(f"peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    on_target = True
    if not args.no_worst_case:
        print("worst case over the adversarial families:")
        on_target = worst_case(broken)
    print(f"properties broken: {len(broken)}")
    for line in broken[:20]:
        print("  " + line)
    return 1 if broken or not on_target else 0


if __name__ == "__main__":
    sys.exit(main())
