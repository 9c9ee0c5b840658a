"""API: incidents, their classification and clock, suspension, corrective actions, report
documents and submissions."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends
from fastapi.responses import HTMLResponse

from charter.incidents import documents
from charter.incidents import services as incidents
from charter.incidents.domain import ReportKind
from charter.incidents.ports import Context
from charter.incidents.schemas import (
    ActionIn,
    ActionOut,
    ClassificationIn,
    ClosedOut,
    IncidentIn,
    IncidentOut,
    IncidentRecord,
    OutcomeIn,
    ReasonIn,
    RequestOut,
    SubmissionIn,
    SubmissionOut,
)
from charter.kernel.present import as_json
from charter.kernel.web.contract import Items, returns
from charter.kernel.web.http import Who, context

Ctx = Annotated[Context, Depends(context)]
#: the report is a document: HTML, not JSON
HTML_REPORT: dict[int | str, Any] = {
    200: {
        "description": "the report (HTML)",
        "content": {"text/html": {"schema": {"type": "string"}}},
    }
}
router = APIRouter(tags=["incidents"])


def _record(found: incidents.Record) -> dict[str, Any]:
    clock = found.incident.clock()
    return {
        **as_json(found.incident),
        "system": found.system.name,
        "dataset": found.dataset.name if found.dataset else None,
        "clock": None
        if clock is None
        else {
            "due_at": as_json(clock.due_at),
            "last_day": clock.last_day.isoformat(),
            "basis": clock.period.basis,
            "days": clock.period.days,
            "extended_last_day": clock.extended_last_day.isoformat(),
            "extended_note": "Reg. 1182/71 Art. 3(4)-(5) may extend the period to this day "
            "(uncertain: the clock does not run to it)",
            "running": found.incident.running(),
        },
        "corrective_actions": as_json(found.actions),
        "snapshots": [
            {k: v for k, v in as_json(s).items() if k != "content"} for s in found.snapshots
        ],
        "submissions": [
            {k: v for k, v in as_json(s).items() if k != "document"} for s in found.submissions
        ],
        "missing": list(found.missing),
    }


@router.get("/incidents", responses=returns(Items[IncidentOut]))
def list_incidents(
    ctx: Ctx, who: Who, system_id: str | None = None, open_only: bool = False
) -> Any:
    """Incidents, the nearest running deadline first."""
    return {
        "items": [
            {**as_json(i), "system": s.name}
            for i, s in incidents.list_incidents(ctx, who, system_id, open_only)
        ]
    }


@router.post(
    "/systems/{system_id}/incidents", status_code=201, responses=returns(IncidentRecord, 201)
)
def record_incident(ctx: Ctx, who: Who, system_id: str, body: IncidentIn) -> Any:
    found = incidents.record_incident(
        ctx,
        who,
        system_id,
        body.title,
        body.description,
        body.reported_by,
        body.aware_at,
        body.occurred_at,
        body.affected_persons,
        body.affected_description,
        body.time_zone,
        body.evidence_ids,
        body.dataset_id,
    )
    return _record(incidents.get_incident(ctx, who, found.id))


@router.get("/incidents/{incident_id}", responses=returns(IncidentRecord))
def get_incident(ctx: Ctx, who: Who, incident_id: str) -> Any:
    return _record(incidents.get_incident(ctx, who, incident_id))


@router.post("/incidents/{incident_id}/classification", responses=returns(IncidentRecord))
def classify(ctx: Ctx, who: Who, incident_id: str, body: ClassificationIn) -> Any:
    incidents.classify_incident(
        ctx, who, incident_id, body.categories, body.death, body.widespread, body.reason
    )
    return _record(incidents.get_incident(ctx, who, incident_id))


@router.post(
    "/incidents/{incident_id}/suspension", status_code=201, responses=returns(RequestOut, 201)
)
def suspend(ctx: Ctx, who: Who, incident_id: str, body: ReasonIn) -> Any:
    """Ask to suspend the system through its lifecycle (the decision rights say who approves)."""
    _, request = incidents.suspend_system(ctx, who, incident_id, body.reason)
    return as_json(request)


@router.post("/incidents/{incident_id}/actions", status_code=201, responses=returns(ActionOut, 201))
def add_action(ctx: Ctx, who: Who, incident_id: str, body: ActionIn) -> Any:
    return as_json(
        incidents.add_action(ctx, who, incident_id, body.description, body.owner_id, body.due_on)
    )


@router.post("/corrective-actions/{action_id}/done", responses=returns(ActionOut))
def complete_action(ctx: Ctx, who: Who, action_id: str, body: OutcomeIn) -> Any:
    return as_json(incidents.complete_action(ctx, who, action_id, body.outcome))


@router.get("/incidents/{incident_id}/report", response_class=HTMLResponse, responses=HTML_REPORT)
def report(
    ctx: Ctx, who: Who, incident_id: str, kind: ReportKind = ReportKind.INITIAL
) -> HTMLResponse:
    """The report document, built from the record now (HTML)."""
    return HTMLResponse(documents.report(ctx, who, incident_id, kind)[1])


@router.post(
    "/incidents/{incident_id}/submissions", status_code=201, responses=returns(SubmissionOut, 201)
)
def submit(ctx: Ctx, who: Who, incident_id: str, body: SubmissionIn) -> Any:
    """Record that a report was sent to an authority: the document is built from the record
    now and kept as sent, with its digest."""
    done = documents.submit_report(
        ctx, who, incident_id, body.kind, body.authority, body.sent_at, body.reference
    )
    return {k: v for k, v in as_json(done).items() if k != "document"}


@router.post("/incidents/{incident_id}/close", responses=returns(ClosedOut))
def close(ctx: Ctx, who: Who, incident_id: str, body: OutcomeIn) -> Any:
    return as_json(incidents.close_incident(ctx, who, incident_id, body.outcome))
