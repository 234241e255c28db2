"""A small news site on 127.0.0.1, laid out like the reference CMS family, for crawl tests and the benchmark.

- ``/`` links the section lists (``/news/list.php?mcode=…``) and two article URLs;
- ``/news/list.php?mcode=M&page=N`` lists ``page_size`` articles of section M, newest first, with ``&mcode=``
  on each link; a page past the end lists none;
- ``/news/view.php?idx=N`` serves a real fixture page (chosen by ``idx``), or a 500 for the ids in ``failing``;
- every answer carries an ETag and honours ``If-None-Match``; ``latency`` seconds are added to each.

Run as a script to serve a site in its own process: ``python tests/crawl_site.py --articles 600 --port 0``.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
# Real article pages served as the site's articles (idx picks one, round robin).
ARTICLE_FIXTURES = (
    "mk.co.kr/mk_11328184.html",
    "mk.co.kr/mk_11328187.html",
    "mk.co.kr/mk_11329112.html",
    "mk.co.kr/mk_11330362.html",
    "mk.co.kr/mk_11331368.html",
    "mk.co.kr/mk_11331490.html",
    "n.news.naver.com/naver_016_0002194334.html",
    "n.news.naver.com/naver_018_0005316196.html",
    "chosun.com/chosun_2020082704301.html",
)


@dataclass
class Site:
    """What the site serves, and a log of the paths asked for."""

    sections: tuple[str, ...] = ("m1", "m2")
    articles_per_section: int = 6
    page_size: int = 4
    failing: frozenset[int] = frozenset()
    latency: float = 0.0
    fixtures: tuple[str, ...] = ARTICLE_FIXTURES
    vary_pages: bool = False  # stamp each page with its idx so every body differs (the benchmark)
    robots: str = "User-agent: *\nDisallow: /admin/\n"
    log: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    _pages: list[bytes] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._pages = [(FIXTURES / name).read_bytes() for name in self.fixtures]

    def ids(self, section: str) -> list[int]:
        """Article ids of a section, newest first (sections interleave: m1 has 1, 3, 5 … for two sections)."""
        index = self.sections.index(section)
        count = len(self.sections)
        top = self.articles_per_section * count
        return [i for i in range(top, 0, -1) if (i - 1) % count == index]

    @property
    def all_ids(self) -> list[int]:
        return sorted(i for s in self.sections for i in self.ids(s))

    def requested(self, prefix: str) -> list[str]:
        with self.lock:
            return [path for path in self.log if path.startswith(prefix)]

    def article(self, idx: int) -> bytes:
        page = self._pages[(idx - 1) % len(self._pages)]
        if self.vary_pages:
            page = page.replace(b"</title>", f" #{idx}</title>".encode(), 1)
        return page

    def answer(self, path: str) -> tuple[int, str, bytes]:
        """(status, content type, body) for a request path."""
        parts = urlsplit(path)
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        html = "text/html; charset=utf-8"
        if parts.path == "/robots.txt":
            return 200, "text/plain", self.robots.encode()
        if parts.path == "/":
            nav = "".join(f'<li><a href="/news/list.php?mcode={s}">섹션 {s}</a></li>' for s in self.sections)
            top = self.sections[0]
            links = "".join(f'<a href="/news/view.php?idx={i}&amp;mcode={top}">기사 {i}</a>' for i in self.ids(top)[:2])
            return 200, html, _html(f"<ul>{nav}</ul>{links}")
        if parts.path == "/news/list.php" and query.get("mcode") in self.sections:
            section = query["mcode"]
            page = int(query.get("page", "1") or 1)
            ids = self.ids(section)[(page - 1) * self.page_size : page * self.page_size]
            nav = "".join(f'<a href="/news/list.php?mcode={s}">{s}</a>' for s in self.sections)
            items = "".join(
                f'<dl><dt class="title"><a href="../news/view.php?idx={i}&amp;mcode={section}">기사 {i}</a></dt></dl>'
                for i in ids
            )
            paging = f'<a href="/news/list.php?mcode={section}&amp;page={page + 1}">다음</a>'
            return 200, html, _html(f"{nav}<div class='basicList'>{items}</div>{paging}")
        if parts.path == "/news/view.php" and query.get("idx", "").isdigit():
            idx = int(query["idx"])
            if idx in self.failing:
                return 500, "text/plain", b"server error"
            if idx not in self.all_ids:
                return 404, "text/plain", b"no such article"
            return 200, html, self.article(idx)
        return 404, "text/plain", b"not found"


def _html(body: str) -> bytes:
    head = "<head><meta charset='utf-8'><title>뉴스</title></head>"
    return f"<!doctype html><html>{head}<body>{body}</body></html>".encode()


def _handler(site: Site) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            with site.lock:
                site.log.append(self.path)
            if site.latency:
                time.sleep(site.latency)
            status, content_type, body = site.answer(self.path)
            etag = '"' + hashlib.blake2b(body, digest_size=8).hexdigest() + '"'
            if status == 200 and self.headers.get("If-None-Match") == etag:
                self.send_response(304)
                self.send_header("ETag", etag)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            if status == 200:
                self.send_header("ETag", etag)
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:  # quiet
            pass

    return Handler


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # a client that hangs up (a cancelled or killed crawl) is no error of the site


@contextmanager
def serve(site: Site, *, port: int = 0) -> Iterator[str]:
    """Serve ``site`` on 127.0.0.1 in a thread; yield its base URL (no trailing slash)."""
    server = _Server(("127.0.0.1", port), _handler(site))
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Serve a loopback news site of the reference CMS family.")
    parser.add_argument("--articles", type=int, default=600, help="articles in all (split over two sections)")
    parser.add_argument("--page-size", type=int, default=20)
    parser.add_argument("--latency", type=float, default=0.0, help="seconds added to each response")
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args(argv)
    site = Site(
        articles_per_section=args.articles // 2,
        page_size=args.page_size,
        latency=args.latency,
        fixtures=("mk.co.kr/mk_11328184.html",),
        vary_pages=True,
    )
    with serve(site, port=args.port) as url:
        print(url, flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            sys.stdin.read()  # serve until stdin closes
    return 0


if __name__ == "__main__":
    sys.exit(main())
