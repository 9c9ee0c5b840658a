"""Web UI pages of strategy alignment: portfolio (ranking, matrix, balance, what-if weights),
use-case intake and page (score, decision, plan, KPIs), roadmap (the KPI page is with its
forms, in ui_forms). Each has a JSON twin in the API (GET /portfolio, /use-cases/{id},
/roadmap)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel

from charter.accountability.services import org, refusals
from charter.frameworks.files import classification_data
from charter.kernel.access import Action, Actor, allowed
from charter.kernel.errors import CharterError, InvalidInput
from charter.kernel.labels import in_order, label
from charter.kernel.web import charts
from charter.kernel.web.pages import back_to, check_csrf, ctx_of, page, signed_in, use_case_url
from charter.kernel.web.picker import resolve
from charter.strategy.domain.delivery import IterationDecision
from charter.strategy.domain.roadmap import RoadmapItem
from charter.strategy.domain.scoring import Ranked, score
from charter.strategy.domain.strategy import DECISIONS, PortfolioDecision, quarter_name
from charter.strategy.ports import Context
from charter.strategy.present import kpi_charts
from charter.strategy.present import names_of as names_of  # noqa: PLC0414 - re-exported
from charter.strategy.services import delivery, kpis, portfolio
from charter.strategy.services import intake as strategy

router = APIRouter(prefix="/ui", include_in_schema=False)
KINDS = ("revenue", "cost", "risk", "customer_experience")


def _weights(request: Request) -> dict[str, float]:
    out = {}
    for key, value in request.query_params.items():
        if key.startswith("w_") and value.strip():
            try:
                out[key[2:]] = float(value)
            except ValueError:
                raise InvalidInput(f"weight {key[2:]!r} must be a number") from None
    return out


def _points(found: portfolio.Portfolio) -> list[dict[str, object]]:
    """Placed use cases on the matrix. Ratings are whole numbers, so many share a point:
    those are spread side by side (by at most a tenth of a rating) and labelled by rank."""
    titles = {q.id: q.title for q in found.model.quadrants}
    cells: dict[tuple[float, float], list[Ranked]] = {}
    for r in found.ranked:
        value, feasibility = r.score.part("value"), r.score.part("feasibility")
        if r.score.quadrant and value is not None and feasibility is not None:
            cells.setdefault((value, feasibility), []).append(r)
    out: list[dict[str, object]] = []
    for (value, feasibility), items in cells.items():
        for k, r in enumerate(items):
            uc = found.use_case(r)
            out.append({
                "title": uc.title, "label": str(r.rank or "?"), "value": value,
                "feasibility": feasibility + 0.025 * (k - (len(items) - 1) / 2),
                "quadrant": titles[r.score.quadrant or ""], "expected": uc.expected_value or 0,
            })  # fmt: skip
    return out


def _quadrant_cells(found: portfolio.Portfolio) -> dict[str, list[Ranked]]:
    cells: dict[str, list[Ranked]] = {q.id: [] for q in found.model.quadrants}
    for r in found.ranked:
        if r.score.quadrant:
            cells[r.score.quadrant].append(r)
    return cells


@router.get("/portfolio")
def portfolio_page(request: Request) -> HTMLResponse:
    who, session = signed_in(request)
    ctx = ctx_of(request)
    weights = _weights(request)
    found = portfolio.portfolio(ctx, who, weights)
    quadrants = found.model.quadrants
    titles = {q.id: q.title for q in quadrants} | {h.id: h.title for h in found.model.horizons}
    order = [q.id for q in quadrants] + [h.id for h in found.model.horizons]
    balance = []
    for b in (b for b in found.balance if b.rows):  # horizons and quadrants in their order
        rows = in_order([(k, (n, v)) for k, n, v in b.rows], order)
        shown = [(titles.get(k, k), n, v, b.unestimated.get(k, 0)) for k, (n, v) in rows]
        chart = charts.bars([(k, n) for k, n, *_ in shown], label(b.dimension), "use cases")
        balance.append((label(b.dimension), b, shown, chart))
    return page(
        request, "portfolio.html", who, session, title="Portfolio", found=found,
        names=names_of(ctx, who), quadrants={q.id: q for q in quadrants}, weights=weights,
        matrix=charts.matrix(_points(found), [q.title for q in quadrants]), balance=balance,
        cells=_quadrant_cells(found), horizons=titles,
    )  # fmt: skip


def _form_options(ctx: Context, who: Actor) -> dict[str, Any]:
    """What the intake form chooses among (the sponsor is found by typing instead)."""
    data = classification_data()
    return {
        "objectives": portfolio.list_objectives(ctx, who),
        "units": org.all_in_directory(ctx, who, "business_units"),
        "annex_iii": data["annex_iii"],
        "prohibited": data["prohibited"],
        "transparency": data["transparency"],
        "kinds": KINDS,
    }


@router.get("/use-cases/new")
def intake_form(request: Request) -> HTMLResponse:
    who, session = signed_in(request)
    options = _form_options(ctx_of(request), who)
    return page(request, "intake.html", who, session, title="Propose a use case", form={},
                **options)  # fmt: skip


def _whole(text: str, what: str) -> int | None:
    if not text.strip():
        return None
    try:
        return int(text.replace(",", "").strip())
    except ValueError:
        raise InvalidInput(f"{what} must be a whole number") from None


class IntakeForm(BaseModel):
    """The intake form as posted (every field text, as the browser sends it)."""

    title: str = ""
    objective_id: str = ""
    business_unit_id: str = ""
    description: str = ""
    sponsor_id: str = ""
    kind: list[str] = []
    amount: list[str] = []
    confidence: list[str] = []
    cost_estimate: str = ""
    months: str = ""
    feasibility: str = ""
    risk: str = ""
    strategic_fit: str = ""
    data_needed: str = ""
    skills: str = ""
    annex_iii: list[str] = []
    prohibited: list[str] = []
    transparency: list[str] = []
    profiling: bool = False
    csrf: str = ""

    def estimates(self) -> list[dict[str, Any]]:
        out = []
        for kind, amount, confidence in zip(self.kind, self.amount, self.confidence, strict=False):
            whole = _whole(amount, f"estimate of {kind}")
            if kind and whole is not None:
                out.append({"kind": kind, "amount": whole,
                            "confidence": _whole(confidence, "confidence") or 50})  # fmt: skip
        return out

    def screening(self) -> dict[str, Any]:
        answers: dict[str, Any] = {}
        if self.annex_iii:
            answers |= {"annex_iii": self.annex_iii, "profiling": self.profiling}
        if self.prohibited:
            answers["prohibited"] = self.prohibited
        if self.transparency:
            answers["transparency"] = self.transparency
        return answers

    def fields(self) -> dict[str, Any]:
        rated = (("feasibility", self.feasibility), ("risk", self.risk),
                 ("strategic_fit", self.strategic_fit))  # fmt: skip
        return {
            "title": self.title, "objective_id": self.objective_id,
            "business_unit_id": self.business_unit_id, "description": self.description,
            "sponsor_id": self.sponsor_id or None, "estimates": self.estimates(),
            "cost_estimate": _whole(self.cost_estimate, "cost estimate"),
            "time_to_value_months": _whole(self.months, "months to value"),
            "ratings": {k: int(v) for k, v in rated if v.strip().isdigit()},
            "data_needed": self.data_needed,
            "skills_needed": [s for s in self.skills.split(",") if s.strip()],
            "screening": self.screening(),
        }  # fmt: skip


@router.post("/use-cases")
def submit(request: Request, form: Annotated[IntakeForm, Form()]) -> Response:
    """Intake from the form; on a refusal the form comes back filled in, saying why."""
    who, session = signed_in(request)
    check_csrf(session, form.csrf)
    ctx = ctx_of(request)
    try:
        sponsor = resolve(request, who, "people", form.sponsor_id)
        fields = form.fields() | {"sponsor_id": sponsor}
        item, found = strategy.submit_use_case(ctx, who, classification_data(), **fields)
    except CharterError as exc:
        refused = page(request, "intake.html", who, session, title="Propose a use case",
                       form=form, message=refusals.refusal(ctx, who, exc), error=True,
                       **_form_options(ctx, who))  # fmt: skip
        refused.status_code = exc.status
        return refused
    note = "use case submitted" + (
        f"; {len(found)} possible duplicate(s): see below" if found else ""
    )
    return back_to(request, use_case_url(item.id), note)


@router.get("/use-cases/{use_case_id}")
def use_case_page(request: Request, use_case_id: str) -> HTMLResponse:
    return _use_case(request, use_case_id)


def _use_case(
    request: Request, use_case_id: str, kept: dict[str, dict[str, str]] | None = None,
    refused: CharterError | None = None,
) -> HTMLResponse:  # fmt: skip
    """The use case's page; after a refusal, the refused form filled in as typed (`kept`:
    the form's name -> its values) and why, in words (which role, who holds it)."""
    who, session = signed_in(request)
    ctx = ctx_of(request)
    item = portfolio.get_use_case(ctx, who, use_case_id)
    model = portfolio.scoring_model(ctx)
    decisions = [
        d.value
        for d, (sources, _) in DECISIONS.items()
        if item.status in sources and allowed(who, Action.PORTFOLIO_DECIDE, item.business_unit_id)
    ]
    may_plan = allowed(who, Action.PORTFOLIO_MANAGE, item.business_unit_id)
    iterations, experiments = delivery.delivery_of(ctx, who, item.id)
    titles = {u.id: u.title for u in portfolio.list_use_cases(ctx, who)}
    response = page(
        request, "use_case.html", who, session, title=item.title, uc=item,
        score=score(model, item), model=model, names=names_of(ctx, who) | titles,
        quadrants={q.id: q for q in model.quadrants}, decisions=decisions,
        kpis=kpi_charts(kpis.kpi_views(ctx, who, use_case_id=item.id)),
        depends=[portfolio.get_use_case(ctx, who, d) for d in item.depends_on], may_plan=may_plan,
        iterations=iterations, experiments=experiments,
        may_deliver=allowed(who, Action.DELIVERY_RECORD, item.business_unit_id), kept=kept or {},
        **({"message": refusals.refusal(ctx, who, refused), "error": True} if refused else {}),
    )  # fmt: skip
    if refused is not None:
        response.status_code = refused.status
    return response


