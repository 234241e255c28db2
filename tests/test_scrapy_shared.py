"""Two ``scrapy crawl newsclean`` processes on one Redis frontier: every article once; a SIGKILLed one loses nothing.

A real ``redis-server`` runs on 127.0.0.1 (in CI, ``CI=true``, a missing or failing server fails the tests).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
from crawl_site import Site, serve

ROOT = Path(__file__).resolve().parent.parent
# Seconds to wait for redis-server to answer, and for a crawl process to register or to finish.
REDIS_START_WAIT = 10.0
REGISTER_WAIT = 30.0
CRAWL_WAIT = 60.0
# Seconds after which a silent process counts as gone (NEWSCLEAN_WORKER_TIMEOUT), short for the test.
WORKER_TIMEOUT = "2"
QUICK = ("AUTOTHROTTLE_ENABLED=0", "DOWNLOAD_DELAY=0", "TELNETCONSOLE_ENABLED=0", "REMOTE_CONTROL_ENABLED=0")


def _unavailable(reason: str) -> None:
    if os.environ.get("CI", "").lower() in ("true", "1"):
        pytest.fail(f"{reason}; CI must run the shared-frontier tests against a real Redis")
    pytest.skip(reason)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def redis_url(tmp_path: Path) -> Iterator[str]:
    binary = shutil.which("redis-server")
    if binary is None:
        _unavailable("redis-server is not installed (apt-get install redis-server)")
        return
    port = _free_port()
    args = [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
    server = subprocess.Popen([*args, "--dir", str(tmp_path)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    client = redis.Redis(host="127.0.0.1", port=port)
    try:
        deadline = time.monotonic() + REDIS_START_WAIT
        while True:
            try:
                client.ping()
                break
            except redis.ConnectionError:
                if server.poll() is not None or time.monotonic() > deadline:
                    _unavailable(f"redis-server did not start on 127.0.0.1:{port}")
                time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        client.close()
        server.terminate()
        server.wait(timeout=10)


def crawl_process(
    site_url: str, redis_url: str, out: Path, *settings: str, timeout: str = WORKER_TIMEOUT
) -> subprocess.Popen[str]:
    """``scrapy crawl newsclean`` on the shared frontier, in a process of its own; its log goes to ``out``.log."""
    args = [f"REDIS_URL={redis_url}", f"NEWSCLEAN_WORKER_TIMEOUT={timeout}", *QUICK, *settings]
    command = [sys.executable, "-m", "scrapy", "crawl", "newsclean", "-a", f"site={site_url}/", "-O", str(out)]
    command += [arg for setting in args for arg in ("-s", setting)]
    path = os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])
    env = {**os.environ, "PYTHONPATH": path, "SCRAPY_SETTINGS_MODULE": "newsclean.corpus.scrapy.settings_shared"}
    with out.with_suffix(".log").open("w", encoding="utf-8") as log:
        return subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=log, text=True)


def finish(process: subprocess.Popen[str], out: Path) -> str:
    process.wait(timeout=CRAWL_WAIT)
    log = out.with_suffix(".log").read_text(encoding="utf-8")
    assert process.returncode == 0, log[-3000:]
    return log


def wait_for(condition: object, what: str, timeout: float = REGISTER_WAIT) -> None:
    assert callable(condition)
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


def urls_of(jsonl: Path) -> list[str]:
    return [json.loads(line)["url"] for line in jsonl.read_text(encoding="utf-8").splitlines()]


def test_two_processes_share_one_frontier_and_store_each_article_once(tmp_path: Path, redis_url: str) -> None:
    # The site answers slowly until both processes run, and then still slowly enough (0.2 s an answer, a few
    # seconds in all) that a process the machine's load starves for a moment still gets its share.
    site = Site(articles_per_section=20, page_size=5, latency=1.0)
    client = redis.Redis.from_url(redis_url)
    outs = [tmp_path / "a.jsonl", tmp_path / "b.jsonl"]
    with serve(site) as url:
        quick = ("CONCURRENT_REQUESTS=2", "CONCURRENT_REQUESTS_PER_DOMAIN=2")
        processes = [crawl_process(url, redis_url, out, *quick) for out in outs]
        try:
            wait_for(lambda: client.scard("newsclean:workers") == 2, "both processes to register")
            site.latency = 0.2
            logs = [finish(process, out) for process, out in zip(processes, outs, strict=True)]
        finally:
            for process in processes:
                if process.poll() is None:
                    process.kill()
                    process.wait()
    expected = sorted(f"{url}/news/view.php?idx={i}" for i in site.all_ids)
    # The union of the two processes' items (their JSONL feeds) is every article exactly once ...
    per_process = [urls_of(out) for out in outs]
    assert sorted(per_process[0] + per_process[1]) == expected
    assert all(per_process), f"both processes should have cleaned articles: {[len(p) for p in per_process]}"
    # ... each article page was fetched once in all, and the shared store holds each article once.
    fetched = Counter(path.split("&")[0] for path in site.requested("/news/view.php"))
    assert set(fetched.values()) == {1} and len(fetched) == len(expected)
    stored = [json.loads(raw)["url"] for raw in client.lrange("newsclean:items", 0, -1)]
    assert sorted(stored) == expected
    assert client.zcard("newsclean:requests") == 0 and not client.keys("newsclean:inflight:*")
    assert not client.exists("newsclean:seeded"), "the finished crawl lets the next run seed"
    assert all("'finish_reason': 'finished'" in log for log in logs)


def test_a_killed_process_loses_nothing_and_a_restarted_one_finishes(tmp_path: Path, redis_url: str) -> None:
    site = Site(articles_per_section=20, page_size=5, latency=0.05)
    client = redis.Redis.from_url(redis_url)
    total = len(site.all_ids)
    with serve(site) as url:
        first = crawl_process(url, redis_url, tmp_path / "first.jsonl", "CONCURRENT_REQUESTS=4")
        try:
            wait_for(lambda: client.llen("newsclean:items") >= 8, "the first process to store some articles")
            os.kill(first.pid, signal.SIGKILL)  # no polite stop
        finally:
            first.wait(timeout=10)
        assert first.returncode == -signal.SIGKILL
        stored_at_kill = client.llen("newsclean:items")
        leased_at_kill = sum(int(client.zcard(key)) for key in client.keys("newsclean:inflight:*"))
        assert stored_at_kill < total, "the first process should be killed part-way"
        assert leased_at_kill >= 1, "the killed process should hold requests it had not finished"
        second = tmp_path / "second.jsonl"
        log = finish(crawl_process(url, redis_url, second, "CONCURRENT_REQUESTS=4"), second)
    stored = Counter(json.loads(raw)["url"] for raw in client.lrange("newsclean:items", 0, -1))
    assert sorted(stored) == sorted(f"{url}/news/view.php?idx={i}" for i in site.all_ids)
    assert set(stored.values()) == {1}, "no article stored twice"
    assert client.hlen("newsclean:articles") == total
    assert "'newsclean/reclaimed': " in log  # the killed process's leased requests were handed out again
    assert len(urls_of(tmp_path / "second.jsonl")) == total - stored_at_kill
