"""Benchmark: near-duplicate clustering (newsclean.corpus.neardup) for accuracy on a labelled set, and at scale.

Accuracy. Every fixture page in fixtures/ is cleaned with ``clean_article``; the distinct bodies are the base
stories. Each gets 0-20 republished variants made the way papers make them, one kind of edit each (or several,
"mixed"): the lead sentence rewritten; a credit line and byline added, or the paper's own dropped; spacing
changed around ``·``, ``,`` and numbers; the last 1-2 paragraphs cut; a "[지역신문명]" prefix. Beside them come
unrelated articles on the same topic (another story under the same city-and-date lead and closing lines).
The truth is the exact Jaccard similarity of the bodies' character-shingle sets. Printed: precision and recall
of the pairs found (LSH candidates confirmed by estimated Jaccard) against the pairs at or above the threshold,
overall and per variant kind; how many copies end in their story's cluster; and, for shingle sizes 5, 6 and 7,
how well the exact similarity itself separates copies from other articles (which chose ``SHINGLE_SIZE``).

Scale. N articles (default 100,000) made of the real bodies' sentences: stories of real sentences with their
numbers changed, each with 0-20 variants as above, streamed one at a time (nothing kept but signatures, as
``newsclean dedup`` does). Printed: signatures/s, the time of each stage (normalising and shingling, MinHash,
band keys and candidate pairs, confirmation, union-find and representatives), the total, and the peak RSS;
then, as the standard part it replaces, datasketch's ``MinHashLSH`` inserting and querying the same signatures.

    python bench/neardup.py [--threshold 0.8] [--scale 100000] [--compare 20000] [--seed 7] [--cli]

With ``--cli``, the scale set is also written to a JSONL file and clustered by ``newsclean dedup`` in a process of
its own, whose wall time, CPU time and peak RSS are printed (the user's path, memory included).
"""

from __future__ import annotations

import argparse
import os
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
from datasketch import MinHash, MinHashLSH

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from newsclean import Article, NewscleanError, clean_article  # noqa: E402
from newsclean.corpus.neardup import (  # noqa: E402
    BOTTOM_K,
    NUM_PERM,
    SEED,
    SHINGLE_SIZE,
    Signature,
    Signatures,
    assign,
    band_keys,
    bottom,
    candidate_pairs,
    components,
    confirm,
    link,
    lsh_bands,
    memberships,
    minhash,
    normalise,
    shingle_hashes,
    signature,
)
from newsclean.models import KST  # noqa: E402

KINDS = ("lead", "credit", "spacing", "cut", "prefix", "mixed")
PAPERS = ("경기일보", "광명지역신문", "인천매일", "충청신문", "경남도민일보", "부산일보", "전북중앙", "강원일보")
REPORTERS = ("김민수", "이지은", "박서준", "최유진", "정하늘", "한도윤")
CITIES = ("광명시", "수원시", "부천시", "김해시", "거제시", "청주시")
LEADS = (
    "{city}에 따르면 {title} 소식이 전해졌다.",
    "{title}(으)로 지역 사회의 관심이 쏠리고 있다.",
    "{city}가 {title}고 밝혔다.",
)
SENTENCE_END = re.compile(r"(?<=[다요함음]\.)\s+|(?<=[.!?])\s+(?=[가-힣A-Z\"“‘(\[])")
DIGITS = re.compile(r"\d+")
DAY = datetime(2021, 11, 26, 9, 0, tzinfo=KST)


# The labelled set ---------------------------------------------------------------------------------------------------


def shingles(paragraphs: tuple[str, ...], size: int = SHINGLE_SIZE) -> frozenset[int]:
    return frozenset(shingle_hashes(normalise(paragraphs), size=size).tolist())


def jaccard(a: frozenset[int], b: frozenset[int]) -> float:
    return len(a & b) / len(a | b) if a or b else 0.0


def base_articles() -> list[Article]:
    """The distinct bodies of the fixture pages (an HTML page and its text dump are one story)."""
    bases: list[Article] = []
    seen: list[frozenset[int]] = []
    for path in sorted(ROOT.glob("fixtures/*/*")):
        if path.suffix not in (".html", ".txt"):
            continue
        try:
            article = clean_article(path.read_bytes())
        except NewscleanError:
            continue
        body = shingles(article.paragraphs)
        if len(body) < 50 or any(jaccard(body, other) >= 0.5 for other in seen):
            continue
        seen.append(body)
        bases.append(article)
    return bases


