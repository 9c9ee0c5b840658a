"""The FastAPI application factory."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

from fastapi import FastAPI, Request, Response

from charter import __version__
from charter.services.context import Context
from charter.web import (
    api_admin,
    api_bodies,
    api_classification,
    api_governance,
    api_inventory,
    api_lifecycle,
    api_org,
    api_packs,
    api_strategy,
    api_talent,
    api_validation,
    problems,
    ui,
)
from charter.web.oidc import Provider
from charter.web.scheduler import checkpoint_lifespan

MAX_BODY = 1_000_000

SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}


async def _guard(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
    """Refuse bodies over MAX_BODY before reading them; add security headers."""
    length = request.headers.get("content-length")
    if length is not None and (not length.isdigit() or int(length) > MAX_BODY):
        return problems.problem(413, f"request body over {MAX_BODY} bytes")
    response = await call_next(request)
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    return response


def create_app(
    ctx: Context,
    checkpoint_interval: float = 0,
    data_dir: Path | None = None,
    oidc: Provider | None = None,
) -> FastAPI:
    """The app; with checkpoint_interval > 0 and a signing key, checkpoints on a schedule;
    validation suites sent to the API read their files under data_dir only; with an OIDC
    provider, the web UI offers single sign-on."""
    app = FastAPI(
        lifespan=checkpoint_lifespan(ctx, checkpoint_interval),
        title="Charter",
        version=__version__,
        docs_url="/api/docs",
        redoc_url=None,
        openapi_url="/api/openapi.json",
        description="AI leadership records, accountability and lifecycle gates.",
    )
    app.state.ctx = ctx
    app.state.data_dir = data_dir
    app.state.oidc = oidc
    app.state.warned_peers = set()  # peers logged as untrusted proxies (ui_session)
    problems.install(app)
    app.middleware("http")(_guard)
    routers = (
        api_admin.router,
        api_org.router,
        api_inventory.router,
        api_lifecycle.router,
        api_validation.router,
        api_governance.router,
        api_classification.router,
        api_packs.router,
        api_strategy.router,
        api_bodies.router,
        api_talent.router,
    )
    for router in routers:
        app.include_router(router, prefix="/api/v1")
    ui.install(app)
    return app
