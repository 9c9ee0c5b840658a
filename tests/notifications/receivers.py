"""Real servers the notification tests start: an HTTP webhook receiver that fails a given
number of times before it accepts, and an SMTP server (aiosmtpd) that keeps what it receives.
Also an implementation of the Standard Webhooks verification written from the specification,
independent of Charter's signing code."""

from __future__ import annotations

import base64
import hashlib
import hmac
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Received:
    headers: dict[str, str]
    body: bytes
    status: int


@dataclass
class Receiver:
    url: str
    fail_first: int = 0
    status_when_failing: int = 500
    hold: threading.Event | None = None  # when set, requests wait for it before answering
    seen: threading.Event = field(default_factory=threading.Event)
    requests: list[Received] = field(default_factory=list)
    arrived: threading.Condition = field(default_factory=threading.Condition)

    def accepted(self) -> list[Received]:
        return [r for r in self.requests if 200 <= r.status < 300]

    def wait_for(self, count: int, timeout: float = 60) -> list[Received]:
        """The requests once `count` have been answered (or the timeout passed)."""
        with self.arrived:
            self.arrived.wait_for(lambda: len(self.requests) >= count, timeout)
            return list(self.requests)


@contextmanager
def webhook_receiver(fail_first: int = 0, status: int = 500) -> Iterator[Receiver]:
    state: dict[str, Receiver] = {}
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            receiver = state["r"]
            body = self.rfile.read(int(self.headers.get("content-length", "0")))
            receiver.seen.set()
            if receiver.hold is not None:
                receiver.hold.wait(60)
            with lock:
                failing = len(receiver.requests) < receiver.fail_first
                code = receiver.status_when_failing if failing else 200
                headers = {k.lower(): v for k, v in self.headers.items()}
                receiver.requests.append(Received(headers, body, code))
            with receiver.arrived:
                receiver.arrived.notify_all()
            self.send_response(code)
            self.send_header("content-length", "0")
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state["r"] = Receiver(f"http://127.0.0.1:{server.server_port}/hook", fail_first, status)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state["r"]
    finally:
        server.shutdown()
        server.server_close()


def verify_standard_webhook(
    secret: str, headers: dict[str, str], body: bytes, now: float | None = None
) -> bool:
    """The receiver's check, from the Standard Webhooks specification: the three headers
    present, the timestamp within five minutes, one of the space-separated v1 signatures the
    base64 HMAC-SHA256 of id.timestamp.body under the base64-decoded secret (after whsec_)."""
    msg_id = headers.get("webhook-id")
    stamp = headers.get("webhook-timestamp")
    signatures = headers.get("webhook-signature")
    if not (msg_id and stamp and signatures):
        return False
    if now is not None and abs(now - int(stamp)) > 5 * 60:
        return False
    key = base64.b64decode(secret[len("whsec_") :])
    signed = msg_id.encode() + b"." + stamp.encode() + b"." + body
    expected = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest())
    for candidate in signatures.split(" "):
        version, _, value = candidate.partition(",")
        if version == "v1" and hmac.compare_digest(value.encode(), expected):
            return True
    return False


@dataclass
class Mailbox:
    host: str
    port: int
    messages: list[Message] = field(default_factory=list)
    arrived: threading.Condition = field(default_factory=threading.Condition)

    def wait_for(self, count: int, timeout: float = 30) -> list[Message]:
        with self.arrived:
            self.arrived.wait_for(lambda: len(self.messages) >= count, timeout)
            return list(self.messages)


@contextmanager
def smtp_server() -> Iterator[Mailbox]:
    """A real SMTP server (aiosmtpd) on a free local port, keeping every message."""
    from aiosmtpd.controller import Controller

    box = Mailbox("127.0.0.1", 0)

    class Handler:
        async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
            with box.arrived:
                box.messages.append(message_from_bytes(envelope.content))
                box.arrived.notify_all()
            return "250 Message accepted for delivery"

    with socket.socket() as probe:  # a free port (the controller checks it can connect)
        probe.bind(("127.0.0.1", 0))
        box.port = probe.getsockname()[1]
    controller = Controller(Handler(), hostname="127.0.0.1", port=box.port)
    controller.start()
    try:
        yield box
    finally:
        controller.stop()
