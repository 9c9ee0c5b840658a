"""Classifying an incident (serious under Art. 3(49) or not; a serious one's reporting clock
runs from awareness) and escalating it, once, before its deadline."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from charter.incidents.domain import Category, Incident, Status, classify, escalation_due
from charter.incidents.ports import Context, UnitOfWork
from charter.incidents.services.shared import answerable, held
from charter.inventory.domain import AISystem
from charter.kernel.access import Action, Actor, ensure
from charter.kernel.context import record
from charter.kernel.records import utc_timestamp
from charter.notifications.services import notify

SYSTEM = Actor(person_id=None, label="incidents")


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
        incident, system = held(uow, incident_id)
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
            ctx.after_serious_incident(ctx, uow, actor, found.id, system.id, found.dataset_id)
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
            incident, system = held(uow, incident_id)
            after = _escalate_if_due(ctx, uow, incident, system)
            uow.commit()
        done += after is not incident
    return done
