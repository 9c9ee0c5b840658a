"""Use cases of incidents: record (freezing the evidence it cites), classify (the reporting
clock starts from awareness), escalate before the deadline (once), suspend the system through
its lifecycle, corrective actions, reports sent to authorities, and closing."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from charter.accountability.domain.raci import Activity, RaciLetter
from charter.governance.domain.lifecycle import TransitionRequest
from charter.governance.services.lifecycle import request_within
from charter.incidents.domain import (
    ActionStatus,
    Category,
    CorrectiveAction,
    Incident,
    ReportKind,
    Snapshot,
    Status,
    Submission,
    check_closable,
    classify,
    escalation_due,
    missing_fields,
    zone,
)
from charter.incidents.ports import Context, UnitOfWork
from charter.inventory.domain import AISystem, LifecycleStage
from charter.kernel.access import PERMISSIONS, Action, Actor, allowed, ensure, ensure_member
from charter.kernel.context import record
from charter.kernel.errors import Conflict, InvalidInput
from charter.kernel.lookups import hold, require
from charter.kernel.present import as_json
from charter.kernel.records import utc_timestamp
from charter.notifications.services import notify

SYSTEM = Actor(person_id=None, label="incidents")


def _text(value: str, field: str, limit: int = 8000) -> str:
    text = value.strip()
    if not text:
        raise InvalidInput(f"{field.replace('_', ' ')} is required", details={"field": field})
    if len(text) > limit:
        raise InvalidInput(f"{field} is longer than {limit} characters", details={"field": field})
    return text


def answerable(uow: UnitOfWork, system: AISystem) -> list[str]:
    """Who answers for an incident on the system: the RACI of incident response (A and R),
    the system's owner, and those who may classify and report incidents on it."""
    raci = [
        e.person_id
        for e in uow.raci.for_system(system.id)
        if e.activity is Activity.INCIDENT_RESPONSE
        and e.letter in (RaciLetter.ACCOUNTABLE, RaciLetter.RESPONSIBLE)
    ]
    kinds = PERMISSIONS[Action.INCIDENT_MANAGE]
    managers = [
        r.person_id
        for r in uow.roles.all()
        if r.role in kinds and r.covers(system.business_unit_id, system.id)
    ]
    return list(dict.fromkeys([*raci, *([system.owner_id] if system.owner_id else []), *managers]))


def _frozen(
    ctx: Context, uow: UnitOfWork, incident: Incident, ids: Sequence[str] | None
) -> list[Snapshot]:
    """The evidence the incident cites, frozen: the ids given (each the system's), else the
    latest evidence of each suite run on the system."""
    found = uow.evidence.for_system(incident.system_id, 500)
    if ids is None:
        chosen = list({e.suite_name: e for e in reversed(found)}.values())  # newest per suite
    else:
        by_id = {e.id: e for e in found}
        unknown = [i for i in ids if i not in by_id]
        if unknown:
            raise InvalidInput(
                f"evidence not recorded for this system: {', '.join(unknown)}",
                details={"field": "evidence_ids"},
            )
        chosen = [by_id[i] for i in dict.fromkeys(ids)]
    out = []
    for evidence in chosen:
        content = json.dumps(as_json(evidence), sort_keys=True, separators=(",", ":"))
        digest = hashlib.sha256(content.encode()).hexdigest()
        out.append(
            Snapshot(ctx.new_id("sn"), incident.id, evidence.id, ctx.clock(), content, digest)
        )
    return out


def record_incident(
    ctx: Context,
    actor: Actor,
    system_id: str,
    title: str,
    description: str,
    reported_by: str,
    aware_at: datetime,
    occurred_at: datetime | None = None,
    affected_persons: int | None = None,
    affected_description: str = "",
    time_zone: str | None = None,
    evidence_ids: Sequence[str] | None = None,
) -> Incident:
    """Record an incident against a system, freezing the evidence it cites; those who answer
    for it are told."""
    with ctx.uow() as uow:
        incident = record_within(
            ctx,
            uow,
            actor,
            system_id,
            title,
            description,
            reported_by,
            aware_at,
            occurred_at,
            affected_persons,
            affected_description,
            time_zone,
            evidence_ids,
        )
        uow.commit()
    return incident


