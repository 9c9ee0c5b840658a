"""Waivers and governed documents: the records a gate reads besides evidence."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta
from difflib import get_close_matches

from charter.kernel.errors import InvalidInput
from charter.kernel.roles import RoleKind

MAX_WAIVER_DAYS = 366


@dataclass(frozen=True, slots=True)
class Waiver:
    """A time-limited exception for one system and one requirement of one policy."""

    id: str
    system_id: str
    policy_id: str
    requirement_id: str
    reason: str
    compensating_measures: str
    granted_by: str  # person id
    granted_at: datetime
    expires_at: datetime
    revoked_at: datetime | None = None
    needs_second: bool = False  # four eyes: in effect only once a second person confirms it
    second_by: str | None = None  # the person who confirmed it (never the granter)
    second_at: datetime | None = None

    @property
    def awaiting_second(self) -> bool:
        return self.needs_second and self.second_by is None

    def status(self, now: datetime) -> str:
        """Where it stands, as people read it: revoked, expired, awaiting confirmation (by
        a second person) or active."""
        if self.revoked_at is not None:
            return "revoked"
        if now >= self.expires_at:
            return "expired"
        return "awaiting confirmation" if self.awaiting_second else "active"

    def confirmable_by(self, person_id: str | None, now: datetime) -> bool:
        """Whether this person may be its second (their right to waive aside): it awaits one,
        is live, and they did not grant it."""
        return (
            self.status(now) == "awaiting confirmation"
            and person_id is not None
            and person_id != self.granted_by
        )

    def active(self, now: datetime) -> bool:
        """Expires on its own: an expired or revoked waiver blocks again, and so does one
        that awaits its second person."""
        live = self.revoked_at is None and self.granted_at <= now < self.expires_at
        return live and not self.awaiting_second

    def covers(self, system_id: str, policy_id: str, requirement_id: str) -> bool:
        return (self.system_id, self.policy_id, self.requirement_id) == (
            system_id,
            policy_id,
            requirement_id,
        )


def check_waiver_terms(
    reason: str, measures: str, granted_at: datetime, expires_at: datetime
) -> None:
    if not reason.strip():
        raise InvalidInput("a waiver needs a reason", details={"field": "reason"})
    if not measures.strip():
        raise InvalidInput(
            "a waiver needs compensating measures", details={"field": "compensating_measures"}
        )
    if expires_at <= granted_at:
        raise InvalidInput(
            "a waiver must expire after it is granted", details={"field": "expires_at"}
        )
    if expires_at - granted_at > timedelta(days=MAX_WAIVER_DAYS):
        raise InvalidInput(
            f"a waiver may last at most {MAX_WAIVER_DAYS} days", details={"field": "expires_at"}
        )


@dataclass(frozen=True, slots=True)
class Document:
    """A named document attached to a system (DPIA, model card, ...), approved by a role."""

    id: str
    system_id: str
    kind: str
    title: str
    uri: str
    attached_by: str
    attached_at: datetime
    approved_by: str | None = None
    approved_role: RoleKind | None = None
    approved_at: datetime | None = None
    superseded_by: str | None = None  # the document that replaced it: it no longer counts
    superseded_at: datetime | None = None


def check_document_kind(kind: str, known: Collection[str], where: str = "document kind") -> str:
    """A kind from the vocabulary (Charter's, and what policies in store add), or a refusal
    that names the nearest known kinds: a typo (`dpai`) never becomes a kind of its own."""
    if kind in known:
        return kind
    near = get_close_matches(kind, sorted(known), n=3, cutoff=0.6)
    hint = f"; did you mean {' or '.join(near)}?" if near else ""
    raise InvalidInput(
        f"{where} {kind!r} is not in the vocabulary{hint} (GET /api/v1/document-kinds lists "
        "them; a policy file may add its own under document_kinds)",
        details={"field": "kind", "value": kind},
    )