@router.post("/use-cases/{use_case_id}/decide")
def decide(
    request: Request,
    use_case_id: str,
    decision: Annotated[PortfolioDecision, Form()],
    reason: Annotated[str, Form()] = "",
    csrf: Annotated[str, Form()] = "",
) -> Response:
    who, session = signed_in(request)
    check_csrf(session, csrf)
    try:
        item = strategy.decide_use_case(ctx_of(request), who, use_case_id, decision, reason)
    except CharterError as exc:
        return _use_case(request, use_case_id, {"decide": {"reason": reason}}, exc)
    return back_to(
        request, use_case_url(use_case_id), f"{decision.value}: the use case is {item.status.value}"
    )


@router.post("/use-cases/{use_case_id}/plan")
def plan(
    request: Request,
    use_case_id: str,
    start: Annotated[str, Form()] = "",
    end: Annotated[str, Form()] = "",
    csrf: Annotated[str, Form()] = "",
) -> Response:
    who, session = signed_in(request)
    check_csrf(session, csrf)
    ctx = ctx_of(request)
    try:
        current = portfolio.get_use_case(ctx, who, use_case_id)
        strategy.plan_use_case(
            ctx, who, use_case_id, start.strip() or None, end.strip() or None, current.depends_on
        )
    except CharterError as exc:
        return _use_case(request, use_case_id, {"plan": {"start": start, "end": end}}, exc)
    return back_to(request, use_case_url(use_case_id), f"planned from {start} to {end}")


