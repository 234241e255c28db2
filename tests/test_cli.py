"""The command line: newsclean clean PATH|- [--url] [--format]."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from corpus import FIXTURES

from newsclean.cli import main

SEED = FIXTURES / "gginews2.dadamedia.net" / "66849.txt"


def test_clean_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["clean", str(SEED)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["title"] == "광명시, 사회적경제 정책평가 전국 최우수 기관 선정"
    assert len(data["paragraphs"]) == 11
    assert data["published_at"] == "2021-11-26T12:06:03+09:00"


def test_clean_text_and_markdown(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["clean", str(SEED), "--format", "text"]) == 0
    text = capsys.readouterr().out
    assert text.startswith("광명시, 사회적경제 정책평가 전국 최우수 기관 선정\n")
    assert "기사 메일전송" not in text
    assert main(["clean", str(SEED), "--format", "markdown"]) == 0
    markdown = capsys.readouterr().out
    assert markdown.startswith("# 광명시, 사회적경제 정책평가 전국 최우수 기관 선정\n")
    assert "\n## 제3회 전국 지방자치단체 사회적경제 정책평가, 최우수 기관 선정\n" in markdown


def test_clean_stdin_with_url(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    stdin = io.TextIOWrapper(io.BytesIO(SEED.read_bytes()))
    monkeypatch.setattr(sys, "stdin", stdin)
    assert main(["clean", "-", "--url", "http://gginews2.dadamedia.net/news/view.php?idx=66849&mcode=m1"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["article_id"] == "66849"


def test_bad_input_is_one_line_on_stderr(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    empty = tmp_path / "empty.html"
    empty.write_bytes(b"")
    assert main(["clean", str(empty)]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1 and "EmptyInputError" in captured.err


def test_missing_file(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["clean", "/nonexistent/page.html"]) == 1
    assert "cannot read" in capsys.readouterr().err


def test_installed_command_runs() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "newsclean.cli", "clean", str(SEED), "--format", "text"],
        capture_output=True,
        check=False,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr.decode()
    assert "광명시가 전국 243개" in done.stdout.decode("utf-8")
