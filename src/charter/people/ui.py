"""Web UI pages of talent and AI literacy, and of adoption and change management (JSON
twins: GET /talent, /adoption), and their forms: record a training completion, a month's
adoption figures, a survey's results. Each form posts, calls the service the API calls (same
rights, same audit event) and redirects with a note; a refused form comes back on its page
filled in as typed (`kept`: the form's name -> its values), saying which role was missing
and who holds it."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response

from charter.accountability.services import org, refusals
from charter.kernel.access import Actor
from charter.kernel.errors import CharterError, InvalidInput
from charter.kernel.labels import label
from charter.kernel.web import charts
from charter.kernel.web.pages import back_to, check_csrf, ctx_of, page, signed_in
from charter.kernel.web.picker import resolve
from charter.people.services import adoption, talent
from charter.strategy.present import names_of

router = APIRouter(prefix="/ui", include_in_schema=False)


def _choices(ctx: Any, who: Actor) -> dict[str, list[Any]]:
    """What the forms choose among (systems and people are found by typing instead): active
    people (their names), business units, by name."""
    people = org.all_in_directory(ctx, who, "people", order="name")
    return {
        "people": [p for p in people if p.active and not p.service_account],
        "units": org.all_in_directory(ctx, who, "business_units", order="name"),
    }


@dataclass(frozen=True, slots=True)
class Refused:
    """A form refused: its name, the values as typed, why (in words), and the status."""

    form: str
    values: Mapping[str, Any]
    message: str
    status: int

    def shown(self) -> dict[str, Any]:
        return {"kept": {self.form: self.values}, "message": self.message, "error": True}


def _status(response: HTMLResponse, refused: Refused | None) -> HTMLResponse:
    if refused is not None:
        response.status_code = refused.status
    return response


@router.get("/talent")
def talent_page(request: Request) -> HTMLResponse:
    return show_talent(request)


def show_talent(request: Request, refused: Refused | None = None) -> HTMLResponse:
    """The talent page; with a refused form filled in as typed."""
    who, session = signed_in(request)
    ctx = ctx_of(request)
    view = talent.talent_view(ctx, who)
    names = names_of(ctx, who)
    skills = {s.id: s.name for s in view.skills}
    by_role = [(label(c.key), round(100 * (c.share or 0))) for c in view.by_role]
    return _status(page(
        request, "talent.html", who, session, title="Talent and AI literacy", view=view,
        names=names, skills=skills, courses={c.id: c.title for c in view.courses},
        role_chart=charts.bars(by_role, "role", "% with current AI-literacy training"),
        today=ctx.clock().date(), **_choices(ctx, who), **(refused.shown() if refused else {}),
    ), refused)  # fmt: skip


@router.get("/adoption")
def adoption_page(request: Request) -> HTMLResponse:
    return show_adoption(request)


def show_adoption(request: Request, refused: Refused | None = None) -> HTMLResponse:
    """The adoption page; with a refused form filled in as typed."""
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
    return _status(page(
        request, "adoption.html", who, session, title="Adoption", view=view, names=names,
        adoption_chart=charts.lines(rows, "month", "share", "unit", "active among eligible",
                                    share=True),
        sentiment_chart=charts.lines(moods, "month", "sentiment", "survey", "sentiment (1-5)"),
        this_month=ctx.clock().date().isoformat()[:7], **_choices(ctx, who),
        **(refused.shown() if refused else {}),
    ), refused)  # fmt: skip


def _refused(
    request: Request,
    show: Callable[[Request, Refused], HTMLResponse],
    form: str,
    values: Mapping[str, Any],
    exc: CharterError,
) -> Response:
    """The form's page again, the form filled in as typed, with the refusal in words."""
    who, _ = signed_in(request)
    message = refusals.refusal(ctx_of(request), who, exc)
    return show(request, Refused(form, values, message, exc.status))