def _timeline(items: list[RoadmapItem]) -> Any:
    planned = [i for i in items if i.start is not None and i.end is not None]
    if not planned:
        return None
    first = min(i.start or 0 for i in planned)
    last = max(i.end or 0 for i in planned) + 1
    rows: list[dict[str, object]] = [
        {"title": i.use_case.title, "from": quarter_name(i.start or 0),
         "to": quarter_name(i.end or 0), "until": quarter_name((i.end or 0) + 1),
         "status": i.use_case.status.value}
        for i in planned
    ]  # fmt: skip
    return charts.timeline(rows, [quarter_name(q) for q in range(first, last + 1)])


@router.get("/roadmap")
def roadmap_page(request: Request) -> HTMLResponse:
    who, session = signed_in(request)
    ctx = ctx_of(request)
    items = portfolio.roadmap_view(ctx, who)
    titles = {u.id: u.title for u in portfolio.list_use_cases(ctx, who)}
    return page(
        request, "roadmap.html", who, session, title="Roadmap", items=items,
        timeline=_timeline(items), names=names_of(ctx, who) | titles,
    )  # fmt: skip


@router.post("/use-cases/{use_case_id}/iterations")
def open_iteration(
    request: Request,
    use_case_id: str,
    goal: Annotated[str, Form()],
    starts_on: Annotated[date, Form()],
    ends_on: Annotated[date, Form()],
    csrf: Annotated[str, Form()] = "",
) -> Response:
    who, session = signed_in(request)
    check_csrf(session, csrf)
    try:
        item = delivery.open_iteration(ctx_of(request), who, use_case_id, goal, starts_on, ends_on)
    except CharterError as exc:
        typed = {"goal": goal, "starts_on": f"{starts_on}", "ends_on": f"{ends_on}"}
        return _use_case(request, use_case_id, {"iteration": typed}, exc)
    return back_to(request, use_case_url(use_case_id), f"iteration {item.number} opened")


@router.post("/iterations/{iteration_id}/close")
def close_iteration(
    request: Request,
    iteration_id: str,
    decision: Annotated[IterationDecision, Form()],
    outcome: Annotated[str, Form()] = "",
    learnings: Annotated[str, Form()] = "",
    use_case: Annotated[str, Form(alias="use_case_id")] = "",
    csrf: Annotated[str, Form()] = "",
) -> Response:
    """Close an iteration with its decision; `stop` also stops the use case."""
    who, session = signed_in(request)
    check_csrf(session, csrf)
    try:
        item = delivery.close_iteration(ctx_of(request), who, iteration_id, decision, outcome,
                                        learnings)  # fmt: skip
    except CharterError as exc:
        typed = {"outcome": outcome, "learnings": learnings}
        return _use_case(request, use_case, {f"close-{iteration_id}": typed}, exc)
    return back_to(
        request, use_case_url(item.use_case_id), f"iteration {item.number}: {decision.value}"
    )
