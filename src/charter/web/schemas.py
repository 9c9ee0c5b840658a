"""Request bodies. Unknown fields are refused so that typos do not pass silently."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from charter.domain.inventory import LifecycleStage, OperatorRole, RiskTier
from charter.domain.kpis import Direction, Tracks
from charter.domain.lifecycle import Decision
from charter.domain.org import RoleKind, ScopeKind
from charter.domain.raci import RaciLetter
from charter.domain.strategy import PortfolioDecision, ValueKind

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
    engine: Literal["duckdb", "duckdb-sql", "spark"] = Field(
        default="duckdb",
        description=(
            "Where the checks run: duckdb (the default, embedded), "
            "spark (needs the spark extra); duckdb-sql, kept for one release, is duckdb."
        ),
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
        default_factory=dict,
        description="Answers to the EU AI Act questionnaire (see docs/classification.md)",
    )
    use_case_id: str | None = Field(
        default=None,
        max_length=40,
        description="Instead of answers: the screening of a use case the system delivers",
    )


class ObjectiveIn(Body):
    name: str = Name
    description: str = Field(default="", max_length=4000)
    owner_id: str | None = None


class EstimateIn(Body):
    kind: ValueKind
    amount: int = Field(ge=0, le=10**12, description="Expected per year, in whole currency units")
    confidence: int = Field(default=50, ge=0, le=100, description="Percent")


class Ratings(Body):
    feasibility: int | None = Field(default=None, ge=1, le=5)
    risk: int | None = Field(default=None, ge=1, le=5, description="1 low risk, 5 high")
    strategic_fit: int | None = Field(default=None, ge=1, le=5)


class UseCaseFields(Body):
    description: str = Field(default="", max_length=8000)
    sponsor_id: str | None = None
    estimates: list[EstimateIn] = Field(default_factory=list, max_length=4)
    cost_estimate: int | None = Field(default=None, ge=0, le=10**12, description="Per year")
    time_to_value_months: int | None = Field(default=None, ge=0, le=240)
    ratings: Ratings = Field(default_factory=Ratings)
    data_needed: str = Field(default="", max_length=4000)
    skills_needed: list[str] = Field(default_factory=list, max_length=50)
    screening: dict[str, Any] = Field(
        default_factory=dict,
        description="A first EU AI Act screening: answers as in docs/classification.md",
    )


class UseCaseIn(UseCaseFields):
    title: str = Name
    objective_id: str = Field(min_length=1, max_length=40)
    business_unit_id: str = Field(min_length=1, max_length=40)


class UseCasePatch(Body):
    title: str | None = Field(default=None, min_length=1, max_length=200)
    objective_id: str | None = None
    business_unit_id: str | None = None
    description: str | None = Field(default=None, max_length=8000)
    sponsor_id: str | None = None
    estimates: list[EstimateIn] | None = Field(default=None, max_length=4)
    cost_estimate: int | None = Field(default=None, ge=0, le=10**12)
    time_to_value_months: int | None = Field(default=None, ge=0, le=240)
    ratings: Ratings | None = None
    data_needed: str | None = Field(default=None, max_length=4000)
    skills_needed: list[str] | None = Field(default=None, max_length=50)
    screening: dict[str, Any] | None = None


class PortfolioDecisionIn(Body):
    decision: PortfolioDecision
    reason: str = Field(min_length=1, max_length=4000)


class PlanIn(Body):
    start_quarter: str | None = Field(default=None, pattern=r"^\d{4}-Q[1-4]$")
    end_quarter: str | None = Field(default=None, pattern=r"^\d{4}-Q[1-4]$")
    depends_on: list[str] = Field(default_factory=list, max_length=50)


class LinkIn(Body):
    system_id: str = Field(min_length=1, max_length=40)


class PromoteIn(Body):
    name: str | None = Field(default=None, min_length=1, max_length=200)


class KpiIn(Body):
    name: str = Name
    unit: str = Field(min_length=1, max_length=40)
    direction: Direction
    target: float = Field(allow_inf_nan=False)
    owner_id: str = Field(min_length=1, max_length=40)
    use_case_id: str | None = None
    system_id: str | None = None
    baseline: float | None = Field(default=None, allow_inf_nan=False)
    tracks: Tracks = Tracks.OUTCOME
    alert_after: int = Field(default=3, ge=1, le=24)
    description: str = Field(default="", max_length=4000)


class KpiPatch(Body):
    name: str | None = Field(default=None, min_length=1, max_length=200)
    unit: str | None = Field(default=None, min_length=1, max_length=40)
    direction: Direction | None = None
    target: float | None = Field(default=None, allow_inf_nan=False)
    owner_id: str | None = None
    baseline: float | None = Field(default=None, allow_inf_nan=False)
    tracks: Tracks | None = None
    alert_after: int | None = Field(default=None, ge=1, le=24)
    description: str | None = Field(default=None, max_length=4000)
    active: bool | None = None


class MeasurementIn(Body):
    kpi_id: str = Field(min_length=1, max_length=40)
    period: str = Field(description="The month measured: YYYY-MM (or any day of it)")
    value: float = Field(allow_inf_nan=False)
    note: str = Field(default="", max_length=2000)


class MeasurementsIn(Body):
    measurements: list[MeasurementIn] = Field(min_length=1, max_length=100_000)
    source: str = Field(default="api", min_length=1, max_length=40)