def record_within(
    ctx: Context,
    uow: UnitOfWork,
    actor: Actor,
    system_id: str,
    title: str,
    description: str,
    reported_by: str,
    aware_at: datetime,
    occurred_at: datetime | None = None,
    affected_persons: int | None = None,
    affected_description: str = "",
    time_zone: str | None = None,
    evidence_ids: Sequence[str] | None = None,
) -> Incident:
    """The recording inside the caller's transaction."""
    system = hold(uow.systems, "system", system_id)
    ensure(actor, Action.INCIDENT_RECORD, system.business_unit_id, system.id)
    now, tz = ctx.clock(), time_zone or ctx.incident_time_zone
    zone(tz)
    for name, at in (("aware_at", aware_at), ("occurred_at", occurred_at)):
        if at is not None and (at.tzinfo is None or at > now + timedelta(minutes=5)):
            raise InvalidInput(
                f"{name} must be a past time with a time zone", details={"field": name}
            )
    if occurred_at is not None and occurred_at > aware_at:
        raise InvalidInput(
            "an incident cannot be known before it occurred", details={"field": "aware_at"}
        )
    if affected_persons is not None and affected_persons < 0:
        raise InvalidInput(
            "affected persons cannot be negative", details={"field": "affected_persons"}
        )
    incident = Incident(
        ctx.new_id("inc"),
        system.id,
        _text(title, "title", 300),
        _text(description, "description"),
        _text(reported_by, "reported_by", 300),
        aware_at,
        now,
        actor.ref,
        tz,
        occurred_at,
        affected_persons,
        affected_description.strip(),
    )
    uow.incidents.add(incident)
    snapshots = _frozen(ctx, uow, incident, evidence_ids)
    for snapshot in snapshots:
        uow.snapshots.add(snapshot)
    record(
        ctx,
        uow,
        actor,
        "incident.recorded",
        "incident",
        incident.id,
        {
            "system": system.id,
            "title": incident.title,
            "aware_at": utc_timestamp(aware_at),
            "time_zone": tz,
            "evidence": [[s.evidence_id, s.digest] for s in snapshots],
        },
    )
    notify(
        ctx,
        uow,
        "incident.recorded",
        ("incident", incident.id),
        f"{system.name}: {incident.title}",
        answerable(uow, system),
        {"system_id": system.id, "system": system.name, "aware_at": utc_timestamp(aware_at)},
    )
    return incident


def _held(uow: UnitOfWork, incident_id: str) -> tuple[Incident, AISystem]:
    """The incident and its system, locked in the one order: the system, then the incident."""
    system_id = require(uow.incidents, "incident", incident_id).system_id
    system = hold(uow.systems, "system", system_id)
    return hold(uow.incidents, "incident", incident_id), system


def _deadline_text(incident: Incident) -> str:
    clock = incident.clock()
    if clock is None:
        return ""
    local = clock.last_day.isoformat()
    return f"report by the end of {local} ({incident.time_zone}), {clock.period.basis}"


def classify_incident(
    ctx: Context,
    actor: Actor,
    incident_id: str,
    categories: Sequence[Category],
    death: bool,
    widespread: bool,
    reason: str,
) -> Incident:
    """Classify an incident (serious under Art. 3(49) or not); a serious one's reporting clock
    runs from awareness, and is escalated at once when within 48 hours of its deadline."""
    with ctx.uow() as uow:
        incident, system = _held(uow, incident_id)
        ensure(actor, Action.INCIDENT_MANAGE, system.business_unit_id, system.id)
        found = classify(
            incident,
            [Category(c) for c in categories],
            death,
            widespread,
            reason,
            actor.ref,
            ctx.clock(),
        )
        uow.incidents.update(found)
        record(
            ctx,
            uow,
            actor,
            "incident.classified",
            "incident",
            found.id,
            {
                "serious": found.serious,
                "categories": list(found.categories),
                "death": death,
                "widespread": widespread,
                "reason": found.classification_reason,
                "deadline": utc_timestamp(found.deadline_at) if found.deadline_at else None,
                "basis": found.deadline_basis,
            },
        )
        if found.serious and not incident.serious:
            ctx.after_serious_incident(ctx, uow, actor, found.id, system.id)
        if found.serious:
            notify(
                ctx,
                uow,
                "incident.serious",
                ("incident", found.id),
                f"{system.name}: {found.title}: {_deadline_text(found)}",
                answerable(uow, system),
                _facts(found, system),
            )
            found = _escalate_if_due(ctx, uow, found, system)
        uow.commit()
    return found


def _facts(incident: Incident, system: AISystem) -> dict[str, object]:
    return {
        "system_id": system.id,
        "system": system.name,
        "deadline": utc_timestamp(incident.deadline_at) if incident.deadline_at else "",
        "basis": incident.deadline_basis,
    }


def _escalate_if_due(
    ctx: Context, uow: UnitOfWork, incident: Incident, system: AISystem
) -> Incident:
    now = ctx.clock()
    if not escalation_due(incident, now):
        return incident
    escalated = replace(incident, escalated_at=now)
    uow.incidents.update(escalated, when={"escalated_at": None})
    record(
        ctx,
        uow,
        SYSTEM,
        "incident.escalated",
        "incident",
        incident.id,
        {"deadline": utc_timestamp(incident.deadline_at or now)},
    )
    notify(
        ctx,
        uow,
        "incident.deadline_near",
        ("incident", incident.id),
        f"{system.name}: {incident.title}: {_deadline_text(incident)}",
        answerable(uow, system),
        _facts(incident, system),
        key=f"incident.deadline_near:{incident.id}",
    )
    return escalated


