"""Ports of strategy alignment: objectives, use cases, KPIs and their measurements, the
iterations and experiments that deliver use cases, and the scoring model in force."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from charter.accountability import ports as accountability
from charter.frameworks import ports as frameworks
from charter.kernel.access import Actor
from charter.kernel.ports import Repository
from charter.strategy.domain.delivery import Experiment, Iteration
from charter.strategy.domain.kpis import Kpi, KpiPreview, Measurement
from charter.strategy.domain.scoring import ScoringModel
from charter.strategy.domain.strategy import Objective, UseCase


class UnitOfWork(accountability.UnitOfWork, frameworks.UnitOfWork, Protocol):
    objectives: Repository[Objective]
    use_cases: Repository[UseCase]
    kpis: Repository[Kpi]
    measurements: Repository[Measurement]
    kpi_previews: Repository[KpiPreview]
    iterations: Repository[Iteration]
    experiments: Repository[Experiment]


class PromotionHook(Protocol):
    """What follows from a use case promoted to a system, in its transaction (the composition
    root wires it: the use case's risks move to the system)."""

    def __call__(
        self, ctx: Any, uow: Any, actor: Actor, use_case_id: str, system_id: str
    ) -> object: ...


class Context(accountability.Context, frameworks.Context, Protocol):
    @property
    def uow(self) -> Callable[[], UnitOfWork]: ...
    @property
    def after_promotion(self) -> PromotionHook: ...
    @property
    def scoring(self) -> ScoringModel | None:
        """The use-case scoring model; None: portfolios cannot be scored."""
        ...
