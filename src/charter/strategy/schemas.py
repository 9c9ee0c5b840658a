"""Request bodies and response shapes of strategy alignment: objectives, use cases, portfolio
decisions, KPIs, value and delivery."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from pydantic import AliasChoices, BaseModel, Field

from charter.inventory.domain import AISystem
from charter.kernel.web.contract import Ref
from charter.kernel.web.schemas import Body, Name
from charter.strategy.domain.delivery import (
    Experiment,
    ExperimentResult,
    Iteration,
    IterationDecision,
)
from charter.strategy.domain.kpis import (
    Alert,
    Direction,
    Kpi,
    Measurement,
    Reading,
    Tracks,
    UnitReturn,
    ValueLine,
)
from charter.strategy.domain.scoring import Score, ScoringModel
from charter.strategy.domain.similarity import Match
from charter.strategy.domain.strategy import PortfolioDecision, UseCase, ValueKind


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
    stated_source: str = Field(
        default="",
        max_length=200,
        validation_alias=AliasChoices("stated_source", "source"),
        description="What the caller says the figures came from (a system, a report): kept "
        "as their word, apart from the provenance the server records (who entered them, "
        "through which interface). `source` is read as this too.",
    )


class IterationIn(Body):
    goal: str = Field(min_length=1, max_length=2000)
    starts_on: date
    ends_on: date


class CloseIn(Body):
    decision: IterationDecision
    outcome: str = Field(min_length=1, max_length=4000)
    learnings: str = Field(default="", max_length=4000)


class ExperimentIn(Body):
    hypothesis: str = Field(min_length=1, max_length=2000)
    metric: str = Field(min_length=1, max_length=200)
    iteration_id: str | None = None


class ConcludeIn(Body):
    result: ExperimentResult
    finding: str = Field(min_length=1, max_length=4000)


@dataclass(frozen=True)
class SubmittedUseCase(UseCase):
    """A use case as submitted, and the use cases and systems much like it."""

    possible_duplicates: list[Match] = field(default_factory=list)


@dataclass(frozen=True)
class ScoredUseCase(UseCase):
    """A use case, its value per year (planned, and weighted by confidence), its rank in the
    portfolio and its score."""

    planned_value: int | None = None
    expected_value: float | None = None
    rank: int | None = None
    score: Score | None = None


class Promoted(BaseModel):
    use_case: UseCase
    system: AISystem


class BalanceRow(BaseModel):
    key: str
    use_cases: int
    expected_value: float
    without_estimate: int


class PortfolioOut(BaseModel):
    model: ScoringModel
    items: list[ScoredUseCase]
    balance: dict[str, list[BalanceRow]] = Field(description="dimension: its rows")


class RoadmapSystem(Ref):
    stage: str


class RoadmapRow(BaseModel):
    use_case: str
    title: str
    status: str
    start_quarter: str | None
    end_quarter: str | None
    depends_on: list[str]
    systems: list[RoadmapSystem]
    findings: list[str]


class Roadmap(BaseModel):
    items: list[RoadmapRow]


class MeasurementPoint(BaseModel):
    period: str
    value: float
    note: str
    recorded_by: str = Field(description="Who entered it (the signed-in person or token)")
    recorded_at: str
    source: str = Field(description="How it was entered, as the server recorded it: api, "
                        "api_csv, ui, ui_csv, cli, cli_csv (csv, demo: earlier)")  # fmt: skip
    stated_source: str = Field(description="What the caller said it came from: their word")


@dataclass(frozen=True)
class KpiOut(Kpi):
    """A KPI, its latest value, progress toward the target and its alert, and its series."""

    business_unit_id: str = ""
    latest: float | None = None
    progress: float | None = None
    alert: Alert | None = None
    measurements: list[MeasurementPoint] = field(default_factory=list)


class MeasurementsOut(BaseModel):
    recorded: int
    items: list[Measurement]


class MeasurementsPreview(BaseModel):
    """A dry run of a CSV import: the rows as read, checked, nothing recorded. `preview`,
    given back with the same file by the same person before `expires_at`, records exactly
    these rows; `digest` names them (anyone can compute it: it is not the key)."""

    preview: str
    digest: str
    rows: int
    expires_at: datetime
    items: list[Reading]


@dataclass(frozen=True)
class ValueLineOut(ValueLine):
    shortfall: float | None = None


@dataclass(frozen=True)
class UnitReturnOut(UnitReturn):
    net_return: float | None = None


class Value(BaseModel):
    use_cases: list[ValueLineOut]
    business_units: list[UnitReturnOut]
    alerts: list[Alert]


class Delivery(BaseModel):
    iterations: list[Iteration]
    experiments: list[Experiment]
