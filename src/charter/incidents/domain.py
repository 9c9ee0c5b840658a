"""Incidents against AI systems, their classification under the EU AI Act and the reporting
clock of Art. 73, corrective actions, frozen evidence and what was sent to which authority.
Pure: time, ids and the actor are arguments.

The clock (docs/incidents.md): a serious incident (Art. 3(49)) is reported not later than 15
days after the organisation becomes aware of it (Art. 73(2)), 10 days in the event of a death
(Art. 73(4)), 2 days for a widespread infringement or a serious and irreversible disruption of
critical infrastructure (Art. 3(49)(b), Art. 73(3)). A period in days leaves out the day of the
event and ends with the last hour of its last day (Regulation 1182/71, Art. 3(1) and (2)(b)),
at midnight where the authority is. The clock runs to that moment. Regulation 1182/71 also
moves a period ending on a Saturday, Sunday or public holiday to the next working day and gives
a period of two days or more two working days (Art. 3(4), (5)); whether Art. 73's outer
limits are extended so is not settled here: that later date is shown, marked uncertain, and
the clock never runs to it (fail closed)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from charter.kernel.errors import Conflict, InvalidInput


class Category(StrEnum):
    """What a serious incident led to, directly or indirectly (Art. 3(49))."""

    HEALTH = "death_or_serious_harm_to_health"  # (a)
    INFRASTRUCTURE = "critical_infrastructure_disruption"  # (b): serious and irreversible
    FUNDAMENTAL_RIGHTS = "fundamental_rights_infringement"  # (c)
    PROPERTY = "serious_harm_to_property_or_environment"  # (d)


CITES = {
    Category.HEALTH: "Art. 3(49)(a)",
    Category.INFRASTRUCTURE: "Art. 3(49)(b)",
    Category.FUNDAMENTAL_RIGHTS: "Art. 3(49)(c)",
    Category.PROPERTY: "Art. 3(49)(d)",
}


class Status(StrEnum):
    OPEN = "open"
    REPORTED = "reported"  # a report was sent to an authority
    CLOSED = "closed"


class ReportKind(StrEnum):
    INITIAL = "initial"  # may be incomplete (Art. 73(5))
    FOLLOW_UP = "follow_up"
    COMPLETE = "complete"


@dataclass(frozen=True, slots=True)
class Period:
    days: int
    basis: str  # the paragraph of Art. 73 that sets it
    why: str


def reporting_period(categories: Sequence[Category], death: bool, widespread: bool) -> Period:
    """The outer limit for reporting a serious incident, by what it led to."""
    if widespread or Category.INFRASTRUCTURE in categories:
        why = "a widespread infringement" if widespread else "a critical-infrastructure disruption"
        return Period(2, "Art. 73(3)", why)
    if death:
        return Period(10, "Art. 73(4)", "the death of a person")
    return Period(15, "Art. 73(2)", "a serious incident")


def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise InvalidInput(f"unknown time zone {name!r}", details={"field": "time_zone"}) from exc


def _working(day: date) -> bool:
    return day.weekday() < 5  # public holidays are not known to Charter


@dataclass(frozen=True, slots=True)
class Deadline:
    due_at: datetime  # the clock's end: midnight after the last day, where the authority is
    last_day: date  # the last day of the period, there
    extended_last_day: date  # with Reg. 1182/71 Art. 3(4)-(5) (uncertain): not the clock's
    period: Period


def deadline(aware_at: datetime, period: Period, time_zone: str) -> Deadline:
    """The reporting deadline: the day of awareness is left out, the period ends with the last
    hour of its last day in the authority's time zone."""
    if aware_at.tzinfo is None:
        raise InvalidInput("the time of awareness needs a time zone", details={"field": "aware_at"})
    tz = zone(time_zone)
    first = aware_at.astimezone(tz).date() + timedelta(days=1)
    last = first + timedelta(days=period.days - 1)
    due = datetime.combine(last + timedelta(days=1), time(0), tzinfo=tz)
    return Deadline(due, last, _extended(first, last), period)


def _extended(first: date, last: date) -> date:
    """Reg. 1182/71 Art. 3(4): a period ending on a Saturday or Sunday ends on the next working
    day; Art. 3(5): a period of two days or more holds at least two working days."""
    while not _working(last):
        last += timedelta(days=1)
    while sum(_working(first + timedelta(days=i)) for i in range((last - first).days + 1)) < 2:
        last += timedelta(days=1)
    return last


#: escalation: this long before the deadline, those who answer for the incident are told
ESCALATE_BEFORE = timedelta(hours=48)


