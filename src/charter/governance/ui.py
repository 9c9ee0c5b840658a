"""The web UI's pages: server-rendered over the same services and permissions as the API;
they work without JavaScript. Sign-in and page security live in ui_session."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import Markup

from charter.accountability.services import org, raci
from charter.audit import services as audit
from charter.frameworks import services as classification
from charter.frameworks.domain.packs import rollup
from charter.frameworks.files import classification_data, load_packs
from charter.governance.domain.gates import UNWAIVABLE
from charter.governance.domain.lifecycle import Decision, RequestStatus
from charter.governance.ports import Context
from charter.governance.services import gates as governance
from charter.governance.services import inbox, lifecycle, policies, readiness
from charter.inventory import services as inventory
from charter.inventory.domain import LifecycleStage, RiskTier
from charter.kernel.access import Action, Actor, allowed
from charter.kernel.errors import CharterError, Forbidden, InvalidInput
from charter.kernel.web import charts
from charter.kernel.web.pages import (
    back_to,
    check_csrf,
    ctx_of,
    page,
    signed_in,
)
from charter.strategy.services import portfolio
from charter.validation import charts as evidence_charts
from charter.validation import services as validation
from charter.validation.domain.evidence import Evidence
from charter.validation.domain.suite import DISPARITY, DRIFT

router = APIRouter(prefix="/ui", include_in_schema=False)


@router.get("/")
def dashboard(request: Request) -> HTMLResponse:
    who, session = signed_in(request)
    ctx = ctx_of(request)
    posture = governance.posture(ctx, who)
    systems = [p.system for p in posture]
    totals = rollup(readiness.system_readiness(ctx, who, load_packs()))
    pending = len(lifecycle.pending_requests(ctx, who))
    stage_rows = sorted(Counter(s.stage.value for s in systems).items())
    tier_rows = sorted(Counter(s.risk_tier.value for s in systems).items())
    return page(
        request, "dashboard.html", who, session, title="Dashboard", systems=systems,
        stage_chart=charts.bars(stage_rows, "stage", "systems") if systems else None,
        tier_chart=charts.bars(tier_rows, "tier", "systems") if systems else None,
        blocked=[p for p in posture if p.blocking],
        by_stage=sorted(Counter(s.stage.value for s in systems).items()),
        by_tier=sorted(Counter(s.risk_tier.value for s in systems).items()),
        findings=len(raci.all_findings(ctx, who)), pending=pending, readiness=totals,
        freshness=validation.evidence_freshness(ctx, who),
        risks_above=sum(
            r.standing == "above" for rs in governance.risk_positions(ctx, who).values() for r in rs
        ),
    )  # fmt: skip


SORTS = {"name": "name", "-name": "name, Z to A", "stage": "stage", "risk_tier": "risk tier",
         "business_unit_id": "business unit"}  # fmt: skip


@router.get("/systems")
def systems_page(
    request: Request,
    q: str | None = None,
    stage: str | None = None,
    tier: str | None = None,
    sort: str = "name",
    offset: int = 0,
) -> HTMLResponse:
    who, session = signed_in(request)
    limit = 25
    try:
        filters: dict[str, object] = {"stage": LifecycleStage(stage)} if stage else {}
        if tier:
            filters["risk_tier"] = RiskTier(tier)
    except ValueError as exc:
        raise InvalidInput(f"no such stage or risk tier: {exc}") from exc
    order = sort if sort in SORTS else "name"
    found = inventory.list_systems(
        ctx_of(request), who, filters, search=q, limit=limit, offset=max(offset, 0), order=order
    )
    return page(
        request, "systems.html", who, session, title="Inventory", page=found, q=q, stage=stage,
        tier=tier, sort=order, sorts=SORTS, stages=[s.value for s in LifecycleStage],
        tiers=[t.value for t in RiskTier], offset=max(offset, 0), limit=limit,
    )  # fmt: skip


@router.get("/systems/{system_id}")
def system_page(request: Request, system_id: str) -> HTMLResponse:
    who, session = signed_in(request)
    ctx = ctx_of(request)
    system = inventory.get_system(ctx, who, system_id)
    entries, findings = raci.system_raci(ctx, who, system.id)
    evidence = validation.system_evidence(ctx, who, system.id)
    names = {p.id: p.name for p in _directory(ctx, who, "people")}
    target = governance.posture_target(system)
    gate = (
        governance.check_gate(ctx, who, system.id, target, True)
        if target is not system.stage
        else None
    )
    return page(
        request, "system.html", who, session, title=system.name, system=system, gate=gate,
        pending=lifecycle.pending_requests(ctx, who, system.id),
        evidence=evidence[:10],
        fairness_chart=_chart(evidence, DISPARITY, "fairness: difference or ratio"),
        fairness_groups=evidence_charts.fairness_by_group(
            next((e.results for e in evidence if any(r.groups for r in e.results)), ())
        ),
        drift_chart=_chart(evidence, DRIFT, "drift by feature"),
        classification=classification.latest(ctx, who, system.id),
        raci_entries=entries, raci_findings=findings, names=names,
        waivers=policies.list_waivers(ctx, who, system.id),
        transitions=lifecycle.system_transitions(ctx, who, system.id),
        history=_history(ctx, who, system.id),
        screenings=portfolio.screenings_of(ctx, who, system.id),
        may_classify=allowed(who, Action.RISK_CLASSIFY, system.business_unit_id, system.id),
        waivable=_waivable(gate, policies.may_waive(ctx, who, system)),
        risks=governance.risk_positions(ctx, who, system.id).get(system.id, ()),
    )  # fmt: skip


@router.post("/systems/{system_id}/classify")
def classify_from_screening(
    request: Request,
    system_id: str,
    use_case_id: Annotated[str, Form()],
    csrf: Annotated[str, Form()] = "",
) -> Response:
    """Classify the system from the screening of a use case it delivers."""
    who, session = signed_in(request)
    check_csrf(session, csrf)
    ctx = ctx_of(request)
    back = f"/ui/systems/{quote(system_id)}"
    try:
        answers = classification.screening_answers(ctx, who, system_id, use_case_id)
        item, _ = classification.classify_system(
            ctx, who, system_id, answers, classification_data()
        )
    except CharterError as exc:
        return back_to(request, back, exc.message, error=True)
    note = f"classified {item.tier} from the use case's screening"
    return back_to(request, back, note)


def _history(ctx: Context, who: Actor, system_id: str) -> list[dict[str, Any]] | None:
    """Who changed what on the system, newest first (audit readers only, else None)."""
    try:
        events = audit.entity_history(ctx, who, "system", system_id)
    except Forbidden:
        return None
    return [e.body() for e in reversed(events[-40:])]


def _waivable(gate: governance.GateCheck | None, allowed: bool) -> list[Any]:
    """The blocking policy requirements this person may waive, when they hold the right."""
    if gate is None or not allowed:
        return []
    return [
        r
        for v in gate.policies
        for r in v.requirements
        if r.blocking
        and r.verdict.value in ("not_satisfied", "inconclusive")
        and r.kind not in UNWAIVABLE
    ]


@router.post("/systems/{system_id}/waivers")
def grant_waiver(
    request: Request,
    system_id: str,
    policy_id: Annotated[str, Form()],
    requirement_id: Annotated[str, Form()],
    reason: Annotated[str, Form()] = "",
    measures: Annotated[str, Form()] = "",
    days: Annotated[int, Form(ge=1, le=366)] = 90,
    from_page: Annotated[str, Form(alias="from")] = "system",
    csrf: Annotated[str, Form()] = "",
) -> Response:
    """Grant a time-limited waiver from the system page or the inbox (the decision rights
    decide who)."""
    who, session = signed_in(request)
    check_csrf(session, csrf)
    ctx = ctx_of(request)
    back = f"/ui/systems/{quote(system_id)}" if from_page != "inbox" else "/ui/approvals"
    try:
        waiver = policies.grant_waiver(
            ctx, who, system_id, policy_id, requirement_id, reason, measures,
            ctx.clock() + timedelta(days=days),
        )  # fmt: skip
    except CharterError as exc:
        return back_to(request, back, exc.message, error=True)
    note = f"waiver {waiver.id} granted until {waiver.expires_at:%Y-%m-%d}"
    return back_to(request, back, note)


def _chart(evidence: list[Evidence], metrics: frozenset[str], title: str) -> Markup | None:
    """The newest evidence's checks of those metrics, as a chart."""
    for ev in evidence:
        found = [r for r in ev.results if r.metric in metrics]
        if found:
            return evidence_charts.check_values(found, title)
    return None


