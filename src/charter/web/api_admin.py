"""API: who am I, tokens, audit trail, health."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Response

from charter import __version__
from charter.services import access, audit, queries
from charter.web.deps import Ctx, Who
from charter.web.present import as_json
from charter.web.schemas import TokenIn

router = APIRouter()


@router.get("/health", tags=["meta"])
def health() -> dict[str, str]:
    return {"status": "ok", "version": __version__}


@router.get("/me", tags=["meta"])
def me(who: Who) -> dict[str, Any]:
    return {"person_id": who.person_id, "name": who.label, "roles": as_json(who.roles)}


@router.get("/tokens", tags=["tokens"])
def list_tokens(ctx: Ctx, who: Who, person_id: str | None = None) -> dict[str, Any]:
    items = queries.list_tokens(ctx, who, person_id)
    return {"items": as_json(items), "total": len(items)}


@router.post("/tokens", status_code=201, tags=["tokens"])
def create_token(ctx: Ctx, who: Who, body: TokenIn) -> dict[str, Any]:
    token, secret = access.create_token(ctx, who, body.person_id, body.name)
    return {
        **as_json(token),
        "secret": secret,
        "note": "the secret is shown once; only its hash is stored",
    }


@router.delete("/tokens/{token_id}", status_code=204, tags=["tokens"])
def revoke_token(ctx: Ctx, who: Who, token_id: str) -> Response:
    access.revoke_token(ctx, who, token_id)
    return Response(status_code=204)


@router.get("/audit/events", tags=["audit"])
def audit_events(
    ctx: Ctx,
    who: Who,
    after: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> dict[str, Any]:
    events = audit.list_events(ctx, who, after, limit)
    return {"items": as_json(events), "next_after": events[-1].seq if events else after}


@router.get("/audit/verify", tags=["audit"])
def audit_verify(ctx: Ctx, who: Who) -> dict[str, Any]:
    report = audit.verify_chain(ctx, who)
    return {"size": report.size, "intact": report.intact, "first_bad_seq": report.first_bad_seq}


@router.get("/audit/history/{entity_type}/{entity_id}", tags=["audit"])
def audit_history(ctx: Ctx, who: Who, entity_type: str, entity_id: str) -> dict[str, Any]:
    events = audit.entity_history(ctx, who, entity_type, entity_id)
    return {"items": as_json(events), "total": len(events)}
