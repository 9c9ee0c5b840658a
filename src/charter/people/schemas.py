"""Request bodies and response shapes of talent and literacy, adoption and change."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from pydantic import BaseModel, Field

from charter.kernel.roles import RoleKind
from charter.kernel.web.schemas import Body, Name
from charter.people.domain.adoption import Channel, Communication, Survey, TrendPoint
from charter.people.domain.talent import (
    Completion,
    Course,
    Coverage,
    Demand,
    Gap,
    RoleSkill,
    Skill,
    SkillCategory,
)


class SkillIn(Body):
    name: str = Name
    category: SkillCategory
    description: str = Field(default="", max_length=4000)


class SkillNeedIn(Body):
    role: RoleKind
    skill_id: str = Field(min_length=1, max_length=40)
    level: int = Field(ge=1, le=4)


class AssessmentIn(Body):
    skill_id: str = Field(min_length=1, max_length=40)
    level: int = Field(ge=1, le=4)
    evidence: str = Field(min_length=1, max_length=2000)


class CourseIn(Body):
    title: str = Field(min_length=1, max_length=300)
    provider: str = Field(default="", max_length=200)
    literacy: bool = False
    roles: list[RoleKind] = Field(default_factory=list)
    skill_ids: list[str] = Field(default_factory=list, max_length=50)
    validity_months: int | None = Field(default=24, ge=1, le=120)


class CompletionIn(Body):
    person_id: str = Field(min_length=1, max_length=40)
    course_id: str = Field(min_length=1, max_length=40)
    completed_on: date
    evidence: str = Field(default="", max_length=2000)


class AdoptionRow(Body):
    system_id: str = Field(min_length=1, max_length=40)
    business_unit_id: str = Field(min_length=1, max_length=40)
    period: str = Field(description="YYYY-MM")
    active_users: int = Field(ge=0)
    eligible_users: int = Field(ge=0)
    uses: int = Field(default=0, ge=0)


class AdoptionIn(Body):
    rows: list[AdoptionRow] = Field(min_length=1, max_length=50_000)
    source: str = Field(default="api", min_length=1, max_length=40)

    def plain(self) -> list[dict[str, Any]]:
        return [r.model_dump() for r in self.rows]


class SurveyIn(Body):
    title: str = Field(min_length=1, max_length=300)
    period: str = Field(description="YYYY-MM")
    responses: int = Field(ge=1)
    sentiment: float = Field(ge=1, le=5, description="mean on 1-5")
    concerns: dict[str, int] = Field(default_factory=dict)
    business_unit_id: str | None = None
    system_id: str | None = None


class CommunicationIn(Body):
    title: str = Field(min_length=1, max_length=300)
    channel: Channel
    sent_on: date
    audience: str = Field(
        min_length=1, max_length=200, description="a business unit (id or name) or all"
    )
    summary: str = Field(default="", max_length=4000)
    system_id: str | None = None


@dataclass(frozen=True)
class CoverageOut(Coverage):
    """Share of a group's people with current AI-literacy training (null: nobody in it)."""

    share: float | None = None


@dataclass(frozen=True)
class DemandOut(Demand):
    short: bool = False


class Literacy(BaseModel):
    by_role: list[CoverageOut]
    by_business_unit: list[CoverageOut]


class Talent(BaseModel):
    skills: list[Skill]
    courses: list[Course]
    needs: list[RoleSkill]
    gaps: list[Gap]
    renewals: list[Completion] = Field(description="current training that lapses within 60 days")
    self_recorded: list[Completion] = Field(
        description="completions recorded by their own person: on record, never counted for "
        "literacy or gates"
    )
    demand: list[DemandOut]
    gaps_by_business_unit: dict[str, dict[str, int]] = Field(
        description="business unit: skill: people lacking it"
    )
    literacy: Literacy


@dataclass(frozen=True)
class AdoptionPoint(TrendPoint):
    share: float | None = None


class AdoptionOut(BaseModel):
    overall: list[AdoptionPoint]
    by_business_unit: dict[str, list[AdoptionPoint]]
    by_system: dict[str, list[AdoptionPoint]]
    surveys: list[Survey]
    communications: list[Communication]


class Recorded(BaseModel):
    recorded: int
