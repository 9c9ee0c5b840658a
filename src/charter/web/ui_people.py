"""Web UI pages of talent and AI literacy, adoption and change management, and the
leadership scorecard. JSON twins: GET /talent, /adoption, /scorecard."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response

from charter.domain.delivery import IterationDecision
from charter.domain.errors import CharterError
from charter.services import adoption, delivery, scorecard, talent
from charter.web import charts
from charter.web.ui_session import (
    back_to,
    check_csrf,
    ctx_of,
    page,
    signed_in,
    use_case_url,
)
from charter.web.ui_strategy import names_of

router = APIRouter(prefix="/ui", include_in_schema=False)


@router.get("/talent")
def talent_page(request: Request) -> HTMLResponse:
    who, session = signed_in(request)
    ctx = ctx_of(request)
    view = talent.talent_view(ctx, who)
    names = names_of(ctx, who)
    skills = {s.id: s.name for s in view.skills}
    by_role = [(c.key.replace("_", " "), round(100 * (c.share or 0))) for c in view.by_role]
    return page(
        request, "talent.html", who, session, title="Talent and AI literacy", view=view,
        names=names, skills=skills, courses={c.id: c.title for c in view.courses},
        role_chart=charts.bars(by_role, "role", "% with current AI-literacy training"),
    )  # fmt: skip


@router.get("/adoption")
def adoption_page(request: Request) -> HTMLResponse:
    who, session = signed_in(request)
    ctx = ctx_of(request)
    view = adoption.adoption_view(ctx, who)
    names = names_of(ctx, who)
    rows = [
        {"month": p.period.isoformat()[:7], "share": p.share, "unit": names.get(unit, unit)}
        for unit, points in view.by_unit().items()
        for p in points
        if p.share is not None
    ]
    moods = [
        {"month": s.period.isoformat()[:7], "sentiment": s.sentiment, "survey": s.title}
        for s in view.surveys
    ]
    return page(
        request, "adoption.html", who, session, title="Adoption", view=view, names=names,
        adoption_chart=charts.lines(rows, "month", "share", "unit", "active among eligible",
                                    share=True),
        sentiment_chart=charts.lines(moods, "month", "sentiment", "survey", "sentiment (1-5)"),
    )  # fmt: skip


@router.get("/scorecard")
def scorecard_page(request: Request) -> HTMLResponse:
    who, session = signed_in(request)
    ctx = ctx_of(request)
    pillars = scorecard.leadership_scorecard(ctx, who)
    sparks = {
        p.pillar: charts.sparkline(
            [(d.strftime("%b"), s) for d, s in p.trend if s is not None], p.title
        )
        for p in pillars
    }
    return page(
        request, "scorecard.html", who, session, title="Leadership scorecard",
        pillars=pillars, sparks=sparks,
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
        return back_to(request, use_case_url(use_case_id), exc.message, error=True)
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
        return back_to(request, use_case_url(use_case), exc.message, error=True)
    return back_to(
        request, use_case_url(item.use_case_id), f"iteration {item.number}: {decision.value}"
    )
