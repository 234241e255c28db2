"""``newsclean crawl``, ``export`` and ``fetch`` end to end against a site on 127.0.0.1; resuming after SIGKILL."""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from crawl_site import Site, serve

from newsclean.cli import main

ROOT = Path(__file__).resolve().parent.parent
# Seconds the resume test waits for the first run to store some articles before killing it.
KILL_WAIT = 20.0


def newsclean(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    return subprocess.run(
        [sys.executable, "-m", "newsclean.cli", *args], capture_output=True, text=True, timeout=timeout, env=env
    )


def stored(db: Path) -> list[str]:
    with sqlite3.connect(db) as con:
        return [row[0] for row in con.execute("SELECT url FROM articles")]


def test_crawl_end_to_end_database_and_jsonl(tmp_path: Path) -> None:
    site = Site(failing=frozenset({5}))
    db, jsonl = tmp_path / "site.sqlite", tmp_path / "out.jsonl"
    with serve(site) as url:
        result = newsclean("crawl", url + "/", "--db", str(db), "--jsonl", str(jsonl), "--delay", "0")
    assert result.returncode == 0, result.stderr
    assert "11 new, 0 unchanged, 1 failed" in result.stderr
    expected = sorted(f"{url}/news/view.php?idx={i}" for i in site.all_ids if i != 5)
    # The database: every article once, cleaned; the failing page recorded with its error.
    with sqlite3.connect(db) as con:
        rows = con.execute("SELECT url, json FROM articles ORDER BY url").fetchall()
        failed = con.execute("SELECT url, status, attempts, http_status, last_error FROM urls WHERE status = 'failed'")
        failures = failed.fetchall()
    assert sorted(url for url, _ in rows) == expected
    for _, data in rows:
        article = json.loads(data)
        assert article["title"] and article["paragraphs"] and article["site"] == "127.0.0.1"
    assert failures == [
        (
            f"{url}/news/view.php?idx=5",
            "failed",
            1,
            500,
            f"HTTPStatusError: HTTP 500 Internal Server Error for {url}/news/view.php?idx=5",
        )
    ]
    # The JSONL export: the same articles, once each.
    lines = [json.loads(line) for line in jsonl.read_text(encoding="utf-8").splitlines()]
    assert sorted(line["url"] for line in lines) == expected
    assert all(line["paragraphs"] and line["text"] for line in lines)
    # `newsclean export` gives the same set, as JSONL or CSV.
    exported = newsclean("export", str(db), "--format", "csv")
    assert exported.returncode == 0, exported.stderr
    table = list(csv.DictReader(io.StringIO(exported.stdout)))
    assert sorted(row["url"] for row in table) == expected and all(row["text"] for row in table)


def test_crawl_resumes_after_sigkill_without_fetching_twice(tmp_path: Path) -> None:
    site = Site(articles_per_section=20, page_size=10, latency=0.04)
    db = tmp_path / "site.sqlite"
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    with serve(site) as url:
        args = [sys.executable, "-m", "newsclean.cli", "crawl", url + "/", "--db", str(db), "--delay", "0"]
        first = subprocess.Popen(
            [*args, "--concurrency", "2", "--clean-processes", "2"], env=env, stderr=subprocess.DEVNULL
        )
        try:
            deadline = time.monotonic() + KILL_WAIT
            while time.monotonic() < deadline:
                if db.exists() and len(_stored_safely(db)) >= 8:
                    break
                time.sleep(0.02)
            cleaners = _children(first.pid)
            os.kill(first.pid, signal.SIGKILL)  # no polite stop
        finally:
            first.wait(timeout=10)
        assert first.returncode == -signal.SIGKILL
        # The cleaning processes end with the crawl that started them.
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and any(Path(f"/proc/{pid}").exists() for pid in cleaners):
            time.sleep(0.1)
        assert not [pid for pid in cleaners if Path(f"/proc/{pid}").exists()]
        after_kill = set(stored(db))
        assert 8 <= len(after_kill) < 40, "the first run should be killed part-way"
        site.log.clear()
        second = subprocess.run([*args, "--concurrency", "4"], env=env, capture_output=True, text=True, timeout=60)
    assert second.returncode == 0, second.stderr
    # Every article exactly once.
    with sqlite3.connect(db) as con:
        (total, distinct) = con.execute("SELECT count(*), count(DISTINCT url) FROM articles").fetchone()
    assert total == distinct == 40
    # The second run fetched only what the first did not finish, and each of those once.
    refetched = site.requested("/news/view.php")
    assert len(refetched) == len(set(refetched)) == 40 - len(after_kill)
    assert not {url + path for path in refetched} & after_kill
    assert f"{40 - len(after_kill)} new, 0 unchanged, 0 failed" in second.stderr


def _children(pid: int) -> list[int]:
    """The child processes of ``pid`` (Linux /proc); empty elsewhere."""
    out: list[int] = []
    for children in Path(f"/proc/{pid}/task").glob("*/children"):
        out.extend(int(child) for child in children.read_text().split())
    return out


def _stored_safely(db: Path) -> list[str]:
    try:
        return stored(db)
    except sqlite3.Error:  # the crawl is creating the file
        return []


def test_cli_fetch_and_export_in_process(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    site = Site()
    db = tmp_path / "c.sqlite"
    with serve(site) as url:
        assert main(["fetch", url + "/news/view.php?idx=3&mcode=m1", "--format", "json"]) == 0
        article = json.loads(capsys.readouterr().out)
        assert article["url"] == url + "/news/view.php?idx=3" and article["paragraphs"]
        assert main(["fetch", url + "/news/view.php?idx=999"]) == 1
        assert "HTTPStatusError" in capsys.readouterr().err
        site.log.clear()
        assert main(["crawl", url + "/", "--db", str(db), "--delay", "0", "--limit", "2", "--no-robots"]) == 0
        assert "2 new" in capsys.readouterr().err
    assert "/robots.txt" not in site.log
    assert main(["export", str(db), "--output", str(tmp_path / "a.jsonl")]) == 0
    assert len((tmp_path / "a.jsonl").read_text(encoding="utf-8").splitlines()) == 2
    assert main(["export", str(tmp_path / "missing.sqlite")]) == 1
    assert "StoreError" in capsys.readouterr().err


def test_cli_rejects_a_bad_since() -> None:
    with pytest.raises(SystemExit):
        main(["crawl", "http://127.0.0.1:9/", "--since", "yesterday"])