@router.post("/talent/completions")
def record_completion(
    request: Request,
    person_id: Annotated[str, Form(max_length=320)],
    course_id: Annotated[str, Form(max_length=40)],
    completed_on: Annotated[date, Form()],
    evidence: Annotated[str, Form(max_length=2000)] = "",
    csrf: Annotated[str, Form()] = "",
) -> Response:
    """A person completed a course (a certificate's reference as evidence)."""
    who, session = signed_in(request)
    check_csrf(session, csrf)
    try:
        person = resolve(request, who, "people", person_id) or ""
        done = talent.record_completion(
            ctx_of(request), who, person, course_id, completed_on, evidence
        )
    except CharterError as exc:
        typed = {"person_id": person_id, "course_id": course_id,
                 "completed_on": completed_on.isoformat(), "evidence": evidence}  # fmt: skip
        return _refused(request, show_talent, "completion", typed, exc)
    until = f"; valid until {done.expires_on:%d %b %Y}" if done.expires_on else ""
    return back_to(request, "/ui/talent#record", f"training completion recorded{until}")


@router.post("/adoption/figures")
def record_figures(
    request: Request,
    system_id: Annotated[str, Form(max_length=320)],
    business_unit_id: Annotated[str, Form(max_length=40)],
    period: Annotated[str, Form(max_length=7)],
    active_users: Annotated[int, Form(ge=0)],
    eligible_users: Annotated[int, Form(ge=0)],
    uses: Annotated[int, Form(ge=0)] = 0,
    csrf: Annotated[str, Form()] = "",
) -> Response:
    """One system's figures in one unit for one month; the month again replaces them."""
    who, session = signed_in(request)
    check_csrf(session, csrf)
    row = {
        "system_id": system_id, "business_unit_id": business_unit_id, "period": period,
        "active_users": active_users, "eligible_users": eligible_users, "uses": uses,
    }  # fmt: skip
    try:
        picked = {**row, "system_id": resolve(request, who, "systems", system_id) or ""}
        done = adoption.record_adoption(ctx_of(request), who, [picked], source="ui")
    except CharterError as exc:
        return _refused(request, show_adoption, "figures", row, exc)
    note = f"adoption figures for {done[0].period:%b %Y} recorded"
    return back_to(request, "/ui/adoption#record", note)


def concerns_of(text: str) -> dict[str, int]:
    """Concerns as typed: "cost: 12, job security: 7" (each named once, a count of 0 or more);
    every problem refused at once."""
    found: dict[str, int] = {}
    problems = []
    for part in filter(None, (p.strip() for p in text.replace("\n", ",").split(","))):
        name, _, count = part.rpartition(":")
        if not name.strip() or not count.strip().isdigit():
            problems.append(f"{part!r} is not 'concern: count'")
        elif name.strip().lower() in found:
            problems.append(f"{name.strip()!r} is named twice")
        else:
            found[name.strip().lower()] = int(count)
    if problems:
        raise InvalidInput("concerns: " + "; ".join(problems), details={"field": "concerns"})
    return found


@router.post("/adoption/surveys")
def record_survey(
    request: Request,
    title: Annotated[str, Form(max_length=300)],
    period: Annotated[str, Form(max_length=7)],
    responses: Annotated[int, Form(ge=1)],
    sentiment: Annotated[float, Form(ge=1, le=5)],
    concerns: Annotated[str, Form(max_length=4000)] = "",
    business_unit_id: Annotated[str, Form(max_length=40)] = "",
    system_id: Annotated[str, Form(max_length=320)] = "",
    csrf: Annotated[str, Form()] = "",
) -> Response:
    """A survey's results: responses, mean sentiment on 1-5, the concerns named and how often."""
    who, session = signed_in(request)
    check_csrf(session, csrf)
    try:
        done = adoption.record_survey(
            ctx_of(request), who, title, period, responses, sentiment, concerns_of(concerns),
            business_unit_id or None, resolve(request, who, "systems", system_id),
        )  # fmt: skip
    except CharterError as exc:
        typed = {"title": title, "period": period, "responses": responses,
                 "sentiment": sentiment, "concerns": concerns,
                 "business_unit_id": business_unit_id, "system_id": system_id}  # fmt: skip
        return _refused(request, show_adoption, "survey", typed, exc)
    return back_to(request, "/ui/adoption#record", f"survey “{done.title}” recorded")
