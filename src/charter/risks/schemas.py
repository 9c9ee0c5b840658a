"""Request bodies of risk management: risks, their review and closure, controls and their
tests, appetite statements, and the automated assessment's answers and choices."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from charter.kernel.web.schemas import Body
from charter.risks.domain.controls import ControlLink, ControlTest, TestKind
from charter.risks.domain.model import Band, ControlState, Level, Rating
from charter.risks.domain.register import RiskStatus, Treatment
from charter.risks.domain.standing import Acceptance, Standing
from charter.risks.domain.views import Cell, Group

Text = Field(min_length=1, max_length=4000)
Scale = Field(ge=1, le=10)


class RiskChange(Body):
    """The fields a person sets on a risk (each optional in a change)."""

    title: str | None = Field(default=None, min_length=1, max_length=300)
    category: str | None = Field(default=None, min_length=1, max_length=40)
    cause: str | None = Field(default=None, min_length=1, max_length=4000)
    consequence: str | None = Field(default=None, min_length=1, max_length=4000)
    owner_id: str | None = Field(
        default=None, min_length=1, max_length=320,
        description="the owner: a person's id, e-mail or exact name",
    )  # fmt: skip
    inherent_likelihood: int | None = Field(default=None, ge=1, le=10)
    inherent_impact: int | None = Field(default=None, ge=1, le=10)
    target_likelihood: int | None = Field(
        default=None, ge=1, le=10, description="residual likelihood with every control working"
    )
    target_impact: int | None = Field(
        default=None, ge=1, le=10, description="residual impact with every control working"
    )
    treatment: Literal["mitigate", "accept", "transfer", "avoid"] | None = None
    body_id: str | None = Field(default=None, max_length=40, description="the overseeing body")
    requirements: list[str] | None = Field(
        default=None, max_length=50, description="framework requirement ids of the packs"
    )
    review_by: date | None = None

    def values(self) -> dict[str, Any]:
        return self.model_dump(exclude_unset=True)


class RiskIn(RiskChange):
    system_id: str | None = Field(default=None, max_length=40)
    use_case_id: str | None = Field(default=None, max_length=40)

    def values(self) -> dict[str, Any]:
        return self.model_dump(exclude_unset=True, exclude={"system_id", "use_case_id"})


class ReviewIn(Body):
    note: str = Text
    next_review: date | None = None


class ReasonIn(Body):
    reason: str = Text


class ControlLinkIn(Body):
    control_id: str = Field(min_length=1, max_length=40)


class ControlIn(Body):
    title: str = Field(min_length=1, max_length=300)
    kind: Literal["check", "document", "requirement", "manual"]
    owner_id: str | None = Field(
        default=None,
        max_length=320,
        description="a person's id, e-mail or exact name; default: you",
    )
    system_id: str | None = Field(default=None, max_length=40)
    description: str = Field(default="", max_length=4000)
    check_id: str | None = Field(default=None, max_length=100)
    metric: str | None = Field(default=None, max_length=100)
    document: str | None = Field(default=None, max_length=100)
    approvers: list[str] = Field(default_factory=list, max_length=12)
    policy_id: str | None = Field(default=None, max_length=100)
    requirement_id: str | None = Field(default=None, max_length=100)
    max_age_days: int | None = Field(default=None, ge=1, le=731)

    def values(self) -> dict[str, Any]:
        return self.model_dump(exclude_unset=True)


class TestIn(Body):
    passed: bool
    evidence: str = Field(min_length=1, max_length=2000, description="a link or a reference")
    note: str = Field(default="", max_length=4000)
    tested_at: datetime | None = None


class AppetiteIn(Body):
    category: str = Field(min_length=1, max_length=40, description="a category, domain or *")
    tier: str = Field(min_length=1, max_length=20, description="an EU AI Act tier or *")
    max_band: str = Field(min_length=1, max_length=40)
    rationale: str = Text


class RiskAssessmentIn(Body):
    subject: Literal["system", "use_case"]
    subject_id: str = Field(min_length=1, max_length=40)
    answers: dict[str, str] = Field(description="autonomy and audience (docs/risks.md)")
    data: dict[str, bool] = Field(
        default_factory=dict, description="personal_data, special_category the person adds"
    )


class RiskAdoptIn(RiskAssessmentIn):
    choices: list[dict[str, Any]] = Field(
        min_length=1, max_length=50,
        description="each names its proposal's rule and may change any risk field",
    )  # fmt: skip


# -- what the routes answer (documentation of the shapes charter.risks.present sends) ------


class Residual(BaseModel):
    likelihood: int
    impact: int
    score: int
    band: str


class Appetite(BaseModel):
    band: str
    source: str = Field(description="the appetite statement, or the model's default, it comes from")
    label: str = Field(description="where it comes from, as people read it")
    statement: str | None = Field(description="the appetite statement's id (null: the default)")


class ControlStanding(BaseModel):
    """A control, how it is tested, and how it stands on its latest test."""

    id: str
    title: str
    kind: TestKind
    owner_id: str
    created_at: datetime
    created_by: str
    system_id: str | None
    description: str
    check_id: str | None
    metric: str | None
    document: str | None
    approvers: list[str]
    policy_id: str | None
    requirement_id: str | None
    max_age_days: int
    test: str = Field(description="how it is tested, in a few words")
    state: ControlState
    reason: str
    tested_at: datetime | None
    basis: str | None = Field(description="the evidence, document or test it rests on")


class ControlView(ControlStanding):
    risks: list[str] = Field(description="the risks it mitigates")
    tests: list[ControlTest]


class RiskView(BaseModel):
    """A risk and where it stands now."""

    id: str
    title: str
    category: str
    cause: str
    consequence: str
    owner_id: str
    owner_name: str = Field(description="the owner's name (the id if no person has it)")
    inherent_likelihood: int
    inherent_impact: int
    target_likelihood: int
    target_impact: int
    treatment: Treatment
    created_at: datetime
    created_by: str
    system_id: str | None
    use_case_id: str | None
    body_id: str | None
    requirements: list[str]
    review_by: date | None
    status: RiskStatus
    origin: str
    reviewed_at: datetime | None
    reviewed_by: str | None
    closed_at: datetime | None
    closure_reason: str
    tier: str
    inherent_score: int
    inherent_band: str
    residual: Residual
    mitigation_kept: int = Field(description="percent of the assessed mitigation kept now")
    appetite: Appetite
    standing: Standing
    overdue: bool
    acceptance: Acceptance | None
    controls: list[ControlStanding]


class RiskDetailView(RiskView):
    tests: dict[str, list[ControlTest]] = Field(description="manual tests by control, newest first")
    acceptances: list[Acceptance]
    links: list[ControlLink]


class BandCount(BaseModel):
    inherent: int
    residual: int


class RiskSummaryView(BaseModel):
    """What a board pack reads of the register."""

    as_of: datetime
    open: int
    heat_map: list[Cell]
    bands: dict[str, BandCount]
    above_appetite: list[RiskView]
    accepted: list[RiskView]
    failing_controls: list[ControlView]
    overdue: list[RiskView]
    high: int
    high_in_hand: int
    groups: dict[str, list[Group]]


class RuleView(BaseModel):
    credit: dict[str, int]
    combine: str


class RiskModelView(BaseModel):
    version: str
    likelihood: list[Level]
    impact: list[Level]
    bands: list[Band]
    high_bands: list[str]
    rule: RuleView
    appetite: dict[str, str]
    owner_roles: list[str]
    review_days: int
    control_max_age_days: int


class ProposalView(BaseModel):
    rule: str
    category: str
    title: str
    cause: str
    consequence: str
    rating: Rating
    why: list[str]
    registered: bool = Field(description="an open risk of this category is already registered")


class AssessmentView(BaseModel):
    subject: str
    subject_id: str
    facts: dict[str, Any]
    proposals: list[ProposalView]