def _directory(ctx: Context, who: Actor, collection: str) -> list[Any]:
    return list(org.list_directory(ctx, who, collection, limit=500).items)


@router.get("/governance")
def governance_page(request: Request) -> HTMLResponse:
    who, session = signed_in(request)
    ctx = ctx_of(request)
    blocking: Counter[str] = Counter()
    for p in governance.posture(ctx, who):
        blocking.update({line.split("/", 1)[0] for line in p.blocking})
    cited = policies.citing(ctx, who)
    per_pack = {
        pack.id: sum(1 for r in pack.requirements if r.id in cited) for pack in load_packs()
    }
    return page(
        request, "governance.html", who, session, title="Policies",
        policies=policies.list_policies(ctx, who), packs=load_packs(), blocking=blocking,
        cited=per_pack,
    )  # fmt: skip


@router.get("/approvals")
def approvals_page(request: Request) -> HTMLResponse:
    who, session = signed_in(request)
    found = inbox.inbox(ctx_of(request), who)
    items = [{"system": system, "request": r} for system, r in found.transitions]
    return page(
        request, "approvals.html", who, session, title="Approvals", items=items,
        waivers=found.waivers, use_cases=found.use_cases,
    )  # fmt: skip


@router.post("/transitions/{request_id}/decide")
def decide(
    request: Request,
    request_id: str,
    decision: Annotated[Decision, Form()],
    reason: Annotated[str, Form()] = "",
    csrf: Annotated[str, Form()] = "",
    back: Annotated[str, Form()] = "/ui/approvals",
) -> Response:
    who, session = signed_in(request)
    check_csrf(session, csrf)
    target = back if back.startswith("/ui/") else "/ui/approvals"
    try:
        item, result = lifecycle.decide(ctx_of(request), who, request_id, decision, reason)
    except CharterError as exc:
        return back_to(request, target, exc.message, error=True)
    if item.status is RequestStatus.APPLIED:
        note = f"{decision.value}d: the system moved to {item.target.value}"
    elif item.status is RequestStatus.REFUSED:
        note = "refused: the request is closed"
    else:
        note = f"{decision.value}d; the gate still waits: " + "; ".join(result.blocking_reasons[:2])
    return back_to(request, target, note)
