"""API: RACI, lifecycle transitions and decisions, decision rights."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from charter.domain.raci import Activity
from charter.services import inbox, lifecycle, queries, raci
from charter.web.deps import Ctx, Who
from charter.web.present import as_json, gate
from charter.web.schemas import DecisionIn, RaciActivityIn, TransitionIn

router = APIRouter()


@router.get("/systems/{system_id}/raci", tags=["accountability"])
def get_raci(ctx: Ctx, who: Who, system_id: str) -> dict[str, Any]:
    entries, findings = raci.system_raci(ctx, who, system_id)
    return {"entries": as_json(entries), "findings": as_json(findings)}


@router.put("/systems/{system_id}/raci/{activity}", tags=["accountability"])
def set_raci(ctx: Ctx, who: Who, system_id: str, activity: Activity, body: RaciActivityIn) -> Any:
    pairs = [(a.person_id, a.letter) for a in body.assignments]
    return as_json(raci.set_activity(ctx, who, system_id, activity, pairs))


@router.get("/raci/findings", tags=["accountability"])
def raci_findings(ctx: Ctx, who: Who) -> dict[str, Any]:
    findings = raci.all_findings(ctx, who)
    return {"items": as_json(findings), "total": len(findings)}


@router.get("/systems/{system_id}/transitions", tags=["lifecycle"])
def list_transitions(ctx: Ctx, who: Who, system_id: str) -> dict[str, Any]:
    items = queries.system_transitions(ctx, who, system_id)
    return {"items": as_json(items), "total": len(items)}


@router.post("/systems/{system_id}/transitions", status_code=201, tags=["lifecycle"])
def request_transition(ctx: Ctx, who: Who, system_id: str, body: TransitionIn) -> Any:
    request, result = lifecycle.request_transition(ctx, who, system_id, body.to, body.reason)
    return {"request": as_json(request), "gate": gate(result)}


@router.get("/transitions/{request_id}", tags=["lifecycle"])
def get_transition(ctx: Ctx, who: Who, request_id: str) -> Any:
    request, result, approvals = lifecycle.gate_status(ctx, who, request_id)
    return {"request": as_json(request), "gate": gate(result), "decisions": as_json(approvals)}


@router.post("/transitions/{request_id}/decisions", status_code=201, tags=["lifecycle"])
def decide(ctx: Ctx, who: Who, request_id: str, body: DecisionIn) -> Any:
    request, result = lifecycle.decide(ctx, who, request_id, body.decision, body.reason)
    return {"request": as_json(request), "gate": gate(result)}


@router.post("/transitions/{request_id}/recheck", tags=["lifecycle"])
def recheck(ctx: Ctx, who: Who, request_id: str) -> Any:
    """Evaluate a pending request's gate again; applies the transition when it now passes."""
    request, result = lifecycle.recheck(ctx, who, request_id)
    return {"request": as_json(request), "gate": gate(result)}


@router.get("/decision-rights", tags=["lifecycle"])
def decision_rights(ctx: Ctx, who: Who) -> Any:
    return {"items": as_json(queries.decision_rights(ctx, who))}


@router.get("/inbox", tags=["lifecycle"])
def get_inbox(ctx: Ctx, who: Who) -> Any:
    """What awaits the caller: transition requests (not their own), the blocking requirements
    of those they may waive, and use cases awaiting a portfolio decision they may take."""
    found = inbox.inbox(ctx, who)
    return {
        "transitions": [{"system": s.name, **as_json(r)} for s, r in found.transitions],
        "waivers": [
            {"system": w.system.id, "request": w.request.id, **as_json(w.requirement)}
            for w in found.waivers
        ],
        "use_cases": as_json(list(found.use_cases)),
    }