@dataclass(frozen=True, slots=True)
class Incident:
    id: str
    system_id: str
    title: str
    description: str
    reported_by: str  # who brought it to the organisation (a person, or a note of who)
    aware_at: datetime  # when the organisation became aware: the clock starts here
    recorded_at: datetime
    recorded_by: str
    time_zone: str  # the authority's: the deadline ends at midnight there
    occurred_at: datetime | None = None
    affected_persons: int | None = None
    affected_description: str = ""
    serious: bool | None = None  # None: not classified yet
    categories: tuple[Category, ...] = ()
    death: bool = False
    widespread: bool = False  # a widespread infringement (Art. 3(61))
    classification_reason: str = ""
    classified_at: datetime | None = None
    classified_by: str | None = None
    deadline_at: datetime | None = None  # serious incidents only
    deadline_days: int | None = None
    deadline_basis: str = ""
    escalated_at: datetime | None = None
    status: Status = Status.OPEN
    closed_at: datetime | None = None
    closed_by: str | None = None
    closing_note: str = ""
    suspension_request_id: str | None = None
    dataset_id: str | None = None  # the dataset it concerns; the clock stays the system's

    def clock(self) -> Deadline | None:
        if not self.serious or self.deadline_days is None:
            return None
        period = reporting_period(self.categories, self.death, self.widespread)
        return deadline(self.aware_at, period, self.time_zone)

    def running(self) -> bool:
        """Whether the reporting clock runs: serious, and no report sent yet."""
        return bool(self.serious) and self.status is Status.OPEN


def classify(
    incident: Incident, categories: Sequence[Category], death: bool, widespread: bool,
    reason: str, who: str, now: datetime,
) -> Incident:  # fmt: skip
    """The incident classified: serious when it led to any Art. 3(49) outcome; a serious one
    gets its reporting deadline from the time of awareness."""
    if incident.status is Status.CLOSED:
        raise Conflict(f"incident {incident.id} is closed")
    found = tuple(sorted(set(categories)))
    if death and Category.HEALTH not in found:
        raise InvalidInput("a death is an Art. 3(49)(a) outcome: add that category")
    if widespread and not found:
        raise InvalidInput("a widespread infringement is serious: name what it led to")
    if not reason.strip():
        raise InvalidInput("say why it is classified so", details={"field": "reason"})
    serious = bool(found)
    due = None
    if serious:
        due = deadline(
            incident.aware_at, reporting_period(found, death, widespread), incident.time_zone
        )
    return replace(
        incident,
        serious=serious,
        categories=found,
        death=death,
        widespread=widespread,
        classification_reason=reason.strip(),
        classified_at=now,
        classified_by=who,
        deadline_at=due.due_at if due else None,
        deadline_days=due.period.days if due else None,
        deadline_basis=due.period.basis if due else "",
    )


def escalation_due(incident: Incident, now: datetime) -> bool:
    """Whether the incident is to be escalated now (once: not escalated before)."""
    return (
        incident.running()
        and incident.deadline_at is not None
        and incident.escalated_at is None
        and now >= incident.deadline_at - ESCALATE_BEFORE
    )


class ActionStatus(StrEnum):
    OPEN = "open"
    DONE = "done"


@dataclass(frozen=True, slots=True)
class CorrectiveAction:
    id: str
    incident_id: str
    description: str
    owner_id: str
    due_on: date | None
    created_at: datetime
    created_by: str
    status: ActionStatus = ActionStatus.OPEN
    done_at: datetime | None = None
    done_by: str | None = None
    outcome: str = ""


@dataclass(frozen=True, slots=True)
class Snapshot:
    """Evidence an incident cites, frozen as it was: later runs cannot change it."""

    id: str
    incident_id: str
    evidence_id: str
    taken_at: datetime
    content: str  # the evidence as canonical JSON
    digest: str  # its SHA-256


@dataclass(frozen=True, slots=True)
class Submission:
    """A report sent to an authority: what, to whom, when, and the document as sent."""

    id: str
    incident_id: str
    kind: ReportKind
    authority: str
    sent_at: datetime
    recorded_at: datetime
    recorded_by: str
    reference: str  # the authority's reference or the channel used
    document: str  # the report as sent (HTML)
    digest: str  # its SHA-256
    missing: tuple[str, ...] = ()  # mandated fields the report lacked (an initial one may)


def check_closable(
    incident: Incident, actions: Sequence[CorrectiveAction], kinds: Sequence[ReportKind]
) -> None:
    """An incident closes once its corrective actions are done and, when serious, once a
    complete report was sent."""
    if incident.status is Status.CLOSED:
        raise Conflict(f"incident {incident.id} is closed already")
    if incident.serious is None:
        raise Conflict("classify the incident before closing it")
    open_actions = [a.id for a in actions if a.status is ActionStatus.OPEN]
    if open_actions:
        raise Conflict(f"corrective actions still open: {', '.join(open_actions)}")
    if incident.serious and ReportKind.COMPLETE not in kinds:
        raise Conflict("a serious incident closes once a complete report was sent (Art. 73(5))")


#: what an Art. 73 report must say, and where the record holds it
MANDATED = {
    "system": "the AI system concerned",
    "description": "what happened",
    "aware_at": "when the organisation became aware",
    "classification": "the classification (Art. 3(49))",
    "affected": "the persons affected",
    "corrective_actions": "the corrective action taken or planned (Art. 73(6))",
}


def missing_fields(incident: Incident, actions: Sequence[CorrectiveAction]) -> tuple[str, ...]:
    """Mandated fields the record cannot fill yet: a report lacking them is initial only."""
    missing = []
    if not incident.description.strip():
        missing.append("description")
    if incident.serious is None:
        missing.append("classification")
    if incident.affected_persons is None and not incident.affected_description.strip():
        missing.append("affected")
    if not actions:
        missing.append("corrective_actions")
    return tuple(missing)
