"""Several worker processes on one listening socket, each taking a new connection only while
it has room for the request it brings.

uvicorn's workers accept every connection as it comes, each accepting a waiting burst whole.
Which process a connection lands on is then chance, and the difference between the two
processes' queues drifts freely (both finish requests at the rate of their core, whatever
their queue): with 30 clients one process often held twice the other's requests, and its
requests took twice as long. Measured on 2 cores with the API load (30 clients, PostgreSQL),
p95 was about twice the median, against 1.4 times with one process.

Here each worker accepts a connection only while fewer than `ROOM_PER_THREAD` times its quick
places (CHARTER_SERVE_THREADS) of its requests are being worked on (from the end of the
request's body to the start of its answer); the others wait in the kernel's queue of the
shared socket, for whichever worker has room first, so the workers take work as they free
up, first come first served. A request whose work moved to the long lane
(charter.kernel.web.lanes) no longer counts. After each connection it accepts, a worker waits
(at most `PACED` seconds) for its request to arrive before it looks for room again, so that a
burst of connections is spread over the workers instead of landing on the first awake; and the
socket hands over a connection only once its client has sent something, or after `DEFERRED`
seconds (TCP_DEFER_ACCEPT, where the system has it), so idle connections do not hold anyone
back."""

from __future__ import annotations

import asyncio
import contextlib
import errno
import logging
import socket
import sys
from collections.abc import Iterator
from functools import partial
from typing import Any

import uvicorn
from anyio import to_thread
from uvicorn.config import STARTUP_FAILURE
from uvicorn.supervisors import multiprocess

from charter.kernel.web import lanes

#: requests a worker has under way, per quick place, before it leaves new connections to the
#: others: a request waits for a place twice (its token check, then its route), and the one
#: waiting behind each place keeps it busy while the event loop reads the next request
ROOM_PER_THREAD = 2
#: the longest a worker waits for a connection it accepted to bring its request
PACED = 0.01
#: seconds the kernel holds a connection whose client has sent nothing (TCP_DEFER_ACCEPT)
DEFERRED = 5
#: accept errors after which asyncio's own servers pause too: out of descriptors or memory
EXHAUSTED = {errno.EMFILE, errno.ENFILE, errno.ENOBUFS, errno.ENOMEM}
#: seconds before accepting again after any other failure
RETRY_ACCEPT = 0.1

log = logging.getLogger("charter.serve")


class Room:
    """A worker's count of its requests under way, and whether it has room for one more."""

    def __init__(self) -> None:
        self.busy = 0
        self._freed = asyncio.Event()

    def limit(self) -> int:
        """Set by the app's lifespan, in this event loop (charter.web.app.worked_on_at_once)."""
        return ROOM_PER_THREAD * int(to_thread.current_default_thread_limiter().total_tokens)

    def freed(self) -> None:
        self.busy -= 1
        self._freed.set()

    async def wait(self) -> None:
        while self.busy >= self.limit():
            self._freed.clear()
            await self._freed.wait()


class _Ticket:
    """One request's place in its worker's count: taken once its body has arrived (at once
    when it has none), given up once its answer starts or its work moves to the long lane.
    A client sending its body or reading the answer slowly holds no place: the event loop
    waits on it, not the worker's threads."""

    def __init__(self, room: Room) -> None:
        self._room: Room | None = room
        self._held = False

    def take(self) -> None:
        if self._room is not None and not self._held:
            self._held = True
            self._room.busy += 1

    def give_up(self) -> None:
        room, self._room = self._room, None
        if room is not None and self._held:
            room.freed()


class Counted:
    """ASGI middleware, outermost: counts the worker's HTTP requests being worked on."""

    def __init__(self, app: Any, room: Room) -> None:
        self.app, self.room = app, room

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        ticket = _Ticket(self.room)
        if not _has_body(scope):
            ticket.take()

        async def received() -> Any:
            message = await receive()
            if message["type"] == "http.request" and not message.get("more_body", False):
                ticket.take()
            return message

        async def sending(message: Any) -> None:
            if message["type"] == "http.response.start":
                ticket.give_up()
            await send(message)

        with lanes.leaving_quick(ticket.give_up):
            try:
                await self.app(scope, received, sending)
            finally:
                ticket.give_up()


def _has_body(scope: Any) -> bool:
    for name, value in scope["headers"]:
        if name == b"transfer-encoding" or (name == b"content-length" and value.strip() != b"0"):
            return True
    return False


class _Heard:
    """Set once a connection's first bytes arrived, or it closed."""

    def __init__(self) -> None:
        self.event = asyncio.Event()


