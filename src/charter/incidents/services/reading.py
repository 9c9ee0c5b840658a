"""Reading incidents: one with everything that hangs on it, and lists in deadline order."""

from __future__ import annotations

from dataclasses import dataclass

from charter.incidents.domain import (
    CorrectiveAction,
    Incident,
    Snapshot,
    Status,
    Submission,
    missing_fields,
)
from charter.incidents.ports import Context
from charter.inventory.domain import AISystem, Dataset
from charter.kernel.access import Action, Actor, allowed, ensure, ensure_member
from charter.kernel.lookups import by_ids, require


@dataclass(frozen=True, slots=True)
class Record:
    """An incident with everything that hangs on it: what the pages and reports show."""

    incident: Incident
    system: AISystem
    actions: list[CorrectiveAction]
    snapshots: list[Snapshot]
    submissions: list[Submission]
    dataset: Dataset | None = None  # the dataset the incident concerns, if any

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
            uow.datasets.get(incident.dataset_id) if incident.dataset_id else None,
        )


def list_incidents(
    ctx: Context, actor: Actor, system_id: str | None = None, open_only: bool = False
) -> list[tuple[Incident, AISystem]]:
    """Incidents on systems the actor may read, the nearest deadline first."""
    ensure_member(actor)
    with ctx.uow().reading() as uow:
        filters: dict[str, object] = {"system_id": system_id} if system_id else {}
        found = uow.incidents.all(**filters)
        systems = by_ids(uow.systems, {i.system_id for i in found})
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
