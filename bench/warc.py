"""Benchmark: web archives in, Parquet out, against ``clean_article`` alone on the same pages.

A WARC of N records is built from the fixture pages (tests/warcs.py: articles captured again and again, mixed
with robots.txt, images, 404s, redirects, list pages, an English page and request records). Printed:

- records/s of ``clean_article`` alone on the pages that ``newsclean warc`` cleans (bodies already in memory);
- records/s of ``newsclean warc --jobs 1`` and ``--jobs 2`` (read, filter, clean, write Parquet), and the cost
  of reading and writing at ``--jobs 1`` over cleaning alone (target: at most 20%);
- records/s of ``newsclean.corpus.dask.articles_from_warcs(...).to_parquet`` on a ``LocalCluster`` of 2 processes
  over the same records in 4 files (the cluster's start-up is timed apart);
- peak RSS of ``newsclean warc --jobs 1`` (Parquet, then JSONL) on N and on 5N records, each in a fresh process
  (target: within 10%).

Each rate is the best of ``--repeat`` runs, taken in turn so that a busy machine slows them alike; the cost of
reading and writing is also given in CPU time of the process, which other processes on the machine disturb less.

    python bench/warc.py [--records 2000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from warcs import corpus_records, write_warc  # noqa: E402

from newsclean import clean_article  # noqa: E402
from newsclean.cli import main  # noqa: E402
from newsclean.corpus.warc import WarcPage, looks_korean, read_pages  # noqa: E402

# Peak RSS in KiB of the process itself: Linux's VmHWM (ru_maxrss would also count the parent's memory at the
# fork that started it, since a process keeps its maximum across exec).
RSS_SCRIPT = """
import contextlib, io, resource, sys
from newsclean.cli import main
with contextlib.redirect_stderr(io.StringIO()):
    main(["warc", sys.argv[1], "-o", sys.argv[2], "--jobs", "1", "--format", sys.argv[3]])
try:
    with open("/proc/self/status") as status:
        print(next(line.split()[1] for line in status if line.startswith("VmHWM:")))
except OSError:
    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def clean_only(path: Path) -> tuple[int, float, float]:
    """(records in the file, wall and CPU seconds of clean_article over the pages newsclean warc would clean)."""
    items = list(read_pages(path))
    pages = [i for i in items if isinstance(i, WarcPage) and looks_korean(i.body)]
    inputs = [(p.body, p.charset, p.target_uri) for p in pages]
    started, cpu = time.perf_counter(), time.process_time()
    for raw, charset, url in inputs:
        with contextlib.suppress(Exception):
            clean_article(raw, url=url, charset=charset)
    return len(items), time.perf_counter() - started, time.process_time() - cpu


def cli(paths: list[Path], out: Path, jobs: int) -> tuple[float, float]:
    """Wall and CPU seconds (of this process only) of ``newsclean warc`` run in this process."""
    started, cpu = time.perf_counter(), time.process_time()
    with contextlib.redirect_stderr(io.StringIO()):
        code = main(["warc", *map(str, paths), "-o", str(out), "--jobs", str(jobs)])
    assert code == 0
    return time.perf_counter() - started, time.process_time() - cpu


def dask_rates(paths: list[Path], out: Path, repeat: int) -> tuple[float, float]:
    """(seconds to start a LocalCluster of 2 processes, best seconds of articles_from_warcs -> to_parquet)."""
    from distributed import Client, LocalCluster

    from newsclean.corpus.dask import articles_from_warcs

    started = time.perf_counter()
    with (
        LocalCluster(n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None) as cluster,
        Client(cluster) as client,
    ):
        client.run(lambda: __import__("newsclean.corpus.dask"))  # workers import newsclean before the clock starts
        startup = time.perf_counter() - started
        best = float("inf")
        for k in range(repeat):
            started = time.perf_counter()
            articles_from_warcs([str(p) for p in paths]).to_parquet(str(out / f"run{k}"))
            best = min(best, time.perf_counter() - started)
    return startup, best


def peak_rss(path: Path, out: Path, fmt: str = "parquet") -> int:
    """Peak RSS in MiB of ``newsclean warc --jobs 1 --format FMT`` on ``path`` in a fresh process."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", RSS_SCRIPT, str(path), str(out), fmt],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    return int(done.stdout.split()[-1]) // 1024


def main_bench() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=2_000, help="records in the WARC (default 2000)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each measure; the best is kept (3)")
    args = parser.parse_args()
    n = args.records
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        records = corpus_records(n)
        big = work / "all.warc.gz"
        write_warc(big, records)
        parts = []
        for k in range(4):
            part = work / f"part{k}.warc.gz"
            write_warc(part, records[k * n // 4 : (k + 1) * n // 4])
            parts.append(part)
        five = work / "five.warc.gz"
        write_warc(five, corpus_records(5 * n))

        cli([big], work / "warm.parquet", 1)  # imports pyarrow and warms caches once, as any long run does
        times: dict[str, float] = {"clean": float("inf"), "jobs1": float("inf"), "jobs2": float("inf")}
        cpu = {"clean": float("inf"), "jobs1": float("inf")}
        count = 0
        for _ in range(args.repeat):
            count, seconds, cpu_seconds = clean_only(big)
            times["clean"], cpu["clean"] = min(times["clean"], seconds), min(cpu["clean"], cpu_seconds)
            seconds, cpu_seconds = cli([big], work / "j1.parquet", 1)
            times["jobs1"], cpu["jobs1"] = min(times["jobs1"], seconds), min(cpu["jobs1"], cpu_seconds)
            times["jobs2"] = min(times["jobs2"], cli([big], work / "j2.parquet", 2)[0])
        startup, times["dask"] = dask_rates(parts, work, args.repeat)
        rss_small = peak_rss(big, work / "rss1.parquet")
        rss_big = peak_rss(five, work / "rss5.parquet")
        jsonl_small = peak_rss(big, work / "rss1.jsonl", "jsonl")
        jsonl_big = peak_rss(five, work / "rss5.jsonl", "jsonl")

    print(f"{n:,} WARC records ({count:,} responses); best of {args.repeat}; load average {os.getloadavg()[0]:.1f}")
    print(f"{'path':44} {'records/s':>10} {'vs clean':>9}")
    rows = [
        ("clean_article alone (pages in memory)", "clean"),
        ("newsclean warc --jobs 1", "jobs1"),
        ("newsclean warc --jobs 2", "jobs2"),
        ("Dask LocalCluster(2 processes), 4 files", "dask"),
    ]
    for label, key in rows:
        print(f"{label:44} {count / times[key]:>10,.1f} {times['clean'] / times[key]:>8.2f}x")
    overhead, cpu_overhead = times["jobs1"] / times["clean"] - 1, cpu["jobs1"] / cpu["clean"] - 1
    print(
        f"reading + filtering + writing Parquet at --jobs 1 over clean_article alone (target <= 20%): "
        f"{cpu_overhead:+.1%} in CPU time ({cpu['clean']:.2f} s -> {cpu['jobs1']:.2f} s), {overhead:+.1%} in wall time"
    )
    print(f"Dask LocalCluster start-up (not in the rate): {startup:.1f} s")
    for fmt, small, large in (("parquet", rss_small, rss_big), ("jsonl", jsonl_small, jsonl_big)):
        print(
            f"peak RSS --jobs 1 --format {fmt}: {small} MiB at {n:,} records, {large} MiB at {5 * n:,} "
            f"({large / small - 1:+.1%}, target within 10%)"
        )


if __name__ == "__main__":
    main_bench()
