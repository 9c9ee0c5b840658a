"""API: policies, gate checks, posture, waivers and governed documents."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query

from charter.frameworks.api import Schedule
from charter.frameworks.files import crosswalk, load_packs
from charter.governance.domain.lifecycle import TransitionRequest
from charter.governance.domain.waivers import Document, Waiver
from charter.governance.files import check_policies, schema_text
from charter.governance.ports import Context
from charter.governance.present import (
    gate,
    gate_check,
    policy_standing,
    posture,
    readiness_page_report,
    readiness_report,
    stored_policy,
)
from charter.governance.schemas import (
    DecisionIn,
    DocumentApprovalIn,
    DocumentIn,
    DocumentKind,
    EnabledIn,
    GateCheckOut,
    InboxOut,
    PackView,
    PolicySetIn,
    PolicyView,
    Posture,
    Readiness,
    ReadinessPage,
    RevokeIn,
    StoredPolicy,
    TransitionIn,
    TransitionOut,
    TransitionView,
    WaiverIn,
)
from charter.governance.services import documents, inbox, lifecycle, policies, readiness
from charter.governance.services import gates as governance
from charter.inventory.domain import LifecycleStage
from charter.kernel.access import ensure_member
from charter.kernel.errors import NotFound
from charter.kernel.present import as_json
from charter.kernel.web.contract import Listed, answer, returns
from charter.kernel.web.http import Who, context

Ctx = Annotated[Context, Depends(context)]
router = APIRouter()


@router.get("/policies/schema", tags=["policies"], responses=returns(dict[str, Any]))
def policy_schema(who: Who) -> Any:
    """The JSON Schema every policy is validated against."""
    ensure_member(who)
    return json.loads(schema_text())


@router.get("/policies", tags=["policies"], responses=returns(Listed[StoredPolicy]))
def list_policies(ctx: Ctx, who: Who) -> dict[str, Any]:
    """The stored policies, and those the audit log has in force that are not stored; each
    says whether it is enforced as stored (`intact`) and, if not, why (`problem`)."""
    items = policies.policy_standings(ctx, who)
    return {"items": [policy_standing(p) for p in items], "total": len(items)}


@router.post(
    "/policies", status_code=201, tags=["policies"], responses=returns(Listed[StoredPolicy], 201)
)
def load_policies(ctx: Ctx, who: Who, body: PolicySetIn) -> dict[str, Any]:
    """Add or replace policies; all are validated before any is stored."""
    stored = policies.load_policies(ctx, who, check_policies(body.policies, "policies"))
    return {"items": [stored_policy(p) for p in stored], "total": len(stored)}


@router.get("/policies/{policy_id}", tags=["policies"], responses=returns(PolicyView))
def get_policy(ctx: Ctx, who: Who, policy_id: str) -> Any:
    """One policy as the list shows it, with how many requirements gates judge of it (not
    stored: none)."""
    found = policies.policy_standing(ctx, who, policy_id)
    judged = len(governance.parsed(found.row).requirements) if found.row else 0
    return {**policy_standing(found), "requirements": judged}


@router.put("/policies/{policy_id}/enabled", tags=["policies"], responses=returns(StoredPolicy))
def enable_policy(ctx: Ctx, who: Who, policy_id: str, body: EnabledIn) -> Any:
    return stored_policy(policies.set_enabled(ctx, who, policy_id, body.enabled))


@router.get(
    "/systems/{system_id}/gate",
    tags=["policies"],
    responses={**returns(GateCheckOut), 409: {"description": "No such move from the stage"}},
)
def check_gate(
    ctx: Ctx,
    who: Who,
    system_id: str,
    to: LifecycleStage,
    policies_only: bool = Query(False, description="Leave out sign-offs (for CI pipelines)."),
) -> Any:
    """Would the gate to `to` pass now? Nothing is written."""
    return answer(gate_check(governance.check_gate(ctx, who, system_id, to, not policies_only)))


@router.get("/posture", tags=["policies"], responses=returns(Posture))
def get_posture(ctx: Ctx, who: Who, soon_days: int = Query(30, ge=1, le=366)) -> Any:
    """Every visible system against the policies in force: what blocks, what lapses soon."""
    return answer(posture(governance.posture(ctx, who, soon_days)))


@router.get("/waivers", tags=["policies"], responses=returns(Listed[Waiver]))
def list_waivers(ctx: Ctx, who: Who, system_id: str | None = None) -> dict[str, Any]:
    items = policies.list_waivers(ctx, who, system_id)
    return {"items": as_json(items), "total": len(items)}


@router.post("/waivers", status_code=201, tags=["policies"], responses=returns(Waiver, 201))
def grant_waiver(ctx: Ctx, who: Who, body: WaiverIn) -> Any:
    return as_json(
        policies.grant_waiver(
            ctx,
            who,
            body.system_id,
            body.policy_id,
            body.requirement_id,
            body.reason,
            body.compensating_measures,
            body.expires_at,
        )
    )


@router.post("/waivers/{waiver_id}/confirm", tags=["policies"], responses=returns(Waiver))
def confirm_waiver(ctx: Ctx, who: Who, waiver_id: str) -> Any:
    return as_json(policies.confirm_waiver(ctx, who, waiver_id))


@router.post("/waivers/{waiver_id}/revoke", tags=["policies"], responses=returns(Waiver))
def revoke_waiver(ctx: Ctx, who: Who, waiver_id: str, body: RevokeIn) -> Any:
    return as_json(policies.revoke_waiver(ctx, who, waiver_id, body.reason))


@router.get(
    "/systems/{system_id}/documents", tags=["policies"], responses=returns(Listed[Document])
)
def list_documents(ctx: Ctx, who: Who, system_id: str) -> dict[str, Any]:
    items = documents.list_documents(ctx, who, system_id)
    return {"items": as_json(items), "total": len(items)}


@router.post(
    "/systems/{system_id}/documents",
    status_code=201,
    tags=["policies"],
    responses=returns(Document, 201),
)
def attach_document(ctx: Ctx, who: Who, system_id: str, body: DocumentIn) -> Any:
    return as_json(
        documents.attach_document(
            ctx, who, system_id, body.kind, body.title, body.uri, body.supersedes
        )
    )


@router.get("/document-kinds", tags=["policies"], responses=returns(Listed[DocumentKind]))
def document_kinds(ctx: Ctx, who: Who) -> dict[str, Any]:
    """The kinds of governed document: Charter's vocabulary and what stored policies add."""
    kinds = documents.list_document_kinds(ctx, who)
    return {"items": [{"id": k, "title": t} for k, t in kinds.items()], "total": len(kinds)}


