"""Ports of validation: where evidence is kept, and the engine that computes a suite's
aggregates where its data lies."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

from charter.inventory import ports as inventory
from charter.kernel.access import Actor
from charter.kernel.ports import Repository
from charter.validation.domain.evidence import Aggregates, Evidence, EvidenceReview
from charter.validation.domain.suite import Suite

Progress = Callable[[str, int, int], None]  # step, steps done, steps in all
Frames = Mapping[str, Any]  # table name -> a data frame handed over in Python


class EvidenceRepository(Protocol):
    def add(self, item: Evidence) -> None: ...
    def get(self, ident: str) -> Evidence | None: ...
    def for_system(self, system_id: str, limit: int = 100) -> list[Evidence]: ...
    def latest(
        self, per_system: int = 20, system_ids: frozenset[str] | None = None
    ) -> dict[str, list[Evidence]]: ...


class UnitOfWork(inventory.UnitOfWork, Protocol):
    evidence: EvidenceRepository
    reviews: Repository[EvidenceReview]  # evidence that needs review before it counts again


class SuiteRunner(Protocol):
    """Computes every aggregate a suite's checks need where its data lies (an engine)."""

    def __call__(
        self,
        suite: Suite,
        folder: Path,
        engine: str = "duckdb",
        now: datetime | None = None,
        progress: Progress | None = None,
        frames: Frames | None = None,
    ) -> Aggregates: ...


class StartedRun(Protocol):
    """A suite's run begun in the background, before the checks that allow its result
    (runner.Started)."""

    def result(self, suite: Suite) -> Aggregates: ...
    def took(self) -> float: ...
    def close(self) -> None: ...


class RunStarter(SuiteRunner, Protocol):
    """A SuiteRunner that can also begin a run in the background."""

    def start(
        self, suite: Suite, folder: Path, engine: str, progress: Progress | None
    ) -> StartedRun: ...


class EvidenceHook(Protocol):
    """What follows from evidence just recorded, in its transaction (the composition root
    wires it: a data-quality breach puts what depends on the data under review)."""

    def __call__(
        self, ctx: Any, uow: Any, actor: Actor, evidence: Evidence, suite: Suite
    ) -> object: ...


class Context(inventory.Context, Protocol):
    @property
    def uow(self) -> Callable[[], UnitOfWork]: ...
    @property
    def run_suite(self) -> SuiteRunner: ...
    @property
    def after_evidence(self) -> EvidenceHook: ...
