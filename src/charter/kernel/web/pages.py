"""What every web UI page shares: rendering a template for the person signed in (their
session found by the function the web shell installs as app.state.resolve_session), CSRF
tokens in every form, notes carried to the next page, and the security headers of every page
(Content-Security-Policy without inline script or style)."""

from __future__ import annotations

import base64
import hmac
import json
from collections.abc import Callable, Sequence
from datetime import timedelta
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import quote

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from markupsafe import Markup

from charter.kernel.access import Actor
from charter.kernel.errors import CharterError, Unauthenticated
from charter.kernel.web import filters, nav

#: the templates every page extends (base.html) and the error page
TEMPLATES = Path(__file__).parent / "templates"
STATIC = Path(__file__).parent / "static"


def templates_for(folders: Sequence[Path]) -> Jinja2Templates:
    """The UI's templates: each capability's folder, then the shared one (autoescaped)."""
    templates = Jinja2Templates(directory=[*map(str, folders), str(TEMPLATES)])
    filters.install(templates.env)
    return templates


COOKIE, LOGIN_COOKIE, NOTE_COOKIE = "charter_session", "charter_login_csrf", "charter_note"
#: over TLS the session cookie is __Host- prefixed: Secure, Path=/, no Domain (no subdomain or
#: plain-HTTP page can set or shadow it)
HOST_COOKIE = "__Host-" + COOKIE
NOTE_LIMIT = 600  # characters of a note carried to the next page
HTML_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
    ),
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}


class Session(Protocol):
    """What a page needs of a web session: its CSRF token."""

    @property
    def csrf(self) -> str: ...


#: (context, cookie secret) -> the person signed in and their session, or Unauthenticated
SessionResolver = Callable[[Any, str], tuple[Actor, Session]]


class SignInNeeded(Exception):
    """Raised by pages for a visitor without a live session: they are sent to sign in."""


def ctx_of(request: Request) -> Any:
    """The application's context (charter.wiring.Context), as each capability's ports see it."""
    return request.app.state.ctx


def session_cookie(request: Request) -> str:
    """The session cookie's name: __Host- prefixed over TLS."""
    return HOST_COOKIE if secure(request) else COOKIE


def signed_in(request: Request) -> tuple[Actor, Session]:
    secret = request.cookies.get(session_cookie(request))
    if not secret:
        raise SignInNeeded
    resolve: SessionResolver = request.app.state.resolve_session
    try:
        return resolve(ctx_of(request), secret)
    except Unauthenticated as exc:
        raise SignInNeeded from exc


def check_csrf(session: Session, token: str) -> None:
    if not hmac.compare_digest(session.csrf.encode(), token.encode()):
        raise CsrfRefused


class CsrfRefused(Exception):
    """A form without this session's CSRF token."""


def page(
    request: Request, name: str, who: Actor | None, session: Session | None, **values: Any
) -> HTMLResponse:
    values |= {"who": who, "csrf": session.csrf if session else values.get("csrf", "")}
    values |= {"nav": nav.NAV, "current": nav.current_link(request.url.path)}
    note, error = read_note(request.cookies.get(NOTE_COOKIE, ""))
    values.setdefault("message", note)
    values.setdefault("error", error)
    templates: Jinja2Templates = request.app.state.templates
    response = templates.TemplateResponse(request, name, values)
    if NOTE_COOKIE in request.cookies:
        response.delete_cookie(NOTE_COOKIE, path="/ui")  # shown once
    return response


#: a panel a capability above the page's own adds to it: (request, who signed in, what the
#: page is about, e.g. {"system_id": ...}) -> its HTML, or None to show nothing
Panel = Callable[[Request, Actor, dict[str, Any]], Markup | None]


def panels(request: Request, place: str, who: Actor, **about: Any) -> list[Markup]:
    """The panels the web shell installed for a place (app.state.panels: "dashboard",
    "system", "inbox"), rendered for this person: how a page shows what capabilities above
    its own know (incident clocks, monitor alerts) without importing them."""
    installed: dict[str, Sequence[Panel]] = getattr(request.app.state, "panels", {})
    drawn = (make(request, who, about) for make in installed.get(place, ()))
    return [html for html in drawn if html is not None]


#: (context, who was refused, the error) -> the refusal in words a person can act on (which
#: role it needs and who holds it); the web shell installs accountability's as
#: app.state.explain_refusal, so capabilities below accountability word refusals alike
Explainer = Callable[[Any, Actor, CharterError], str]


def refusal(request: Request, who: Actor, exc: CharterError) -> str:
    """The refusal as the installed explainer words it (its bare message without one)."""
    explain: Explainer | None = getattr(request.app.state, "explain_refusal", None)
    return explain(ctx_of(request), who, exc) if explain else exc.message


def fragment(request: Request, name: str, **values: Any) -> Markup:
    """A template rendered as a piece of a page (a panel), autoescaped like a page."""
    templates: Jinja2Templates = request.app.state.templates
    return Markup(templates.get_template(name).render(**values))  # noqa: S704 - autoescaped


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


def signed_in_response(
    request: Request, secret: str, lifetime: timedelta, to: str = "/ui/"
) -> Response:
    """To the dashboard (or `to`), holding a new session's secret in an HttpOnly, SameSite
    cookie (__Host- prefixed over TLS)."""
    response = RedirectResponse(to, status_code=303)
    response.set_cookie(
        session_cookie(request), secret, httponly=True, samesite="strict",
        secure=secure(request), max_age=int(lifetime.total_seconds()), path="/",
    )  # fmt: skip
    return response
