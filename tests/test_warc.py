"""WARC reading: real .warc.gz files written by fastwarc from the fixture pages, damaged ones, and the CLI."""

from __future__ import annotations

import gzip
import io
import json
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from warcs import (
    ENGLISH_PAGE,
    SAMPLE,
    Rec,
    article_pages,
    corpus_records,
    euc_kr_header_only,
    record_bytes,
    sample_records,
    write_warc,
)

from newsclean import ArchiveError, Article, Capture, NewscleanError, clean_article
from newsclean.cli import SKIP_LABELS, main
from newsclean.corpus.export import read_parquet, read_parquet_captures
from newsclean.corpus.warc import (
    Kept,
    Skipped,
    WarcPage,
    articles_from_warc,
    clean_page,
    looks_korean,
    read_pages,
)

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
_EXPECTED: dict[tuple[str, int, str | None, bytes], Article | str] = {}


def _expected(rec: Rec) -> Article | str:
    """What a record should give, decided independently of newsclean.corpus.warc: an article or a skip reason."""
    key = (rec.uri, rec.status, rec.content_type, rec.body)
    if key not in _EXPECTED:
        _EXPECTED[key] = _expected_uncached(rec)
    return _EXPECTED[key]


def _expected_uncached(rec: Rec) -> Article | str:
    if rec.status != 200:
        return "status"
    if rec.content_type is None or not rec.content_type.startswith("text/html"):
        return "not_html"
    if rec.body is ENGLISH_PAGE:
        return "not_korean"
    raw: str | bytes = rec.body
    if "euc-kr" in rec.content_type and b"charset=" not in rec.body[:2000]:
        raw = rec.body.decode("cp949")
    try:
        return clean_article(raw, url=rec.uri)
    except NewscleanError:
        return "no_article"


