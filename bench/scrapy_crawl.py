"""Benchmark: ``newsclean crawl`` against the Scrapy spider (one process, and two on one Redis frontier).

The loopback site (tests/crawl_site.py) runs in a process of its own on 127.0.0.1, adds 50 ms to every
response and serves N article pages (a real fixture page stamped with its idx) behind its section lists.
Every crawler runs at the same concurrency C (requests in flight per process), politeness delay 0,
AutoThrottle off, robots.txt read, cleaning in the crawling process:

- ``newsclean crawl`` (``acrawl``, SQLite store);
- the Scrapy spider with Scrapy's own scheduler, one process (a reference);
- the Scrapy spider on the shared Redis frontier (``SHARED_SETTINGS``, a real redis-server): one process,
  then two processes at C each, then two at C/2 each (C in all).

Printed per run: articles stored; wall seconds (process start to exit, Scrapy's start-up included), pages/s
over them and the ratio to ``newsclean crawl``; the same over the crawl time alone (for Scrapy, the longest
``elapsed_time_seconds`` its processes report).

    python bench/scrapy_crawl.py [--articles 300] [--latency 0.05] [--concurrency 8]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from newsclean.net.crawl import CrawlOptions, acrawl  # noqa: E402
from newsclean.net.fetch import FetchOptions  # noqa: E402

QUICK = ("AUTOTHROTTLE_ENABLED=0", "DOWNLOAD_DELAY=0", "TELNETCONSOLE_ENABLED=0", "LOG_LEVEL=INFO")


def start_site(articles: int, latency: float) -> tuple[subprocess.Popen[str], str]:
    command = [sys.executable, str(ROOT / "tests" / "crawl_site.py"), "--articles", str(articles)]
    site = subprocess.Popen(
        [*command, "--latency", str(latency)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    assert site.stdout is not None
    return site, site.stdout.readline().strip()


def start_redis(workdir: Path) -> tuple[subprocess.Popen[bytes], str]:
    binary = shutil.which("redis-server")
    if binary is None:
        raise SystemExit("redis-server is not installed (apt-get install redis-server)")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    args = [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
    server = subprocess.Popen([*args, "--dir", str(workdir)], stdout=subprocess.DEVNULL)
    import redis

    client = redis.Redis(host="127.0.0.1", port=port)
    deadline = time.monotonic() + 10
    while True:
        try:
            client.ping()
            return server, f"redis://127.0.0.1:{port}/0"
        except redis.ConnectionError:
            if time.monotonic() > deadline:
                raise SystemExit("redis-server did not start") from None
            time.sleep(0.05)


async def newsclean_run(url: str, concurrency: int, workdir: Path) -> int:
    options = CrawlOptions(fetch=FetchOptions(delay=0), concurrency=concurrency)
    count = 0
    async for _ in acrawl(url + "/", db=workdir / "bench.sqlite", options=options):
        count += 1
    return count


def scrapy_run(
    url: str, workdir: Path, *, processes: int, concurrency: int, redis_url: str | None
) -> tuple[int, float]:
    """Run ``processes`` spiders at once; return the articles stored (the union of their items) and the
    longest crawl time one of them reports (Scrapy's ``elapsed_time_seconds``: start-up left out)."""
    settings = "newsclean.corpus.scrapy.settings_shared" if redis_url else "newsclean.corpus.scrapy.settings"
    extra = [f"CONCURRENT_REQUESTS={concurrency}", f"CONCURRENT_REQUESTS_PER_DOMAIN={concurrency}", *QUICK]
    if redis_url:
        extra.append(f"REDIS_URL={redis_url}")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "SCRAPY_SETTINGS_MODULE": settings}
    outs = [workdir / f"items-{i}.jsonl" for i in range(processes)]
    running = []
    for out in outs:
        command = [sys.executable, "-m", "scrapy", "crawl", "newsclean", "-a", f"site={url}/", "-O", str(out)]
        command += [arg for setting in extra for arg in ("-s", setting)]
        with out.with_suffix(".log").open("w") as log:
            running.append(subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=log))
    for process in running:
        if process.wait(timeout=600) != 0:
            raise SystemExit(f"scrapy crawl ended with status {process.returncode}")
    urls = [json.loads(line)["url"] for out in outs for line in out.read_text(encoding="utf-8").splitlines()]
    if len(urls) != len(set(urls)):
        raise SystemExit(f"{len(urls) - len(set(urls))} articles were stored twice")
    elapsed = [
        float(m.group(1))
        for out in outs
        if (m := re.search(r"'elapsed_time_seconds': ([0-9.]+)", out.with_suffix(".log").read_text()))
    ]
    return len(urls), max(elapsed)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--latency", type=float, default=0.05, help="seconds the server adds per response")
    parser.add_argument("--concurrency", type=int, default=8, help="requests in flight per process")
    args = parser.parse_args()
    c = args.concurrency
    site, url = start_site(args.articles, args.latency)
    rows: list[tuple[str, int, float, float]] = []
    try:
        with tempfile.TemporaryDirectory() as tmp:
            work = Path(tmp)
            server, redis_url = start_redis(work)
            try:
                runs = [
                    (f"newsclean crawl, concurrency {c}", None),
                    (f"Scrapy, own scheduler, 1 process x {c}", (1, c, False)),
                    (f"Scrapy + Redis, 1 process x {c}", (1, c, True)),
                    (f"Scrapy + Redis, 2 processes x {c}", (2, c, True)),
                    (f"Scrapy + Redis, 2 processes x {max(1, c // 2)}", (2, max(1, c // 2), True)),
                ]
                for index, (name, spec) in enumerate(runs):
                    run_dir = work / f"run{index}"
                    run_dir.mkdir()
                    started = time.perf_counter()
                    if spec is None:
                        count = asyncio.run(newsclean_run(url, c, run_dir))
                        crawl_seconds = time.perf_counter() - started
                    else:
                        processes, concurrency, shared = spec
                        db = f"{redis_url[:-1]}{index}"  # a fresh Redis database per run
                        count, crawl_seconds = scrapy_run(
                            url, run_dir, processes=processes, concurrency=concurrency, redis_url=db if shared else None
                        )
                    rows.append((name, count, time.perf_counter() - started, crawl_seconds))
                    if count != args.articles:
                        raise SystemExit(f"{name}: stored {count} of {args.articles} articles")
            finally:
                server.terminate()
                server.wait(timeout=10)
    finally:
        assert site.stdin is not None
        site.stdin.close()
        site.wait(timeout=10)
    print(f"{args.articles} article pages, server latency {args.latency * 1000:.0f} ms, politeness delay 0")
    head = f"{'articles':>8} {'wall s':>7} {'pages/s':>8} {'ratio':>6} {'crawl s':>8} {'pages/s':>8} {'ratio':>6}"
    print(f"{'crawler':<40} {head}")
    wall_base = rows[0][1] / rows[0][2]
    crawl_base = rows[0][1] / rows[0][3]
    for name, count, wall, crawl in rows:
        print(
            f"{name:<40} {count:>8} {wall:>7.1f} {count / wall:>8.1f} {count / wall / wall_base:>5.2f}x"
            f" {crawl:>8.1f} {count / crawl:>8.1f} {count / crawl / crawl_base:>5.2f}x"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