def sentences(paragraph: str) -> list[str]:
    return [s for s in SENTENCE_END.split(paragraph) if s]


def respace(text: str, rng: random.Random) -> str:
    text = re.sub(r"\s*·\s*", rng.choice(("·", " · ", " ·", "· ")), text)
    text = re.sub(r"\s*,\s*", rng.choice((",", " , ", ", ")), text)
    return re.sub(r"(\d+)\s*", lambda m: m.group(1) + rng.choice(("", " ")), text)


def variant(article: Article, kind: str, rng: random.Random) -> tuple[str, ...]:
    """The body of a republished copy, made with one kind of edit (``mixed``: two or three of them)."""
    p = list(article.paragraphs)
    paper, reporter = rng.choice(PAPERS), rng.choice(REPORTERS)
    if kind == "mixed":
        for one in rng.sample(KINDS[:-1], rng.randint(2, 3)):
            p = list(variant(article.model_copy(update={"paragraphs": tuple(p)}), one, rng))
        return tuple(p)
    if kind == "lead":
        first = sentences(p[0])
        title = (article.title or "새 소식").rstrip(".")
        first[0] = rng.choice(LEADS).format(city=rng.choice(CITIES), title=title)
        p[0] = " ".join(first)
    elif kind == "credit":
        if rng.random() < 0.5:
            p[0] = f"({paper}={reporter} 기자) " + p[0]
            p.append(f"{reporter} 기자 {reporter}@{paper}.kr")
        else:  # the paper's own byline line and copyright dropped, another's added
            p.append(f"<저작권자 © {paper} 무단전재 및 재배포 금지>")
    elif kind == "spacing":
        p = [respace(x, rng) for x in p]
    elif kind == "cut":
        keep = max(1, len(p) - rng.randint(1, 2))
        p = p[:keep]
    elif kind == "prefix":
        p[0] = f"[{paper}] " + p[0]
    return tuple(p)


def same_topic(article: Article, pool: list[str], rng: random.Random) -> tuple[str, ...]:
    """Another story of the same city on the same day: the same lead sentence and closing line, another body
    (real sentences of other articles, their numbers changed)."""
    lead = sentences(article.paragraphs[0])[0]
    closing = f"자세한 사항은 {CITIES[0]}청 홈페이지를 참고하거나 담당부서로 문의하면 된다."
    middle = tuple(renumber(rng.choice(pool), rng) for _ in range(rng.randint(2, 6)))
    return (lead, *middle, closing)


def labelled_set(rng: random.Random) -> tuple[list[Article], list[int], list[str]]:
    """Articles, the base story of each (-1: same-topic article) and its kind (``original``, a variant kind)."""
    articles: list[Article] = []
    story: list[int] = []
    kind: list[str] = []
    bases = base_articles()
    pool = sentence_pool(bases)
    for b, base in enumerate(bases):
        articles.append(base.model_copy(update={"url": f"http://orig.example/{b}", "published_at": DAY}))
        story.append(b)
        kind.append("original")
        for v in range(rng.randint(0, 20)):
            k = rng.choice(KINDS)
            articles.append(
                base.model_copy(
                    update={
                        "url": f"http://copy{v}.example/{b}",
                        "paragraphs": variant(base, k, rng),
                        "published_at": DAY + timedelta(hours=1 + v),
                    }
                )
            )
            story.append(b)
            kind.append(k)
        for t in range(rng.randint(1, 3)):
            body = same_topic(base, pool, rng)
            articles.append(base.model_copy(update={"url": f"http://topic{t}.example/{b}", "paragraphs": body}))
            story.append(-1 - len(articles))  # a story of its own
            kind.append("same-topic")
    return articles, story, kind


def pairs_found(
    articles: list[Article], threshold: float, *, perm: int = NUM_PERM, lsh: tuple[int, int] | None = None,
    refine: bool = True,
) -> tuple[int, set[tuple[int, int]]]:
    """(candidates, confirmed pairs) with ``perm`` permutations, LSH (bands, rows), with or without bottom-k."""
    sigs = Signatures.of(signature(a.paragraphs, num_perm=perm) for a in articles)  # every body has shingles
    bands, rows = lsh or lsh_bands(threshold, perm)
    candidates = candidate_pairs(band_keys(sigs.minhashes, bands=bands, rows=rows))
    if refine:
        confirmed = confirm(candidates, sigs, threshold=threshold)
    else:
        share = (sigs.minhashes[candidates[:, 0]] == sigs.minhashes[candidates[:, 1]]).mean(axis=1)
        confirmed = candidates[share >= threshold]
    return len(candidates), {(int(i), int(j)) for i, j in confirmed}


