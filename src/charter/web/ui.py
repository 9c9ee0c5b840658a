"""The web UI's pages: server-rendered over the same services and permissions as the API;
they work without JavaScript. Sign-in and page security live in ui_session."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, FastAPI, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from markupsafe import Markup

from charter.domain.access import Action, Actor, allowed
from charter.domain.errors import CharterError, Forbidden, InvalidInput, NotFound
from charter.domain.evidence import Evidence
from charter.domain.inventory import LifecycleStage, RiskTier
from charter.domain.lifecycle import Decision, RequestStatus
from charter.domain.packs import rollup
from charter.domain.suite import DISPARITY, DRIFT
from charter.engines.packs import classification_data, load_packs
from charter.services import (
    audit,
    classification,
    governance,
    inbox,
    lifecycle,
    policies,
    portfolio,
    queries,
    raci,
    readiness,
    validation,
)
from charter.services.context import Context
from charter.web import charts, problems, ui_bodies, ui_oidc, ui_people, ui_strategy
from charter.web.ui_session import (
    HTML_HEADERS,
    CsrfRefused,
    SignInNeeded,
    auth_router,
    back_to,
    check_csrf,
    ctx_of,
    page,
    signed_in,
    templates,
)

router = APIRouter(prefix="/ui", include_in_schema=False)


@router.get("/")
def dashboard(request: Request) -> HTMLResponse:
    who, session = signed_in(request)
    ctx = ctx_of(request)
    posture = governance.posture(ctx, who)
    systems = [p.system for p in posture]
    totals = rollup(readiness.system_readiness(ctx, who, load_packs()))
    pending = len(queries.pending_requests(ctx, who))
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
    found = queries.list_systems(
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
    system = queries.get_system(ctx, who, system_id)
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
        pending=queries.pending_requests(ctx, who, system.id),
        evidence=evidence[:10],
        fairness_chart=_chart(evidence, DISPARITY, "fairness: difference or ratio"),
        fairness_groups=charts.fairness_by_group(
            next((e.results for e in evidence if any(r.groups for r in e.results)), ())
        ),
        drift_chart=_chart(evidence, DRIFT, "drift by feature"),
        classification=classification.latest(ctx, who, system.id),
        raci_entries=entries, raci_findings=findings, names=names,
        waivers=policies.list_waivers(ctx, who, system.id),
        transitions=queries.system_transitions(ctx, who, system.id),
        history=_history(ctx, who, system.id),
        screenings=portfolio.screenings_of(ctx, who, system.id),
        may_classify=allowed(who, Action.RISK_CLASSIFY, system.business_unit_id, system.id),
        waivable=_waivable(gate, policies.may_waive(ctx, who, system)),
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
        answers = portfolio.screening_answers(ctx, who, system_id, use_case_id)
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
        if r.blocking and r.verdict.value in ("not_satisfied", "inconclusive")
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
            return charts.check_values(found, title)
    return None


def _directory(ctx: Context, who: Actor, collection: str) -> list[Any]:
    return list(queries.list_directory(ctx, who, collection, limit=500).items)


@router.get("/people")
def people_page(request: Request) -> HTMLResponse:
    who, session = signed_in(request)
    ctx = ctx_of(request)
    units, people = _directory(ctx, who, "business_units"), _directory(ctx, who, "people")
    roles: dict[str, list[Any]] = {}
    for r in _directory(ctx, who, "role_assignments"):
        roles.setdefault(r.person_id, []).append(r)
    systems = queries.list_systems(ctx, who, limit=500).items
    names = {u.id: u.name for u in units} | {s.id: s.name for s in systems}
    return page(
        request, "people.html", who, session, title="People", units=units, people=people,
        roles=roles, scope_names=names,
        people_by_unit=Counter(p.business_unit_id for p in people),
        systems_by_unit=Counter(s.business_unit_id for s in systems),
    )  # fmt: skip


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


@router.get("/audit")
def audit_page(request: Request) -> HTMLResponse:
    who, session = signed_in(request)
    ctx = ctx_of(request)
    try:
        report = audit.verify_log(ctx, who)
        events = audit.list_events(ctx, who, after=max(report.size - 50, 0), limit=50)
    except (Forbidden, InvalidInput) as exc:
        return page(
            request, "audit.html", who, session, title="Audit", report=None, checkpoint=None,
            events=[], message=exc.message, error=True,
        )  # fmt: skip
    try:
        checkpoint = audit.latest_checkpoint(ctx, who)
    except NotFound:
        checkpoint = None
    return page(
        request, "audit.html", who, session, title="Audit", report=report,
        checkpoint=checkpoint, events=list(reversed(events)),
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


def install(app: FastAPI) -> None:
    """Mount the UI: its pages, its static files, and what happens to a signed-out visitor
    (sent to sign in) and to a form without its CSRF token (403)."""
    app.include_router(auth_router)
    app.include_router(ui_oidc.router)
    app.include_router(router)
    app.include_router(ui_strategy.router)
    app.include_router(ui_bodies.router)
    app.include_router(ui_people.router)
    app.mount("/ui/static", StaticFiles(directory=str(Path(__file__).parent / "static")), "static")

    async def sign_in_first(request: Request, exc: Exception) -> Response:
        return RedirectResponse("/ui/login", status_code=303)

    async def csrf_refused(request: Request, exc: Exception) -> Response:
        return HTMLResponse("<h1>Refused</h1><p>This form has expired; reload the page.</p>", 403)

    async def charter_error(request: Request, exc: Exception) -> Response:
        """On a page, a refusal is a page that says why; elsewhere the API's problem+json."""
        if not request.url.path.startswith("/ui"):
            return await problems.charter_problem(request, exc)
        status = problems.status_of(exc) if isinstance(exc, CharterError) else 500
        message = exc.message if isinstance(exc, CharterError) else "unexpected error"
        body = templates.get_template("error.html").render(message=message, status=status)
        return HTMLResponse(body, status_code=status)

    app.add_exception_handler(SignInNeeded, sign_in_first)
    app.add_exception_handler(CsrfRefused, csrf_refused)
    app.add_exception_handler(CharterError, charter_error)

    @app.middleware("http")
    async def html_headers(request: Request, call_next: Any) -> Response:
        response: Response = await call_next(request)
        if response.headers.get("content-type", "").startswith(
            "text/html"
        ) or request.url.path.startswith("/ui"):
            for name, value in HTML_HEADERS.items():
                response.headers[name] = value
            if request.url.scheme == "https":
                response.headers["Strict-Transport-Security"] = "max-age=31536000"
        return response
