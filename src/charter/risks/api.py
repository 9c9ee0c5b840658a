"""API: the risk register (risks, where each stands, the heat map and groupings, the CSV
export, the board pack's summary), controls and their tests, the catalogue, the model and
the appetite, and the automated assessment."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Response

from charter.kernel.errors import InvalidInput
from charter.kernel.present import as_json
from charter.kernel.web.contract import Items, Listed, returns
from charter.kernel.web.http import Who, context
from charter.risks.domain.catalogue import Category
from charter.risks.domain.controls import ControlLink, ControlTest
from charter.risks.domain.model import ControlState
from charter.risks.domain.register import Risk
from charter.risks.domain.standing import AppetiteStatement, Standing
from charter.risks.domain.views import CELL, GROUPINGS, Group, parse_cell
from charter.risks.ports import Context
from charter.risks.present import (
    CSV_HEADERS,
    control_view_json,
    detail_json,
    position_json,
    register_csv,
    summary_json,
)
from charter.risks.schemas import (
    AppetiteIn,
    AssessmentView,
    ControlIn,
    ControlLinkIn,
    ControlView,
    ReasonIn,
    ReviewIn,
    RiskAdoptIn,
    RiskAssessmentIn,
    RiskChange,
    RiskDetailView,
    RiskIn,
    RiskModelView,
    RiskSummaryView,
    RiskView,
    TestIn,
)
from charter.risks.services import assessment, controls, register, views

Ctx = Annotated[Context, Depends(context)]
router = APIRouter(tags=["risks"])
Id = Annotated[str | None, Query(max_length=40)]
Owner = Annotated[str | None, Query(max_length=320, description="a person's id, e-mail or name")]
Cell = Annotated[
    str | None,
    Query(max_length=20, pattern=f"^{CELL.pattern}$", description="a heat-map cell: residual:4x3"),
]


def filters(
    system_id: Id = None,
    use_case_id: Id = None,
    owner_id: Owner = None,
    body_id: Id = None,
    business_unit_id: Id = None,
    category: Id = None,
    standing: Standing | None = None,
    overdue: bool = False,
    failing: bool = False,
    closed: bool = False,
    cell: Cell = None,
) -> views.Filters:
    """Which risks: by system, use case, owner, body, unit, category or domain, standing,
    overdue review, a failing control, a heat-map cell; the closed ones instead of the open
    ones."""
    return views.Filters(
        system_id, use_case_id, owner_id, body_id, business_unit_id, category, standing,
        overdue, failing, closed, parse_cell(cell) if cell else None,
    )  # fmt: skip


Filtered = Annotated[views.Filters, Depends(filters)]


@router.get("/risks", responses=returns(Listed[RiskView]))
def list_risks(ctx: Ctx, who: Who, keep: Filtered) -> Any:
    """Risks with where each stands now, most severe residual first."""
    found = views.register(ctx, who, keep)
    return {"items": [position_json(p) for p in found], "total": len(found)}


@router.get(
    "/risks/export.csv",
    response_class=Response,
    responses={200: {"content": {"text/csv": {"schema": {"type": "string"}}}, "description": "OK"}},
)
def export_risks(ctx: Ctx, who: Who, keep: Filtered) -> Response:
    """The same risks as CSV, one a row."""
    text = register_csv(views.register(ctx, who, keep))
    return Response(text, headers=CSV_HEADERS)


@router.get("/risks/summary", responses=returns(RiskSummaryView))
def risk_summary(ctx: Ctx, who: Who) -> Any:
    """Heat map (inherent and residual), bands, risks above appetite, accepted risks, failing
    controls, overdue reviews and groupings: what a board pack reads."""
    return summary_json(views.risk_summary(ctx, who))


@router.get("/risks/groups/{grouping}", responses=returns(Items[Group]))
def risk_groups(ctx: Ctx, who: Who, grouping: str) -> Any:
    """Open risks by owner, body, unit or category."""
    if grouping not in GROUPINGS:
        raise InvalidInput(f"group by one of {', '.join(GROUPINGS)}")
    return {"items": as_json(views.grouped_by(ctx, who, grouping))}


@router.post("/risks", status_code=201, responses=returns(RiskDetailView, 201))
def register_risk(ctx: Ctx, who: Who, body: RiskIn) -> Any:
    """Register a risk on a system, on a use case, or (neither) for the organisation."""
    risk = register.register_risk(
        ctx, who, body.values(), register.known(), body.system_id, body.use_case_id
    )
    return detail_json(views.risk_detail(ctx, who, risk.id))


@router.get("/risks/{risk_id}", responses=returns(RiskDetailView))
def get_risk(ctx: Ctx, who: Who, risk_id: str) -> Any:
    return detail_json(views.risk_detail(ctx, who, risk_id))


@router.patch("/risks/{risk_id}", responses=returns(RiskDetailView))
def change_risk(ctx: Ctx, who: Who, risk_id: str, body: RiskChange) -> Any:
    register.update_risk(ctx, who, risk_id, body.values(), register.known())
    return detail_json(views.risk_detail(ctx, who, risk_id))


@router.post("/risks/{risk_id}/review", responses=returns(RiskDetailView))
def review_risk(ctx: Ctx, who: Who, risk_id: str, body: ReviewIn) -> Any:
    register.review_risk(ctx, who, risk_id, body.note, body.next_review)
    return detail_json(views.risk_detail(ctx, who, risk_id))


@router.post("/risks/{risk_id}/close", responses=returns(Risk))
def close_risk(ctx: Ctx, who: Who, risk_id: str, body: ReasonIn) -> Any:
    """Close a risk; refused while it is above appetite and unaccepted on a live system."""
    return as_json(register.close_risk(ctx, who, risk_id, body.reason))


@router.post("/risks/{risk_id}/controls", status_code=201, responses=returns(ControlLink, 201))
def link_control(ctx: Ctx, who: Who, risk_id: str, body: ControlLinkIn) -> Any:
    return as_json(controls.link_control(ctx, who, risk_id, body.control_id))


@router.delete("/risks/{risk_id}/controls/{control_id}", status_code=204)
def unlink_control(
    ctx: Ctx,
    who: Who,
    risk_id: str,
    control_id: str,
    reason: Annotated[str, Query(min_length=1, max_length=4000)],
) -> Response:
    """Take a control off a risk; refused while the control fails or is stale."""
    controls.unlink_control(ctx, who, risk_id, control_id, reason)
    return Response(status_code=204)


@router.get("/risk-controls", responses=returns(Listed[ControlView]))
def list_controls(
    ctx: Ctx, who: Who, system_id: Id = None, state: ControlState | None = None
) -> Any:
    """Controls with how each stands on its latest test, failing first."""
    found = views.controls(ctx, who, system_id, state)
    return {"items": [control_view_json(v) for v in found], "total": len(found)}


@router.post("/risk-controls", status_code=201, responses=returns(ControlView, 201))
def define_control(ctx: Ctx, who: Who, body: ControlIn) -> Any:
    """A control and how it is tested: a check, a document, a requirement or by hand."""
    control = controls.define_control(ctx, who, body.values())
    return control_view_json(views.control_detail(ctx, who, control.id))


@router.get("/risk-controls/{control_id}", responses=returns(ControlView))
def get_control(ctx: Ctx, who: Who, control_id: str) -> Any:
    return control_view_json(views.control_detail(ctx, who, control_id))


@router.post(
    "/risk-controls/{control_id}/tests", status_code=201, responses=returns(ControlTest, 201)
)
def record_test(ctx: Ctx, who: Who, control_id: str, body: TestIn) -> Any:
    """A manual test's result and its evidence."""
    return as_json(
        controls.record_test(
            ctx, who, control_id, body.passed, body.evidence, body.note, body.tested_at
        )
    )


