"""A misbehaving HTTP/1.1 server on 127.0.0.1: raw asyncio, so each answer is exactly the bytes a test scripts.

A route maps a request path (with its query) to a ``Reply``: the parts written in order, where ``bytes`` are
sent as they are and a ``float`` is a pause in seconds (a server that drips its headers or body). The server
keeps connections alive, serves any number of requests on one, and logs ``(connection number, path)`` for
each request, so a test can see which connection a request went over.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Reply:
    """What the server does for one request: write ``parts`` (bytes, or a float pause), then maybe hang up."""

    parts: Sequence[bytes | float]
    close: bool = False


def response(
    status: int = 200,
    body: bytes = b"",
    *,
    content_type: str = "text/html; charset=utf-8",
    headers: Sequence[tuple[str, str]] = (),
    length: int | None = None,
) -> bytes:
    """The bytes of a whole response; ``length`` overrides the Content-Length sent (a lying server)."""
    lines = [
        f"HTTP/1.1 {status} X",
        f"Content-Type: {content_type}",
        f"Content-Length: {len(body) if length is None else length}",
    ]
    lines += [f"{name}: {value}" for name, value in headers]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


def drip(data: bytes, *, every: float, size: int = 1) -> list[bytes | float]:
    """``data`` sent ``size`` bytes at a time with ``every`` seconds between the pieces."""
    parts: list[bytes | float] = []
    for start in range(0, len(data), size):
        parts += [data[start : start + size], every]
    return parts


Route = Reply | Callable[[str], Reply]


@dataclass
class FaultServer:
    """Routes by path; unknown paths get a 404. ``robots`` is served at /robots.txt unless a route overrides it."""

    routes: dict[str, Route] = field(default_factory=dict)
    robots: bytes = b"User-agent: *\nAllow: /\n"
    log: list[tuple[int, str]] = field(default_factory=list)
    connections: int = 0

    def reply(self, path: str) -> Reply:
        route = self.routes.get(path)
        if route is None and path == "/robots.txt":
            return Reply([response(200, self.robots, content_type="text/plain")])
        if route is None:
            return Reply([response(404, b"not found", content_type="text/plain")])
        return route(path) if callable(route) else route

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        number = self.connections
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                path = head.split(b" ", 2)[1].decode("latin-1")
                self.log.append((number, path))
                reply = self.reply(path)
                for part in reply.parts:
                    if isinstance(part, float):
                        await asyncio.sleep(part)
                    else:
                        writer.write(part)
                        await writer.drain()
                if reply.close:
                    break
        except (asyncio.IncompleteReadError, ConnectionError, asyncio.LimitOverrunError):
            pass
        finally:
            writer.close()
            with contextlib.suppress(Exception):
                await writer.wait_closed()

    def paths(self) -> list[str]:
        return [path for _, path in self.log]


@contextmanager
def serve(server: FaultServer) -> Iterator[str]:
    """Run ``server`` on 127.0.0.1 in a thread of its own; yield its base URL (no trailing slash)."""
    loop = asyncio.new_event_loop()
    started: list[asyncio.AbstractServer] = []
    ready = threading.Event()

    async def start() -> None:
        started.append(await asyncio.start_server(server.handle, "127.0.0.1", 0))
        ready.set()

    def run() -> None:
        loop.run_until_complete(start())
        loop.run_forever()
        # Stopped: close the listener and drop every connection still open.
        started[0].close()
        for task in asyncio.all_tasks(loop):
            task.cancel()
        loop.run_until_complete(asyncio.sleep(0))
        loop.close()

    thread = threading.Thread(target=run, name="fault-server", daemon=True)
    thread.start()
    ready.wait(5)
    port = started[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout=5)
