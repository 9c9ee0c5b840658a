"""Web UI sign-in and sign-out: the sign-in form (password, or single sign-on when
configured), the warning about an untrusted proxy, the session cookie (HttpOnly, SameSite,
__Host- and Secure over TLS), and the account page (change your password, sign out
everywhere)."""

from __future__ import annotations

import hmac
import logging
import secrets
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response

from charter.identity.services import access, sessions
from charter.kernel.errors import InvalidInput, Unauthenticated
from charter.kernel.web.pages import (
    LOGIN_COOKIE,
    CsrfRefused,
    back_to,
    check_csrf,
    ctx_of,
    page,
    secure,
    session_cookie,
    signed_in,
    signed_in_response,
)

auth_router = APIRouter(prefix="/ui", include_in_schema=False)


log = logging.getLogger("charter.sign_in")


WARNED_PEERS = 64  # peers an app logs as untrusted proxies, at most


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
    response = signed_in_response(request, secret, session.expires_at - session.created_at)
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


@auth_router.post("/logout")
def logout(request: Request, csrf: Annotated[str, Form()] = "") -> Response:
    _, session = signed_in(request)
    check_csrf(session, csrf)
    sessions.sign_out(ctx_of(request), request.cookies.get(session_cookie(request), ""))
    return _signed_out(request, "Signed out")


def _signed_out(request: Request, note: str) -> Response:
    response = back_to(request, "/ui/login", note)
    response.delete_cookie(session_cookie(request), path="/", secure=secure(request))
    return response


@auth_router.get("/account")
def account(request: Request) -> HTMLResponse:
    who, session = signed_in(request)
    tokens = access.list_tokens(ctx_of(request), who, who.person_id)
    return page(request, "account.html", who, session, title="Your account", tokens=tokens)


@auth_router.post("/account/password")
def change_password(
    request: Request,
    current: Annotated[str, Form()],
    new: Annotated[str, Form()],
    again: Annotated[str, Form()],
    csrf: Annotated[str, Form()] = "",
) -> Response:
    """Change your own password (the current one proves it is you); every session ends and
    this browser gets a new one."""
    who, session = signed_in(request)
    check_csrf(session, csrf)
    if new != again:
        return back_to(request, "/ui/account", "the new passwords do not match", error=True)
    address = request.client.host if request.client else None
    try:
        secret, started = sessions.change_password(ctx_of(request), who, current, new, address)
    except (InvalidInput, Unauthenticated) as exc:
        return back_to(request, "/ui/account", exc.message, error=True)
    return signed_in_response(
        request, secret, started.expires_at - started.created_at, "/ui/account"
    )


@auth_router.post("/account/sign-out-everywhere")
def sign_out_everywhere(request: Request, csrf: Annotated[str, Form()] = "") -> Response:
    who, session = signed_in(request)
    check_csrf(session, csrf)
    ended = sessions.sign_out_everywhere(ctx_of(request), who)
    return _signed_out(request, f"Signed out everywhere ({ended} session(s) ended)")
