"""Benchmark: batch cleaning from the command line, newsclean against trafilatura, on the same pages.

Every fixture page (fixtures/*/*.html and *.txt) is copied ``--copies`` times into a temporary directory;
then, in the same run and on that directory, each command is timed from start to exit (process start-up,
reading, cleaning, writing), best of ``--repeat`` rounds; a round runs each command once, in turn, so that a spell
of load on a shared machine slows both sides of the ratio alike:

    newsclean clean --input-dir DIR --format jsonl --jobs N -o OUT
    trafilatura --input-dir DIR --parallel N -o OUTDIR

Printed: pages/s of each, how many articles newsclean kept and how many distinct texts trafilatura wrote
(it names files by a hash of their text, so the copies of a page share one), and newsclean's speed as a
multiple of trafilatura's.

Each command is also timed, in the same run, on a directory holding one page (the reference page): its start-up
(process start, imports, worker processes, one page). The rate beyond start-up, (pages - 1) / (time - start-up),
is what a batch many times larger tends to: a short batch's ratio is pulled towards the ratio of start-ups.
trafilatura is looked for on PATH, or given with ``--trafilatura PATH``; when it is missing the benchmark says
so and measures newsclean alone.

    python bench/batch.py [--copies 10] [--jobs 2] [--repeat 3] [--trafilatura PATH] [--only-html]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGE_SUFFIXES = (".html", ".txt")
# The page of the start-up run.
ONE_PAGE = ROOT / "fixtures" / "gginews2.dadamedia.net" / "66849.html"
# Runs of the start-up command at least (a run of under a second is the noisiest).
MIN_STARTUP_REPEAT = 3


def copy_pages(target: Path, copies: int, suffixes: tuple[str, ...]) -> int:
    pages = sorted(p for p in (ROOT / "fixtures").glob("*/*") if p.suffix in suffixes)
    for copy in range(copies):
        folder = target / f"copy{copy}"
        folder.mkdir()
        for page in pages:
            shutil.copyfile(page, folder / f"{page.parent.name}__{page.name}")
    return len(pages) * copies


def run(command: list[str]) -> float:
    """Seconds from start to exit of ``command``; a failure ends the benchmark."""
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False, timeout=1800)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"failed ({done.returncode}): {' '.join(command)}\n{done.stderr[-2000:]}")
    return seconds


# A command line, and what to do before each run of it (clear its output directory).
Command = tuple[list[str], Callable[[], None] | None]


def best_of(commands: dict[str, Command], repeat: int) -> dict[str, float]:
    """The best time of each command over ``repeat`` rounds; each round runs every command once, in turn, so that
    a spell of load on a shared machine slows both sides of a ratio alike."""
    best = dict.fromkeys(commands, float("inf"))
    for _ in range(repeat):
        for name, (command, before) in commands.items():
            if before is not None:
                before()
            best[name] = min(best[name], run(command))
    return best


def find_trafilatura(given: str | None) -> str | None:
    if given:
        path = Path(given)
        return str(path) if path.is_file() else None
    return shutil.which("trafilatura")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--copies", type=int, default=10, help="copies of the fixture pages (default 10)")
    parser.add_argument("--jobs", type=int, default=2, help="worker processes of both tools (default 2)")
    parser.add_argument(
        "--repeat", type=int, default=3, help="rounds, each running every command once; the best is kept (default 3)"
    )
    parser.add_argument("--trafilatura", metavar="PATH", help="the trafilatura command (default: found on PATH)")
    parser.add_argument(
        "--only-html", action="store_true", help="only the HTML pages (trafilatura reads no plain-text dumps)"
    )
    args = parser.parse_args()

    trafilatura = find_trafilatura(args.trafilatura)
    with tempfile.TemporaryDirectory(prefix="newsclean-batch-") as tmp:
        pages_dir = Path(tmp) / "pages"
        pages_dir.mkdir()
        suffixes = (".html",) if args.only_html else PAGE_SUFFIXES
        pages = copy_pages(pages_dir, args.copies, suffixes)
        kinds = "HTML pages" if args.only_html else "pages, HTML and text dumps"
        print(f"{pages} pages ({args.copies} copies of the fixture {kinds}); {args.jobs} processes; ", end="")
        print(f"best of {args.repeat} rounds")

        one_dir = Path(tmp) / "one"
        one_dir.mkdir()
        shutil.copyfile(ONE_PAGE, one_dir / ONE_PAGE.name)
        out = Path(tmp) / "newsclean.jsonl"
        out_dir = Path(tmp) / "trafilatura"

        def newsclean_cmd(directory: Path, target: Path) -> list[str]:
            command = [sys.executable, "-m", "newsclean", "clean", "--input-dir", str(directory)]
            return [*command, "--format", "jsonl", "--jobs", str(args.jobs), "-o", str(target)]

        def peer_cmd(directory: Path) -> list[str]:
            assert trafilatura is not None
            return [trafilatura, "--input-dir", str(directory), "--parallel", str(args.jobs), "-o", str(out_dir)]

        def clear() -> None:
            shutil.rmtree(out_dir, ignore_errors=True)
            out_dir.mkdir()

        whole: dict[str, Command] = {"newsclean": (newsclean_cmd(pages_dir, out), None)}
        start_up: dict[str, Command] = {"newsclean": (newsclean_cmd(one_dir, Path(tmp) / "one.jsonl"), None)}
        if trafilatura is not None:
            whole["trafilatura"] = (peer_cmd(pages_dir), clear)
            start_up["trafilatura"] = (peer_cmd(one_dir), clear)

        seconds = best_of(whole, args.repeat)
        kept = sum(1 for _ in out.open(encoding="utf-8"))
        # trafilatura names each output file by a hash of its text: copies of one page share one file.
        peer_files = sum(1 for p in out_dir.rglob("*") if p.is_file())
        starts = best_of(start_up, max(args.repeat, MIN_STARTUP_REPEAT))

        ours = pages / seconds["newsclean"]
        print(
            f"newsclean clean --jobs {args.jobs}:      {ours:8.1f} pages/s  ({seconds['newsclean']:.2f} s, "
            f"{kept} articles kept)"
        )
        if trafilatura is None:
            where = args.trafilatura or "PATH"
            print(f"trafilatura: MISSING (not found on {where}); install it or pass --trafilatura PATH to compare")
            print(f"start-up (one page):            newsclean {starts['newsclean']:.2f} s")
            return 0
        theirs = pages / seconds["trafilatura"]
        print(
            f"trafilatura --parallel {args.jobs}:       {theirs:8.1f} pages/s  ({seconds['trafilatura']:.2f} s, "
            f"{peer_files} distinct texts written)"
        )
        print(f"newsclean / trafilatura:        {ours / theirs:8.2f}x")
        print(
            f"start-up (one page):            newsclean {starts['newsclean']:.2f} s, "
            f"trafilatura {starts['trafilatura']:.2f} s"
        )
        beyond = {name: seconds[name] - starts[name] for name in seconds}
        if all(value > 0 for value in beyond.values()):
            ours_after, theirs_after = (pages - 1) / beyond["newsclean"], (pages - 1) / beyond["trafilatura"]
            print(
                f"beyond start-up:                newsclean {ours_after:.1f} pages/s, trafilatura {theirs_after:.1f} "
                f"pages/s: {ours_after / theirs_after:.2f}x"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
