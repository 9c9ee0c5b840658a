"""The records a system's documents read, read by the service in one transaction and handed
to the pure resolvers (charter.reports.domain.system_facts and evidence_facts)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from charter.accountability.domain.raci import RaciEntry
from charter.frameworks.domain.classification import ClassificationRecord
from charter.governance.domain.gates import PolicyVerdict
from charter.governance.domain.lifecycle import TransitionRequest
from charter.governance.domain.policy import Policy
from charter.governance.domain.waivers import Document
from charter.inventory.domain import AISystem, Dataset, LifecycleStage, Model, ModelVersion
from charter.reports.domain.documents import Fact, IssuedReport
from charter.validation.domain.evidence import Evidence

Facts = list[Fact]


@dataclass(frozen=True, slots=True)
class SystemRecords:
    """Every record a system's documents read, read in one transaction."""

    system: AISystem
    now: datetime
    unit: str = ""
    owner: str = ""
    vendor: str = ""
    models: Sequence[Model] = ()
    versions: Sequence[ModelVersion] = ()  # oldest first
    datasets: Mapping[str, Dataset] = field(default_factory=dict)
    classification: ClassificationRecord | None = None
    raci: Sequence[RaciEntry] = ()
    names: Mapping[str, str] = field(default_factory=dict)
    evidence: Sequence[Evidence] = ()  # newest first
    documents: Sequence[Document] = ()  # newest first
    policies: Sequence[Policy] = ()
    verdicts: Sequence[PolicyVerdict] = ()  # the next gate's (or, deployed, the current one's)
    target: LifecycleStage | None = None
    transitions: Sequence[TransitionRequest] = ()
    issued: Sequence[IssuedReport] = ()
