"""``newsclean clean`` on many pages: process pool, formats, summary by error class; quiet exits and -V."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from corpus import FIXTURES

from newsclean import __version__, clean_article
from newsclean.cli import main
from newsclean.corpus.batch import clean_files, page_files

ROOT = Path(__file__).resolve().parent.parent
SEED = FIXTURES / "gginews2.dadamedia.net" / "66849.txt"
ENGLISH = (
    "<html><head><title>Markets rally</title></head><body><article>"
    + "<p>Stocks rose on Tuesday as investors weighed fresh data on inflation and the labour market.</p>" * 8
    + "</article></body></html>"
)


def run(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    return subprocess.run(
        [sys.executable, "-m", "newsclean", *args], input=stdin, capture_output=True, timeout=60, env=env, check=False
    )


def test_input_dir_in_two_processes_gives_the_articles_of_one_call_each(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "all.jsonl"
    assert main(["clean", "--input-dir", str(FIXTURES), "--format", "jsonl", "--jobs", "2", "-o", str(out)]) == 0
    summary = capsys.readouterr().err
    batch = out.read_text(encoding="utf-8").splitlines()
    one_by_one: list[str] = []
    skipped = 0
    pages = page_files(FIXTURES)
    assert len(pages) >= 50
    for page in pages:
        code = main(["clean", page, "--format", "jsonl"])
        captured = capsys.readouterr()
        if code == 0:
            one_by_one.append(captured.out.rstrip("\n"))
        else:
            skipped += 1
            assert captured.err.count("\n") == 1
    assert batch == one_by_one
    assert f"{len(one_by_one)} kept, {skipped} skipped" in summary


def test_formats_of_a_batch(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pages = page_files(FIXTURES / "mk.co.kr")[:3]
    articles = [clean_article(Path(p).read_bytes()) for p in pages]
    assert main(["clean", *pages, "--format", "json", "-j", "1"]) == 0
    assert [a["title"] for a in json.loads(capsys.readouterr().out)] == [a.title for a in articles]
    assert main(["clean", *pages, "--format", "csv", "-j", "2"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [r["title"] for r in rows] == [a.title for a in articles]
    assert main(["clean", *pages, "--format", "markdown", "-j", "1"]) == 0
    markdown = capsys.readouterr().out
    assert markdown.count("\n---\n") == 2 and all(f"# {a.title}" in markdown for a in articles)


def test_skipped_pages_are_summed_up_by_error_class(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "empty.html").write_bytes(b"")
    (tmp_path / "english.html").write_text(ENGLISH, encoding="utf-8")
    (tmp_path / "list.html").write_text(
        "<html><body><ul>" + "<li><a href='/a'>경기도 소식</a></li>" * 30 + "</ul></body></html>", encoding="utf-8"
    )
    (tmp_path / "page.txt").write_bytes(SEED.read_bytes())
    (tmp_path / "notes.md").write_text("not a page", encoding="utf-8")
    assert main(["clean", "--input-dir", str(tmp_path), "--format", "jsonl", "-j", "2", "-v"]) == 0
    captured = capsys.readouterr()
    assert len(captured.out.splitlines()) == 1
    assert "1 kept, 3 skipped (EmptyInputError 1, NoArticleBodyError 1, NotKoreanError 1)" in captured.err
    assert "english.html: NotKoreanError" in captured.err
    # Only pages are read from a directory by default; --glob chooses others.
    assert main(["clean", "--input-dir", str(tmp_path), "--glob", "*.txt", "--format", "jsonl"]) == 0
    assert "1 kept, 0 skipped" in capsys.readouterr().err


def test_batch_of_nothing_but_failures_exits_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "a.html").write_bytes(b"")
    (tmp_path / "b.html").write_bytes(b"  ")
    assert main(["clean", str(tmp_path / "a.html"), str(tmp_path / "b.html")]) == 1
    assert "0 kept, 2 skipped (EmptyInputError 2)" in capsys.readouterr().err


def test_clean_files_keeps_order_and_failures() -> None:
    paths = [str(SEED), "/nonexistent/x.html", str(SEED)]
    results = list(clean_files(paths, jobs=2))
    assert [r.ok for r in results] == [True, False, True]
    assert results[1].error == "OSError" and "cannot read" in (results[1].message or "")


@pytest.mark.parametrize("fmt", ["json", "jsonl", "text", "markdown", "csv"])
def test_a_result_rendered_in_its_worker_is_the_article_rendered_here(fmt: str) -> None:
    from newsclean.corpus.formats import render

    pages = [*page_files(FIXTURES / "mk.co.kr")[:2], str(SEED), "/nonexistent/x.html"]
    results = list(clean_files(pages, jobs=2, fmt=fmt))
    assert [r.path for r in results] == pages
    for result in results[:-1]:
        assert result.ok and result.article is None
        assert result.text == render(clean_article(Path(result.path).read_bytes()), fmt)
    assert not results[-1].ok and results[-1].text is None and results[-1].error == "OSError"


def test_an_unknown_format_is_refused_before_any_page_is_cleaned() -> None:
    from newsclean.errors import ExportError

    with pytest.raises(ExportError, match="unknown format 'xml'"):
        next(clean_files([str(SEED)], fmt="xml"))


def test_a_batch_process_hands_the_pages_out_and_never_loads_the_cleaner_itself(tmp_path: Path) -> None:
    # The pages are cleaned and rendered in the workers: the command's own process imports neither the models
    # (pydantic), the parser (selectolax) nor the pipeline, and starts as fast as a script that only lists files.
    out = tmp_path / "all.jsonl"
    code = (
        "import sys; from newsclean.cli import main;"
        f"rc = main(['clean', '--input-dir', {str(FIXTURES / 'mk.co.kr')!r}, '--format', 'jsonl', '--jobs', '2',"
        f" '-o', {str(out)!r}]);"
        "heavy = ('pydantic', 'selectolax', 'newsclean.api', 'newsclean.models', 'newsclean.sites', 'httpx');"
        "print(rc, sorted(m for m in heavy if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split(None, 1) == ["0", "[]\n"]
    expected = [clean_article(Path(page).read_bytes()).model_dump_json() for page in page_files(FIXTURES / "mk.co.kr")]
    assert out.read_text(encoding="utf-8").splitlines() == expected


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["clean", "http://news.test/view.php?idx=1"], "use `newsclean fetch`"),
        (["clean"], "needs a PATH"),
        (["clean", "--input-dir", "/nonexistent"], "is not a directory"),
        (["clean", str(SEED), str(SEED), "--url", "http://a.kr/1"], "--url names one page"),
        (["clean", str(SEED), "--glob", "*.html"], "give --input-dir too"),
    ],
)
def test_misuse_is_one_line(args: list[str], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(args) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err


def test_not_korean_page_on_its_own(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    page = tmp_path / "en.html"
    page.write_text(ENGLISH, encoding="utf-8")
    assert main(["clean", str(page)]) == 1
    assert "NotKoreanError" in capsys.readouterr().err


def test_broken_pipe_exits_quietly() -> None:
    command = [sys.executable, "-m", "newsclean", "clean", "--input-dir", str(FIXTURES), "--format", "text", "-j", "1"]
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env) as proc:
        assert proc.stdout is not None and proc.stderr is not None
        proc.stdout.read(10)
        proc.stdout.close()  # what `| head` does once it has its lines
        err = proc.stderr.read().decode()
        status = proc.wait(timeout=60)
    assert status == 141
    assert err == ""


def test_python_dash_m_and_version() -> None:
    done = run("-V")
    assert done.returncode == 0 and done.stdout.decode().strip() == f"newsclean {__version__}"
    done = run("clean", "-", "--format", "text", stdin=SEED.read_bytes())
    assert done.returncode == 0 and "광명시가 전국 243개" in done.stdout.decode()


def test_progress_bar_shows_rate_and_eta_and_never_runs_backwards(capsys: pytest.CaptureFixture[str]) -> None:
    from newsclean.cli import _ProgressBar

    bar = _ProgressBar(enabled=True)
    start = bar.started
    shown: list[int] = []
    # A crawl: 10 of 10 done, then discovery finds 90 more URLs; then the work catches up.
    for done, total in [(5, 10), (10, 10), (10, 100), (40, 100), (60, 100), (100, 100)]:
        line = bar.line(done, total, "", now=start + done)
        shown.append(line.count("#"))
        assert f"{done}/{total}" in line and "1.0/s" in line
    assert shown == sorted(shown) and shown[-1] == _ProgressBar.WIDTH
    assert "ETA 1:30" in bar.line(10, 100, "", now=start + 10)  # 90 left at 1 page/s
    bar.draw(3, 10, "kept 3", final=True)
    err = capsys.readouterr().err
    assert err.startswith("\r[") and err.endswith("\n") and "kept 3" in err


def test_no_progress_bar_when_stderr_is_not_a_terminal(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["clean", str(SEED), str(SEED), "--format", "jsonl", "-j", "1"]) == 0
    err = capsys.readouterr().err
    assert "\r" not in err and err.count("\n") == 1
