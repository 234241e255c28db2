"""Long fuzz run: the properties of tests/test_properties.py over many generated inputs.

    python bench/fuzz.py [--inputs 100000] [--seed 1]

Inputs are random bytes, random text, tag soup, and the stored pages damaged by the same mutations as the
tests (truncation, dropped/duplicated/unclosed tags, control characters, EUC-KR fragments, shuffled lines).
Prints how many inputs were tried, how many gave an article and how many raised which error, anything that
broke a property, the slowest input's time and the peak RSS.
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from test_properties import HTML_PAGES, MUTATIONS, TEXT_PAGES, check_article, shuffle_lines

from newsclean import NewscleanError, clean_article

SOUP = ["<div>", "</div>", "<p>", "</p>", "<br>", "기사 본문이다. ", "\n", "<script>", "&amp;", "<table>", "▲", "기자"]
# Share of generated inputs by kind; damaged real pages are the slow, realistic part.
KINDS = (("bytes", 0.25), ("text", 0.25), ("soup", 0.2), ("html", 0.2), ("dump", 0.1))


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
    return kind, rng.choice([*MUTATIONS, shuffle_lines])(rng.choice(TEXT_PAGES), rng)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--inputs", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
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
            outcomes[type(exc).__name__] += 1
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
    print(f"properties broken: {len(broken)}")
    for line in broken[:20]:
        print("  " + line)
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main())
