"""Every bad invocation of the command line: one line on stderr, a non-zero status, never a traceback."""

from __future__ import annotations

import os
import socket
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from newsclean import Article
from newsclean.cli import main
from newsclean.net.store import CrawlStore

ROOT = Path(__file__).resolve().parent.parent
A = Article(url="https://n.test/news/view.php?idx=1", article_id="1", title="제목", paragraphs=("첫 문단",))


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _database(tmp: Path) -> Path:
    db = tmp / "crawl.sqlite"
    with CrawlStore(db) as store:
        store.save_article(A.url or "", A)
    return db


def _damaged(tmp: Path) -> Path:
    """A crawl database whose article pages were overwritten with junk (the file header is intact)."""
    db = tmp / "damaged.sqlite"
    with CrawlStore(db) as store:
        for n in range(300):
            store.save_article(f"https://n.test/{n}", A.model_copy(update={"url": f"https://n.test/{n}"}))
    with sqlite3.connect(db) as raw:
        raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data = bytearray(db.read_bytes())
    for start in range(4096 * 3, len(data), 4096 * 2):
        data[start : start + 4096] = b"\x5a" * 4096
    db.write_bytes(bytes(data))
    return db


# Each case: the arguments, given a temporary folder; the status expected (argparse's 2, or 1).
CASES: dict[str, tuple[Callable[[Path], list[str]], int]] = {
    "--concurrency 0": (
        lambda t: ["crawl", "http://127.0.0.1:9/", "--db", str(t / "c.sqlite"), "--concurrency", "0"],
        2,
    ),
    "--concurrency x": (lambda t: ["crawl", "http://127.0.0.1:9/", "--concurrency", "x"], 2),
    "--timeout 0": (lambda t: ["crawl", "http://127.0.0.1:9/", "--timeout", "0"], 2),
    "--timeout nan": (lambda t: ["fetch", "http://127.0.0.1:9/", "--timeout", "nan"], 2),
    "--deadline -1": (lambda t: ["fetch", "http://127.0.0.1:9/", "--deadline", "-1"], 2),
    "--retries -1": (lambda t: ["fetch", "http://127.0.0.1:9/", "--retries", "-1"], 2),
    "--delay -0.5": (lambda t: ["crawl", "http://127.0.0.1:9/", "--delay", "-0.5"], 2),
    "--limit 0": (lambda t: ["crawl", "http://127.0.0.1:9/", "--limit", "0"], 2),
    "--walk -3": (lambda t: ["crawl", "http://127.0.0.1:9/", "--walk", "-3"], 2),
    "--clean-processes -1": (lambda t: ["crawl", "http://127.0.0.1:9/", "--clean-processes", "-1"], 2),
    "--since soon": (lambda t: ["crawl", "http://127.0.0.1:9/", "--since", "soon"], 2),
    "--user-agent ''": (lambda t: ["fetch", "http://127.0.0.1:9/", "--user-agent", "", "--retries", "0"], 2),
    "unknown option": (lambda t: ["crawl", "http://127.0.0.1:9/", "--fast"], 2),
    "no command": (lambda t: [], 2),
    "export --format xml": (lambda t: ["export", str(t / "c.sqlite"), "--format", "xml"], 2),
    "crawl http://[::1": (lambda t: ["crawl", "http://[::1", "--db", str(t / "c.sqlite")], 1),
    "crawl http://[주소]/": (lambda t: ["crawl", "http://[주소]/", "--db", str(t / "c.sqlite")], 1),
    "crawl ftp://": (lambda t: ["crawl", "ftp://n.test/", "--db", str(t / "c.sqlite")], 1),
    "fetch http://[::1": (lambda t: ["fetch", "http://[::1"], 1),
    "fetch a closed port": (lambda t: ["fetch", f"http://127.0.0.1:{_closed_port()}/", "--retries", "0"], 1),
    "export of no database": (lambda t: ["export", str(t / "none.sqlite")], 1),
    "export of a file that is no database": (
        lambda t: ["export", str((t / "junk.sqlite").write_bytes(b"junk" * 1000) and t / "junk.sqlite")],
        1,
    ),
    "export of a damaged database": (lambda t: ["export", str(_damaged(t))], 1),
    "crawl into a damaged database": (
        lambda t: ["crawl", f"http://127.0.0.1:{_closed_port()}/", "--db", str(_damaged(t)), "--retries", "0"],
        1,
    ),
    "export -o onto the database": (lambda t: ["export", str(_database(t)), "-o", str(t / "crawl.sqlite")], 1),
    "export -o onto its WAL": (lambda t: ["export", str(_database(t)), "-o", str(t / "crawl.sqlite-wal")], 1),
    "crawl --jsonl onto the database": (
        lambda t: ["crawl", "http://127.0.0.1:9/", "--db", str(_database(t)), "--jsonl", str(t / "crawl.sqlite")],
        1,
    ),
    "export -o into a missing folder": (lambda t: ["export", str(_database(t)), "-o", str(t / "no" / "out.jsonl")], 1),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_bad_invocation_is_one_line_and_a_failure(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    make_args, expected = CASES[name]
    args = make_args(tmp_path)
    try:
        status = main(args)
    except SystemExit as exc:  # argparse, and refusals before any work
        status = exc.code if isinstance(exc.code, int) else 1
        if isinstance(exc.code, str):
            print(exc.code, file=sys.stderr)
    captured = capsys.readouterr()
    lines = [line for line in captured.err.splitlines() if line.strip()]
    assert status == expected, captured.err
    assert len(lines) == 1 and lines[0].startswith("newsclean"), captured.err
    assert "Traceback" not in captured.err


def test_a_failed_crawl_still_reports_what_it_did(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = _database(tmp_path)
    status = main(["crawl", f"http://127.0.0.1:{_closed_port()}/", "--db", str(db), "--retries", "0"])
    err = capsys.readouterr().err
    assert status == 1 and "holds 1 articles" in err and "could not be crawled" in err


def _run(args: list[str], stdout: int | object) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    return subprocess.run(
        [sys.executable, "-m", "newsclean.cli", *args],
        stdout=stdout,  # type: ignore[arg-type]
        stderr=subprocess.PIPE,
        text=True,
        timeout=60,
        env=env,
    )


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_a_write_error_is_reported_as_one(tmp_path: Path) -> None:
    db = _database(tmp_path)
    with open("/dev/full", "w") as full:
        result = _run(["export", str(db)], full)
    assert result.returncode == 1
    assert result.stderr.strip() == "newsclean: cannot write standard output: No space left on device"
