"""Ports of monitoring: monitors, their runs, alerts and reviews; where monitors read their
data; the monitoring rules in force."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from charter.governance import ports as governance
from charter.kernel.ports import Repository
from charter.monitoring.domain.monitors import Alert, Monitor, Review, Run
from charter.monitoring.domain.rules import Rules
from charter.validation.ports import EvidenceHook


class UnitOfWork(governance.UnitOfWork, Protocol):
    monitors: Repository[Monitor]
    runs: Repository[Run]
    alerts: Repository[Alert]
    monitor_reviews: Repository[Review]


class Context(governance.Context, Protocol):
    @property
    def uow(self) -> Callable[[], UnitOfWork]: ...
    @property
    def data_dir(self) -> Path | None:
        """The folder monitors read their data from; None: monitors cannot run."""
        ...

    @property
    def monitoring_rules(self) -> Rules: ...
    @property
    def after_evidence(self) -> EvidenceHook:
        """What follows from a run's evidence in its transaction (a data-quality breach)."""
        ...