def pair_kind(i: int, j: int, story: list[int], kind: list[str]) -> str:
    if story[i] != story[j]:
        return "same-topic" if "same-topic" in (kind[i], kind[j]) else "unrelated"
    if kind[i] == "original":
        return kind[j]
    if kind[j] == "original":
        return kind[i]
    return "copy-copy"


def ratio(a: int, b: int) -> str:
    return f"{a / b:.4f}" if b else "  -   "


def accuracy(threshold: float, seed: int) -> None:
    rng = random.Random(seed)
    started = time.perf_counter()
    articles, story, kind = labelled_set(rng)
    n = len(articles)
    print(f"labelled set: {n} articles, {len({s for s in story if s >= 0})} base stories "
          f"(made in {time.perf_counter() - started:.1f} s); threshold {threshold}")
    print(f"  kinds: {dict(Counter(kind))}")

    # Shingle size: how well the exact similarity separates copies (same base story) from everything else.
    print("\nshingle size | copies with J >= thr | other pairs with J >= thr | J of copies: median | other pairs: max")
    sets_by_size = {}
    for size in (5, 6, 7):
        sets = [shingles(a.paragraphs, size) for a in articles]
        sets_by_size[size] = sets
        same = [jaccard(sets[i], sets[j]) for i in range(n) for j in range(i + 1, n)
                if story[i] == story[j] and story[i] >= 0 and "original" in (kind[i], kind[j])]
        other = [jaccard(sets[i], sets[j]) for i in range(n) for j in range(i + 1, n) if story[i] != story[j]]
        hit = sum(1 for x in same if x >= threshold)
        print(f"  {size}          | {hit}/{len(same)} = {hit / len(same):.4f}     | "
              f"{sum(1 for x in other if x >= threshold):>6}                    | {float(np.median(same)):.3f}"
              f"                | {max(other):.3f}")

    # Pairs found by the clustering (LSH candidates confirmed by estimated Jaccard) against exact Jaccard.
    sets = sets_by_size[SHINGLE_SIZE]
    truth = {(i, j) for i in range(n) for j in range(i + 1, n) if jaccard(sets[i], sets[j]) >= threshold}
    print(f"\npairs at exact J >= {threshold}: {len(truth)}; found by each way of confirming candidates:")
    print(f"  {'LSH bands x rows':<18} {'estimate':<34} {'candidates':>10} {'confirmed':>9} {'precision':>9} "
          f"{'recall':>7}")
    default_lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
    ways = [
        ((default_lsh.b, default_lsh.r), NUM_PERM, False, "MinHash 128 (MinHashLSH's bands)"),
        (None, NUM_PERM, False, "MinHash 128"),
        (None, 256, False, "MinHash 256"),
        (None, NUM_PERM, True, f"MinHash 128, bottom-{BOTTOM_K} near thr"),
    ]
    for lsh, perm, refine, name in ways:
        count, found = pairs_found(articles, threshold, perm=perm, lsh=lsh, refine=refine)
        right = len(truth & found)
        b, r = lsh or lsh_bands(threshold, perm)
        print(f"  {f'{b} x {r}':<18} {name:<34} {count:>10} {len(found):>9} {ratio(right, len(found)):>9} "
              f"{ratio(right, len(truth)):>7}")
    true_pos = truth & found
    print("\nby kind (the last way, newsclean's):")
    print(f"  {'kind':<11} {'true':>6} {'found':>6} {'right':>6} {'precision':>10} {'recall':>8}")
    by_kind: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for pair in truth:
        by_kind[pair_kind(*pair, story, kind)][0] += 1
    for pair in found:
        by_kind[pair_kind(*pair, story, kind)][1] += 1
    for pair in true_pos:
        by_kind[pair_kind(*pair, story, kind)][2] += 1
    for k in (*KINDS, "copy-copy", "same-topic", "unrelated"):
        t, f, r = by_kind[k]
        print(f"  {k:<11} {t:>6} {f:>6} {r:>6} {ratio(r, f):>10} {ratio(r, t):>8}")
    print(f"  {'overall':<11} {len(truth):>6} {len(found):>6} {len(true_pos):>6} "
          f"{ratio(len(true_pos), len(found)):>10} {ratio(len(true_pos), len(truth)):>8}")

    # Stories: does each copy end in its original's cluster, and does nothing else join it?
    memberships = assign(iter(articles), threshold=threshold)
    rep = [m.representative for m in memberships]
    joined: Counter[str] = Counter()
    total: Counter[str] = Counter()
    for i in range(n):
        if kind[i] not in ("original", "same-topic"):
            original = story.index(story[i])
            total[kind[i]] += 1
            joined[kind[i]] += rep[i] == rep[original]
    wrong = sum(1 for i in range(n) for j in range(i + 1, n) if rep[i] == rep[j] and story[i] != story[j])
    print("\ncopies in their original's cluster, by kind (the exact J decides nothing here):")
    print("  " + ", ".join(f"{k} {joined[k]}/{total[k]}" for k in KINDS)
          + f"; all {sum(joined.values())}/{sum(total.values())}")
    print(f"  pairs of different stories put in one cluster: {wrong}; clusters: {len(set(rep))}")


