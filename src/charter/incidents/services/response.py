"""Responding to an incident: suspending its system through its lifecycle, corrective
actions, reports sent to authorities, and closing."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import date, datetime, timedelta

from charter.governance.domain.lifecycle import TransitionRequest
from charter.governance.services.lifecycle import request_within
from charter.incidents.domain import (
    ActionStatus,
    CorrectiveAction,
    Incident,
    ReportKind,
    Status,
    Submission,
    check_closable,
    missing_fields,
)
from charter.incidents.ports import Context
from charter.incidents.services.shared import held, required_text
from charter.inventory.domain import LifecycleStage
from charter.kernel.access import Action, Actor, ensure
from charter.kernel.context import record
from charter.kernel.errors import Conflict, InvalidInput
from charter.kernel.lookups import require
from charter.kernel.records import utc_timestamp


def suspend_system(
    ctx: Context, actor: Actor, incident_id: str, reason: str
) -> tuple[Incident, TransitionRequest]:
    """Ask to suspend the incident's system through its lifecycle (the decision rights say
    who approves); the request is linked to the incident."""
    with ctx.uow() as uow:
        incident, system = held(uow, incident_id)
        if incident.status is Status.CLOSED:
            raise Conflict(f"incident {incident_id} is closed")
        if incident.suspension_request_id:
            raise Conflict(f"a suspension was requested already ({incident.suspension_request_id})")
        why = f"incident {incident.id} ({incident.title}): {required_text(reason, 'reason', 3000)}"
        request, _ = request_within(ctx, uow, actor, system, LifecycleStage.SUSPENDED, why)
        linked = replace(incident, suspension_request_id=request.id)
        uow.incidents.update(linked)
        record(
            ctx,
            uow,
            actor,
            "incident.suspension_requested",
            "incident",
            incident.id,
            {"request": request.id, "status": request.status.value},
        )
        uow.commit()
    return linked, request


def add_action(
    ctx: Context,
    actor: Actor,
    incident_id: str,
    description: str,
    owner_id: str,
    due_on: date | None = None,
) -> CorrectiveAction:
    with ctx.uow() as uow:
        incident, system = held(uow, incident_id)
        ensure(actor, Action.INCIDENT_RECORD, system.business_unit_id, system.id)
        if incident.status is Status.CLOSED:
            raise Conflict(f"incident {incident_id} is closed")
        require(uow.people, "person", owner_id)
        action = CorrectiveAction(
            ctx.new_id("ca"),
            incident.id,
            required_text(description, "description"),
            owner_id,
            due_on,
            ctx.clock(),
            actor.ref,
        )
        uow.corrective_actions.add(action)
        record(
            ctx,
            uow,
            actor,
            "incident.action_added",
            "incident",
            incident.id,
            {"action": action.id, "owner": owner_id, "description": action.description},
        )
        uow.commit()
    return action


def complete_action(ctx: Context, actor: Actor, action_id: str, outcome: str) -> CorrectiveAction:
    with ctx.uow() as uow:
        action = require(uow.corrective_actions, "corrective action", action_id)
        _, system = held(uow, action.incident_id)
        if actor.person_id != action.owner_id:
            ensure(actor, Action.INCIDENT_MANAGE, system.business_unit_id, system.id)
        action = require(uow.corrective_actions, "corrective action", action_id)
        if action.status is ActionStatus.DONE:
            raise Conflict(f"corrective action {action_id} is done already")
        done = replace(
            action,
            status=ActionStatus.DONE,
            done_at=ctx.clock(),
            done_by=actor.ref,
            outcome=required_text(outcome, "outcome"),
        )
        uow.corrective_actions.update(done, when={"status": ActionStatus.OPEN})
        record(
            ctx,
            uow,
            actor,
            "incident.action_done",
            "incident",
            action.incident_id,
            {"action": action_id, "outcome": done.outcome},
        )
        uow.commit()
    return done


def record_submission(
    ctx: Context,
    actor: Actor,
    incident_id: str,
    kind: ReportKind,
    authority: str,
    sent_at: datetime,
    reference: str,
    document: str,
) -> Submission:
    """Record that a report was sent to an authority, keeping the document as sent. A complete
    report needs every mandated field; the first report stops the clock."""
    with ctx.uow() as uow:
        incident, system = held(uow, incident_id)
        ensure(actor, Action.INCIDENT_MANAGE, system.business_unit_id, system.id)
        if incident.status is Status.CLOSED:
            raise Conflict(f"incident {incident_id} is closed")
        if sent_at.tzinfo is None or sent_at > ctx.clock() + timedelta(minutes=5):
            raise InvalidInput(
                "sent_at must be a past time with a time zone", details={"field": "sent_at"}
            )
        actions = uow.corrective_actions.all(incident_id=incident_id)
        missing = missing_fields(incident, actions)
        if ReportKind(kind) is ReportKind.COMPLETE and missing:
            raise Conflict(
                "a complete report needs: "
                + ", ".join(missing)
                + "; send an initial one (Art. 73(5))",
                details={"missing": list(missing)},
            )
        submission = Submission(
            ctx.new_id("sub"),
            incident.id,
            ReportKind(kind),
            required_text(authority, "authority", 300),
            sent_at,
            ctx.clock(),
            actor.ref,
            reference.strip()[:300],
            document,
            hashlib.sha256(document.encode()).hexdigest(),
            missing,
        )
        uow.submissions.add(submission)
        if incident.status is Status.OPEN:
            uow.incidents.update(replace(incident, status=Status.REPORTED))
        record(
            ctx,
            uow,
            actor,
            "incident.reported",
            "incident",
            incident.id,
            {
                "submission": submission.id,
                "kind": submission.kind.value,
                "authority": submission.authority,
                "sent_at": utc_timestamp(sent_at),
                "document": submission.digest,
                "late": bool(incident.deadline_at and sent_at > incident.deadline_at),
            },
        )
        uow.commit()
    return submission


def close_incident(ctx: Context, actor: Actor, incident_id: str, note: str) -> Incident:
    with ctx.uow() as uow:
        incident, system = held(uow, incident_id)
        ensure(actor, Action.INCIDENT_MANAGE, system.business_unit_id, system.id)
        actions = uow.corrective_actions.all(incident_id=incident_id)
        kinds = [s.kind for s in uow.submissions.all(incident_id=incident_id)]
        check_closable(incident, actions, kinds)
        closed = replace(
            incident,
            status=Status.CLOSED,
            closed_at=ctx.clock(),
            closed_by=actor.ref,
            closing_note=required_text(note, "note"),
        )
        uow.incidents.update(closed, when={"status": incident.status})
        record(
            ctx,
            uow,
            actor,
            "incident.closed",
            "incident",
            incident.id,
            {"note": closed.closing_note},
        )
        uow.commit()
    return closed
