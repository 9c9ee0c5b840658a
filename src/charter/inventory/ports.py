"""Ports of the AI inventory: its repositories, and the directory lookups it checks owners and
business units against (their records are accountability's)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from charter.audit import ports as audit
from charter.inventory.domain import AISystem, Dataset, Model, ModelVersion, Vendor
from charter.kernel.ports import Directory, Identified, Repository


class Applicability(Protocol):
    """Which policies a change to a system would switch on or off (the policies are
    governance's records)."""

    def switched(self, before: AISystem, after: AISystem) -> list[str]:
        """Ids of the stored policies that select one of the two and not the other."""
        ...


class UnitOfWork(audit.UnitOfWork, Protocol):
    systems: Repository[AISystem]
    models: Repository[Model]
    model_versions: Repository[ModelVersion]
    datasets: Repository[Dataset]
    vendors: Repository[Vendor]

    @property
    def people(self) -> audit.Names: ...
    @property
    def units(self) -> Directory[Identified]: ...
    @property
    def applicability(self) -> Applicability: ...


class Context(audit.Context, Protocol):
    @property
    def uow(self) -> Callable[[], UnitOfWork]: ...
