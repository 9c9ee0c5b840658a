"""API: policies, gate checks, posture, waivers and governed documents."""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Query

from charter.domain.access import ensure_member
from charter.domain.inventory import LifecycleStage
from charter.domain.policy import parse_policy
from charter.engines.policy_files import check_policy, schema_text
from charter.services import governance, policies
from charter.web.deps import Ctx, Who
from charter.web.present import as_json, gate_check, posture
from charter.web.schemas import (
    DocumentApprovalIn,
    DocumentIn,
    EnabledIn,
    PolicySetIn,
    RevokeIn,
    WaiverIn,
)

router = APIRouter()


@router.get("/policies/schema", tags=["policies"])
def policy_schema(who: Who) -> Any:
    """The JSON Schema every policy is validated against."""
    ensure_member(who)
    return json.loads(schema_text())


@router.get("/policies", tags=["policies"])
def list_policies(ctx: Ctx, who: Who) -> dict[str, Any]:
    items = policies.list_policies(ctx, who)
    return {"items": as_json(items), "total": len(items)}


@router.post("/policies", status_code=201, tags=["policies"])
def load_policies(ctx: Ctx, who: Who, body: PolicySetIn) -> dict[str, Any]:
    """Add or replace policies; all are validated before any is stored."""
    items = [(raw, check_policy(raw, f"policies[{i}]")) for i, raw in enumerate(body.policies)]
    stored = policies.load_policies(ctx, who, items)
    return {"items": as_json(stored), "total": len(stored)}


@router.get("/policies/{policy_id}", tags=["policies"])
def get_policy(ctx: Ctx, who: Who, policy_id: str) -> Any:
    record = policies.get_policy(ctx, who, policy_id)
    parsed = parse_policy(record.source)
    return {**as_json(record), "requirements": len(parsed.requirements)}


@router.put("/policies/{policy_id}/enabled", tags=["policies"])
def enable_policy(ctx: Ctx, who: Who, policy_id: str, body: EnabledIn) -> Any:
    return as_json(policies.set_enabled(ctx, who, policy_id, body.enabled))


@router.get("/systems/{system_id}/gate", tags=["policies"])
def check_gate(
    ctx: Ctx,
    who: Who,
    system_id: str,
    to: LifecycleStage,
    policies_only: bool = Query(False, description="Leave out sign-offs (for CI pipelines)."),
) -> Any:
    """Would the gate to `to` pass now? Nothing is written."""
    return gate_check(governance.check_gate(ctx, who, system_id, to, not policies_only))


@router.get("/posture", tags=["policies"])
def get_posture(ctx: Ctx, who: Who, soon_days: int = Query(30, ge=1, le=366)) -> Any:
    """Every visible system against the policies in force: what blocks, what lapses soon."""
    return posture(governance.posture(ctx, who, soon_days))


@router.get("/waivers", tags=["policies"])
def list_waivers(ctx: Ctx, who: Who, system_id: str | None = None) -> dict[str, Any]:
    items = policies.list_waivers(ctx, who, system_id)
    return {"items": as_json(items), "total": len(items)}


@router.post("/waivers", status_code=201, tags=["policies"])
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


@router.post("/waivers/{waiver_id}/revoke", tags=["policies"])
def revoke_waiver(ctx: Ctx, who: Who, waiver_id: str, body: RevokeIn) -> Any:
    return as_json(policies.revoke_waiver(ctx, who, waiver_id, body.reason))


@router.get("/systems/{system_id}/documents", tags=["policies"])
def list_documents(ctx: Ctx, who: Who, system_id: str) -> dict[str, Any]:
    items = policies.list_documents(ctx, who, system_id)
    return {"items": as_json(items), "total": len(items)}


@router.post("/systems/{system_id}/documents", status_code=201, tags=["policies"])
def attach_document(ctx: Ctx, who: Who, system_id: str, body: DocumentIn) -> Any:
    return as_json(policies.attach_document(ctx, who, system_id, body.kind, body.title, body.uri))


@router.post("/documents/{document_id}/approve", tags=["policies"])
def approve_document(ctx: Ctx, who: Who, document_id: str, body: DocumentApprovalIn) -> Any:
    return as_json(policies.approve_document(ctx, who, document_id, body.role))
