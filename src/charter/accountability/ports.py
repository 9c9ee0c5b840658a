"""Ports of roles and accountability: business units, people, role assignments, RACI, and the
decision rights in force."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol

from charter.accountability.domain.org import BusinessUnit, Person
from charter.accountability.domain.raci import RaciEntry
from charter.accountability.domain.rights import DecisionRights
from charter.inventory import ports as inventory
from charter.kernel.ports import Repository
from charter.kernel.roles import RoleAssignment


class RaciRepository(Protocol):
    def for_system(self, system_id: str) -> list[RaciEntry]: ...
    def all(self) -> list[RaciEntry]: ...
    def replace_activity(
        self, system_id: str, activity: str, entries: Sequence[RaciEntry]
    ) -> None: ...


class UnitOfWork(inventory.UnitOfWork, Protocol):
    units: Repository[BusinessUnit]
    people: Repository[Person]
    roles: Repository[RoleAssignment]
    raci: RaciRepository


class Context(inventory.Context, Protocol):
    @property
    def uow(self) -> Callable[[], UnitOfWork]: ...
    @property
    def rights(self) -> DecisionRights: ...
