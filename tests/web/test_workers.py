"""A worker of `charter serve --workers N` (charter.web.workers) takes a new connection only
while it has room for its request: when its requests under way reach twice its quick places,
further connections wait in the shared socket's queue (for whichever worker frees up first),
and requests whose work moved to the long lane do not count.

The server runs here in a thread, on a socket of its own, serving a small app whose routes
hold until the test releases them; the kernel's queue of the listening socket is read from
/proc/net/tcp (Linux)."""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections.abc import AsyncIterator, Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from anyio import to_thread
from fastapi import FastAPI, Request, Response

from charter.kernel.web.lanes import long_running
from charter.web.workers import ROOM_PER_THREAD, RoomyServer

pytestmark = pytest.mark.skipif(
    not Path("/proc/net/tcp").exists(), reason="reads the socket's queue from /proc/net/tcp"
)

WAIT = 60  # seconds, at most, for anything the test waits on
BIG = 64 * 2**20  # bytes of an answer: more than the loopback's buffers hold unread


class Probe:
    """The app, and what its routes saw, in order."""

    def __init__(self) -> None:
        self.seen: list[str] = []
        self.loop: asyncio.AbstractEventLoop | None = None
        self.held: dict[str, asyncio.Event] = {}
        self.long_release = threading.Event()
        self.app = self._app()

    def _app(self) -> FastAPI:
        @asynccontextmanager
        async def lifespan(_: FastAPI) -> AsyncIterator[None]:
            self.loop = asyncio.get_running_loop()
            to_thread.current_default_thread_limiter().total_tokens = 1  # room for 2
            yield

        app = FastAPI(lifespan=lifespan)

        @app.get("/hold/{name}")
        async def hold(name: str) -> dict[str, str]:
            self.held[name] = asyncio.Event()
            self.seen.append(f"hold {name}")
            await self.held[name].wait()
            return {"held": name}

        @app.get("/long/{name}")
        @long_running
        def long(name: str) -> dict[str, bool]:
            self.seen.append(f"long {name}")
            return {"released": self.long_release.wait(WAIT)}

        @app.post("/upload")
        async def upload(request: Request) -> dict[str, int]:
            self.seen.append("upload")
            return {"bytes": len(await request.body())}

        @app.get("/big")
        async def big() -> Response:
            self.seen.append("big")
            return Response(b"x" * BIG, media_type="application/octet-stream")

        @app.get("/quick")
        async def quick() -> dict[str, str]:
            self.seen.append("quick")
            return {"ok": "yes"}

        return app

    def release(self, name: str) -> None:
        assert self.loop is not None
        self.loop.call_soon_threadsafe(self.held[name].set)

    def release_all(self) -> None:
        for name in list(self.held):
            self.release(name)
        self.long_release.set()


