"""Request bodies of the people side: bodies and meetings, talent, adoption, delivery."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import Field

from charter.domain.adoption import Channel
from charter.domain.bodies import BodyKind, Function, MemberRole, Remit, SubjectKind, Vote
from charter.domain.delivery import ExperimentResult, IterationDecision
from charter.domain.org import RoleKind
from charter.domain.talent import SkillCategory
from charter.web.schemas import Body, Name


class BodyIn(Body):
    name: str = Name
    kind: BodyKind
    charter: str = Field(min_length=1, max_length=8000)
    required_functions: list[Function] = Field(default_factory=list, max_length=6)
    quorum: int = Field(ge=1, le=100)
    cadence_days: int = Field(ge=1, le=366)
    remit: list[Remit] = Field(default_factory=list, max_length=4)


class MemberIn(Body):
    person_id: str = Field(min_length=1, max_length=40)
    function: Function
    role: MemberRole = MemberRole.MEMBER


class MeetingIn(Body):
    scheduled_for: datetime


class AttendanceIn(Body):
    attendees: list[str] = Field(max_length=200)
    minutes: str = Field(default="", max_length=20000)


class WaiverTerms(Body):
    policy_id: str = Field(min_length=1, max_length=100)
    requirement_id: str = Field(min_length=1, max_length=100)
    measures: str = Field(min_length=1, max_length=4000)
    expires_at: datetime


class BodyDecisionIn(Body):
    subject_kind: SubjectKind
    subject_id: str = Field(default="", max_length=40, description="request, use case or system")
    outcome: str = Field(
        min_length=1, max_length=30,
        description="transition: approve|refuse; use case: approve|park|reject|stop; "
        "waiver: grant; motion: carried",
    )  # fmt: skip
    title: str = Field(min_length=1, max_length=300)
    reason: str = Field(min_length=1, max_length=4000)
    votes: dict[str, Vote] = Field(description="person id -> for | against | abstain")
    terms: WaiverTerms | None = Field(default=None, description="a waiver's terms")


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
    audience: str = Field(min_length=1, max_length=40, description="a business unit id or all")
    summary: str = Field(default="", max_length=4000)
    system_id: str | None = None


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
