"""Web UI sign-in and page security: server-side sessions in an HttpOnly, SameSite cookie
(Secure over TLS), a CSRF token in every form, security headers on every page
(Content-Security-Policy without inline script or style); sign-in and sign-out pages."""

from __future__ import annotations

import base64
import hmac
import json
import logging
import re
import secrets
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from charter.domain.access import Actor
from charter.domain.errors import Unauthenticated
from charter.domain.sessions import WebSession
from charter.services import sessions
from charter.services.context import Context

auth_router = APIRouter(prefix="/ui", include_in_schema=False)
log = logging.getLogger("charter.sign_in")
WARNED_PEERS = 64  # peers an app logs as untrusted proxies, at most
templates = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))


def count_of(value: float) -> str:
    """A count or amount for people: whole numbers with thousands separators, else 1 decimal."""
    if float(value).is_integer() or abs(value) >= 1000:
        return f"{value:,.0f}"
    return f"{value:.1f}"


def short_digests(fingerprint: str) -> str:
    """A data fingerprint for a table cell: each 64-hex digest cut to its first 12 digits."""
    return re.sub(r"\b([0-9a-f]{12})[0-9a-f]{52}\b", r"\1…", fingerprint)


templates.env.filters["count_of"] = count_of
templates.env.filters["short_digests"] = short_digests
COOKIE, LOGIN_COOKIE, NOTE_COOKIE = "charter_session", "charter_login_csrf", "charter_note"
NOTE_LIMIT = 600  # characters of a note carried to the next page
HTML_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
    ),
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}


class SignInNeeded(Exception):
    """Raised by pages for a visitor without a live session: they are sent to sign in."""


def ctx_of(request: Request) -> Context:
    ctx: Context = request.app.state.ctx
    return ctx


def signed_in(request: Request) -> tuple[Actor, WebSession]:
    secret = request.cookies.get(COOKIE)
    if not secret:
        raise SignInNeeded
    try:
        return sessions.session_actor(ctx_of(request), secret)
    except Unauthenticated as exc:
        raise SignInNeeded from exc


def check_csrf(session: WebSession, token: str) -> None:
    if not hmac.compare_digest(session.csrf.encode(), token.encode()):
        raise CsrfRefused


class CsrfRefused(Exception):
    """A form without this session's CSRF token."""


def page(
    request: Request, name: str, who: Actor | None, session: WebSession | None, **values: Any
) -> HTMLResponse:
    values |= {"who": who, "csrf": session.csrf if session else values.get("csrf", "")}
    note, error = read_note(request.cookies.get(NOTE_COOKIE, ""))
    values.setdefault("message", note)
    values.setdefault("error", error)
    response = templates.TemplateResponse(request, name, values)
    if NOTE_COOKIE in request.cookies:
        response.delete_cookie(NOTE_COOKIE, path="/ui")  # shown once
    return response


def back_to(request: Request, path: str, note: str, error: bool = False) -> Response:
    """Back to a page (after a form), with a note shown once on it; an error note in red.
    The note travels in a short-lived cookie that only Charter sets, not in the address, so
    that nobody can send a link that puts their words on a Charter page."""
    response = RedirectResponse(path, status_code=303)
    carried = json.dumps({"note": note[:NOTE_LIMIT], "error": error}).encode()
    response.set_cookie(
        NOTE_COOKIE, base64.urlsafe_b64encode(carried).decode().rstrip("="), max_age=120,
        path="/ui", httponly=True, samesite="strict", secure=secure(request),
    )  # fmt: skip
    return response


def read_note(value: str) -> tuple[str | None, bool]:
    """The note a cookie of back_to carries, and whether it is an error (None: no note)."""
    if not value:
        return None, False
    try:
        carried = json.loads(base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)))
        return str(carried["note"]), bool(carried["error"])
    except (ValueError, TypeError, KeyError):
        return None, False


def use_case_url(use_case_id: str) -> str:
    return f"/ui/use-cases/{quote(use_case_id)}"


def secure(request: Request) -> bool:
    return request.url.scheme == "https"


@auth_router.get("/login")
def login_form(request: Request) -> HTMLResponse:
    token = secrets.token_urlsafe(32)
    sso = getattr(request.app.state, "oidc", None) is not None
    response = page(request, "login.html", None, None, title="Sign in", csrf=token, sso=sso)
    response.set_cookie(
        LOGIN_COOKIE, token, httponly=True, samesite="strict", secure=secure(request)
    )
    return response


@auth_router.post("/login")
def login(
    request: Request,
    email: Annotated[str, Form()],
    password: Annotated[str, Form()],
    csrf: Annotated[str, Form()] = "",
) -> Response:
    expected = request.cookies.get(LOGIN_COOKIE, "")
    if not expected or not hmac.compare_digest(expected.encode(), csrf.encode()):
        raise CsrfRefused
    try:
        # the client's address; behind a reverse proxy, the one its X-Forwarded-For names
        # when the proxy is trusted (CHARTER_TRUSTED_PROXIES)
        address = request.client.host if request.client else None
        _warn_if_untrusted_proxy(request, address)
        secret, session = sessions.sign_in(ctx_of(request), email, password, address)
    except Unauthenticated as exc:
        return back_to(request, "/ui/login", exc.message, error=True)
    response = signed_in_response(request, secret, session)
    response.delete_cookie(LOGIN_COOKIE)
    return response


def _warn_if_untrusted_proxy(request: Request, address: str | None) -> None:
    """Log, once per peer, a request that names a client in X-Forwarded-For while coming
    from an address the server does not trust as a proxy (CHARTER_TRUSTED_PROXIES): behind
    such a proxy every visitor shares its address, so failures from anyone count for all.
    The address still counts as the peer's: a forged header must not move the count."""
    forwarded = request.headers.get("x-forwarded-for", "")
    named = [part.strip() for part in forwarded.split(",") if part.strip()]
    if not named or address is None or address in named:
        return  # no header, or the proxy was trusted and the named client taken
    warned: set[str] = request.app.state.warned_peers
    if address in warned or len(warned) >= WARNED_PEERS:
        return  # said already (and not again for ever more peers, forged headers included)
    warned.add(address)
    log.warning(
        "sign-in from %s carries X-Forwarded-For, but that peer is not a trusted proxy: "
        "failed sign-ins count against it for every client behind it; if it is your reverse "
        "proxy, add it to CHARTER_TRUSTED_PROXIES",
        address,
    )


def signed_in_response(request: Request, secret: str, session: WebSession) -> Response:
    """To the dashboard, holding the new session's secret in an HttpOnly, SameSite cookie."""
    response = RedirectResponse("/ui/", status_code=303)
    response.set_cookie(
        COOKIE, secret, httponly=True, samesite="strict", secure=secure(request),
        max_age=int((session.expires_at - session.created_at).total_seconds()),
    )  # fmt: skip
    return response


@auth_router.post("/logout")
def logout(request: Request, csrf: Annotated[str, Form()] = "") -> Response:
    _, session = signed_in(request)
    check_csrf(session, csrf)
    sessions.sign_out(ctx_of(request), request.cookies.get(COOKIE, ""))
    response = back_to(request, "/ui/login", "Signed out")
    response.delete_cookie(COOKIE)
    return response
