"""API: who am I, tokens, audit trail, health."""

from __future__ import annotations

import base64
from typing import Annotated, Any

from fastapi import APIRouter, Query, Response

from charter import __version__
from charter.services import access, audit, queries
from charter.web.deps import Ctx, Who
from charter.web.present import as_json
from charter.web.schemas import TokenIn

router = APIRouter()


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


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
    """Verify the whole log against every signed checkpoint, with the server's key."""
    report = audit.verify_log(ctx, who)
    return {
        "intact": report.intact,
        "size": report.size,
        "root": b64(report.root),
        "checkpoint_size": report.checkpoint_size,
        "checkpoints_checked": report.checkpoints_checked,
        "unsigned_tail": report.unsigned_tail,
        "first_bad_seq": report.bad_seq,
        "problem": report.problem,
    }


@router.get("/audit/checkpoints/latest", tags=["audit"])
def latest_checkpoint(ctx: Ctx, who: Who) -> dict[str, Any]:
    """The latest signed checkpoint, as a C2SP signed note, and the verifier key."""
    signed = audit.latest_checkpoint(ctx, who)
    return {
        "size": signed.size,
        "root": b64(signed.root),
        "note": signed.note,
        "verifier_key": ctx.signer.verifier if ctx.signer else None,
    }


@router.post("/audit/checkpoints", status_code=201, tags=["audit"])
def make_checkpoint(ctx: Ctx, who: Who) -> dict[str, Any]:
    signed = audit.make_checkpoint(ctx, who)
    return {"size": signed.size, "root": b64(signed.root), "note": signed.note}


@router.get("/audit/proofs/inclusion", tags=["audit"])
def inclusion(
    ctx: Ctx,
    who: Who,
    seq: Annotated[int, Query(ge=1)],
    size: Annotated[int | None, Query(ge=1)] = None,
) -> dict[str, object]:
    return audit.prove_inclusion(ctx, who, seq, size).as_dict()


@router.get("/audit/proofs/consistency", tags=["audit"])
def consistency(
    ctx: Ctx,
    who: Who,
    first: Annotated[int, Query(ge=1, alias="from")],
    second: Annotated[int | None, Query(ge=1, alias="to")] = None,
) -> dict[str, object]:
    return audit.prove_consistency(ctx, who, first, second).as_dict()


@router.get("/audit/history/{entity_type}/{entity_id}", tags=["audit"])
def audit_history(ctx: Ctx, who: Who, entity_type: str, entity_id: str) -> dict[str, Any]:
    events = audit.entity_history(ctx, who, entity_type, entity_id)
    return {"items": as_json(events), "total": len(events)}
