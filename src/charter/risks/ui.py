"""Web UI pages of the risk register: the register (heat maps inherent and residual, risks by
owner, body, unit and category, overdue reviews, failing controls, the CSV export) and a risk
(its ratings, controls and their tests, acceptances, review). JSON twins: GET /risks,
/risks/summary, /risks/{id}, /risk-controls."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response

from charter.accountability.services import org
from charter.inventory import services as inventory
from charter.kernel.access import Action, allowed
from charter.kernel.errors import CharterError, InvalidInput
from charter.kernel.web.pages import back_to, check_csrf, ctx_of, page, signed_in
from charter.risks.domain.model import Rating
from charter.risks.domain.standing import Standing
from charter.risks.domain.views import GROUPINGS, parse_cell
from charter.risks.present import CSV_HEADERS, register_csv
from charter.risks.services import assessment, controls, register, views
from charter.strategy.ui import names_of

router = APIRouter(prefix="/ui", include_in_schema=False)
OneLine = Annotated[str, Form()]


def _filters(
    system_id: str | None, owner_id: str | None, category: str | None, standing: str | None,
    overdue: bool, failing: bool, use_case_id: str | None = None, cell: str | None = None,
) -> views.Filters:  # fmt: skip
    try:
        kept = Standing(standing) if standing else None
    except ValueError as exc:
        raise InvalidInput(f"unknown standing {standing!r}") from exc
    return views.Filters(
        system_id or None, use_case_id or None, owner_id or None, None, None, category or None,
        kept, overdue, failing, False, parse_cell(cell) if cell else None,
    )  # fmt: skip


@router.get("/risks")
def risks_page(
    request: Request,
    system_id: str | None = None,
    owner_id: str | None = None,
    category: str | None = None,
    standing: str | None = None,
    overdue: bool = False,
    failing: bool = False,
    use_case_id: str | None = None,
    cell: str | None = None,
) -> HTMLResponse:
    who, session = signed_in(request)
    ctx = ctx_of(request)
    keep = _filters(system_id, owner_id, category, standing, overdue, failing, use_case_id, cell)
    summary, risks = views.register_page(ctx, who, keep)
    model = ctx.risk_model
    cells = {(c.likelihood, c.impact): c for c in summary.heat_map}
    return page(
        request, "risks.html", who, session, title="Risk register", summary=summary,
        risks=risks, cells=cells, model=model,
        bands={(lv.value, im.value): model.band(Rating(lv.value, im.value).score).name
               for lv in model.likelihood for im in model.impact},
        groups=summary.groups, groupings=GROUPINGS, names=names_of(ctx, who),
        catalogue=model.catalogue, filters=keep, query=request.url.query,
        may_manage=allowed(who, Action.RISK_MANAGE),
        standings=[s.value for s in Standing],
        systems=inventory.all_systems(ctx, who, order="name"),
        people=org.all_in_directory(ctx, who, "people", {"active": True}),
    )  # fmt: skip


@router.get("/risks/export.csv")
def export_page(
    request: Request,
    system_id: str | None = None,
    owner_id: str | None = None,
    category: str | None = None,
    standing: str | None = None,
    overdue: bool = False,
    failing: bool = False,
    use_case_id: str | None = None,
    cell: str | None = None,
) -> Response:
    who, _ = signed_in(request)
    keep = _filters(system_id, owner_id, category, standing, overdue, failing, use_case_id, cell)
    text = register_csv(views.register(ctx_of(request), who, keep))
    return Response(text, headers=CSV_HEADERS)


@router.post("/risks")
def add_risk(
    request: Request,
    title: OneLine = "",
    category: OneLine = "",
    cause: OneLine = "",
    consequence: OneLine = "",
    owner_id: OneLine = "",
    system_id: OneLine = "",
    inherent_likelihood: OneLine = "",
    inherent_impact: OneLine = "",
    target_likelihood: OneLine = "",
    target_impact: OneLine = "",
    treatment: OneLine = "mitigate",
    csrf: OneLine = "",
) -> Response:
    """Register a risk from the register's form."""
    who, session = signed_in(request)
    check_csrf(session, csrf)
    values = {
        "title": title, "category": category, "cause": cause, "consequence": consequence,
        "owner_id": owner_id, "inherent_likelihood": inherent_likelihood,
        "inherent_impact": inherent_impact, "treatment": treatment,
        "target_likelihood": target_likelihood or inherent_likelihood,
        "target_impact": target_impact or inherent_impact,
    }  # fmt: skip
    try:
        risk = register.register_risk(
            ctx_of(request), who, values, register.known(), system_id or None
        )
    except CharterError as exc:
        return back_to(request, "/ui/risks", exc.message, error=True)
    return back_to(request, f"/ui/risks/{quote(risk.id)}", f"registered {risk.title}")


@router.get("/risks/{risk_id}")
def risk_page(request: Request, risk_id: str) -> HTMLResponse:
    who, session = signed_in(request)
    ctx = ctx_of(request)
    detail = views.risk_detail(ctx, who, risk_id)
    risk = detail.position.risk
    mine = {c.id for c, _ in detail.position.controls}
    linkable = [
        v.control for v in views.controls(ctx, who)
        if v.control.id not in mine and v.control.system_id in (None, risk.system_id)
    ]  # fmt: skip
    return page(
        request, "risk.html", who, session, title=risk.title, detail=detail,
        p=detail.position, category=ctx.risk_model.catalogue.get(risk.category),
        names=names_of(ctx, who), linkable=linkable,
        may_manage=allowed(who, Action.RISK_MANAGE),
    )  # fmt: skip