def _watched(base: type[Any]) -> type[Any]:
    """The server's HTTP protocol, telling when a connection was first heard from."""

    class Watched(base):  # type: ignore[misc]
        heard: _Heard | None = None

        def data_received(self, data: bytes) -> None:
            super().data_received(data)
            self._heard()

        def connection_lost(self, exc: Exception | None) -> None:
            super().connection_lost(exc)
            self._heard()

        def _heard(self) -> None:
            if self.heard is not None:
                self.heard.event.set()
                self.heard = None

    return Watched


class RoomyServer(uvicorn.Server):
    """uvicorn's server, accepting from the shared sockets only while it has room."""

    _accepting: list[asyncio.Task[None]]

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        if not sockets:
            await super().startup(sockets)
            return
        await self.lifespan.startup()
        if self.lifespan.should_exit:
            sys.exit(STARTUP_FAILURE)
        room = Room()
        self.config.loaded_app = Counted(self.config.loaded_app, room)
        protocol = _watched(self.config.http_protocol_class)
        self.servers = []
        self._accepting = [
            asyncio.create_task(self._accept(sock, protocol, room)) for sock in sockets
        ]
        for task in self._accepting:
            task.add_done_callback(self._stopped)
        self.started = True

    def _protocol(self, protocol: type[Any], heard: _Heard) -> Any:
        made = protocol(
            config=self.config, server_state=self.server_state, app_state=self.lifespan.state
        )
        made.heard = heard
        return made

    async def _accept(self, sock: socket.socket, protocol: type[Any], room: Room) -> None:
        loop = asyncio.get_running_loop()
        _listen(sock, self.config.backlog)
        while True:
            await room.wait()
            try:
                conn, _ = await loop.sock_accept(sock)
            except OSError as exc:
                await _after_failed_accept(exc)
                continue
            heard = _Heard()
            try:
                await loop.connect_accepted_socket(
                    partial(self._protocol, protocol, heard), conn, ssl=self.config.ssl
                )
            except Exception:  # this connection is lost; the worker goes on taking others
                log.exception("a connection could not be served")
                conn.close()
                continue
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(heard.event.wait(), PACED)
            await asyncio.sleep(0)  # the request's task, created as it was heard, counts first

    def _stopped(self, task: asyncio.Task[None]) -> None:
        """A worker that no longer accepts must not go on looking alive to the supervisor
        (which asks only whether it started): it exits, and the supervisor starts another."""
        if task.cancelled():
            return
        log.error("the worker stopped taking connections: exiting", exc_info=task.exception())
        self.should_exit = True

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        for task in getattr(self, "_accepting", []):
            task.cancel()
        await asyncio.gather(*getattr(self, "_accepting", []), return_exceptions=True)
        await super().shutdown(sockets)


def _listen(sock: socket.socket, backlog: int) -> None:
    sock.setblocking(False)
    if hasattr(socket, "TCP_DEFER_ACCEPT") and sock.family in (socket.AF_INET, socket.AF_INET6):
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_DEFER_ACCEPT, DEFERRED)
    sock.listen(backlog)


async def _after_failed_accept(exc: OSError) -> None:
    """As asyncio's own servers do: out of descriptors or memory, pause a second; a
    connection that went away before it was accepted is nothing; any other failure is
    logged, with a pause that keeps one that repeats from spinning the processor."""
    if exc.errno in EXHAUSTED:
        log.error("cannot accept connections (%s): pausing one second", exc)
        await asyncio.sleep(1)
    elif not isinstance(exc, ConnectionError):
        log.warning("accepting a connection failed: %s", exc)
        await asyncio.sleep(RETRY_ACCEPT)


class Worker(multiprocess.Process):
    """uvicorn's worker process, serving with RoomyServer."""

    @property
    def server(self) -> uvicorn.Server:
        if self._server is None:
            self._server = RoomyServer(config=self.config)
        return self._server


@contextlib.contextmanager
def _workers_are_roomy() -> Iterator[None]:
    """uvicorn's supervisor starts (and restarts) its `Process`es by that module name; this
    process does nothing but supervise them, and the workers find `Worker` by its own name."""
    plain = multiprocess.Process
    vars(multiprocess)["Process"] = Worker
    try:
        yield
    finally:
        vars(multiprocess)["Process"] = plain


def run(config: uvicorn.Config) -> None:
    """Serve with config.workers processes on one socket, bound here and shared."""
    sock = config.bind_socket()
    with _workers_are_roomy(), contextlib.suppress(KeyboardInterrupt):
        multiprocess.Multiprocess(config, sockets=[sock]).run()