def escalate_due(ctx: Context) -> int:
    """Escalate every serious incident within 48 hours of its deadline with no report sent
    yet, once each; how many were escalated now."""
    with ctx.uow() as uow:
        candidates = [
            i.id
            for i in uow.incidents.all(status=Status.OPEN, escalated_at=None)
            if escalation_due(i, ctx.clock())
        ]
    done = 0
    for incident_id in candidates:
        with ctx.uow() as uow:
            incident, system = _held(uow, incident_id)
            after = _escalate_if_due(ctx, uow, incident, system)
            uow.commit()
        done += after is not incident
    return done


def suspend_system(
    ctx: Context, actor: Actor, incident_id: str, reason: str
) -> tuple[Incident, TransitionRequest]:
    """Ask to suspend the incident's system through its lifecycle (the decision rights say
    who approves); the request is linked to the incident."""
    with ctx.uow() as uow:
        incident, system = _held(uow, incident_id)
        if incident.status is Status.CLOSED:
            raise Conflict(f"incident {incident_id} is closed")
        if incident.suspension_request_id:
            raise Conflict(f"a suspension was requested already ({incident.suspension_request_id})")
        why = f"incident {incident.id} ({incident.title}): {_text(reason, 'reason', 3000)}"
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
        incident, system = _held(uow, incident_id)
        ensure(actor, Action.INCIDENT_RECORD, system.business_unit_id, system.id)
        if incident.status is Status.CLOSED:
            raise Conflict(f"incident {incident_id} is closed")
        require(uow.people, "person", owner_id)
        action = CorrectiveAction(
            ctx.new_id("ca"),
            incident.id,
            _text(description, "description"),
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
        _, system = _held(uow, action.incident_id)
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
            outcome=_text(outcome, "outcome"),
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


@dataclass(frozen=True, slots=True)
class Record:
    """An incident with everything that hangs on it: what the pages and reports show."""

    incident: Incident
    system: AISystem
    actions: list[CorrectiveAction]
    snapshots: list[Snapshot]
    submissions: list[Submission]

    @property
    def missing(self) -> tuple[str, ...]:
        return missing_fields(self.incident, self.actions)


def get_incident(ctx: Context, actor: Actor, incident_id: str) -> Record:
    with ctx.uow() as uow:
        incident = require(uow.incidents, "incident", incident_id)
        system = require(uow.systems, "system", incident.system_id)
        ensure(actor, Action.READ, system.business_unit_id, system.id)
        return Record(
            incident,
            system,
            uow.corrective_actions.find({"incident_id": incident_id}, order="created_at").items,
            uow.snapshots.find({"incident_id": incident_id}, order="taken_at").items,
            uow.submissions.find({"incident_id": incident_id}, order="sent_at").items,
        )


def list_incidents(
    ctx: Context, actor: Actor, system_id: str | None = None, open_only: bool = False
) -> list[tuple[Incident, AISystem]]:
    """Incidents on systems the actor may read, the nearest deadline first."""
    ensure_member(actor)
    with ctx.uow() as uow:
        systems = {s.id: s for s in uow.systems.all()}
        filters: dict[str, object] = {"system_id": system_id} if system_id else {}
        found = uow.incidents.all(**filters)
    visible = [
        (i, systems[i.system_id])
        for i in found
        if allowed(actor, Action.READ, systems[i.system_id].business_unit_id, i.system_id)
        and (not open_only or i.status is not Status.CLOSED)
    ]
    return sorted(visible, key=lambda pair: _order(pair[0]))


def _order(incident: Incident) -> tuple[bool, float, float]:
    """Open before closed; running clocks by deadline; then the newest first."""
    due = incident.deadline_at.timestamp() if incident.running() and incident.deadline_at else 9e18
    return incident.status is Status.CLOSED, due, -incident.recorded_at.timestamp()


def clocks(
    ctx: Context, actor: Actor, system_id: str | None = None
) -> list[tuple[Incident, AISystem]]:
    """Serious incidents whose reporting clock runs, the nearest deadline first."""
    return [(i, s) for i, s in list_incidents(ctx, actor, system_id, True) if i.running()]


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
        incident, system = _held(uow, incident_id)
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
            _text(authority, "authority", 300),
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
        incident, system = _held(uow, incident_id)
        ensure(actor, Action.INCIDENT_MANAGE, system.business_unit_id, system.id)
        actions = uow.corrective_actions.all(incident_id=incident_id)
        kinds = [s.kind for s in uow.submissions.all(incident_id=incident_id)]
        check_closable(incident, actions, kinds)
        closed = replace(
            incident,
            status=Status.CLOSED,
            closed_at=ctx.clock(),
            closed_by=actor.ref,
            closing_note=_text(note, "note"),
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
