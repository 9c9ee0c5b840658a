"""The incident pages: the list with each reporting clock, one page per incident (classify,
corrective actions, report documents, what was sent to which authority, suspension, closing),
and the clock panels of the dashboard, the system page and the inbox."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import Markup

from charter.accountability.services import org
from charter.incidents import documents
from charter.incidents import services as incidents
from charter.incidents.domain import CITES, ESCALATE_BEFORE, Category, Incident, ReportKind
from charter.kernel.access import Action, Actor, allowed
from charter.kernel.errors import CharterError, InvalidInput, NotFound
from charter.kernel.web.pages import back_to, check_csrf, ctx_of, fragment, page, signed_in
from charter.kernel.web.picker import resolve

router = APIRouter(prefix="/ui", include_in_schema=False)
Text = Annotated[str, Form()]
Csrf = Annotated[str, Form()]


def time_left(deadline_at: datetime | None, now: datetime) -> str:
    """A reporting clock for people: '3 days 4 hours left', 'overdue by 5 hours'."""
    if deadline_at is None:
        return ""
    seconds = int((deadline_at - now).total_seconds())
    days, hours = divmod(abs(seconds) // 3600, 24)
    span = f"{days} day{'s' if days != 1 else ''} {hours} hour{'s' if hours != 1 else ''}"
    return f"{span} left" if seconds >= 0 else f"overdue by {span}"


def near(incident: Incident, now: datetime) -> bool:
    """Whether a running clock is within the escalation window (48 hours) of its deadline."""
    due = incident.deadline_at
    return incident.running() and due is not None and due - now <= ESCALATE_BEFORE


#: how the templates show a clock
CLOCK = {"time_left": time_left, "near": near}


def _when(text: str, field: str) -> datetime:
    """A datetime-local field, read as UTC."""
    try:
        found = datetime.fromisoformat(text)
    except ValueError:
        raise InvalidInput(f"{field}: not a date and time", details={"field": field}) from None
    return found.replace(tzinfo=UTC) if found.tzinfo is None else found


def _done(request: Request, back: str, act: Callable[[], str]) -> Response:
    """Do a form's use case; back to the page with what happened, or why not."""
    try:
        note = act()
    except CharterError as exc:
        return back_to(request, back, exc.message, error=True)
    return back_to(request, back, note)


def _url(incident_id: str) -> str:
    return f"/ui/incidents/{incident_id}"


@router.get("/incidents")
def incidents_page(request: Request, show: str = "open") -> HTMLResponse:
    who, session = signed_in(request)
    ctx = ctx_of(request)
    found = incidents.list_incidents(ctx, who, open_only=show != "all")
    return page(
        request, "incidents.html", who, session, title="Incidents", incidents=found, show=show,
        now=ctx.clock(), **CLOCK, may_record=allowed(who, Action.INCIDENT_RECORD),
        time_zone=ctx.incident_time_zone,
    )  # fmt: skip


@router.post("/incidents")
def record(
    request: Request, system_id: Text, title: Text, description: Text, reported_by: Text,
    aware_at: Text, affected_persons: Text = "", affected_description: Text = "",
    dataset_id: Text = "", csrf: Csrf = "",
) -> Response:  # fmt: skip
    who, session = signed_in(request)
    check_csrf(session, csrf)
    try:
        system_id = resolve(request, who, "systems", system_id) or ""
        dataset_id = resolve(request, who, "datasets", dataset_id) or ""
        found = incidents.record_incident(
            ctx_of(request), who, system_id, title, description, reported_by,
            _when(aware_at, "aware_at"),
            affected_persons=int(affected_persons) if affected_persons.strip() else None,
            affected_description=affected_description,
            dataset_id=dataset_id.strip() or None,
        )  # fmt: skip
    except ValueError:
        return back_to(request, "/ui/incidents", "affected persons: not a number", error=True)
    except CharterError as exc:
        return back_to(request, "/ui/incidents", exc.message, error=True)
    return back_to(request, _url(found.id), "incident recorded: classify it next")


@router.get("/incidents/{incident_id}")
def incident_page(request: Request, incident_id: str) -> HTMLResponse:
    who, session = signed_in(request)
    ctx = ctx_of(request)
    found = incidents.get_incident(ctx, who, incident_id)
    system = found.system
    scope = (system.business_unit_id, system.id)
    people = org.all_in_directory(ctx, who, "people")
    return page(
        request, "incident.html", who, session, title=found.incident.title, r=found,
        i=found.incident, clock=found.incident.clock(), now=ctx.clock(), **CLOCK,
        names={p.id: p.name for p in people}, people=people,
        categories=[(c.value, CITES[c]) for c in Category], kinds=[k.value for k in ReportKind],
        may_record=allowed(who, Action.INCIDENT_RECORD, *scope),
        may_manage=allowed(who, Action.INCIDENT_MANAGE, *scope),
    )  # fmt: skip


