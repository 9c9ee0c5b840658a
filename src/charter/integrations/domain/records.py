"""The records the integrations keep: lineage nodes and edges, links to an external
registry's records, metrics a registry reported, promotions flagged, discovery scans and the
proposals a person accepts or dismisses."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any


class NodeKind(StrEnum):
    DATASET = "dataset"
    JOB = "job"
    MODEL = "model"
    SYSTEM = "system"


@dataclass(frozen=True, slots=True)
class LineageNode:
    id: str
    kind: NodeKind
    namespace: str
    name: str
    first_seen: datetime
    last_seen: datetime
    dataset_id: str | None = None  # the Charter record this node is
    model_id: str | None = None
    system_id: str | None = None
    facets: tuple[str, ...] = ()  # the names of the facets last seen


@dataclass(frozen=True, slots=True)
class LineageEdge:
    """Data flows from source to target: a dataset read by a job, a job writing a dataset."""

    id: str
    source_id: str
    target_id: str
    run_id: str
    last_seen: datetime


@dataclass(frozen=True, slots=True)
class ExternalLink:
    """A Charter record that mirrors one in an external registry (MLflow), by its address."""

    id: str
    source: str
    key: str
    kind: str
    charter_id: str
    data: dict[str, Any]
    synced_at: datetime


@dataclass(frozen=True, slots=True)
class ReportedEvidence:
    """Metrics an external tool reported for a model version (an MLflow run's): kept apart from
    the evidence Charter computes, and never read by a gate."""

    id: str
    system_id: str
    model_version_id: str | None
    source: str
    run_id: str
    run_url: str
    metrics: dict[str, Any]
    reported_at: datetime | None
    recorded_at: datetime
    recorded_by: str


@dataclass(frozen=True, slots=True)
class PromotionFlag:
    """A model version promoted in the registry (a stage or an alias) whose system has not
    passed Charter's deployment gate for it."""

    id: str
    system_id: str
    model_version_id: str
    source: str
    promoted_as: str
    reason: str
    flagged_at: datetime
    cleared_at: datetime | None = None


class ProposalStatus(StrEnum):
    OPEN = "open"
    ACCEPTED = "accepted"
    DISMISSED = "dismissed"


@dataclass(frozen=True, slots=True)
class DiscoveryScan:
    id: str
    root: str  # the scanned folder's name (never its path on a machine)
    scanned_at: datetime
    scanned_by: str
    files_scanned: int
    findings: tuple[dict[str, Any], ...] = ()


@dataclass(frozen=True, slots=True)
class Proposal:
    """An inventory entry discovery proposes; nothing is written until a person accepts it."""

    id: str
    scan_id: str
    kind: str  # system, vendor, model
    name: str
    fields: dict[str, Any]
    found: dict[str, Any]
    status: ProposalStatus = ProposalStatus.OPEN
    match_id: str | None = None  # the existing record it matches
    decided_at: datetime | None = None
    decided_by: str | None = None
    created_id: str | None = None
