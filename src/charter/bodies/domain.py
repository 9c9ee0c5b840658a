"""Cross-functional leadership bodies as records: charter, members and the functions they
represent, cadence, quorum; meetings with attendance and an agenda built from what is
pending; decisions with votes, refused without quorum or without the required functions."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any

from charter.kernel.errors import Conflict, InvalidInput


class BodyKind(StrEnum):
    STEERING_COMMITTEE = "steering_committee"
    GOVERNANCE_BOARD = "governance_board"
    INNOVATION_COUNCIL = "innovation_council"
    CENTRE_OF_EXCELLENCE = "centre_of_excellence"


class Function(StrEnum):
    """The functions a cross-functional body must hear from."""

    IT = "it"
    DATA_SCIENCE = "data_science"
    OPERATIONS = "operations"
    LEGAL = "legal"
    BUSINESS_STRATEGY = "business_strategy"
    RISK = "risk"


class Remit(StrEnum):
    """What a body decides; its agenda is built from what is pending in its remit."""

    TRANSITIONS = "transitions"  # lifecycle approvals its members are entitled to give
    WAIVERS = "waivers"  # exceptions to policy requirements
    PORTFOLIO = "portfolio"  # use cases awaiting a decision
    VALUE = "value"  # KPIs missing their target
    RISK_ACCEPTANCE = "risk_acceptance"  # residual risks above appetite (the risk register)


class MemberRole(StrEnum):
    CHAIR = "chair"
    SECRETARY = "secretary"
    MEMBER = "member"
    ADVISOR = "advisor"  # attends, does not vote


class Vote(StrEnum):
    FOR = "for"
    AGAINST = "against"
    ABSTAIN = "abstain"


class SubjectKind(StrEnum):
    TRANSITION = "transition"  # a pending transition request: approve or refuse
    USE_CASE = "use_case"  # approve, park, reject, stop
    WAIVER = "waiver"  # grant a waiver of a policy requirement
    RISK = "risk"  # accept a residual risk above appetite, or revoke an acceptance
    MOTION = "motion"  # anything else the body resolves


#: what a motion on each kind of subject may resolve
OUTCOMES: dict[SubjectKind, tuple[str, ...]] = {
    SubjectKind.MOTION: ("carried",),
    SubjectKind.TRANSITION: ("approve", "refuse"),
    SubjectKind.USE_CASE: ("approve", "park", "reject", "stop"),
    SubjectKind.WAIVER: ("grant",),
    SubjectKind.RISK: ("accept", "revoke"),
}


def check_motion(kind: SubjectKind, subject_id: str, outcome: str) -> None:
    allowed = OUTCOMES[SubjectKind(kind)]
    if outcome not in allowed:
        raise InvalidInput(
            f"a motion on a {kind.value.replace('_', ' ')} resolves {', '.join(allowed)}, "
            f"not {outcome!r}",
            details={"field": "outcome"},
        )
    if kind is not SubjectKind.MOTION and not subject_id:
        raise InvalidInput(f"say which {kind.value.replace('_', ' ')} the motion decides")


class MeetingStatus(StrEnum):
    PLANNED = "planned"
    HELD = "held"


class DecisionStatus(StrEnum):
    OPEN = "open"  # put to the vote: the members named cast or confirm their own votes
    DECIDED = "decided"  # every vote minuted was cast by its member; the effect is made


@dataclass(frozen=True, slots=True)
class Body:
    id: str
    name: str
    kind: BodyKind
    charter: str
    required_functions: tuple[Function, ...]
    quorum: int  # voting members present needed to decide
    cadence_days: int  # how often it meets
    remit: tuple[Remit, ...] = ()


@dataclass(frozen=True, slots=True)
class Member:
    id: str
    body_id: str
    person_id: str
    function: Function
    role: MemberRole = MemberRole.MEMBER
    since: datetime | None = None  # appointed then; None: before Charter kept the date
    until: datetime | None = None  # taken off the body then; None: a member now

    @property
    def votes(self) -> bool:
        return self.role is not MemberRole.ADVISOR

    @property
    def current(self) -> bool:
        return self.until is None

    def member_at(self, at: datetime) -> bool:
        """A member on that date (in UTC): appointed that day or before, and not taken off
        before that day (a member taken off still counts on the day they leave)."""
        day = at.astimezone(UTC).date()
        began = self.since is None or self.since.astimezone(UTC).date() <= day
        return began and (self.until is None or day <= self.until.astimezone(UTC).date())


def members_at(members: Sequence[Member], at: datetime) -> list[Member]:
    """The members a body had on a date: a meeting counts those appointed by its day and
    not yet taken off. A person appointed again that day (another function or role) counts
    once, as first appointed: a new appointment never changes a meeting already held."""
    first: dict[str, Member] = {}
    for m in sorted(members, key=_appointed_order):
        if m.member_at(at):
            first.setdefault(m.person_id, m)
    kept = {id(m) for m in first.values()}
    return [m for m in members if id(m) in kept]


def _appointed_order(member: Member) -> datetime:
    return member.since or datetime.min.replace(tzinfo=UTC)


def current_members(members: Sequence[Member]) -> list[Member]:
    return [m for m in members if m.current]


@dataclass(frozen=True, slots=True)
class Meeting:
    id: str
    body_id: str
    scheduled_for: datetime
    status: MeetingStatus = MeetingStatus.PLANNED
    attendees: tuple[str, ...] = ()  # person ids present
    minutes: str = ""
    agenda: tuple[str, ...] = ()  # agenda item texts frozen when the meeting is held
    agenda_scopes: tuple[str, ...] = ()  # where each item belongs (AgendaItem.scope)
    held_at: datetime | None = None  # when its attendance was recorded
    late_reason: str = ""  # why it was recorded after the grace period; "": in time


@dataclass(frozen=True, slots=True)
class BodyDecision:
    id: str
    body_id: str
    meeting_id: str
    subject_kind: SubjectKind
    subject_id: str  # the request, use case, system (waiver) or risk decided; "" for a motion
    title: str
    outcome: str  # what was decided: approve, refuse, park, grant, carried, not_carried ...
    carried: bool  # False while open
    votes: Mapping[str, str]  # person id -> for / against / abstain, as minuted or cast
    reason: str
    decided_at: datetime  # the meeting's time (the audit event says when it was recorded)
    recorded_by: str
    recorded_at: datetime
    record_id: str | None = None  # the approval, waiver, acceptance or use case it decided
    status: DecisionStatus = DecisionStatus.DECIDED
    cast_by: tuple[str, ...] = ()  # members who cast or confirmed their own vote
    late_reason: str = ""  # why it was recorded after the grace period; "": in time
    terms: Mapping[str, Any] | None = None  # a waiver's or acceptance's terms (ISO 8601)

    def unconfirmed(self) -> list[str]:
        """Members the minutes name whose vote they have not cast themselves."""
        return [p for p in self.votes if p not in self.cast_by]

    def ready(self, quorum: int) -> bool:
        """Every vote minuted is cast by its member, and at least a quorum of them voted."""
        return not self.unconfirmed() and len(self.cast_by) >= quorum


def late_entry(at: datetime, now: datetime, grace: timedelta, reason: str, what: str) -> str:
    """The late-entry reason a record of something more than `grace` in the past needs
    (kept and shown with it); "" for a record made in time."""
    if now - at <= grace:
        return ""
    if not reason.strip():
        raise InvalidInput(
            f"{what} of {at:%Y-%m-%d} is recorded more than {grace.days} days after the fact: "
            "give a late-entry reason (it is shown with the record)",
            details={"field": "late_reason"},
        )
    return reason.strip()[:2000]


def check_body(body: Body) -> Body:
    if body.quorum < 1:
        raise InvalidInput("quorum must be at least 1", details={"field": "quorum"})
    if not 1 <= body.cadence_days <= 366:
        raise InvalidInput("cadence is from 1 to 366 days", details={"field": "cadence_days"})
    if len(body.charter) > 8000:
        raise InvalidInput("the charter is longer than 8000 characters")
    return body


@dataclass(frozen=True, slots=True)
class Quorum:
    """Whether a meeting may decide: quorum and the functions present."""

    voting_present: int
    quorum: int
    missing_functions: tuple[Function, ...]

    @property
    def quorate(self) -> bool:
        return self.voting_present >= self.quorum

    @property
    def may_decide(self) -> bool:
        return self.quorate and not self.missing_functions

    def refusal(self) -> str:
        problems = []
        if not self.quorate:
            problems.append(
                f"no quorum: {self.voting_present} voting member(s) present, {self.quorum} needed"
            )
        if self.missing_functions:
            names = ", ".join(f.value.replace("_", " ") for f in self.missing_functions)
            problems.append(f"required function(s) not present: {names}")
        return "; ".join(problems)


def standing(body: Body, members: Sequence[Member], attendees: Sequence[str]) -> Quorum:
    present = [m for m in members if m.person_id in attendees]
    voting = {m.person_id for m in present if m.votes}
    functions = {m.function for m in present}
    missing = tuple(f for f in body.required_functions if f not in functions)
    return Quorum(len(voting), body.quorum, missing)


@dataclass(frozen=True, slots=True)
class Tally:
    carried: bool
    counts: Mapping[str, int]


def check_votes(
    body: Body, members: Sequence[Member], meeting: Meeting, votes: Mapping[str, str]
) -> None:
    """Votes only of voting members present, and only for, against or abstain. A meeting
    that is not held, lacks quorum or a required function decides nothing."""
    if meeting.status is not MeetingStatus.HELD:
        raise Conflict("record the meeting's attendance (hold it) before deciding")
    where = standing(body, members, meeting.attendees)
    if not where.may_decide:
        raise Conflict(f"{body.name} may not decide: {where.refusal()}")
    voters = {m.person_id for m in members if m.votes and m.person_id in meeting.attendees}
    strangers = sorted(set(votes) - voters)
    if strangers:
        raise InvalidInput(
            f"only voting members present may vote; not: {', '.join(strangers)}",
            details={"field": "votes"},
        )
    for value in votes.values():
        vote_of(value)


def vote_of(value: str) -> Vote:
    try:
        return Vote(value)
    except ValueError:
        raise InvalidInput(f"a vote is for, against or abstain, not {value!r}") from None


def tally(
    body: Body, members: Sequence[Member], meeting: Meeting, votes: Mapping[str, str]
) -> Tally:
    """Carried by a simple majority of the votes cast for or against (none: not carried)."""
    check_votes(body, members, meeting, votes)
    counts = {v.value: 0 for v in Vote}
    for value in votes.values():
        counts[vote_of(value).value] += 1
    return Tally(counts["for"] > counts["against"], counts)


@dataclass(frozen=True, slots=True)
class AgendaItem:
    kind: str  # transition, waiver_expiring, use_case, kpi_miss, risk, acceptance_expiring
    ref: str  # the id it is about
    title: str
    detail: str = ""
    business_unit_id: str | None = None  # where it belongs: who may read it
    system_id: str | None = None

    @property
    def scope(self) -> str:
        """Where the item belongs, as frozen with a meeting's agenda: "unit/system"."""
        return f"{self.business_unit_id or ''}/{self.system_id or ''}"


def scope_of(scope: str) -> tuple[str | None, str | None]:
    unit, _, system = scope.partition("/")
    return unit or None, system or None
