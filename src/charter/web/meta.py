"""API: the server's health, for load balancers and monitors (no sign-in): `/health` answers
while the process runs (cheap); `/health/ready` when the database also reads and writes."""

from __future__ import annotations

from fastapi import APIRouter, Request

from charter import __version__
from charter.kernel.errors import Unreadable

router = APIRouter()


@router.get("/health", tags=["meta"])
def health() -> dict[str, str]:
    return {"status": "ok", "version": __version__}


@router.get("/health/ready", tags=["meta"])
def ready(request: Request) -> dict[str, str]:
    """200 when the database answers and takes writes; 503 problem+json saying why not."""
    probe = getattr(request.app.state.ctx, "probe", None)
    if probe is None:
        raise Unreadable("this server has no database probe")
    probe()
    return {"status": "ready", "version": __version__}
