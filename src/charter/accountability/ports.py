"""Ports of roles and accountability: business units, people, role assignments, RACI, and the
decision rights in force."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Protocol

from charter.accountability.domain.org import BusinessUnit, Person
from charter.accountability.domain.raci import RaciEntry
from charter.accountability.domain.rights import DecisionRights
from charter.inventory import ports as inventory
from charter.inventory.domain import LifecycleStage
from charter.kernel.ports import Repository
from charter.kernel.roles import RoleAssignment


class RaciRepository(Protocol):
    def for_system(self, system_id: str) -> list[RaciEntry]: ...
    def all(self) -> list[RaciEntry]: ...
    def replace_activity(
        self,
        system_id: str,
        activity: str,
        entries: Sequence[RaciEntry],
        at: datetime,
        by: str,
    ) -> None:
        """Replace one activity's entries; the letters taken off are kept (`removed`)."""
        ...

    def removed(self, system_id: str, since: datetime | None = None) -> list[RaciEntry]:
        """Letters taken off the system since a moment (or ever), oldest first."""
        ...


class Lifecycle(Protocol):
    """What segregation of duties needs of the lifecycle, whose records are governance's."""

    def pending_targets(self, system_id: str) -> frozenset[LifecycleStage]:
        """The stages the system's pending transition requests ask for."""
        ...

    def development_began(self, system_id: str) -> datetime | None:
        """When the system first entered development, if it has."""
        ...


class UnitOfWork(inventory.UnitOfWork, Protocol):
    units: Repository[BusinessUnit]
    people: Repository[Person]
    roles: Repository[RoleAssignment]
    raci: RaciRepository
    lifecycle: Lifecycle


class Context(inventory.Context, Protocol):
    @property
    def uow(self) -> Callable[[], UnitOfWork]: ...
    @property
    def rights(self) -> DecisionRights: ...
