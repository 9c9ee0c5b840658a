"""Ports of strategy alignment: objectives, use cases, KPIs and their measurements, the
iterations and experiments that deliver use cases, and the scoring model in force."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from charter.accountability import ports as accountability
from charter.frameworks import ports as frameworks
from charter.kernel.ports import Repository
from charter.strategy.domain.delivery import Experiment, Iteration
from charter.strategy.domain.kpis import Kpi, Measurement
from charter.strategy.domain.scoring import ScoringModel
from charter.strategy.domain.strategy import Objective, UseCase


class UnitOfWork(accountability.UnitOfWork, frameworks.UnitOfWork, Protocol):
    objectives: Repository[Objective]
    use_cases: Repository[UseCase]
    kpis: Repository[Kpi]
    measurements: Repository[Measurement]
    iterations: Repository[Iteration]
    experiments: Repository[Experiment]


class Context(accountability.Context, frameworks.Context, Protocol):
    @property
    def uow(self) -> Callable[[], UnitOfWork]: ...
    @property
    def scoring(self) -> ScoringModel | None:
        """The use-case scoring model; None: portfolios cannot be scored."""
        ...
