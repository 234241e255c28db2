"""Extraction benchmark: newsclean against the peers and a selectolax floor, on every stored page.

    python bench/extract.py [--corpus fixtures] [--rounds 5] [--calls 10000] [--peers trafilatura,readability,...]

Reads every page of the corpus folder (default: fixtures/, all sites; any folder of *.html and *.txt pages works,
such as an evaluation corpus). Prints pages/s for every extractor over the same HTML pages in one process (after
a warm-up), each one's ratio to newsclean, newsclean's ratio to the floor (selectolax parse + body.text()),
newsclean's rate on the plain-text dumps, the time per page for page sizes from 10 KB to 10 MB, and the RSS
growth over many clean_article calls. The peers are installed for the benchmark only:
pip install trafilatura readability-lxml newspaper4k goose3
"""

from __future__ import annotations

import argparse
import gc
import itertools
import resource
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path

from selectolax.lexbor import LexborHTMLParser

from newsclean import NewscleanError, clean_article
from newsclean.clean.page import decode_bytes

warnings.filterwarnings("ignore")
FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
# Targets the benchmark prints against.
TARGET_TIMES_TRAFILATURA = 15.0  # newsclean pages/s at least this many times trafilatura's
TARGET_TIMES_FLOOR = 3.0  # newsclean's time at most this many times the floor's
TARGET_RSS_GROWTH_MB = 20.0  # over --calls calls
TARGET_SCALING = 12.0  # a 10x larger page costs at most this many times the time
# Rounds of the page-size scaling; each size is timed on about 3 MB of input a round, and the best round kept.
SCALING_ROUNDS = 3


def pages(corpus: Path, suffix: str) -> list[tuple[bytes, str]]:
    """Every page of ``corpus`` (searched recursively) whose name ends with ``suffix``, raw and decoded."""
    out = []
    for path in sorted(corpus.rglob(f"*{suffix}")):
        raw = path.read_bytes()
        out.append((raw, decode_bytes(raw)[0]))
    return out


def run_newsclean(raw: bytes, html: str) -> object:
    try:
        return clean_article(raw)
    except NewscleanError:
        return None


def run_floor(raw: bytes, html: str) -> object:
    tree = LexborHTMLParser(html)
    return tree.body.text(separator="\n") if tree.body else ""


def run_trafilatura(raw: bytes, html: str) -> object:
    import trafilatura

    return trafilatura.extract(html, with_metadata=True)


def run_readability(raw: bytes, html: str) -> object:
    from readability import Document

    return Document(html).summary()


def run_newspaper4k(raw: bytes, html: str) -> object:
    from newspaper import Article

    article = Article("http://example.invalid/", language="en", fetch_images=False)
    article.download(input_html=html)
    article.parse()
    return article.text


def run_goose3(raw: bytes, html: str) -> object:
    from goose3 import Goose

    with Goose({"enable_image_fetching": False}) as goose:
        return goose.extract(raw_html=html).cleaned_text


PEERS: dict[str, Callable[[bytes, str], object]] = {
    "trafilatura": run_trafilatura,
    "readability": run_readability,
    "newspaper4k": run_newspaper4k,
    "goose3": run_goose3,
}


def seconds_for(fn: Callable[[bytes, str], object], corpus: list[tuple[bytes, str]], rounds: int) -> float:
    for raw, html in corpus:  # warm-up: imports, caches
        fn(raw, html)
    best = float("inf")
    for _ in range(rounds):
        start = time.perf_counter()
        for raw, html in corpus:
            fn(raw, html)
        best = min(best, time.perf_counter() - start)
    return best


