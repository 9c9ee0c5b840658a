"""Request bodies of risk management: risks, their review and closure, controls and their
tests, appetite statements, and the automated assessment's answers and choices."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import Field

from charter.kernel.web.schemas import Body

Text = Field(min_length=1, max_length=4000)
Scale = Field(ge=1, le=10)


class RiskChange(Body):
    """The fields a person sets on a risk (each optional in a change)."""

    title: str | None = Field(default=None, min_length=1, max_length=300)
    category: str | None = Field(default=None, min_length=1, max_length=40)
    cause: str | None = Field(default=None, min_length=1, max_length=4000)
    consequence: str | None = Field(default=None, min_length=1, max_length=4000)
    owner_id: str | None = Field(default=None, min_length=1, max_length=40)
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


class LinkIn(Body):
    control_id: str = Field(min_length=1, max_length=40)


class ControlIn(Body):
    title: str = Field(min_length=1, max_length=300)
    kind: Literal["check", "document", "requirement", "manual"]
    owner_id: str | None = Field(default=None, max_length=40, description="default: you")
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


class AssessmentIn(Body):
    subject: Literal["system", "use_case"]
    subject_id: str = Field(min_length=1, max_length=40)
    answers: dict[str, str] = Field(description="autonomy and audience (docs/risks.md)")
    data: dict[str, bool] = Field(
        default_factory=dict, description="personal_data, special_category the person adds"
    )


class AdoptIn(AssessmentIn):
    choices: list[dict[str, Any]] = Field(
        min_length=1, max_length=50,
        description="each names its proposal's rule and may change any risk field",
    )  # fmt: skip
