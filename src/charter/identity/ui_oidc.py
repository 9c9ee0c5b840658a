"""Single sign-on to the web UI with OpenID Connect, when configured (CHARTER_OIDC_*): the
browser leaves for the identity provider and comes back to the configured public URL with a
code, which is exchanged and checked (charter.identity.oidc); the verified e-mail must belong
to an active person. A refusal shows one fixed message (nothing the provider or the visitor
wrote); why it was refused goes to the server's log."""

from __future__ import annotations

import logging

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from charter.identity.oidc import Attempt, Provider
from charter.identity.services import sessions
from charter.kernel.errors import NotFound, Unauthenticated
from charter.kernel.web.lanes import long_running
from charter.kernel.web.pages import back_to, ctx_of, secure, signed_in_response

router = APIRouter(prefix="/ui/oidc", include_in_schema=False)
ATTEMPT = "charter_oidc"
REFUSED = "single sign-on did not sign you in; try again, or sign in with your password"
log = logging.getLogger("charter.sign_in")


def _provider(request: Request) -> Provider:
    provider: Provider | None = getattr(request.app.state, "oidc", None)
    if provider is None:
        raise NotFound("single sign-on", "oidc")
    return provider


@router.get("/start")
@long_running
def start(request: Request) -> Response:
    """Leave for the identity provider, keeping state, nonce and PKCE verifier in a cookie
    (SameSite=Lax: it must come back with the provider's redirect)."""
    attempt = Attempt.new()
    response = RedirectResponse(_provider(request).authorize_url(attempt))
    response.set_cookie(
        ATTEMPT, attempt.cookie(), httponly=True, samesite="lax", secure=secure(request),
        max_age=600, path="/ui/oidc",
    )  # fmt: skip
    return response


def _refused(request: Request, why: str) -> Response:
    log.warning("single sign-on refused: %s", why[:500].replace("\n", " "))
    response = back_to(request, "/ui/login", REFUSED, error=True)
    response.delete_cookie(ATTEMPT, path="/ui/oidc")
    return response


@router.get("/callback", name="oidc_callback")
@long_running
def callback(request: Request, code: str = "", state: str = "", error: str = "") -> Response:
    provider = _provider(request)
    attempt = Attempt.from_cookie(request.cookies.get(ATTEMPT, ""))
    if error:
        return _refused(request, f"the identity provider refused the sign-in: {error}")
    if attempt is None or not code or state != attempt.state:
        return _refused(request, "the sign-in expired or did not start here; try again")
    try:
        email = provider.email(code, attempt)
        secret, session = sessions.federated_sign_in(ctx_of(request), email, provider.issuer)
    except Unauthenticated as exc:
        return _refused(request, exc.message)
    response = signed_in_response(request, secret, session.expires_at - session.created_at)
    response.delete_cookie(ATTEMPT, path="/ui/oidc")
    return response