def scaling() -> list[tuple[int, float]]:
    """Time per page for pages of 10 KB to 10 MB built from one article's paragraphs and sidebars."""
    paragraph = "<p>광명시가 전국 243개 지방자치단체를 대상으로 실시한 사회적경제정책 평가에서 선정됐다.</p>\n"
    sidebar = "<li><a href='/news/view.php?idx=1'>경기도, 도시재생 분야 우수 시군 평가 결과 발표</a></li>\n"
    rows = []
    for size in (10_000, 100_000, 1_000_000, 10_000_000):
        unit = paragraph + sidebar
        repeat = max(1, size // len(unit.encode()))
        html = (
            "<html><head><meta charset='utf-8'><title>제목</title></head><body><div id='viewContent'>"
            + paragraph * repeat
            + "</div><ul class='rank'>"
            + sidebar * repeat
            + "</ul></body></html>"
        ).encode()
        runs = max(1, 3_000_000 // len(html))
        run_newsclean(html, "")
        best = float("inf")
        for _ in range(SCALING_ROUNDS):  # the best round: the slower ones measure the machine's load
            start = time.perf_counter()
            for _ in range(runs):
                run_newsclean(html, "")
            best = min(best, (time.perf_counter() - start) / runs)
        rows.append((len(html), best))
    return rows


def rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def rss_growth(corpus: list[tuple[bytes, str]], calls: int) -> tuple[float, float]:
    for raw, html in corpus:
        run_newsclean(raw, html)
    gc.collect()
    before = rss_mb()
    for i in range(calls):
        raw, html = corpus[i % len(corpus)]
        run_newsclean(raw, html)
    gc.collect()
    return before, rss_mb()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--calls", type=int, default=10_000)
    parser.add_argument("--peers", default=",".join(PEERS))
    parser.add_argument("--corpus", type=Path, default=FIXTURES, help="folder of pages (default: fixtures/)")
    args = parser.parse_args()
    corpus = pages(args.corpus, ".html")
    dumps = pages(args.corpus, ".txt")
    n = len(corpus)
    print(f"{args.corpus}: {n} HTML pages, {sum(len(r) for r, _ in corpus) / 1e6:.1f} MB, best of {args.rounds} rounds")
    times = {"newsclean": seconds_for(run_newsclean, corpus, args.rounds)}
    times["floor (selectolax parse + body.text)"] = seconds_for(run_floor, corpus, args.rounds)
    for name in filter(None, args.peers.split(",")):
        try:
            times[name] = seconds_for(PEERS[name], corpus, args.rounds)
        except ImportError as exc:
            print(f"{name}: not installed ({exc.name})", file=sys.stderr)
    ours = times["newsclean"]
    print(f"{'extractor':40s} {'pages/s':>9s} {'newsclean is x faster':>22s}")
    for name, seconds in times.items():
        print(f"{name:40s} {n / seconds:9.1f} {seconds / ours:22.2f}")
    floor = times["floor (selectolax parse + body.text)"]
    print(f"newsclean / floor time: {ours / floor:.2f} (target <= {TARGET_TIMES_FLOOR})")
    if "trafilatura" in times:
        ratio = times["trafilatura"] / ours
        print(f"newsclean vs trafilatura: {ratio:.1f}x (target >= {TARGET_TIMES_TRAFILATURA})")
    if dumps:
        dump_seconds = seconds_for(run_newsclean, dumps, args.rounds)
        print(
            f"newsclean on {len(dumps)} text dumps ({sum(len(r) for r, _ in dumps) / 1e6:.1f} MB): "
            f"{len(dumps) / dump_seconds:.1f} pages/s"
        )
    print("page size -> time per page")
    rows = scaling()
    for size, seconds in rows:
        print(f"  {size / 1e3:10.0f} KB  {seconds * 1e3:9.2f} ms")
    worst = max(b[1] / a[1] * (a[0] / b[0]) * 10 for a, b in itertools.pairwise(rows))
    print(f"worst cost of a 10x larger page: {worst:.1f}x (target <= {TARGET_SCALING})")
    before, after = rss_growth(corpus, args.calls)
    print(
        f"RSS over {args.calls} calls: {before:.1f} MB -> {after:.1f} MB, "
        f"growth {after - before:.1f} MB (target < {TARGET_RSS_GROWTH_MB})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
