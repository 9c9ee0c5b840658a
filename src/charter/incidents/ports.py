"""Ports of incidents: incidents, their corrective actions, evidence snapshots and submissions,
and the authority's default time zone."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from charter.governance import ports as governance
from charter.incidents.domain import CorrectiveAction, Incident, Snapshot, Submission
from charter.kernel.access import Actor
from charter.kernel.ports import Repository


class UnitOfWork(governance.UnitOfWork, Protocol):
    incidents: Repository[Incident]
    corrective_actions: Repository[CorrectiveAction]
    snapshots: Repository[Snapshot]
    submissions: Repository[Submission]


class IncidentHook(Protocol):
    """What follows from an incident found serious, in its transaction (the composition root
    wires it: the evidence of the system, of what depends on it and of what depends on the
    dataset the incident concerns, if any, is put under review)."""

    def __call__(
        self,
        ctx: Any,
        uow: Any,
        actor: Actor,
        incident_id: str,
        system_id: str,
        dataset_id: str | None = None,
    ) -> object: ...


class Context(governance.Context, Protocol):
    @property
    def uow(self) -> Callable[[], UnitOfWork]: ...
    @property
    def incident_time_zone(self) -> str:
        """The authority's time zone when an incident names none."""
        ...

    @property
    def after_serious_incident(self) -> IncidentHook: ...
