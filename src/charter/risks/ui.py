"""Web UI pages of the risk register: the register (heat maps inherent and residual, risks by
owner, body, unit and category, overdue reviews, failing controls, the CSV export) and a risk
(its ratings, controls and their tests, acceptances, review). JSON twins: GET /risks,
/risks/summary, /risks/{id}, /risk-controls."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response

from charter.kernel.access import Action, Actor, allowed, ensure
from charter.kernel.errors import CharterError, Forbidden, InvalidInput
from charter.kernel.web.pages import back_to, check_csrf, ctx_of, page, refusal, signed_in
from charter.kernel.web.picker import picker, resolve
from charter.risks.domain.model import Rating
from charter.risks.domain.standing import Standing
from charter.risks.domain.views import GROUPINGS, parse_cell
from charter.risks.present import CSV_HEADERS, register_csv
from charter.risks.services import assessment, controls, register, views
from charter.risks.ui_pickers import linkable
from charter.strategy.ui import names_of

router = APIRouter(prefix="/ui", include_in_schema=False)
OneLine = Annotated[str, Form()]
#: the new-risk form's searchable fields: field -> (picker kind, the field in words)
NEW_RISK = {"owner_id": ("people", "owner"), "system_id": ("systems", "system")}


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
    keep = _filters(system_id, owner_id, category, standing, overdue, failing, use_case_id, cell)
    return show_register(request, keep)


def show_register(
    request: Request, keep: views.Filters, refused: Refused | None = None
) -> HTMLResponse:
    """The register; with the new-risk form as typed and why it was refused."""
    who, session = signed_in(request)
    ctx = ctx_of(request)
    summary, risks = views.register_page(ctx, who, keep)
    model = ctx.risk_model
    cells = {(c.likelihood, c.impact): c for c in summary.heat_map}
    may_not = _may_not(request, who)
    shown = page(
        request, "risks.html", who, session, title="Risk register", summary=summary,
        risks=risks, cells=cells, model=model,
        bands={(lv.value, im.value): model.band(Rating(lv.value, im.value).score).name
               for lv in model.likelihood for im in model.impact},
        groups=summary.groups, groupings=GROUPINGS, names=names_of(ctx, who),
        catalogue=model.catalogue, filters=keep, query=request.url.query,
        may_manage=not may_not, may_not=may_not,
        standings=[s.value for s in Standing],
        f=refused.values if refused else {"owner_id": _me(request, who)},
        **(refused.shown() if refused else {}),
    )  # fmt: skip
    shown.status_code = refused.status if refused else 200
    return shown


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
    """Register a risk from the register's form (its system and owner as typed: a name, an
    e-mail or an id); a refused form comes back filled in as typed, saying why."""
    who, session = signed_in(request)
    check_csrf(session, csrf)
    typed = {
        "title": title, "category": category, "cause": cause, "consequence": consequence,
        "owner_id": owner_id, "system_id": system_id, "inherent_likelihood": inherent_likelihood,
        "inherent_impact": inherent_impact, "target_likelihood": target_likelihood,
        "target_impact": target_impact, "treatment": treatment,
    }  # fmt: skip
    try:
        picked = _picked(request, who, NEW_RISK, typed)
        values = {k: v for k, v in typed.items() if k != "system_id"} | {
            "owner_id": picked["owner_id"] or "",
            "target_likelihood": target_likelihood or inherent_likelihood,
            "target_impact": target_impact or inherent_impact,
        }
        risk = register.register_risk(
            ctx_of(request), who, values, register.known(), picked["system_id"]
        )
    except CharterError as exc:
        refused = Refused(typed, refusal(request, who, exc), exc.status)
        return show_register(request, _filters(None, None, None, None, False, False), refused)
    return back_to(request, f"/ui/risks/{quote(risk.id)}", f"registered {risk.title}")


@dataclass(frozen=True, slots=True)
class Refused:
    """A form refused: the values as typed, why (in words), and the status."""

    values: dict[str, str]
    message: str
    status: int

    def shown(self) -> dict[str, Any]:
        """Shown as the page's note, and again beside the form (it may be far down)."""
        return {"refused": self.message, "message": self.message, "error": True}


def _picked(
    request: Request, who: Actor, fields: dict[str, tuple[str, str]], typed: dict[str, str]
) -> dict[str, str | None]:
    """The ids the fields' typed names resolve to (field -> the kind of its picker, see
    charter.kernel.web.picker, and its name in words); every field that names nothing, or
    several, refused at once."""
    picked, problems = {}, []
    for field, (kind, what) in fields.items():
        try:
            picked[field] = resolve(request, who, kind, typed.get(field, ""))
        except InvalidInput as exc:
            problems.append(f"{what}: {exc.message}")
    if problems:
        raise InvalidInput("; ".join(problems))
    return picked


def _may_not(request: Request, who: Actor) -> str:
    """Why the person may not register risks, in words (the right and who holds it), or ""."""
    try:
        ensure(who, Action.RISK_MANAGE)
    except Forbidden as exc:
        return refusal(request, who, exc)
    return ""


def _me(request: Request, who: Actor) -> str:
    """The person signed in as the people picker shows them (a form's default owner)."""
    if who.person_id is None:
        return ""
    mine = picker(request, "people").get(ctx_of(request), who, who.person_id)
    return mine.label if mine else ""


@router.get("/risks/{risk_id}")
def risk_page(request: Request, risk_id: str) -> HTMLResponse:
    return _risk_page(request, risk_id)


