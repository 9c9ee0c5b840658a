"""Notices, their deliveries and the rules that govern them: who hears of what and how, when
a failed delivery is tried again, when an endpoint is disabled. Pure: time and ids are
arguments."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any, TypeVar

from charter.kernel.errors import InvalidInput

T = TypeVar("T")

#: the events Charter tells people about: type -> what it says (the title of the e-mail);
#: webhook endpoints subscribe to these types (docs/notifications.md lists them)
EVENTS: dict[str, str] = {
    "approval.requested": "Your approval is requested",
    "gate.passed": "A gate passed",
    "gate.blocked": "A gate is blocked",
    "gate.refused": "A transition was refused",
    "waiver.expiring": "A waiver expires soon",
    "training.expiring": "A training expires soon",
    "kpi.missed": "A KPI missed its target",
    "monitor.breach": "A monitor found a breach",
    "monitor.failed": "A monitor run failed",
    "review.assigned": "A review is assigned to you",
    "incident.recorded": "An incident was recorded",
    "incident.serious": "A serious incident: the reporting clock runs",
    "incident.deadline_near": "An incident's reporting deadline is near",
    "endpoint.disabled": "A webhook endpoint was disabled",
}


class Mode(StrEnum):
    """How a person hears of an event by e-mail."""

    IMMEDIATE = "immediate"
    DIGEST = "digest"  # once a day, with everything else of that day
    OFF = "off"


class Channel(StrEnum):
    EMAIL = "email"
    WEBHOOK = "webhook"


class EndpointKind(StrEnum):
    STANDARD = "standard"  # Standard Webhooks: signed JSON
    SLACK = "slack"  # a Slack incoming webhook
    TEAMS = "teams"  # a Microsoft Teams incoming webhook (Workflows)


class Status(StrEnum):
    PENDING = "pending"  # waiting for its next attempt
    DELIVERED = "delivered"
    FAILED = "failed"  # every attempt failed, or refused for good: replay to try again


@dataclass(frozen=True, slots=True)
class Notice:
    """Something worth telling, written in the transaction of the change that caused it."""

    id: str
    type: str
    subject_type: str  # what it is about: system, incident, waiver...
    subject_id: str
    title: str  # one line for people
    data: Mapping[str, Any]
    recipients: tuple[str, ...]  # person ids
    created_at: datetime
    key: str | None = None  # at most one notice per key (a reminder already sent)
    dispatched_at: datetime | None = None  # when its deliveries were made


@dataclass(frozen=True, slots=True)
class Delivery:
    id: str
    notice_id: str
    channel: Channel
    created_at: datetime
    next_attempt_at: datetime
    person_id: str | None = None  # e-mail
    endpoint_id: str | None = None  # webhook
    mode: Mode = Mode.IMMEDIATE
    status: Status = Status.PENDING
    attempts: int = 0
    last_error: str = ""
    last_status: int | None = None
    delivered_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Attempt:
    """One try of a delivery: the delivery log."""

    id: str
    delivery_id: str
    at: datetime
    delivered: bool
    status_code: int | None
    error: str
    duration_ms: int


@dataclass(frozen=True, slots=True)
class Endpoint:
    id: str
    name: str
    url: str
    kind: EndpointKind
    signing_secret: str  # whsec_...; Standard Webhooks only ('' for Slack and Teams)
    event_types: tuple[str, ...]  # none: every event
    created_at: datetime
    created_by: str
    active: bool = True
    disabled_at: datetime | None = None
    disabled_reason: str = ""
    failing_since: datetime | None = None  # the first failure since its last success

    def wants(self, event_type: str) -> bool:
        return self.active and (not self.event_types or event_type in self.event_types)


@dataclass(frozen=True, slots=True)
class Preference:
    id: str
    person_id: str
    event_type: str  # an event type, or "*" for every event
    mode: Mode


def mode_for(prefs: Sequence[Preference], event_type: str) -> Mode:
    """A person's mode for an event: the event's own preference, else theirs for every event,
    else at once."""
    chosen = {p.event_type: p.mode for p in prefs}
    return chosen.get(event_type) or chosen.get("*") or Mode.IMMEDIATE


def check_event_types(types: Sequence[str], allow_all: bool = False) -> tuple[str, ...]:
    unknown = sorted(t for t in types if t not in EVENTS and not (allow_all and t == "*"))
    if unknown:
        raise InvalidInput(
            f"unknown event type(s): {', '.join(unknown)}; known: {', '.join(sorted(EVENTS))}",
            details={"field": "event_types"},
        )
    return tuple(sorted(set(types)))


# --- retries -------------------------------------------------------------------------------

#: attempts before a delivery is marked failed; with these delays they span about 2.4 days
MAX_ATTEMPTS = 10
FIRST_DELAY = timedelta(seconds=5)
BACKOFF = 4  # each delay is this many times the one before (exponential backoff) ...
LONGEST_DELAY = timedelta(hours=24)  # ... up to this
JITTER = 0.1  # each delay varies by up to this share, the same for a delivery and attempt
#: an endpoint failing without a success for this long is disabled (and 410 Gone at once)
DISABLE_AFTER = timedelta(days=5)


def retry_delay(attempts: int, delivery_id: str, retry_after: float | None = None) -> timedelta:
    """How long to wait after the `attempts`-th failed attempt: exponential backoff with a
    jitter drawn from the delivery's id (spread, yet reproducible), at least what a
    Retry-After header asked for, at most a day."""
    base = FIRST_DELAY * BACKOFF ** max(attempts - 1, 0)
    digest = hashlib.sha256(f"{delivery_id}:{attempts}".encode()).digest()
    spread = (int.from_bytes(digest[:4], "big") / 2**32 * 2 - 1) * JITTER
    delay: timedelta = min(base * (1 + spread), LONGEST_DELAY)
    if retry_after is not None and retry_after > 0:
        delay = max(delay, min(timedelta(seconds=retry_after), LONGEST_DELAY))
    return delay


@dataclass(frozen=True, slots=True)
class Outcome:
    """What one attempt came to."""

    delivered: bool
    status_code: int | None = None
    error: str = ""
    retry_after: float | None = None
    permanent: bool = False  # never to be tried again (an address refused, 410 Gone)


def after_attempt(delivery: Delivery, outcome: Outcome, now: datetime) -> Delivery:
    """The delivery once an attempt is recorded."""
    attempts = delivery.attempts + 1
    if outcome.delivered:
        return _with(
            delivery,
            status=Status.DELIVERED,
            attempts=attempts,
            delivered_at=now,
            last_status=outcome.status_code,
            last_error="",
        )
    last = attempts >= MAX_ATTEMPTS or outcome.permanent
    return _with(
        delivery,
        status=Status.FAILED if last else Status.PENDING,
        attempts=attempts,
        last_status=outcome.status_code,
        last_error=outcome.error[:500],
        next_attempt_at=now + retry_delay(attempts, delivery.id, outcome.retry_after),
    )


def endpoint_after(endpoint: Endpoint, outcome: Outcome, now: datetime) -> Endpoint:
    """The endpoint once an attempt to it is recorded: a success clears its failing streak;
    410 Gone, or failing for DISABLE_AFTER without a success, disables it."""
    if outcome.delivered:
        return _with(endpoint, failing_since=None)
    since = endpoint.failing_since or now
    reason = ""
    if outcome.status_code == 410:
        reason = "the endpoint answered 410 Gone"
    elif now - since >= DISABLE_AFTER:
        reason = f"every attempt failed since {since:%Y-%m-%d %H:%M} UTC"
    if reason:
        return _with(
            endpoint, failing_since=since, active=False, disabled_at=now, disabled_reason=reason
        )
    return _with(endpoint, failing_since=since)


def _with(item: T, **changes: Any) -> T:
    return replace(item, **changes)  # type: ignore[type-var]


def replayed(delivery: Delivery, now: datetime) -> Delivery:
    """A delivery sent again: pending at once, its attempts counted afresh (the log keeps the
    earlier ones)."""
    return _with(
        delivery, status=Status.PENDING, attempts=0, next_attempt_at=now, delivered_at=None
    )


def next_digest(after: datetime, hour: int) -> datetime:
    """The first daily digest time (`hour` o'clock UTC) after a moment."""
    at = after.astimezone(UTC).replace(hour=hour, minute=0, second=0, microsecond=0)
    return at if at > after else at + timedelta(days=1)