def _control_values(form: dict[str, str], system_id: str | None) -> dict[str, Any]:
    values: dict[str, Any] = {
        k: v.strip() for k, v in form.items()
        if k in ("title", "kind", "check_id", "metric", "document", "description") and v.strip()
    }  # fmt: skip
    if form.get("approvers"):
        values["approvers"] = [r.strip() for r in form["approvers"].split(",") if r.strip()]
    if values.get("kind") != "manual" and system_id:
        values["system_id"] = system_id
    return values


@router.post("/risks/{risk_id}/controls")
async def add_control(request: Request, risk_id: str) -> Response:
    """Define a control on the risk's system and link it, or link an existing one."""
    who, session = signed_in(request)
    form = {k: str(v) for k, v in (await request.form()).items()}
    check_csrf(session, form.get("csrf", ""))
    ctx, back = ctx_of(request), f"/ui/risks/{quote(risk_id)}"
    try:
        if form.get("control_id"):
            controls.link_control(ctx, who, risk_id, form["control_id"])
            return back_to(request, back, "control linked")
        system = views.risk_detail(ctx, who, risk_id).position.risk.system_id
        made = controls.define_control(ctx, who, _control_values(form, system), risk_id)
    except CharterError as exc:
        return back_to(request, back, exc.message, error=True)
    return back_to(request, back, f"control {made.title} defined and linked")


@router.post("/risks/{risk_id}/review")
def review(request: Request, risk_id: str, note: OneLine = "", csrf: OneLine = "") -> Response:
    who, session = signed_in(request)
    check_csrf(session, csrf)
    back = f"/ui/risks/{quote(risk_id)}"
    try:
        done = register.review_risk(ctx_of(request), who, risk_id, note)
    except CharterError as exc:
        return back_to(request, back, exc.message, error=True)
    return back_to(request, back, f"reviewed; next review by {done.review_by}")


@router.post("/risk-controls/{control_id}/tests")
def record_test(
    request: Request,
    control_id: str,
    risk_id: OneLine = "",
    passed: OneLine = "",
    evidence: OneLine = "",
    csrf: OneLine = "",
) -> Response:
    who, session = signed_in(request)
    check_csrf(session, csrf)
    back = f"/ui/risks/{quote(risk_id)}" if risk_id else "/ui/risks"
    try:
        controls.record_test(ctx_of(request), who, control_id, passed == "yes", evidence)
    except CharterError as exc:
        return back_to(request, back, exc.message, error=True)
    return back_to(request, back, "test recorded")


def _answers(autonomy: str, audience: str) -> dict[str, str]:
    return {"autonomy": autonomy, "audience": audience}


def _data(personal_data: bool, special_category: bool) -> dict[str, bool]:
    return {k: True for k, v in (("personal_data", personal_data),
                                 ("special_category", special_category)) if v}  # fmt: skip


@router.get("/risk-assessments")
def assessment_page(
    request: Request,
    subject: str = "system",
    subject_id: str = "",
    autonomy: str = "",
    audience: str = "",
    personal_data: bool = False,
    special_category: bool = False,
) -> HTMLResponse:
    """The automated assessment: two questions, then the proposals to adopt or drop."""
    who, session = signed_in(request)
    ctx = ctx_of(request)
    found = None
    if autonomy and audience:
        found = assessment.assess(
            ctx, who, subject, subject_id, _answers(autonomy, audience),
            _data(personal_data, special_category),
        )  # fmt: skip
    return page(
        request, "assessment.html", who, session, title="Risk assessment", found=found,
        subject=subject, subject_id=subject_id, autonomy=autonomy, audience=audience,
        personal_data=personal_data, special_category=special_category,
        questions=ctx.risk_rules.questions, model=ctx.risk_model,
        people=org.all_in_directory(ctx, who, "people", {"active": True}),
        may_manage=allowed(who, Action.RISK_MANAGE),
    )  # fmt: skip


def _choices(form: dict[str, str]) -> list[dict[str, Any]]:
    """The proposals ticked, each with the owner and ratings the person set."""
    out = []
    for rule in [k.removeprefix("adopt:") for k in form if k.startswith("adopt:")]:
        choice: dict[str, Any] = {"rule": rule, "owner_id": form.get(f"owner:{rule}", "")}
        for axis in ("inherent_likelihood", "inherent_impact"):
            if form.get(f"{axis}:{rule}"):
                choice[axis] = form[f"{axis}:{rule}"]
        out.append(choice)
    return out


@router.post("/risk-assessments")
async def adopt_proposals(request: Request) -> Response:
    who, session = signed_in(request)
    form = {k: str(v) for k, v in (await request.form()).items()}
    check_csrf(session, form.get("csrf", ""))
    subject, ident = form.get("subject", ""), form.get("subject_id", "")
    answers = _answers(form.get("autonomy", ""), form.get("audience", ""))
    data = _data(bool(form.get("personal_data")), bool(form.get("special_category")))
    back = "/ui/risk-assessments?" + urlencode(
        {"subject": subject, "subject_id": ident, **answers, **dict.fromkeys(data, "true")}
    )
    try:
        made = assessment.adopt(
            ctx_of(request), who, subject, ident, answers, _choices(form), register.known(), data
        )
    except CharterError as exc:
        return back_to(request, back, exc.message, error=True)
    where = "system_id" if subject == "system" else "use_case_id"
    return back_to(
        request, f"/ui/risks?{urlencode({where: ident})}", f"registered {len(made)} risk(s)"
    )