@router.post("/documents/{document_id}/approve", tags=["policies"], responses=returns(Document))
def approve_document(ctx: Ctx, who: Who, document_id: str, body: DocumentApprovalIn) -> Any:
    return as_json(documents.approve_document(ctx, who, document_id, body.role))


@router.get(
    "/systems/{system_id}/transitions",
    tags=["lifecycle"],
    responses=returns(Listed[TransitionRequest]),
)
def list_transitions(ctx: Ctx, who: Who, system_id: str) -> dict[str, Any]:
    items = lifecycle.system_transitions(ctx, who, system_id)
    return {"items": as_json(items), "total": len(items)}


@router.post(
    "/systems/{system_id}/transitions",
    status_code=201,
    tags=["lifecycle"],
    responses=returns(TransitionOut, 201),
)
def request_transition(ctx: Ctx, who: Who, system_id: str, body: TransitionIn) -> Any:
    request, result = lifecycle.request_transition(ctx, who, system_id, body.to, body.reason)
    return {"request": as_json(request), "gate": gate(result)}


@router.get("/transitions/{request_id}", tags=["lifecycle"], responses=returns(TransitionView))
def get_transition(ctx: Ctx, who: Who, request_id: str) -> Any:
    request, result, approvals = lifecycle.gate_status(ctx, who, request_id)
    return {"request": as_json(request), "gate": gate(result), "decisions": as_json(approvals)}


@router.post(
    "/transitions/{request_id}/decisions",
    status_code=201,
    tags=["lifecycle"],
    responses=returns(TransitionOut, 201),
)
def decide(ctx: Ctx, who: Who, request_id: str, body: DecisionIn) -> Any:
    request, result = lifecycle.decide(ctx, who, request_id, body.decision, body.reason)
    return {"request": as_json(request), "gate": gate(result)}


@router.post(
    "/transitions/{request_id}/recheck", tags=["lifecycle"], responses=returns(TransitionOut)
)
def recheck(ctx: Ctx, who: Who, request_id: str) -> Any:
    """Evaluate a pending request's gate again; applies the transition when it now passes."""
    request, result = lifecycle.recheck(ctx, who, request_id)
    return {"request": as_json(request), "gate": gate(result)}


@router.get("/inbox", tags=["lifecycle"], responses=returns(InboxOut))
def get_inbox(ctx: Ctx, who: Who) -> Any:
    """What awaits the caller: transition requests (not their own), the blocking requirements
    of those they may waive, use cases awaiting a portfolio decision they may take, and
    waivers awaiting them as the second person (four eyes)."""
    found = inbox.inbox(ctx, who, with_standing=False)
    return answer(
        {
            "transitions": [{"system": s.name, **as_json(r)} for s, r in found.transitions],
            "waivers": [
                {"system": w.system.id, "request": w.request.id, **as_json(w.requirement)}
                for w in found.waivers
            ],
            "use_cases": as_json(list(found.use_cases)),
            "to_confirm": as_json([w for _, w in found.to_confirm]),
        }
    )


@router.get("/packs/{pack_id}", tags=["frameworks"], responses=returns(PackView))
def get_pack(ctx: Ctx, who: Who, pack_id: str) -> Any:
    """A pack's requirements, each with the policy requirements in force that cite it, and
    the crosswalk links that name them."""
    ensure_member(who)
    pack = next((p for p in load_packs() if p.id == pack_id), None)
    if pack is None:
        raise NotFound("pack", pack_id)
    cited = policies.citing(ctx, who)
    links = [
        {"id": link["id"], "title": link["title"], "requirements": link["requirements"]}
        for link in crosswalk()["links"]
        if pack_id in link["requirements"]
    ]
    requirements = [{**as_json(r), "policies": cited.get(r.id, [])} for r in pack.requirements]
    return {**as_json(pack), "requirements": requirements, "crosswalk": links}


@router.get("/readiness", tags=["frameworks"], responses=returns(ReadinessPage))
def org_readiness(
    ctx: Ctx,
    who: Who,
    pack: str | None = None,
    schedule: Schedule | None = None,
    limit: Annotated[int, Query(ge=1, le=500, description="systems per page")] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> Any:
    """A page of the visible systems (by name) against every pack (or one), with how many
    systems there are and the organisation's roll-up over all of them."""
    found = readiness.readiness_page(ctx, who, load_packs(), limit, offset, pack, schedule)
    return readiness_page_report(found[0], found[1], limit, offset, found[2])


@router.get("/systems/{system_id}/readiness", tags=["frameworks"], responses=returns(Readiness))
def system_readiness(
    ctx: Ctx, who: Who, system_id: str, pack: str | None = None, schedule: Schedule | None = None
) -> Any:
    """One system: each applicable requirement, satisfied (by what), open or not yet."""
    items = readiness.system_readiness(ctx, who, load_packs(), system_id, pack, schedule)
    return readiness_report(items, detail=True)
