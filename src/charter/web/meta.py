"""API: the server's health, for load balancers and monitors (no sign-in): `/health` answers
while the process runs (cheap); `/health/ready` when the database also reads and writes."""

from __future__ import annotations

from fastapi import APIRouter, Request
from pydantic import BaseModel

from charter import __version__
from charter.kernel.errors import Unreadable
from charter.kernel.web.contract import returns

router = APIRouter()


class Health(BaseModel):
    status: str
    version: str


@router.get("/health", tags=["meta"], responses=returns(Health))
async def health() -> dict[str, str]:
    """Answered on the event loop: no thread, no database, so it answers however busy the
    process's threads are (`/health/ready` checks the database)."""
    return {"status": "ok", "version": __version__}


@router.get("/health/ready", tags=["meta"], responses=returns(Health))
def ready(request: Request) -> dict[str, str]:
    """200 when the database answers and takes writes; 503 problem+json saying why not."""
    probe = getattr(request.app.state.ctx, "probe", None)
    if probe is None:
        raise Unreadable("this server has no database probe")
    probe()
    return {"status": "ready", "version": __version__}
