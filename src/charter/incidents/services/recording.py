"""Recording an incident against a system, freezing the evidence it cites."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from datetime import datetime, timedelta

from charter.incidents.domain import Incident, Snapshot, zone
from charter.incidents.ports import Context, UnitOfWork
from charter.incidents.services.shared import answerable, required_text
from charter.inventory.domain import Dataset
from charter.kernel.access import Action, Actor, ensure
from charter.kernel.context import record
from charter.kernel.errors import InvalidInput
from charter.kernel.lookups import hold
from charter.kernel.present import as_json
from charter.kernel.records import utc_timestamp
from charter.notifications.services import notify


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


def _dataset(uow: UnitOfWork, dataset_id: str | None) -> Dataset | None:
    """The dataset an incident concerns: one on record (datasets carry no business unit: every
    member reads them, and the reporter already holds a role on the system)."""
    if dataset_id is None:
        return None
    dataset = uow.datasets.get(dataset_id.strip())
    if dataset is None:
        message = f"no dataset {dataset_id!r} on record"
        where = [{"loc": ["dataset_id"], "msg": message}]
        raise InvalidInput(message, details={"field": "dataset_id", "errors": where})
    return dataset


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
    dataset_id: str | None = None,
) -> Incident:
    """Record an incident against a system, freezing the evidence it cites; those who answer
    for it are told. An incident on data names the dataset it concerns too: the reporting
    clock stays the system's (Art. 73 binds the provider of a system, not a dataset)."""
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
            dataset_id,
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
    dataset_id: str | None = None,
) -> Incident:
    """The recording inside the caller's transaction."""
    system = hold(uow.systems, "system", system_id)
    ensure(actor, Action.INCIDENT_RECORD, system.business_unit_id, system.id)
    dataset = _dataset(uow, dataset_id)
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
        required_text(title, "title", 300),
        required_text(description, "description"),
        required_text(reported_by, "reported_by", 300),
        aware_at,
        now,
        actor.ref,
        tz,
        occurred_at,
        affected_persons,
        affected_description.strip(),
        dataset_id=dataset.id if dataset else None,
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
            "dataset": incident.dataset_id,
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
