"""Ports of the framework packs and EU AI Act classification: recorded classifications, and
the use cases whose screening a classification may start from (their records are
strategy's)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Protocol

from charter.frameworks.domain.classification import ClassificationRecord
from charter.inventory import ports as inventory
from charter.kernel.ports import Lookup, Repository


class Screened(Protocol):
    """What classification needs of a use case (strategy's record): the units and systems it
    belongs to, and its EU AI Act screening answers."""

    @property
    def business_unit_id(self) -> str | None: ...
    @property
    def system_ids(self) -> tuple[str, ...]: ...
    @property
    def screening(self) -> Mapping[str, Any]: ...


class UnitOfWork(inventory.UnitOfWork, Protocol):
    classifications: Repository[ClassificationRecord]

    @property
    def use_cases(self) -> Lookup[Screened]: ...


class Context(inventory.Context, Protocol):
    @property
    def uow(self) -> Callable[[], UnitOfWork]: ...
