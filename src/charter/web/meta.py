"""API: the server's health, for load balancers and monitors (no sign-in)."""

from __future__ import annotations

from fastapi import APIRouter

from charter import __version__

router = APIRouter()


@router.get("/health", tags=["meta"])
def health() -> dict[str, str]:
    return {"status": "ok", "version": __version__}
