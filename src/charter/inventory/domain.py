"""The AI inventory: systems, models and their versions, datasets, vendors."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from charter.kernel.errors import InvalidInput


class LifecycleStage(StrEnum):
    PROPOSED = "proposed"
    ASSESSED = "assessed"
    APPROVED_FOR_DEVELOPMENT = "approved_for_development"
    IN_DEVELOPMENT = "in_development"
    IN_VALIDATION = "in_validation"
    APPROVED_FOR_DEPLOYMENT = "approved_for_deployment"
    DEPLOYED = "deployed"
    RETIRED = "retired"
    SUSPENDED = "suspended"


class OperatorRole(StrEnum):
    """The organisation's role for the system under the EU AI Act (Art. 3)."""

    PROVIDER = "provider"
    DEPLOYER = "deployer"
    IMPORTER = "importer"
    DISTRIBUTOR = "distributor"


class RiskTier(StrEnum):
    """EU AI Act tier; 'unclassified' until a classification has been recorded."""

    UNCLASSIFIED = "unclassified"
    PROHIBITED = "prohibited"
    HIGH = "high"
    LIMITED = "limited"
    MINIMAL = "minimal"


MAX_TAGS = 30


def normalise_tags(tags: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    """Lower-case, trimmed, de-duplicated, sorted tags; each short and non-empty."""
    cleaned = {t.strip().lower() for t in tags}
    if "" in cleaned:
        raise InvalidInput("a tag must not be empty", details={"field": "tags"})
    if any(len(t) > 50 for t in cleaned):
        raise InvalidInput("a tag is longer than 50 characters", details={"field": "tags"})
    if len(cleaned) > MAX_TAGS:
        raise InvalidInput(f"at most {MAX_TAGS} tags", details={"field": "tags"})
    return tuple(sorted(cleaned))


@dataclass(frozen=True, slots=True)
class AISystem:
    id: str
    name: str
    purpose: str
    business_unit_id: str
    owner_id: str | None
    stage: LifecycleStage = LifecycleStage.PROPOSED
    operator_role: OperatorRole = OperatorRole.PROVIDER
    risk_tier: RiskTier = RiskTier.UNCLASSIFIED
    deployment_context: str = ""
    intended_use: str = ""
    vendor_id: str | None = None
    tags: tuple[str, ...] = field(default_factory=tuple)
    stage_before_suspension: LifecycleStage | None = None


@dataclass(frozen=True, slots=True)
class Dataset:
    id: str
    name: str
    owner_id: str | None
    source: str = ""
    contains_personal_data: bool = False
    special_category_data: bool = False
    retention: str = ""

    def __post_init__(self) -> None:
        if self.special_category_data and not self.contains_personal_data:
            raise InvalidInput(
                "special-category data is personal data: set contains_personal_data too",
                details={"field": "special_category_data"},
            )


@dataclass(frozen=True, slots=True)
class Model:
    id: str
    name: str
    system_id: str | None
    description: str = ""
    vendor_id: str | None = None  # a third party's model (from its ML-BOM, say)


@dataclass(frozen=True, slots=True)
class ModelVersion:
    id: str
    model_id: str
    version: str
    artifact_uri: str
    framework: str = ""
    training_dataset_id: str | None = None
    registered_at: datetime | None = None  # the latest registered is the model's current one


@dataclass(frozen=True, slots=True)
class Vendor:
    id: str
    name: str
    website: str = ""
    contact: str = ""
    notes: str = ""
