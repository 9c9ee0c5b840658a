"""Ports of the framework packs and EU AI Act classification: recorded classifications, the
use cases whose screening a classification may start from (their records are strategy's),
and the people and RACI that say who answers for an obligation (accountability's)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Protocol

from charter.accountability import ports as accountability
from charter.frameworks.domain.classification import ClassificationRecord
from charter.frameworks.domain.questionnaire import Draft
from charter.inventory import ports as inventory
from charter.kernel.ports import Directory, Identified, Lookup, Repository


class Screened(Protocol):
    """What classification needs of a use case (strategy's record): the units and systems it
    belongs to, and its EU AI Act screening answers."""

    @property
    def business_unit_id(self) -> str | None: ...
    @property
    def system_ids(self) -> tuple[str, ...]: ...
    @property
    def screening(self) -> Mapping[str, Any]: ...


class Named(Identified, Protocol):
    """What an obligation's calendar needs of a person (accountability's record): a name."""

    @property
    def name(self) -> str: ...


class UnitOfWork(inventory.UnitOfWork, Protocol):
    classifications: Repository[ClassificationRecord]
    classification_drafts: Repository[Draft]
    raci: accountability.RaciRepository

    @property
    def use_cases(self) -> Lookup[Screened]: ...
    @property
    def people(self) -> Directory[Named]: ...


class Context(inventory.Context, Protocol):
    @property
    def uow(self) -> Callable[[], UnitOfWork]: ...
