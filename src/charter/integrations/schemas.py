"""Request bodies and answers of the integrations' API."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from charter.frameworks.schemas import DueItem
from charter.integrations.domain.records import ReportedEvidence
from charter.integrations.services.bom import BomOutcome
from charter.integrations.services.imports import Outcome
from charter.integrations.services.lineage import Accountable
from charter.kernel.web.contract import Ref
from charter.kernel.web.schemas import Body


class ReviewIn(Body):
    reason: str = Field(min_length=1, max_length=2000)


class BreachIn(Body):
    evidence_id: str = Field(min_length=1, max_length=40)


class ResolveIn(Body):
    resolution: str = Field(min_length=1, max_length=2000)


class AcceptIn(Body):
    """What accepting a proposal may add: a system's business unit (needed), purpose and
    owner; a model's system."""

    business_unit_id: str | None = Field(default=None, max_length=40)
    purpose: str | None = Field(default=None, max_length=4000)
    owner_id: str | None = Field(default=None, max_length=40)
    system_id: str | None = Field(default=None, max_length=40)


# --- answers --------------------------------------------------------------------------------


class ImportProblem(BaseModel):
    sheet: str
    row: int = Field(description="the spreadsheet's row (the header is row 1); 0: the file")
    column: str | None
    problem: str


class ImportResult(BaseModel):
    """What an import did (or, in a dry run, would do), sheet by sheet and row by row."""

    source: str
    dry_run: bool
    committed: bool
    counts: dict[str, dict[str, int]]
    outcomes: list[Outcome]
    errors: list[ImportProblem]


class RunRecorded(BaseModel):
    run_id: str
    job: str
    nodes_created: list[str]
    edges: int


class NodeOut(BaseModel):
    kind: str
    namespace: str
    name: str
    dataset_id: str | None
    model_id: str | None
    system_id: str | None
    last_seen: str


class ImpactModel(BaseModel):
    id: str
    name: str
    system_id: str | None


class ImpactSystem(BaseModel):
    id: str
    name: str
    stage: str
    risk_tier: str


class ImpactUseCase(BaseModel):
    id: str
    title: str
    status: str


class ImpactOut(BaseModel):
    """The blast radius of a dataset."""

    dataset: Ref | None
    lineage: list[str] = Field(description="the lineage nodes that are the dataset")
    downstream: list[NodeOut]
    models: list[ImpactModel]
    systems: list[ImpactSystem]
    use_cases: list[ImpactUseCase]
    accountable: list[Accountable]
    obligations: list[DueItem]
    hidden_systems: int = Field(description="dependent systems the caller may not read")


@dataclass(frozen=True)
class ReportedOut(ReportedEvidence):
    """Metrics an external tool reported: marked so, never read by a gate."""

    reported_by: str
    computed_by_charter: bool


class BomDocument(BaseModel):
    """A CycloneDX 1.6 ML-BOM (https://cyclonedx.org/docs/1.6/json/)."""

    model_config = ConfigDict(extra="allow")

    bomFormat: str  # noqa: N815 (CycloneDX's field name)
    specVersion: str  # noqa: N815
    serialNumber: str  # noqa: N815
    version: int
    metadata: dict[str, Any]
    components: list[dict[str, Any]]
    dependencies: list[dict[str, Any]]


class BomImported(BaseModel):
    serial: str
    vendor: str | None
    dry_run: bool
    committed: bool
    counts: dict[str, dict[str, int]]
    outcomes: list[BomOutcome]
