"""Single sign-on to the web UI with OpenID Connect, when configured (CHARTER_OIDC_*): the
browser leaves for the identity provider and comes back with a code, which is exchanged and
checked (charter.web.oidc); the verified e-mail must belong to an active person."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from charter.identity.oidc import Attempt, Provider
from charter.identity.services import sessions
from charter.kernel.errors import NotFound, Unauthenticated
from charter.kernel.web.pages import back_to, ctx_of, secure, signed_in_response

router = APIRouter(prefix="/ui/oidc", include_in_schema=False)
ATTEMPT = "charter_oidc"


def _provider(request: Request) -> Provider:
    provider: Provider | None = getattr(request.app.state, "oidc", None)
    if provider is None:
        raise NotFound("single sign-on", "oidc")
    return provider


def _callback_url(request: Request) -> str:
    return str(request.url_for("oidc_callback"))


@router.get("/start")
def start(request: Request) -> Response:
    """Leave for the identity provider, keeping state, nonce and PKCE verifier in a cookie
    (SameSite=Lax: it must come back with the provider's redirect)."""
    attempt = Attempt.new()
    response = RedirectResponse(_provider(request).authorize_url(attempt, _callback_url(request)))
    response.set_cookie(
        ATTEMPT, attempt.cookie(), httponly=True, samesite="lax", secure=secure(request),
        max_age=600, path="/ui/oidc",
    )  # fmt: skip
    return response


def _refused(request: Request, message: str) -> Response:
    response = back_to(request, "/ui/login", message, error=True)
    response.delete_cookie(ATTEMPT, path="/ui/oidc")
    return response


@router.get("/callback", name="oidc_callback")
def callback(request: Request, code: str = "", state: str = "", error: str = "") -> Response:
    provider = _provider(request)
    attempt = Attempt.from_cookie(request.cookies.get(ATTEMPT, ""))
    if error:
        return _refused(request, f"the identity provider refused the sign-in: {error}")
    if attempt is None or not code or state != attempt.state:
        return _refused(request, "the sign-in expired or did not start here; try again")
    try:
        email = provider.email(code, _callback_url(request), attempt)
        secret, session = sessions.federated_sign_in(ctx_of(request), email, provider.issuer)
    except Unauthenticated as exc:
        return _refused(request, exc.message)
    response = signed_in_response(request, secret, session.expires_at - session.created_at)
    response.delete_cookie(ATTEMPT, path="/ui/oidc")
    return response
