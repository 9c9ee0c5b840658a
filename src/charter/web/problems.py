"""Errors as RFC 9457 application/problem+json: every refusal names the problem; every
unexpected failure answers 500 with a correlation id that the server's log carries too."""

from __future__ import annotations

import logging
import re
import uuid
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from charter.kernel.errors import Busy, CharterError, Saturated

log = logging.getLogger("charter.errors")

#: marks an answer the request guard may replace by running the use case again
BUSY_HEADER = b"x-charter-busy"
TITLES = {
    400: "Bad request",
    401: "Unauthenticated",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflict",
    413: "Payload too large",
    422: "Invalid input",
    500: "Internal server error",
    503: "Service unavailable",
    507: "Insufficient storage",
}


def problem(
    status: int, detail: str, headers: dict[str, str] | None = None, **extra: Any
) -> JSONResponse:
    body = {
        "type": "about:blank",
        "title": TITLES.get(status, "Error"),
        "status": status,
        "detail": detail,
        **extra,
    }
    headers = {**(headers or {}), **({"WWW-Authenticate": "Bearer"} if status == 401 else {})}
    return JSONResponse(
        body, status_code=status, media_type="application/problem+json", headers=headers
    )


def status_of(exc: CharterError) -> int:
    return exc.status


async def charter_problem(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, CharterError)
    headers = None
    if isinstance(exc, Saturated):
        headers = {"Retry-After": "1"}
    elif isinstance(exc, Busy):
        headers = {"Retry-After": "1", BUSY_HEADER.decode(): "1"}
    return problem(status_of(exc), exc.message, headers, code=exc.code, **exc.details)


async def _validation(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = [{"loc": [str(p) for p in e["loc"]], "msg": e["msg"]} for e in exc.errors()]
    first = errors[0] if errors else {"loc": [], "msg": "invalid"}
    detail = f"{'.'.join(first['loc'])}: {first['msg']}"
    return problem(422, detail, code="invalid-input", errors=errors)


async def _http(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    headers = dict(exc.headers or {})
    if exc.status_code == 405:  # every method the path takes, not only the first route's
        headers["Allow"] = ", ".join(sorted(allowed_methods(request)))
    return problem(exc.status_code, str(exc.detail), headers)


METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
_PARAM = re.compile(r"\\\{[^/]+?\\\}")  # a {parameter} of an escaped path template


def allowed_methods(request: Request) -> set[str]:
    """The methods of the resource this path names. Under the API, those its description
    documents for the path, a concrete path before a templated one (as OpenAPI matches, so
    `/risks/summary` is not a `/risks/{risk_id}`); elsewhere, those some route takes."""
    documented = documented_methods(request.app.openapi()["paths"], request.url.path)
    if documented is not None:
        return documented
    routes = request.app.router.routes
    return {
        method
        for method in METHODS
        if any(r.matches({**request.scope, "method": method})[0] is Match.FULL for r in routes)
    }


def documented_methods(paths: dict[str, dict[str, object]], path: str) -> set[str] | None:
    """The methods of the most concrete documented path template `path` fits, if any."""
    fits = [t for t in paths if re.fullmatch(_PARAM.sub("[^/]+", re.escape(t)), path)]
    if not fits:
        return None
    template = min(fits, key=lambda t: t.count("{"))
    return {m.upper() for m in paths[template]} & set(METHODS)


async def unexpected(request: Request, exc: Exception) -> JSONResponse:
    """Never a bare 500: the client gets a correlation id, the log the whole story."""
    correlation = uuid.uuid4().hex
    log.error(
        "unexpected failure %s on %s %s", correlation, request.method, request.url.path,
        exc_info=exc,
    )  # fmt: skip
    return problem(
        500, "unexpected failure; the server's log has its details",
        {"X-Correlation-Id": correlation}, code="unexpected", correlation_id=correlation,
    )  # fmt: skip


def install(app: FastAPI) -> None:
    app.add_exception_handler(CharterError, charter_problem)
    app.add_exception_handler(RequestValidationError, _validation)
    app.add_exception_handler(StarletteHTTPException, _http)
    app.add_exception_handler(Exception, unexpected)
