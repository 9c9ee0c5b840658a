"""API: the audit trail: events, verification, checkpoints, proofs, change history."""

from __future__ import annotations

import base64
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query

from charter.audit import services as audit
from charter.audit.ports import Context
from charter.audit.schemas import (
    Checkpoint,
    ConsistencyProof,
    EventList,
    EventPage,
    InclusionProof,
    LatestCheckpoint,
    Verification,
)
from charter.kernel.present import as_json
from charter.kernel.web.contract import answer, returns
from charter.kernel.web.http import MAX_INT, Who, context
from charter.kernel.web.lanes import long_running

Ctx = Annotated[Context, Depends(context)]
router = APIRouter()


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


@router.get("/audit/events", tags=["audit"], responses=returns(EventPage))
def audit_events(
    ctx: Ctx,
    who: Who,
    after: Annotated[int, Query(ge=0, le=MAX_INT)] = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> Any:
    events = audit.list_events(ctx, who, after, limit)
    return answer({"items": as_json(events), "next_after": events[-1].seq if events else after})


@router.get("/audit/verify", tags=["audit"], responses=returns(Verification))
@long_running
def audit_verify(ctx: Ctx, who: Who) -> dict[str, Any]:
    """Verify the whole log against every signed checkpoint (in the database and the highest
    kept outside it), with the server's key; `meaning` says what `intact` guarantees."""
    return audit.presented(audit.verify_log(ctx, who))


@router.get("/audit/checkpoints/latest", tags=["audit"], responses=returns(LatestCheckpoint))
def latest_checkpoint(ctx: Ctx, who: Who) -> dict[str, Any]:
    """The latest signed checkpoint, as a C2SP signed note, and the verifier key."""
    signed = audit.latest_checkpoint(ctx, who)
    return {
        "size": signed.size,
        "root": b64(signed.root),
        "note": signed.note,
        "verifier_key": ctx.signer.verifier if ctx.signer else None,
    }


@router.post(
    "/audit/checkpoints", status_code=201, tags=["audit"], responses=returns(Checkpoint, 201)
)
def make_checkpoint(ctx: Ctx, who: Who) -> dict[str, Any]:
    signed = audit.make_checkpoint(ctx, who)
    return {"size": signed.size, "root": b64(signed.root), "note": signed.note}


@router.get("/audit/proofs/inclusion", tags=["audit"], responses=returns(InclusionProof))
def inclusion(
    ctx: Ctx,
    who: Who,
    seq: Annotated[int, Query(ge=1, le=MAX_INT)],
    size: Annotated[int | None, Query(ge=1, le=MAX_INT)] = None,
) -> dict[str, object]:
    return audit.prove_inclusion(ctx, who, seq, size).as_dict()


@router.get("/audit/proofs/consistency", tags=["audit"], responses=returns(ConsistencyProof))
def consistency(
    ctx: Ctx,
    who: Who,
    first: Annotated[int, Query(ge=1, le=MAX_INT, alias="from")],
    second: Annotated[int | None, Query(ge=1, le=MAX_INT, alias="to")] = None,
) -> dict[str, object]:
    return audit.prove_consistency(ctx, who, first, second).as_dict()


@router.get(
    "/audit/history/{entity_type}/{entity_id}", tags=["audit"], responses=returns(EventList)
)
def audit_history(ctx: Ctx, who: Who, entity_type: str, entity_id: str) -> dict[str, Any]:
    events = audit.entity_history(ctx, who, entity_type, entity_id)
    return {"items": as_json(events), "total": len(events)}
