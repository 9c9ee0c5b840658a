"""The web UI's pages: server-rendered over the same services and permissions as the API;
they work without JavaScript. Sign-in and page security live in ui_session."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response, StreamingResponse

from charter.accountability.present import raci_matrix
from charter.accountability.services import org, raci, refusals
from charter.audit import services as audit
from charter.frameworks import services as classification
from charter.frameworks.files import classification_data, load_packs
from charter.governance.domain.gates import UNWAIVABLE
from charter.governance.domain.lifecycle import Decision, RequestStatus, allowed_targets
from charter.governance.ports import Context
from charter.governance.services import documents, inbox, lifecycle, overview, policies
from charter.governance.services import gates as governance
from charter.inventory import services as inventory
from charter.inventory.domain import AISystem, LifecycleStage, RiskTier
from charter.kernel.access import Action, Actor, allowed
from charter.kernel.csv_text import csv_lines, in_blocks
from charter.kernel.errors import CharterError, Forbidden, InvalidInput
from charter.kernel.kept import kept_on
from charter.kernel.labels import in_order, label
from charter.kernel.web import charts
from charter.kernel.web.pages import (
    back_to,
    check_csrf,
    ctx_of,
    page,
    panels,
    signed_in,
)
from charter.strategy.services import portfolio
from charter.validation import charts as evidence_charts
from charter.validation import services as validation

router = APIRouter(prefix="/ui", include_in_schema=False)

#: risk tiers from the most to the least severe
TIER_ORDER = (RiskTier.PROHIBITED, RiskTier.HIGH, RiskTier.LIMITED, RiskTier.MINIMAL,
              RiskTier.UNCLASSIFIED)  # fmt: skip


#: blocked systems the dashboard lists at a time (their total is on the page)
BLOCKED_PAGE = 25


@router.get("/")
def dashboard(request: Request, blocked: int = 0) -> HTMLResponse:
    who, session = signed_in(request)
    ctx = ctx_of(request)
    seen = overview.overview(ctx, who, load_packs(), kept_on(request.app.state, "overviews"))
    posture, totals = seen.posture, seen.readiness
    stuck = [p for p in posture if p.blocking]
    shown = max(0, min(blocked, len(stuck) - 1))
    systems = [p.system for p in posture]
    pending = len(lifecycle.pending_requests(ctx, who))
    by_stage = [
        (label(k), n)
        for k, n in in_order(Counter(s.stage for s in systems).items(), list(LifecycleStage))
    ]
    by_tier = [
        (label(k), n)
        for k, n in in_order(Counter(s.risk_tier for s in systems).items(), TIER_ORDER)
    ]
    return page(
        request, "dashboard.html", who, session, title="Dashboard", systems=systems,
        stage_chart=charts.bars(by_stage, "stage", "systems") if systems else None,
        tier_chart=charts.bars(by_tier, "tier", "systems") if systems else None,
        blocked=stuck[shown : shown + BLOCKED_PAGE], blocked_total=len(stuck),
        blocked_offset=shown, blocked_page=BLOCKED_PAGE, by_stage=by_stage, by_tier=by_tier,
        findings=seen.findings, pending=pending, readiness=totals,
        freshness=validation.evidence_freshness(ctx, who),
        packs={pack.id: pack.title for pack in load_packs()},
        panels=panels(request, "dashboard", who, csrf=session.csrf),
        risks_above=seen.risks_above, as_of=seen.as_of,
    )  # fmt: skip


SORTS = {"name": "name", "-name": "name, Z to A", "stage": "stage", "risk_tier": "risk tier",
         "business_unit_id": "business unit"}  # fmt: skip


def _inventory_filters(stage: str | None, tier: str | None) -> dict[str, object]:
    try:
        filters: dict[str, object] = {"stage": LifecycleStage(stage)} if stage else {}
        if tier:
            filters["risk_tier"] = RiskTier(tier)
    except ValueError as exc:
        raise InvalidInput(f"no such stage or risk tier: {exc}") from exc
    return filters


EXPORT_COLUMNS = ("name", "stage", "risk tier", "organisation's role", "business unit", "owner",
                  "tags", "id")  # fmt: skip


@router.get("/systems/export.csv")
def inventory_export(
    request: Request, q: str | None = None, stage: str | None = None, tier: str | None = None
) -> Response:
    """The inventory as the filters find it, every page of it, as CSV (names, not ids)."""
    who, _ = signed_in(request)
    ctx = ctx_of(request)
    found = inventory.all_systems(ctx, who, _inventory_filters(stage, tier), search=q, order="name")
    names = inventory.names(ctx, who)
    rows = (
        (s.name, label(s.stage), label(s.risk_tier), label(s.operator_role),
         names.get(s.business_unit_id, s.business_unit_id), names.get(s.owner_id or "", ""),
         ", ".join(s.tags), s.id)
        for s in found
    )  # fmt: skip
    return StreamingResponse(
        in_blocks(csv_lines(EXPORT_COLUMNS, rows)), media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="charter-inventory.csv"'},
    )  # fmt: skip


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
    order = sort if sort in SORTS else "name"
    found = inventory.list_systems(
        ctx_of(request), who, _inventory_filters(stage, tier), search=q, limit=limit,
        offset=max(offset, 0), order=order,
    )  # fmt: skip
    return page(
        request, "systems.html", who, session, title="Inventory", page=found, q=q, stage=stage,
        tier=tier, sort=order, sorts=SORTS, stages=list(LifecycleStage),
        tiers=list(TIER_ORDER), offset=max(offset, 0), limit=limit,
    )  # fmt: skip


@router.get("/systems/{system_id}")
def system_page(request: Request, system_id: str) -> HTMLResponse:
    who, session = signed_in(request)
    ctx = ctx_of(request)
    system = inventory.get_system(ctx, who, system_id)
    evidence = validation.system_evidence(ctx, who, system.id)
    people = _directory(ctx, who, "people")
    names = {p.id: p.name for p in people} | {
        u.id: u.name for u in _directory(ctx, who, "business_units")
    }
    target = governance.posture_target(system)
    gate = (
        governance.check_gate(ctx, who, system.id, target, True)
        if target is not system.stage
        else None
    )
    bases = {
        f"policy:{v.policy_id}/{r.requirement_id}": r.basis
        for v in (gate.policies if gate else ())
        for r in v.requirements
        if r.basis
    }
    return page(
        request, "system.html", who, session, title=system.name, system=system, gate=gate,
        pending=lifecycle.pending_requests(ctx, who, system.id),
        evidence=evidence[:10], version_names=_version_names(ctx, who, evidence[:10]),
        check_charts=evidence_charts.by_family([e.results for e in evidence]),
        fairness_groups=evidence_charts.fairness_by_group(
            next((e.results for e in evidence if any(r.groups for r in e.results)), ())
        ),
        classification=classification.latest(ctx, who, system.id),
        names=names, bases=bases, **_raci(ctx, who, system.id, people, names),
        used=set(bases.values()), builders=raci.system_builders(ctx, who, system.id),
        **_waivers(ctx, who, system),
        **_documents(ctx, who, system.id),
        kinds=documents.asked_document_kinds(ctx, who),
        targets=[t for t in LifecycleStage if t in allowed_targets(system)],
        transitions=lifecycle.system_transitions(ctx, who, system.id),
        history=_history(ctx, who, system.id),
        screenings=portfolio.screenings_of(ctx, who, system.id),
        may_classify=allowed(who, Action.RISK_CLASSIFY, system.business_unit_id, system.id),
        may_validate=allowed(who, Action.EVIDENCE_RECORD, system.business_unit_id, system.id),
        waivable=_waivable(gate, policies.may_waive(ctx, who, system)),
        panels=panels(request, "system", who, system_id=system.id, csrf=session.csrf),
        risks=governance.risk_positions(ctx, who, system.id).get(system.id, ()),
    )  # fmt: skip


def _version_names(ctx: Context, who: Actor, evidence: list[Any]) -> dict[str, str]:
    """The model versions the evidence names, each as "model version"."""
    out: dict[str, str] = {}
    for version_id in {e.model_version_id for e in evidence if e.model_version_id}:
        version = inventory.get_directory(ctx, who, "model_versions", version_id)
        model = inventory.get_model(ctx, who, version.model_id)
        out[version_id] = f"{model.name} {version.version}"
    return out


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


def _raci(
    ctx: Context, who: Actor, system_id: str, people: list[Any], names: dict[str, str]
) -> dict[str, Any]:
    """The RACI matrix, its findings beside their rows, and who else may be named in it."""
    matrix = raci_matrix(*raci.system_raci(ctx, who, system_id), names)
    others = sorted((p for p in people if p.active and p.id not in matrix.people),
                    key=lambda p: p.name)  # fmt: skip
    return {"raci": matrix, "raci_candidates": [(p.id, p.name) for p in others]}


def _documents(ctx: Context, who: Actor, system_id: str) -> dict[str, Any]:
    """The system's documents, each kind's versions together (newest first), and their
    titles by id (what superseded what is shown by title)."""
    found = sorted(documents.list_documents(ctx, who, system_id), key=lambda d: d.kind)
    return {"documents": found, "document_titles": {d.id: d.title for d in found}}


def _history(ctx: Context, who: Actor, system_id: str) -> list[dict[str, Any]] | None:
    """Who changed what on the system, newest first (audit readers only, else None)."""
    try:
        events = audit.entity_history(ctx, who, "system", system_id)
    except Forbidden:
        return None
    return [e.body() for e in reversed(events[-40:])]


def _waivers(ctx: Context, who: Actor, system: AISystem) -> dict[str, Any]:
    """The system's waivers, where each stands now, and those this person may confirm as
    their second (four eyes)."""
    waivers, now = policies.list_waivers(ctx, who, system.id), ctx.clock()
    may = policies.may_waive(ctx, who, system)
    return {
        "waivers": [(w, w.status(now)) for w in waivers],
        "confirmable": {w.id for w in waivers if may and w.confirmable_by(who.person_id, now)},
    }


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


@router.post("/waivers/{waiver_id}/confirm")
def confirm_waiver(
    request: Request,
    waiver_id: str,
    system_id: Annotated[str, Form()],
    from_page: Annotated[str, Form(alias="from")] = "system",
    csrf: Annotated[str, Form()] = "",
) -> Response:
    """The second person confirms a waiver that awaits one (four eyes), from the system page
    or the inbox, as the API does: never its granter, only a holder of a waiver right."""
    who, session = signed_in(request)
    check_csrf(session, csrf)
    back = f"/ui/systems/{quote(system_id)}#waivers" if from_page != "inbox" else "/ui/approvals"
    try:
        waiver = policies.confirm_waiver(ctx_of(request), who, waiver_id)
    except CharterError as exc:
        return back_to(request, back, exc.message, error=True)
    return back_to(request, back, f"waiver {waiver.id} confirmed: in effect")


def _directory(ctx: Context, who: Actor, collection: str) -> list[Any]:
    return org.all_in_directory(ctx, who, collection)


@router.get("/approvals")
def approvals_page(request: Request) -> HTMLResponse:
    who, session = signed_in(request)
    ctx = ctx_of(request)
    found = inbox.inbox(ctx, who)
    now = ctx.clock()
    items = [
        {"system": system, "request": r, "standing": found.standing[r.id],
         "age": max((now - r.requested_at).days, 0),
         "mine": [a for a in found.standing[r.id].approvals if a.person_id == who.person_id]}
        for system, r in found.transitions
    ]  # fmt: skip
    names = {p.id: p.name for p in _directory(ctx, who, "people")}
    return page(
        request, "approvals.html", who, session, title="Approvals", items=items,
        waivers=found.waivers, use_cases=found.use_cases, names=names,
        to_confirm=found.to_confirm, panels=panels(request, "inbox", who, csrf=session.csrf),
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
        return back_to(request, target, refusals.refusal(ctx_of(request), who, exc), error=True)
    if item.status is RequestStatus.APPLIED:
        note = f"{decision.value}d: the system moved to {item.target.value}"
    elif item.status is RequestStatus.REFUSED:
        note = "refused: the request is closed"
    else:
        note = f"{decision.value}d; the gate still waits: " + "; ".join(result.blocking_reasons)
    return back_to(request, target, note)