def test_generated_warc_gives_exactly_what_clean_article_gives(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    records = corpus_records(2_000)
    write_warc(tmp_path / "big.warc.gz", records)
    responses = [r for r in records if r.kind == "response"]
    expected = [_expected(r) for r in responses]
    assert len(records) >= 2_000 and Counter(type(e) for e in expected)[Article] >= 300
    out = tmp_path / "articles.parquet"
    capsys.readouterr()
    assert main(["warc", str(tmp_path / "big.warc.gz"), "-o", str(out), "--jobs", "2"]) == 0
    rows = list(read_parquet_captures(out))
    # Every article, in record order, equal to clean_article's page by page; read back into Article objects.
    want = [(e, r.uri) for e, r in zip(expected, responses, strict=True) if isinstance(e, Article)]
    assert [a for a, _ in rows] == [a for a, _ in want]
    assert [c.warc_target_uri for _, c in rows if c] == [uri for _, uri in want]
    assert len({c.warc_record_id for _, c in rows if c}) == len(rows)
    # The summary counts the records skipped, by reason.
    summary = capsys.readouterr().err
    assert f"{len(responses):,} response records" in summary
    reasons = Counter(e for e in expected if isinstance(e, str))
    assert set(reasons) == {"status", "not_html", "not_korean", "no_article"}
    for reason, count in reasons.items():
        assert re.search(rf"{re.escape(SKIP_LABELS[reason])} +{count:,}\n", summary), (reason, summary)


def test_committed_sample_mixes_articles_with_other_records() -> None:
    outcomes = list(articles_from_warc(SAMPLE))
    kinds = [o.reason if isinstance(o, Skipped) else "kept" for o in outcomes]
    assert kinds == ["not_html", "kept", "not_html", "status", "no_article", "status", "kept", "kept", "kept"]
    kept = [o for o in outcomes if isinstance(o, Kept)]
    # The EUC-KR page with its charset only in the HTTP header reads as Korean.
    euc = next(k for k in kept if "693939" in (k.capture.warc_target_uri or ""))
    assert euc.article.title == "[종합] 코로나19 신규확진 44명중 해외유입 24명"
    assert euc.article == clean_article(euc_kr_header_only()[1].decode("cp949"), url=euc_kr_header_only()[0])
    assert euc.capture.warc_date is not None and euc.capture.warc_date.utcoffset().total_seconds() == 9 * 3600
    # The committed file is what the builder writes.
    assert [r.uri for r in sample_records()] == [
        o.target_uri if isinstance(o, Skipped) else o.capture.warc_target_uri for o in outcomes
    ]


def _damaged_parts() -> tuple[list[Rec], list[bytes]]:
    pages = article_pages()[:10]
    records = [Rec(f"{url}#{i}", body) for i, (url, body) in enumerate(pages)]
    return records, [record_bytes(r, i) for i, r in enumerate(records)]


def _wrong_length(raw: bytes, delta: int) -> bytes:
    head, _, rest = raw.partition(b"\r\n\r\n")
    lines = [
        b"Content-Length: %d" % (int(line.split(b":")[1]) + delta)
        if line.lower().startswith(b"content-length")
        else line
        for line in head.split(b"\r\n")
    ]
    return b"\r\n".join(lines) + b"\r\n\r\n" + rest


def _kept_uris(data: bytes) -> tuple[list[str], Counter[str]]:
    uris: list[str] = []
    reasons: Counter[str] = Counter()
    for item in read_pages(io.BytesIO(data)):
        if isinstance(item, Skipped):
            reasons[item.reason] += 1
        else:
            uris.append(item.target_uri or "")
    return uris, reasons


@pytest.mark.parametrize("delta", [+300, -300])
def test_damaged_gzip_warc_loses_only_the_damaged_records(delta: int) -> None:
    records, raw = _damaged_parts()
    members = [gzip.compress(r, mtime=0) for r in raw]
    members[2] = members[2][: len(members[2]) // 2]  # a truncated member
    members[5] = members[5] + b"\x00garbage between records\r\n" * 40  # garbage after a whole record
    members[7] = gzip.compress(_wrong_length(raw[7], delta), mtime=0)  # a wrong Content-Length
    uris, reasons = _kept_uris(b"".join(members))
    assert uris == [r.uri for i, r in enumerate(records) if i not in (2, 7)]
    assert reasons == Counter({"damaged": 2})


def test_damaged_plain_warc_loses_only_the_damaged_records() -> None:
    records, raw = _damaged_parts()
    raw[4] = raw[4] + b"garbage between records\r\n"
    raw[6] = _wrong_length(raw[6], +50)
    uris, reasons = _kept_uris(b"".join(raw))
    assert uris == [r.uri for i, r in enumerate(records) if i != 6]
    assert reasons == Counter({"damaged": 1})


def test_garbage_before_the_first_record_and_a_cut_last_member() -> None:
    records, raw = _damaged_parts()
    members = [gzip.compress(r, mtime=0) for r in raw]
    data = b"not a warc\r\n" + b"".join(members[:-1]) + members[-1][: len(members[-1]) // 2]
    uris, reasons = _kept_uris(data)
    assert uris == [r.uri for r in records[:-1]] and reasons == Counter({"damaged": 1})


def test_the_http_charset_reads_a_page_that_declares_none() -> None:
    html = (FIXTURES / "mk.co.kr" / "mk_11328184.html").read_text(encoding="utf-8")
    html = html.replace('<meta charset="utf-8">', "").replace('charset="UTF-8"', "").replace("charset=utf-8", "")
    body = html.encode("euc-kr", "replace")
    expected = clean_article(body.decode("euc-kr"))
    outcome = clean_page(WarcPage("<urn:x>", "https://www.mk.co.kr/news/society/11328184", None, "euc-kr", body))
    assert isinstance(outcome, Kept) and outcome.article.title == expected.title
    assert outcome.article.paragraphs == expected.paragraphs


# Bodies for the Hangul pre-filter, with what it must say of each.
KOREAN_PREFILTER_CASES = [
    (
        "utf-8 Korean page",
        "<p>" + "광명시가 전국 지방자치단체 평가에서 최우수 기관에 선정됐다. " * 3 + "</p>",
        "utf-8",
        True,
    ),
    (
        "EUC-KR Korean page",
        "<p>" + "광명시가 전국 지방자치단체 평가에서 최우수 기관에 선정됐다. " * 3 + "</p>",
        "cp949",
        True,
    ),
    ("English page", ENGLISH_PAGE.decode(), "utf-8", False),
    ("Japanese page", "<p>" + "東京都は新しい経済対策を発表した。" * 20 + "</p>", "utf-8", False),
    ("Chinese page", "<p>" + "北京市政府今天宣布了新的经济政策。" * 20 + "</p>", "utf-8", False),
    ("English page with a Korean menu", "<a>한국어</a>" + ENGLISH_PAGE.decode(), "utf-8", False),
]


@pytest.mark.parametrize(("name", "text", "encoding", "korean"), KOREAN_PREFILTER_CASES)
def test_hangul_prefilter(name: str, text: str, encoding: str, korean: bool) -> None:
    assert looks_korean(text.encode(encoding)) is korean, name


def test_every_fixture_page_passes_the_prefilter() -> None:
    assert all(looks_korean(body) for _, body in article_pages())


def test_cli_jsonl_summary_and_an_unreadable_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "a.jsonl"
    code = main(
        ["warc", str(SAMPLE), str(tmp_path / "missing.warc.gz"), "-o", str(out), "--format", "jsonl", "-j", "1"]
    )
    assert code == 0
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(lines) == 4 and all(line["warc_record_id"].startswith("<urn:uuid:") for line in lines)
    assert Article.model_validate(lines[0]) == next(
        o.article for o in articles_from_warc(SAMPLE) if isinstance(o, Kept)
    )
    assert Capture.model_validate(lines[0]).warc_target_uri == lines[0]["url"]
    err = capsys.readouterr().err
    assert "2 files, 9 response records" in err and "not HTML" in err and "missing.warc.gz" in err
    assert "Traceback" not in err


def test_cli_export_parquet_from_a_crawl_database(tmp_path: Path) -> None:
    from newsclean import CrawlStore

    articles = [o.article for o in articles_from_warc(SAMPLE) if isinstance(o, Kept)]
    with CrawlStore(tmp_path / "c.sqlite") as store:
        for a in articles:
            store.save_article(a.url or "", a)
    out = tmp_path / "c.parquet"
    assert main(["export", str(tmp_path / "c.sqlite"), "--format", "parquet", "-o", str(out)]) == 0
    assert list(read_parquet(out)) == articles
    assert main(["export", str(tmp_path / "c.sqlite"), "--format", "parquet"]) == 1  # Parquet needs a file


def test_clean_imports_no_archive_packages() -> None:
    code = (
        "import sys, io, contextlib\nfrom newsclean.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    main(['clean', 'fixtures/k-health.com/k-health.com_1.html'])\n"
        "print(sorted(m for m in ('fastwarc', 'pyarrow', 'dask', 'pandas', 'fsspec') if m in sys.modules))"
    )
    root = Path(__file__).resolve().parent.parent
    out = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, timeout=60, check=True)
    assert out.stdout.strip() == "[]"


@pytest.mark.parametrize("data", [b"", b"<html><body>not an archive</body></html>", b"\x1f\x8b\x08garbage"])
def test_a_file_with_no_warc_record_is_an_archive_error(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "not.warc.gz"
    path.write_bytes(data)
    with pytest.raises(ArchiveError, match="holds no WARC record"):
        list(read_pages(path))


def test_a_warc_without_responses_is_no_error(tmp_path: Path) -> None:
    write_warc(tmp_path / "requests.warc.gz", [Rec("https://n.test/", b"", kind="request")] * 3)
    assert list(read_pages(tmp_path / "requests.warc.gz")) == []


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_cli_progress_on_a_terminal_only_and_jsonl_on_stdout(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["warc", str(SAMPLE), "-o", "-", "--format", "jsonl", "-j", "1"]) == 0
    captured = capsys.readouterr()
    assert len(captured.out.splitlines()) == 4 and "\r" not in captured.err  # stderr is no terminal here
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    monkeypatch.setattr("newsclean.cli._WarcProgress.INTERVAL", 0.0)
    assert main(["warc", str(SAMPLE), "-o", "-", "--format", "jsonl", "-j", "1"]) == 0
    assert "\r9 records (" in terminal.getvalue() and "articles 4 skipped:" in terminal.getvalue()
    assert main(["warc", str(SAMPLE), "-o", "-"]) == 1  # Parquet is not written to stdout