@router.get("/risk-catalogue", responses=returns(Items[Category]))
def risk_catalogue(ctx: Ctx, who: Who) -> Any:
    """The categories a risk is filed under, each with its source."""
    return {"items": as_json(views.catalogue(ctx, who))}


@router.get("/risk-model", responses=returns(RiskModelView))
def risk_model(ctx: Ctx, who: Who) -> Any:
    """The scales, bands, residual rule, default appetite and review intervals in force."""
    model = views.model(ctx, who)
    return as_json({k: getattr(model, k) for k in views.MODEL_FIELDS})


@router.get("/risk-appetite", responses=returns(Items[AppetiteStatement]))
def list_appetite(ctx: Ctx, who: Who) -> Any:
    return {"items": as_json(views.appetite(ctx, who))}


@router.put("/risk-appetite", responses=returns(AppetiteStatement))
def set_appetite(ctx: Ctx, who: Who, body: AppetiteIn) -> Any:
    """State the highest residual band accepted for a category and tier."""
    return as_json(
        register.set_appetite(ctx, who, body.category, body.tier, body.max_band, body.rationale)
    )


@router.post("/risk-assessments", responses=returns(AssessmentView))
def assess(ctx: Ctx, who: Who, body: RiskAssessmentIn) -> Any:
    """Risks the catalogue proposes for a system or a use case; nothing is written."""
    found = assessment.assess(ctx, who, body.subject, body.subject_id, body.answers, body.data)
    return as_json(found)


@router.post("/risk-assessments/adopt", status_code=201, responses=returns(Items[Risk], 201))
def adopt(ctx: Ctx, who: Who, body: RiskAdoptIn) -> Any:
    """Register the proposals chosen, as changed."""
    found = assessment.adopt(
        ctx,
        who,
        body.subject,
        body.subject_id,
        body.answers,
        body.choices,
        register.known(),
        body.data,
    )
    return {"items": as_json(found)}