# Scale --------------------------------------------------------------------------------------------------------------


def sentence_pool(bases: list[Article]) -> list[str]:
    return [s for a in bases for p in a.paragraphs for s in sentences(p) if len(s) >= 20]


def renumber(sentence: str, rng: random.Random) -> str:
    return DIGITS.sub(lambda _: str(rng.randint(1, 9999)), sentence)


def stories(count: int, pool: list[str], rng: random.Random) -> Iterator[Article]:
    """``count`` articles: stories of real sentences (numbers changed) and their republished variants."""
    made = 0
    s = 0
    while made < count:
        paragraphs = tuple(
            " ".join(renumber(rng.choice(pool), rng) for _ in range(rng.randint(1, 3)))
            for _ in range(rng.randint(4, 10))
        )
        story = Article(url=f"http://s{s}.example/0", title=f"기사 {s}", paragraphs=paragraphs, published_at=DAY)
        yield story
        made += 1
        for v in range(min(rng.randint(0, 20), count - made)):
            yield story.model_copy(
                update={"url": f"http://s{s}.example/{v + 1}", "paragraphs": variant(story, rng.choice(KINDS), rng)}
            )
            made += 1
        s += 1


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def scale(count: int, threshold: float, seed: int, compare: int) -> None:
    rng = random.Random(seed)
    pool = sentence_pool(base_articles())
    print(f"\nscale: {count} articles made of {len(pool)} real sentences; peak RSS before: {rss_mb():.0f} MB")
    timing: dict[str, float] = {}
    shingling = hashing = generating = 0.0
    store = Signatures()
    urls: list[str | None] = []
    times: list[float | None] = []
    signed: list[int] = []
    load_before = os.getloadavg()[0]
    cpu_start = time.process_time()
    generating_cpu = 0.0
    c0 = cpu_start
    t0 = time.perf_counter()
    for index, article in enumerate(stories(count, pool, rng)):
        t1 = time.perf_counter()
        generating_cpu += time.process_time() - c0
        urls.append(article.url)
        times.append(article.published_at.timestamp() if article.published_at else None)
        hashes = shingle_hashes(normalise(article.paragraphs))
        t2 = time.perf_counter()
        if len(hashes):
            store.add(Signature(minhash=minhash(hashes), bottom=bottom(hashes)))
            signed.append(index)
        t3 = time.perf_counter()
        generating += t1 - t0
        shingling += t2 - t1
        hashing += t3 - t2
        t0 = t3
        c0 = time.process_time()
    timing["normalise + shingle hashes"] = shingling
    timing["MinHash (datasketch) + bottom-k"] = hashing
    bands, rows = lsh_bands(threshold)
    t = time.perf_counter()
    pairs = candidate_pairs(band_keys(store.minhashes, bands=bands, rows=rows))
    timing["LSH: band keys + candidate pairs"] = time.perf_counter() - t
    t = time.perf_counter()
    roots = link(pairs, store, threshold=threshold)
    timing["confirmation + union-find (link)"] = time.perf_counter() - t
    t = time.perf_counter()
    result = memberships(store, signed, urls, times, roots=roots, threshold=threshold)
    timing["representatives and memberships"] = time.perf_counter() - t
    cpu = time.process_time() - cpu_start - generating_cpu
    total = sum(timing.values())
    print(f"  making the articles (not counted): {generating:.1f} s")
    for stage, seconds in timing.items():
        print(f"  {stage:<40} {seconds:7.1f} s  {100 * seconds / total:5.1f} %")
    print(f"  {'total':<40} {total:7.1f} s wall, {cpu:.1f} s CPU (load average {load_before:.1f} -> "
          f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores); target <= 180 s: "
          f"{'met' if total <= 180 else 'NOT met'}")
    clustering = total - shingling - hashing
    print(f"  signatures/s: {count / (shingling + hashing):.0f}; clustering after the signatures: {clustering:.1f} s")
    stories_found = len({m.representative for m in result})
    print(f"  {len(pairs)} candidate pairs; {stories_found} stories; peak RSS {rss_mb():.0f} MB "
          f"(target <= 1024 MB: {'met' if rss_mb() <= 1024 else 'NOT met'})")
    # The two halves of `link` apart, for reference: every candidate confirmed, then union-find over them.
    t = time.perf_counter()
    confirmed = confirm(pairs, store, threshold=threshold)
    confirm_time = time.perf_counter() - t
    t = time.perf_counter()
    assert components(len(signed), confirmed) == roots
    print(f"  apart: confirm() of every candidate {confirm_time:.1f} s ({len(confirmed)} pairs), union-find over "
          f"them {time.perf_counter() - t:.1f} s (the same clusters as link)")

    # The standard part this replaces: datasketch's MinHashLSH, on the first `compare` signatures.
    sub = store.minhashes[:compare]
    t = time.perf_counter()
    ours = candidate_pairs(band_keys(sub, bands=bands, rows=rows))
    ours_time = time.perf_counter() - t
    t = time.perf_counter()
    lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM, params=(bands, rows))
    sketches = [MinHash(seed=SEED, hashvalues=row, scheme="affine32") for row in sub]
    with lsh.insertion_session() as session:
        for i, sketch in enumerate(sketches):
            session.insert(i, sketch)
    theirs = {(min(i, j), max(i, j)) for i, sketch in enumerate(sketches) for j in lsh.query(sketch) if j != i}
    theirs_time = time.perf_counter() - t
    print(f"  candidates of the first {len(sub)} signatures, {bands} x {rows} bands: datasketch MinHashLSH "
          f"(insert + query) {theirs_time:.1f} s, {len(theirs)} pairs; numpy band keys {ours_time:.2f} s, "
          f"{len(ours)} pairs ({theirs_time / ours_time:.0f}x); peak RSS {rss_mb():.0f} MB")