def _risk_page(
    request: Request, risk_id: str, typed: str = "", refused: str = "", status: int = 200
) -> HTMLResponse:
    """The risk; with the control typed in its link form and why linking it was refused."""
    who, session = signed_in(request)
    ctx = ctx_of(request)
    detail = views.risk_detail(ctx, who, risk_id)
    risk = detail.position.risk
    shown = page(
        request, "risk.html", who, session, title=risk.title, detail=detail,
        p=detail.position, category=ctx.risk_model.catalogue.get(risk.category),
        names=names_of(ctx, who), linkable=bool(linkable(ctx, who, risk_id)),
        may_manage=allowed(who, Action.RISK_MANAGE), typed_control=typed,
        **({"message": refused, "error": True, "link_refused": refused} if refused else {}),
    )  # fmt: skip
    shown.status_code = status
    return shown


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
    if "control_id" in form:
        return _link(request, who, risk_id, form["control_id"])
    try:
        system = views.risk_detail(ctx, who, risk_id).position.risk.system_id
        made = controls.define_control(ctx, who, _control_values(form, system), risk_id)
    except CharterError as exc:
        return back_to(request, back, exc.message, error=True)
    return back_to(request, back, f"control {made.title} defined and linked")


def _link(request: Request, who: Actor, risk_id: str, typed: str) -> Response:
    """Link the control typed (its id or exact title, among those the risk may be linked to);
    refused, the page again with what was typed and why."""
    ctx = ctx_of(request)
    try:
        control = resolve(request, who, f"linkable:{risk_id}", typed)
        if control is None:
            raise InvalidInput("type the control to link: its title (suggestions follow the "
                               "typing) or its id")  # fmt: skip
        controls.link_control(ctx, who, risk_id, control)
    except CharterError as exc:
        return _risk_page(request, risk_id, typed, refusal(request, who, exc), exc.status)
    return back_to(request, f"/ui/risks/{quote(risk_id)}", "control linked")


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
    asked = Asked(subject, subject_id, autonomy, audience, personal_data, special_category)
    return show_assessment(request, asked)


@dataclass(frozen=True, slots=True)
class Asked:
    """What an assessment is about and the answers given."""

    subject: str
    subject_id: str
    autonomy: str
    audience: str
    personal_data: bool
    special_category: bool

    def answers(self) -> dict[str, str]:
        return {"autonomy": self.autonomy, "audience": self.audience}

    def data(self) -> dict[str, bool]:
        return {k: True for k, v in (("personal_data", self.personal_data),
                                     ("special_category", self.special_category)) if v}  # fmt: skip


def show_assessment(request: Request, asked: Asked, refused: Refused | None = None) -> HTMLResponse:
    """The assessment; with the proposals' owners as typed and why adopting was refused."""
    who, session = signed_in(request)
    ctx = ctx_of(request)
    found = None
    if asked.autonomy and asked.audience:
        found = assessment.assess(
            ctx, who, asked.subject, asked.subject_id, asked.answers(), asked.data()
        )
    shown = page(
        request, "assessment.html", who, session, title="Risk assessment", found=found,
        subject=asked.subject, subject_id=asked.subject_id, autonomy=asked.autonomy,
        audience=asked.audience, personal_data=asked.personal_data,
        special_category=asked.special_category, questions=ctx.risk_rules.questions,
        model=ctx.risk_model, may_manage=allowed(who, Action.RISK_MANAGE),
        f=refused.values if refused else {}, me=_me(request, who),
        **(refused.shown() if refused else {}),
    )  # fmt: skip
    shown.status_code = refused.status if refused else 200
    return shown


def _choices(form: dict[str, str], owners: dict[str, str | None]) -> list[dict[str, Any]]:
    """The proposals ticked, each with the owner (resolved) and ratings the person set."""
    out = []
    for rule in _ticked(form):
        choice: dict[str, Any] = {"rule": rule, "owner_id": owners.get(f"owner:{rule}") or ""}
        for axis in ("inherent_likelihood", "inherent_impact"):
            if form.get(f"{axis}:{rule}"):
                choice[axis] = form[f"{axis}:{rule}"]
        out.append(choice)
    return out


def _ticked(form: dict[str, str]) -> list[str]:
    return [k.removeprefix("adopt:") for k in form if k.startswith("adopt:")]


@router.post("/risk-assessments")
async def adopt_proposals(request: Request) -> Response:
    """Register the proposals ticked, each owned by the person typed for it (a name, an
    e-mail or an id); refused, the page comes back with the owners as typed, saying why."""
    who, session = signed_in(request)
    form = {k: str(v) for k, v in (await request.form()).items()}
    check_csrf(session, form.get("csrf", ""))
    asked = Asked(form.get("subject", ""), form.get("subject_id", ""), form.get("autonomy", ""),
                  form.get("audience", ""), bool(form.get("personal_data")),
                  bool(form.get("special_category")))  # fmt: skip
    owners = {f"owner:{rule}": ("people", f"owner of {rule}") for rule in _ticked(form)}
    try:
        picked = _picked(request, who, owners, form)
        made = assessment.adopt(
            ctx_of(request), who, asked.subject, asked.subject_id, asked.answers(),
            _choices(form, picked), register.known(), asked.data(),
        )  # fmt: skip
    except CharterError as exc:
        return show_assessment(
            request, asked, Refused(form, refusal(request, who, exc), exc.status)
        )
    where = "system_id" if asked.subject == "system" else "use_case_id"
    return back_to(
        request, f"/ui/risks?{urlencode({where: asked.subject_id})}",
        f"registered {len(made)} risk(s)",
    )  # fmt: skip
