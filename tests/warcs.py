"""WARC files built from the fixture pages with fastwarc's record writer, for the tests and the benchmark.

``corpus_records(n)`` mixes real article pages (fixtures/) with what archives also hold: robots.txt, images,
404s, redirects, list pages, a page in English, request records. ``write_warc`` writes records as a .warc.gz
(one gzip member per record, as crawlers write them) or a plain .warc, and returns each record's bytes.
Run as a script to rebuild the committed sample: ``python tests/warcs.py fixtures/warc/sample.warc.gz``.
"""

from __future__ import annotations

import gzip
import io
import json
import sys
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from fastwarc.warc import WarcRecord, WarcRecordType

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
SAMPLE = FIXTURES / "warc" / "sample.warc.gz"
CAPTURED = datetime(2024, 5, 1, 3, 0, 0, tzinfo=UTC)
# A 1x1 PNG: what an image record's body looks like.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360000002000100"
    "05fe02fea7d6a8a40000000049454e44ae426082"
)
LIST_PAGE = (
    "<!doctype html><html><head><meta charset='utf-8'><title>경제 섹션 - 기사 목록</title></head><body>"
    "<ul class='nav'><li><a href='/news/list.php?mcode=m1'>경제</a></li><li><a href='/news/list.php?mcode=m2'>사회"
    "</a></li></ul><div class='basicList'>"
    + "".join(
        f"<dl><dt class='title'><a href='/news/view.php?idx={i}'>경제 기사 제목 {i}번째 소식</a></dt></dl>"
        for i in range(20)
    )
    + "</div><a href='/news/list.php?mcode=m1&amp;page=2'>다음</a></body></html>"
).encode()
ENGLISH_PAGE = (
    "<!doctype html><html><head><meta charset='utf-8'><title>Markets rally</title></head><body><article>"
    + "".join(
        f"<p>Stocks rose for the {i}th day as investors weighed the central bank's outlook.</p>" for i in range(8)
    )
    + "</article></body></html>"
).encode()


@dataclass(frozen=True)
class Rec:
    """One record to write: a response (or request) with its HTTP status, headers and body."""

    uri: str
    body: bytes
    status: int = 200
    content_type: str | None = "text/html; charset=utf-8"
    headers: tuple[tuple[str, str], ...] = ()
    kind: str = "response"


def article_pages() -> list[tuple[str, bytes]]:
    """(URL, bytes) of every stored HTML article page in fixtures/, the URL from its sources.json."""
    out = []
    for page in sorted(FIXTURES.glob("*/*.html")):
        sources = json.loads((page.parent / "sources.json").read_text(encoding="utf-8"))
        urls = [f.get("url") for f in sources.get("files", []) if f.get("file") == page.name]
        url = urls[0] if urls and urls[0] else f"https://{page.parent.name}/{page.stem}"
        out.append((url, page.read_bytes()))
    return out


def euc_kr_header_only() -> tuple[str, bytes]:
    """An EUC-KR page whose charset is only in the HTTP header: the mk.co.kr old layout (stored as UTF-8) without
    its meta charset, encoded as EUC-KR/CP949 (the few characters outside it as character references)."""
    text = (FIXTURES / "mk.co.kr" / "mk_693939_oldlayout.html").read_text(encoding="utf-8")
    body = text.replace("; charset=euc-kr", "", 1).encode("cp949", "xmlcharrefreplace")
    return "https://www.mk.co.kr/news/home/view/2005/07/693939/", body