def cli_run(count: int, threshold: float, seed: int) -> None:
    """`newsclean dedup` on a JSONL file of the same articles, in a process of its own: its time and peak RSS."""
    pool = sentence_pool(base_articles())
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "articles.jsonl"
        with corpus.open("w", encoding="utf-8") as out:
            for article in stories(count, pool, random.Random(seed)):
                out.write(article.model_dump_json() + "\n")
        size = corpus.stat().st_size / 2**20
        started = time.perf_counter()
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        result = subprocess.run(
            [sys.executable, "-m", "newsclean.cli", "dedup", str(corpus), "-o", str(Path(tmp) / "clusters.parquet"),
             "--threshold", str(threshold)],
            capture_output=True, text=True, cwd=ROOT, check=False,
        )
        wall = time.perf_counter() - started
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = usage.ru_utime + usage.ru_stime - before.ru_utime - before.ru_stime
    print(f"\nnewsclean dedup articles.jsonl ({count} articles, {size:.0f} MiB) -o clusters.parquet: "
          f"exit {result.returncode}, {wall:.1f} s wall, {cpu:.1f} s CPU, peak RSS {usage.ru_maxrss / 1024:.0f} MB")
    print("  " + result.stderr.strip())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--threshold", type=float, default=0.8)
    parser.add_argument("--scale", type=int, default=100_000, help="articles of the scale run (0: none)")
    parser.add_argument("--compare", type=int, default=20_000, help="signatures given to MinHashLSH for comparison")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--cli", action="store_true", help="also time `newsclean dedup` on a JSONL of the scale set")
    args = parser.parse_args()
    accuracy(args.threshold, args.seed)
    if args.scale:
        scale(args.scale, args.threshold, args.seed, args.compare)
        if args.cli:
            cli_run(args.scale, args.threshold, args.seed)
    return 0


if __name__ == "__main__":
    sys.exit(main())
