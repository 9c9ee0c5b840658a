"""Request bodies. Unknown fields are refused so that typos do not pass silently."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from charter.domain.inventory import LifecycleStage, OperatorRole, RiskTier
from charter.domain.lifecycle import Decision
from charter.domain.org import RoleKind, ScopeKind
from charter.domain.raci import RaciLetter

Name = Field(min_length=1, max_length=200)


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class UnitIn(Body):
    name: str = Name
    description: str = Field(default="", max_length=4000)


class UnitPatch(Body):
    name: str | None = Field(default=None, min_length=1, max_length=200)
    description: str | None = Field(default=None, max_length=4000)


class PersonIn(Body):
    name: str = Name
    email: str = Field(min_length=3, max_length=320)
    business_unit_id: str | None = None
    title: str = Field(default="", max_length=200)


class PersonPatch(Body):
    name: str | None = Field(default=None, min_length=1, max_length=200)
    email: str | None = Field(default=None, min_length=3, max_length=320)
    business_unit_id: str | None = None
    title: str | None = Field(default=None, max_length=200)
    active: bool | None = None


class RoleIn(Body):
    person_id: str
    role: RoleKind
    scope: ScopeKind = ScopeKind.ORGANISATION
    scope_id: str | None = None


class SystemIn(Body):
    name: str = Name
    purpose: str = Field(min_length=1, max_length=4000)
    business_unit_id: str
    owner_id: str | None = None
    intended_use: str = Field(default="", max_length=4000)
    operator_role: OperatorRole = OperatorRole.PROVIDER
    risk_tier: RiskTier = RiskTier.UNCLASSIFIED
    deployment_context: str = Field(default="", max_length=4000)
    vendor_id: str | None = None
    tags: list[str] = Field(default_factory=list, max_length=30)


class SystemPatch(Body):
    name: str | None = Field(default=None, min_length=1, max_length=200)
    purpose: str | None = Field(default=None, min_length=1, max_length=4000)
    business_unit_id: str | None = None
    owner_id: str | None = None
    intended_use: str | None = Field(default=None, max_length=4000)
    operator_role: OperatorRole | None = None
    risk_tier: RiskTier | None = None
    deployment_context: str | None = Field(default=None, max_length=4000)
    vendor_id: str | None = None
    tags: list[str] | None = Field(default=None, max_length=30)


class VendorIn(Body):
    name: str = Name
    website: str = Field(default="", max_length=500)
    contact: str = Field(default="", max_length=500)
    notes: str = Field(default="", max_length=4000)


class DatasetIn(Body):
    name: str = Name
    owner_id: str | None = None
    source: str = Field(default="", max_length=4000)
    contains_personal_data: bool = False
    special_category_data: bool = False
    retention: str = Field(default="", max_length=200)


class ModelIn(Body):
    name: str = Name
    system_id: str | None = None
    description: str = Field(default="", max_length=4000)


class ModelVersionIn(Body):
    version: str = Field(min_length=1, max_length=100)
    artifact_uri: str = Field(min_length=1, max_length=2000)
    framework: str = Field(default="", max_length=100)
    training_dataset_id: str | None = None


class RaciAssignmentIn(Body):
    person_id: str
    letter: RaciLetter


class RaciActivityIn(Body):
    assignments: list[RaciAssignmentIn] = Field(max_length=100)


class TransitionIn(Body):
    to: LifecycleStage
    reason: str = Field(min_length=1, max_length=4000)


class DecisionIn(Body):
    decision: Decision
    reason: str = Field(min_length=1, max_length=4000)


class TokenIn(Body):
    person_id: str
    name: str = Field(min_length=1, max_length=100)


class ValidationIn(Body):
    suite: dict[str, Any] = Field(
        description="A validation suite, as in a suite file; its "
        "data and reference paths are read under the server's "
        "data folder (CHARTER_DATA_DIR)."
    )
    engine: Literal["duckdb", "spark"] = Field(
        default="duckdb", description="Where the checks run (Spark needs the spark extra)."
    )
    model_version_id: str | None = Field(
        default=None, max_length=40, description="The model version that scored the data."
    )


class PolicySetIn(Body):
    policies: list[dict[str, Any]] = Field(
        min_length=1,
        max_length=500,
        description="Policies as in policy files (JSON Schema at "
        "GET /api/v1/policies/schema); all are validated before any is stored.",
    )


class EnabledIn(Body):
    enabled: bool


class WaiverIn(Body):
    system_id: str = Field(min_length=1, max_length=40)
    policy_id: str = Field(min_length=1, max_length=100)
    requirement_id: str = Field(min_length=1, max_length=100)
    reason: str = Field(min_length=1, max_length=4000)
    compensating_measures: str = Field(min_length=1, max_length=4000)
    expires_at: datetime


class RevokeIn(Body):
    reason: str = Field(min_length=1, max_length=4000)


class DocumentIn(Body):
    kind: str = Field(min_length=1, max_length=100, description="e.g. dpia, model_card")
    title: str = Field(min_length=1, max_length=300)
    uri: str = Field(min_length=1, max_length=2000)


class DocumentApprovalIn(Body):
    role: RoleKind = Field(description="The role, held on the system, the approval is given in")


class ClassificationIn(Body):
    answers: dict[str, Any] = Field(
        description="Answers to the EU AI Act questionnaire (see docs/classification.md)"
    )
