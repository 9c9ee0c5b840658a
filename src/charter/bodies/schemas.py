"""Request bodies and response shapes of leadership bodies: bodies, members, meetings,
attendance, decisions."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from pydantic import Field

from charter.bodies import domain
from charter.bodies.domain import BodyKind, Function, MemberRole, Remit, SubjectKind, Vote
from charter.kernel.web.schemas import Body, Name


class BodyIn(Body):
    name: str = Name
    kind: BodyKind
    charter: str = Field(min_length=1, max_length=8000)
    required_functions: list[Function] = Field(default_factory=list, max_length=6)
    quorum: int = Field(ge=1, le=100)
    cadence_days: int = Field(ge=1, le=366)
    remit: list[Remit] = Field(default_factory=list, max_length=5)


class MemberIn(Body):
    person_id: str = Field(min_length=1, max_length=40)
    function: Function
    role: MemberRole = MemberRole.MEMBER
    since: date | None = Field(
        None, description="an appointment made before it is recorded: its first day (UTC)"
    )
    reason: str = Field("", max_length=2000, description="why it is back-dated (then needed)")


class MeetingIn(Body):
    scheduled_for: datetime


LATE = "Why it is recorded more than the grace period (CHARTER_BODY_LATE_DAYS) after the fact"


class AttendanceIn(Body):
    attendees: list[str] = Field(max_length=200)
    minutes: str = Field(default="", max_length=20000)
    late_reason: str = Field(default="", max_length=2000, description=LATE)


class WaiverTerms(Body):
    policy_id: str = Field(min_length=1, max_length=100)
    requirement_id: str = Field(min_length=1, max_length=100)
    measures: str = Field(min_length=1, max_length=4000)
    expires_at: datetime


class AcceptanceTerms(Body):
    conditions: str = Field(min_length=1, max_length=4000, description="what the body requires")
    expires_at: datetime


class BodyDecisionIn(Body):
    subject_kind: SubjectKind
    subject_id: str = Field(
        default="", max_length=40, description="request, use case, system (waiver) or risk"
    )
    outcome: str = Field(
        min_length=1, max_length=30,
        description="transition: approve|refuse; use case: approve|park|reject|stop; "
        "waiver: grant; risk: accept|revoke; motion: carried",
    )  # fmt: skip
    title: str = Field(min_length=1, max_length=300)
    reason: str = Field(min_length=1, max_length=4000)
    votes: dict[str, Vote] = Field(
        default_factory=dict,
        description="person (id, e-mail or name) -> for | against | abstain, as minuted: "
        "each counts once its member casts it (POST /decisions/{id}/votes); the recorder's "
        "own at once",
    )
    terms: WaiverTerms | AcceptanceTerms | None = Field(
        default=None, description="a waiver's terms, or a risk acceptance's"
    )
    late_reason: str = Field(default="", max_length=2000, description=LATE)


class VoteIn(Body):
    vote: Vote


@dataclass(frozen=True)
class BodyWithMembers(domain.Body):
    members: list[domain.Member] = field(default_factory=list)


@dataclass(frozen=True)
class BodyView(domain.Body):
    """A body, its members and its meetings."""

    members: list[domain.Member] = field(default_factory=list)
    meetings: list[domain.Meeting] = field(default_factory=list)


@dataclass(frozen=True)
class MeetingView(domain.Meeting):
    """A meeting, the body's name, its members and the decisions taken in it."""

    body: str = ""
    members: list[domain.Member] = field(default_factory=list)
    decisions: list[domain.BodyDecision] = field(default_factory=list)


@dataclass(frozen=True)
class HeldMeeting(domain.Meeting):
    """A meeting once attendance is recorded: whether it may decide, and why not."""

    quorate: bool = False
    may_decide: bool = False
    missing_functions: list[Function] = field(default_factory=list)