def sample_records() -> list[Rec]:
    """The committed sample: articles among a robots.txt, an image, a 404, a list page, a redirect, EUC-KR."""
    pages = dict(article_pages())
    picks = [u for u in pages if "k-health" in u or "ourtoday" in u or "gginews2" in u]
    euc_url, euc = euc_kr_header_only()
    return [
        Rec("https://www.k-health.com/robots.txt", b"User-agent: *\nDisallow: /admin/\n", content_type="text/plain"),
        Rec(picks[0], pages[picks[0]]),
        Rec("https://www.k-health.com/image/logo.png", PNG, content_type="image/png"),
        Rec("https://www.k-health.com/news/articleView.html?idxno=0", b"<html>not found</html>", status=404),
        Rec("https://gginews2.dadamedia.net/news/list.php?mcode=m1", LIST_PAGE),
        Rec("http://ourtoday.co.kr/news/1", b"", status=301, content_type=None, headers=(("Location", picks[1]),)),
        Rec(picks[1], pages[picks[1]]),
        Rec(euc_url, euc, content_type="text/html; charset=euc-kr"),
        Rec(picks[2], pages[picks[2]]),
    ]


def corpus_records(n: int, *, pages: Sequence[tuple[str, bytes]] | None = None) -> list[Rec]:
    """``n`` records: fixture articles captured again and again, mixed with records that are no article."""
    pages = list(pages if pages is not None else article_pages())
    euc_url, euc = euc_kr_header_only()
    out: list[Rec] = []
    i = 0
    while len(out) < n:
        url, body = pages[i % len(pages)]
        kinds = (
            Rec(url, body),  # the same page captured again, as in repeated crawls
            Rec(f"https://n.test/robots.txt?{i}", b"User-agent: *\n", content_type="text/plain"),
            Rec(f"https://n.test/{i}.png", PNG, content_type="image/png"),
            Rec(f"https://n.test/gone/{i}", b"<html>404</html>", status=404),
            Rec("https://n.test/list", LIST_PAGE),
            Rec("https://n.test/en", ENGLISH_PAGE),
            Rec(f"https://n.test/r/{i}", b"", status=302, content_type=None, headers=(("Location", url),)),
            Rec(url, b"", kind="request"),
            Rec(euc_url, euc, content_type="text/html; charset=euc-kr"),
        )
        # About a quarter of the records are articles; the rest are what else a news crawl stores.
        out.extend(kinds[: 1 + (i % 9)] if i % 4 else kinds[1:])
        i += 1
    return out[:n]


def record_bytes(rec: Rec, index: int) -> bytes:
    """One WARC record, written by fastwarc."""
    record = WarcRecord()
    if rec.kind == "request":
        block = f"GET / HTTP/1.1\r\nHost: {rec.uri.split('/')[2]}\r\n\r\n".encode()
        record.init_headers(WarcRecordType.request, content_length=0)
        record.headers["Content-Type"] = "application/http; msgtype=request"
    else:
        reason = {200: "OK", 301: "Moved Permanently", 302: "Found", 404: "Not Found"}.get(rec.status, "Status")
        head = [f"HTTP/1.1 {rec.status} {reason}"]
        if rec.content_type:
            head.append(f"Content-Type: {rec.content_type}")
        head += [f"{k}: {v}" for k, v in rec.headers]
        head.append(f"Content-Length: {len(rec.body)}")
        block = ("\r\n".join(head) + "\r\n\r\n").encode() + rec.body
        record.init_headers(WarcRecordType.response, content_length=0)
        record.headers["Content-Type"] = "application/http; msgtype=response"
    record.record_id = f"<urn:uuid:{uuid.UUID(int=index + 1)}>"
    record.headers["WARC-Target-URI"] = rec.uri
    record.record_date = CAPTURED + timedelta(seconds=index)
    record.set_bytes_content(block)
    out = io.BytesIO()
    record.write(out)
    return out.getvalue()


def write_warc(path: Path, records: Sequence[Rec], *, compress: bool = True) -> list[bytes]:
    """Write ``records`` to ``path``; return each record as written (a gzip member, or plain bytes)."""
    parts = [record_bytes(rec, i) for i, rec in enumerate(records)]
    if compress:
        parts = [gzip.compress(p, compresslevel=6, mtime=0) for p in parts]
    path.write_bytes(b"".join(parts))
    return parts


if __name__ == "__main__":
    write_warc(Path(sys.argv[1]) if len(sys.argv) > 1 else SAMPLE, sample_records())