@router.post("/incidents/{incident_id}/classification")
def classify(
    request: Request, incident_id: str, reason: Text,
    categories: Annotated[list[Category] | None, Form()] = None,
    death: Annotated[bool, Form()] = False, widespread: Annotated[bool, Form()] = False,
    csrf: Csrf = "",
) -> Response:  # fmt: skip
    who, session = signed_in(request)
    check_csrf(session, csrf)

    def act() -> str:
        found = incidents.classify_incident(
            ctx_of(request), who, incident_id, categories or [], death, widespread, reason
        )
        if not found.serious:
            return "classified: not a serious incident"
        due = found.deadline_at.astimezone(UTC) if found.deadline_at else None
        return f"classified serious: report by {due:%Y-%m-%d %H:%M} UTC"

    return _done(request, _url(incident_id), act)


@router.post("/incidents/{incident_id}/actions")
def add_action(
    request: Request, incident_id: str, description: Text, owner_id: Text, due_on: Text = "",
    csrf: Csrf = "",
) -> Response:  # fmt: skip
    who, session = signed_in(request)
    check_csrf(session, csrf)

    def act() -> str:
        due = date.fromisoformat(due_on) if due_on.strip() else None
        owner = resolve(request, who, "people", owner_id) or ""
        incidents.add_action(ctx_of(request), who, incident_id, description, owner, due)
        return "corrective action added"

    return _done(request, _url(incident_id), act)


@router.post("/corrective-actions/{action_id}/done")
def complete_action(
    request: Request, action_id: str, incident_id: Text, outcome: Text, csrf: Csrf = ""
) -> Response:
    who, session = signed_in(request)
    check_csrf(session, csrf)

    def act() -> str:
        incidents.complete_action(ctx_of(request), who, action_id, outcome)
        return "corrective action done"

    return _done(request, _url(incident_id), act)


@router.post("/incidents/{incident_id}/suspension")
def suspend(request: Request, incident_id: str, reason: Text, csrf: Csrf = "") -> Response:
    who, session = signed_in(request)
    check_csrf(session, csrf)

    def act() -> str:
        _, asked = incidents.suspend_system(ctx_of(request), who, incident_id, reason)
        return f"suspension requested ({asked.status.value}): see the system's approvals"

    return _done(request, _url(incident_id), act)


@router.get("/incidents/{incident_id}/report")
def report(request: Request, incident_id: str, kind: ReportKind = ReportKind.INITIAL) -> Response:
    """The report document built from the record now, as it would be sent."""
    who, _ = signed_in(request)
    return HTMLResponse(documents.report(ctx_of(request), who, incident_id, kind)[1])


@router.get("/incidents/{incident_id}/submissions/{submission_id}")
def sent(request: Request, incident_id: str, submission_id: str) -> Response:
    """A report as it was sent (kept with its digest)."""
    who, _ = signed_in(request)
    found = incidents.get_incident(ctx_of(request), who, incident_id)
    for s in found.submissions:
        if s.id == submission_id:
            return HTMLResponse(s.document)
    raise NotFound("submission", submission_id)


@router.post("/incidents/{incident_id}/submissions")
def submit(
    request: Request, incident_id: str, kind: Annotated[ReportKind, Form()], authority: Text,
    sent_at: Text, reference: Text = "", csrf: Csrf = "",
) -> Response:  # fmt: skip
    who, session = signed_in(request)
    check_csrf(session, csrf)

    def act() -> str:
        when = _when(sent_at, "sent_at")
        documents.submit_report(ctx_of(request), who, incident_id, kind, authority, when, reference)
        return f"{kind.value} report to {authority} recorded"

    return _done(request, _url(incident_id), act)


@router.post("/incidents/{incident_id}/close")
def close(request: Request, incident_id: str, outcome: Text, csrf: Csrf = "") -> Response:
    who, session = signed_in(request)
    check_csrf(session, csrf)

    def act() -> str:
        incidents.close_incident(ctx_of(request), who, incident_id, outcome)
        return "incident closed"

    return _done(request, _url(incident_id), act)


# --- panels on governance's pages ----------------------------------------------------------


def clocks_panel(request: Request, who: Actor, about: dict[str, Any]) -> Markup | None:
    """Running reporting clocks (of one system on its page), nearest deadline first; on a
    system page also its other open incidents."""
    ctx = ctx_of(request)
    system_id = about.get("system_id")
    found = incidents.list_incidents(ctx, who, system_id, open_only=True)
    if not found and system_id is None:
        return None
    return fragment(
        request, "incident_clocks.html", incidents=found, now=ctx.clock(),
        **CLOCK, system_id=system_id,
    )  # fmt: skip
