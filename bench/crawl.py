"""Benchmark: crawl a loopback site of the reference family at concurrency 1, 4 and 16.

The site (tests/crawl_site.py) runs in a process of its own on 127.0.0.1 and serves N article pages, each a
real fixture page (fixtures/mk.co.kr/mk_11328184.html) stamped with its idx, plus the section lists that
link them. Each concurrency is measured twice: with no added latency, and with the server adding 50 ms to
every response (as a distant site would). Politeness delay is 0 and robots.txt is read as usual.

Printed for each run: pages/s of fetching alone (no cleaning); pages/s of the whole crawl (discover, fetch,
clean, store), with cleaning in the crawl's thread and in one process per core, and its ratio to
concurrency 1; and, first, pages/s of ``clean_article`` alone on the same page.

    python bench/crawl.py [--articles 600] [--latency 0.05] [--concurrency 1 4 16] [--clean-processes 0 2]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from newsclean import clean_article  # noqa: E402
from newsclean.net.crawl import CrawlOptions, acrawl  # noqa: E402
from newsclean.net.fetch import AsyncFetcher, FetchOptions  # noqa: E402

PAGE = ROOT / "fixtures" / "mk.co.kr" / "mk_11328184.html"


def start_site(articles: int, latency: float) -> tuple[subprocess.Popen[str], str]:
    site = subprocess.Popen(
        [sys.executable, str(ROOT / "tests" / "crawl_site.py"), "--articles", str(articles), "--latency", str(latency)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert site.stdout is not None
    return site, site.stdout.readline().strip()


def stop_site(site: subprocess.Popen[str]) -> None:
    assert site.stdin is not None
    site.stdin.close()
    site.wait(timeout=10)


async def crawl_rate(url: str, concurrency: int, processes: int) -> tuple[int, float]:
    options = CrawlOptions(fetch=FetchOptions(delay=0), concurrency=concurrency, clean_processes=processes)
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        count = 0
        async for _ in acrawl(url + "/", db=Path(tmp) / "bench.sqlite", options=options):
            count += 1
        return count, count / (time.perf_counter() - started)


async def fetch_rate(url: str, articles: int, concurrency: int) -> float:
    """Fetching alone: every article page through the AsyncFetcher, with ``concurrency`` in flight."""
    options = FetchOptions(delay=0, per_host_concurrency=concurrency)
    ids = iter(range(1, articles + 1))
    async with AsyncFetcher(options=options) as fetcher:

        async def worker() -> None:
            for idx in ids:
                await fetcher.fetch(f"{url}/news/view.php?idx={idx}")

        await fetcher.fetch(url + "/")  # robots.txt and a warm connection
        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        return articles / (time.perf_counter() - started)


def clean_rate(seconds: float = 3.0) -> float:
    raw = PAGE.read_bytes()
    count = 0
    started = time.perf_counter()
    while time.perf_counter() - started < seconds:
        clean_article(raw, url=f"http://127.0.0.1/news/view.php?idx={count}")
        count += 1
    return count / (time.perf_counter() - started)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--articles", type=int, default=600)
    parser.add_argument("--latency", type=float, default=0.05, help="seconds the slow server adds per response")
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 4, 16])
    parser.add_argument(
        "--clean-processes",
        type=int,
        nargs="+",
        default=[0, os.cpu_count() or 1],
        help="CrawlOptions.clean_processes values to measure (0 = clean in the crawl's thread)",
    )
    args = parser.parse_args()
    print(f"clean_article alone on {PAGE.name} ({PAGE.stat().st_size:,} bytes): {clean_rate():.0f} pages/s")
    for latency in (0.0, args.latency):
        site, url = start_site(args.articles, latency)
        try:
            print(f"\n{args.articles} article pages, server latency {latency * 1000:.0f} ms, politeness delay 0")
            print(
                f"{'concurrency':>11}  {'fetch-only':>10}  "
                + "  ".join(f"{f'crawl, {p} clean proc.':>20} {'ratio':>6}" for p in args.clean_processes)
            )
            bases: dict[int, float] = {}
            for concurrency in args.concurrency:
                fetch_only = asyncio.run(fetch_rate(url, args.articles, concurrency))
                cells = []
                for processes in args.clean_processes:
                    count, rate = asyncio.run(crawl_rate(url, concurrency, processes))
                    assert count == args.articles, f"crawl stored {count} of {args.articles} articles"
                    base = bases.setdefault(processes, rate)
                    cells.append(f"{rate:>20.1f} {rate / base:>5.1f}x")
                print(f"{concurrency:>11}  {fetch_only:>10.1f}  " + "  ".join(cells), flush=True)
        finally:
            stop_site(site)
    return 0


if __name__ == "__main__":
    sys.exit(main())
