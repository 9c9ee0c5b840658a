"""Ports of incidents: incidents, their corrective actions, evidence snapshots and submissions,
and the authority's default time zone."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from charter.governance import ports as governance
from charter.incidents.domain import CorrectiveAction, Incident, Snapshot, Submission
from charter.kernel.ports import Repository


class UnitOfWork(governance.UnitOfWork, Protocol):
    incidents: Repository[Incident]
    corrective_actions: Repository[CorrectiveAction]
    snapshots: Repository[Snapshot]
    submissions: Repository[Submission]


class Context(governance.Context, Protocol):
    @property
    def uow(self) -> Callable[[], UnitOfWork]: ...
    @property
    def incident_time_zone(self) -> str:
        """The authority's time zone when an incident names none."""
        ...
