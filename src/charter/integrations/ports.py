"""Ports of the integrations: the lineage graph and the records kept of external sources (on
top of governance's unit of work, which holds every capability below it), and the MLflow
registry as Charter reads it."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol

from charter.governance import ports as governance
from charter.integrations.domain.mlflow import Registered
from charter.integrations.domain.records import (
    DiscoveryScan,
    ExternalLink,
    LineageEdge,
    LineageNode,
    PromotionFlag,
    Proposal,
    ReportedEvidence,
)
from charter.kernel.ports import Repository


class LineageRepository(Repository[LineageNode], Protocol):
    def downstream(self, start: Sequence[str]) -> list[LineageNode]:
        """Every node reachable from the start nodes along the edges (the start included)."""
        ...

    def linked(self, column: str, ids: Sequence[str]) -> list[LineageNode]:
        """The nodes that are the Charter records named (column: dataset_id, model_id,
        system_id)."""
        ...


class UnitOfWork(governance.UnitOfWork, Protocol):
    lineage_nodes: LineageRepository
    lineage_edges: Repository[LineageEdge]
    external_links: Repository[ExternalLink]
    reported_evidence: Repository[ReportedEvidence]
    promotion_flags: Repository[PromotionFlag]
    discovery_scans: Repository[DiscoveryScan]
    proposals: Repository[Proposal]


class Registry(Protocol):
    """An MLflow tracking server's model registry, read-only."""

    @property
    def url(self) -> str: ...
    def registered(self) -> list[Registered]: ...
    def close(self) -> None: ...


class Context(governance.Context, Protocol):
    @property
    def uow(self) -> Callable[[], UnitOfWork]: ...
    @property
    def mlflow(self) -> Callable[[str, str | None], Registry]:
        """The registry of the MLflow tracking server at a URL (with a token, or None)."""
        ...
