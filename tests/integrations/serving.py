"""The app served over real HTTP on a free loopback port, in a thread, for a test."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import uvicorn

from charter.web.app import create_app
from charter.wiring import Context


@contextmanager
def served(ctx: Context) -> Iterator[str]:
    """The app over the test's context; yields its base URL once the server has started."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    config = uvicorn.Config(create_app(ctx), host="127.0.0.1", port=port, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    tick = threading.Event()
    while not server.started:  # the signal: uvicorn has bound the port and serves
        if not thread.is_alive():
            raise RuntimeError("the server did not start")
        tick.wait(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
