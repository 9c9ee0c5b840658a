"""What every request passes before any route sees it, and what happens to its answer: the
body is read up to the limit on the byte stream itself (413 as soon as it is past, chunked or
not, before any credential is looked at); text that would corrupt a record (NUL and other
control characters, bidirectional overrides) in the path, query or JSON body, and JSON objects
with a key twice, are refused with 422; a use case that a concurrent transaction made Busy is
run again, a bounded number of times, before 503 with Retry-After; security headers (the API's,
or on pages their own). Plain ASGI: no task or stream per request."""

from __future__ import annotations

import json
import re
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import parse_qsl

from charter.kernel.web.pages import HTML_HEADERS
from charter.web import problems

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
App = Callable[[Scope, Receive, Send], Awaitable[None]]

MAX_BODY = 1_000_000
RETRIES = 3
SECURITY_HEADERS = {
    b"x-content-type-options": b"nosniff",
    b"x-frame-options": b"DENY",
    b"referrer-policy": b"no-referrer",
    b"cache-control": b"no-store",
    # an API answer runs nothing (the UI's pages set their own policy)
    b"content-security-policy": b"default-src 'none'; frame-ancestors 'none'",
}
HSTS = (b"strict-transport-security", b"max-age=31536000")
#: a page's own policy, on every HTML answer and everything under /ui
PAGE_HEADERS = {k.lower().encode(): v.encode() for k, v in HTML_HEADERS.items()}
#: control characters but tab, newline and carriage return; DEL; bidirectional overrides
FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u202a-\u202e\u2066-\u2069]")
#: in paths and query strings not even tab or newline
FORBIDDEN_IN_ADDRESS = re.compile("[\x00-\x1f\x7f\u202a-\u202e\u2066-\u2069]")


class Refused(Exception):
    def __init__(self, status: int, detail: str) -> None:
        super().__init__(detail)
        self.status, self.detail = status, detail


async def _body(scope: Scope, receive: Receive) -> bytes:
    """The whole body, refused with 413 once it passes MAX_BODY (whatever Content-Length says)."""
    declared = dict(scope.get("headers", [])).get(b"content-length", b"")
    if declared and (not declared.isdigit() or int(declared) > MAX_BODY):
        raise Refused(413, f"request body over {MAX_BODY} bytes")
    chunks, size = [], 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise Refused(400, "the client went away")
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > MAX_BODY:
            raise Refused(413, f"request body over {MAX_BODY} bytes")
        chunks.append(chunk)
        if not message.get("more_body"):
            return b"".join(chunks)


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    keys = [k for k, _ in pairs]
    twice = sorted({k for k in keys if keys.count(k) > 1})
    if twice:
        raise Refused(422, f"JSON object has the key(s) {', '.join(twice)} more than once")
    return dict(pairs)


def _unprintable(found: str) -> str:
    if found == "\x00":
        return "a NUL character"
    if "\u202a" <= found <= "\u2069":
        return "a bidirectional override"
    return "a control character"


def _clean_text(value: Any, where: str) -> None:
    if isinstance(value, str):
        if found := FORBIDDEN.search(value):
            raise Refused(422, f"{where} holds {_unprintable(found.group())}: refused")
    elif isinstance(value, dict):
        for k, v in value.items():
            _clean_text(k, where)
            _clean_text(v, f"{where}.{k}")
    elif isinstance(value, list):
        for i, v in enumerate(value):
            _clean_text(v, f"{where}[{i}]")


def _check(scope: Scope, body: bytes) -> None:
    if found := FORBIDDEN_IN_ADDRESS.search(scope.get("path", "")):
        raise Refused(422, f"the path holds {_unprintable(found.group())}: refused")
    query = scope.get("query_string", b"").decode("latin-1")
    for key, value in parse_qsl(query, keep_blank_values=True):
        if found := FORBIDDEN_IN_ADDRESS.search(key + value):
            raise Refused(422, f"query parameter {key!r} holds {_unprintable(found.group())}")
    content_type = dict(scope.get("headers", [])).get(b"content-type", b"")
    if body and content_type.split(b";")[0].strip() == b"application/json":
        try:
            data = json.loads(body, object_pairs_hook=_unique_keys)
        except (ValueError, UnicodeDecodeError):
            return  # not JSON: the route's own parsing says so
        _clean_text(data, "body")


class RequestGuard:
    """ASGI middleware around the whole app (see the module's docstring)."""

    def __init__(self, app: App) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        try:
            body = await _body(scope, receive)
            _check(scope, body)
        except Refused as exc:
            await _send_problem(scope, send, exc.status, exc.detail)
            return
        for attempt in range(RETRIES + 1):
            if await self._run(scope, body, receive, send, last=attempt == RETRIES):
                return

    async def _run(
        self, scope: Scope, body: bytes, client: Receive, send: Send, *, last: bool
    ) -> bool:
        """One run of the app; False when it answered Busy and may be run again. The app
        reads the body as it came; after it, what the client says next (a disconnect)."""
        replayed = False
        retry = False

        async def receive() -> Message:
            nonlocal replayed
            if replayed:
                return await client()
            replayed = True
            return {"type": "http.request", "body": body, "more_body": False}

        async def forward(message: Message) -> None:
            nonlocal retry
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                retry = not last and (problems.BUSY_HEADER, b"1") in headers
                headers = [h for h in headers if h[0] != problems.BUSY_HEADER]
                message = {**message, "headers": _secured(scope, headers)}
            if not retry:
                await send(message)

        await self.app(scope, receive, forward)
        return not retry


def _secured(scope: Scope, headers: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    """The answer's headers with the security headers it lacks; an HTML answer, or any under
    /ui, with the pages' own policy instead of the API's."""
    page = scope.get("path", "").startswith("/ui") or any(
        k.lower() == b"content-type" and v.startswith(b"text/html") for k, v in headers
    )
    if page:
        headers = [h for h in headers if h[0].lower() not in PAGE_HEADERS]
        headers += PAGE_HEADERS.items()
    present = {h[0].lower() for h in headers}
    headers += [(k, v) for k, v in SECURITY_HEADERS.items() if k not in present]
    if scope.get("scheme") == "https" and HSTS[0] not in present:
        headers.append(HSTS)
    return headers


async def _send_problem(scope: Scope, send: Send, status: int, detail: str) -> None:
    response = problems.problem(status, detail)
    headers = _secured(scope, [(k.encode(), v.encode()) for k, v in response.headers.items()])
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": response.body})