def _until(done: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + WAIT
    while not done():
        assert time.monotonic() < deadline, f"waited {WAIT} s for {what}"
        time.sleep(0.002)


def _queued(port: int) -> int:
    """Connections waiting in the kernel's queue of the socket listening on 127.0.0.1:port."""
    local = f"0100007F:{port:04X}"
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        if fields[1] == local and fields[3] == "0A":  # LISTEN
            return int(fields[4].split(":")[1], 16)
    raise AssertionError(f"nothing listens on 127.0.0.1:{port}")


@contextmanager
def _served(
    probe: Probe, server_class: type[uvicorn.Server] = RoomyServer
) -> Iterator[tuple[str, uvicorn.Server, threading.Thread]]:
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    config = uvicorn.Config(probe.app, log_level="warning", lifespan="on")
    server = server_class(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        _until(lambda: server.started, "the server to start")
        yield f"http://127.0.0.1:{sock.getsockname()[1]}", server, thread
    finally:
        probe.release_all()
        server.should_exit = True
        thread.join(WAIT)
        sock.close()


def _get(url: str) -> Any:
    # a connection of its own for each request, as a proxy without keep-alive makes them
    with httpx.Client(timeout=WAIT) as client:
        answer = client.get(url)
        answer.raise_for_status()
        return answer.json()


def test_a_worker_with_no_room_leaves_new_connections_in_the_queue() -> None:
    probe = Probe()
    with _served(probe) as (url, _, _), ThreadPoolExecutor(4) as pool:
        port = int(url.rsplit(":", 1)[1])
        held: list[Future[Any]] = []
        for name in ("a", "b")[:ROOM_PER_THREAD]:
            held.append(pool.submit(_get, f"{url}/hold/{name}"))
            _until(lambda name=name: f"hold {name}" in probe.seen, f"hold {name} to start")
        quick = pool.submit(_get, f"{url}/quick")
        _until(lambda: _queued(port) == 1 or "quick" in probe.seen, "the quick request")
        assert "quick" not in probe.seen  # it waits in the socket's queue, not in the worker
        probe.release("a")
        assert quick.result(WAIT) == {"ok": "yes"}
        assert held[0].result(WAIT) == {"held": "a"}
        probe.release("b")
        assert held[1].result(WAIT) == {"held": "b"}
    assert probe.seen == ["hold a", "hold b", "quick"]


def test_requests_in_the_long_lane_leave_room_for_quick_ones() -> None:
    probe = Probe()
    with _served(probe) as (url, _, _), ThreadPoolExecutor(4) as pool:
        port = int(url.rsplit(":", 1)[1])
        long = [pool.submit(_get, f"{url}/long/{n}") for n in range(ROOM_PER_THREAD)]
        _until(lambda: len(probe.seen) == ROOM_PER_THREAD, "the long work to start")
        try:  # both long runs hold on; the worker still has room for a quick request
            assert pool.submit(_get, f"{url}/quick").result(WAIT) == {"ok": "yes"}
            assert _queued(port) == 0
        finally:
            probe.long_release.set()
        assert [f.result(WAIT) for f in long] == [{"released": True}] * ROOM_PER_THREAD


def _raw(url: str, request: bytes) -> socket.socket:
    """A connection that sends `request` and then neither sends nor reads any more."""
    host, port = url.removeprefix("http://").split(":")
    conn = socket.create_connection((host, int(port)))
    conn.sendall(request)
    return conn


def test_clients_slow_to_send_a_body_or_read_an_answer_hold_no_place() -> None:
    """(the event loop waits on them, not the worker's threads: counting them would let a
    few such connections stop every worker from taking new ones)"""
    probe = Probe()
    with _served(probe) as (url, _, _), ThreadPoolExecutor(2) as pool:
        # a body announced and never sent; an answer too big to sit unread in the buffers
        upload = b"POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nx"
        stalled = [_raw(url, upload) for _ in range(ROOM_PER_THREAD)]
        big = b"GET /big HTTP/1.1\r\nHost: x\r\n\r\n"
        stalled += [_raw(url, big) for _ in range(ROOM_PER_THREAD)]
        try:
            _until(lambda: probe.seen.count("big") == ROOM_PER_THREAD, "the big answers")
            _until(lambda: probe.seen.count("upload") == ROOM_PER_THREAD, "the uploads")
            assert pool.submit(_get, f"{url}/quick").result(WAIT) == {"ok": "yes"}
        finally:
            for conn in stalled:
                conn.close()


def test_a_connection_that_cannot_be_served_is_dropped_and_the_worker_goes_on(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    made = RoomyServer._protocol
    calls = []

    def failing_once(self: RoomyServer, *args: Any) -> Any:
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("no protocol for this one")
        return made(self, *args)

    monkeypatch.setattr(RoomyServer, "_protocol", failing_once)
    probe = Probe()
    with _served(probe) as (url, _, _):
        with pytest.raises(httpx.TransportError):
            _get(f"{url}/quick")
        assert _get(f"{url}/quick") == {"ok": "yes"}


def test_a_worker_that_stops_taking_connections_exits(monkeypatch: pytest.MonkeyPatch) -> None:
    """(its supervisor asks only whether it started: one that lived on without taking
    connections would never be replaced)"""

    async def broken(self: Any) -> None:
        raise RuntimeError("the count is broken")

    monkeypatch.setattr("charter.web.workers.Room.wait", broken)
    with _served(Probe()) as (_, server, thread):
        thread.join(WAIT)
        assert not thread.is_alive()
        assert server.should_exit
