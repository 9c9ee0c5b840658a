"""Use cases for reading and checking the audit trail."""

from __future__ import annotations

from dataclasses import dataclass

from charter.domain.access import Action, Actor, ensure
from charter.domain.audit import AuditEvent, first_broken
from charter.services.context import Context


@dataclass(frozen=True, slots=True)
class ChainReport:
    size: int
    first_bad_seq: int | None

    @property
    def intact(self) -> bool:
        return self.first_bad_seq is None


def verify_chain(ctx: Context, actor: Actor) -> ChainReport:
    """Re-hash every stored event and check each links to the one before it."""
    ensure(actor, Action.AUDIT_READ)
    with ctx.uow() as uow:
        events = uow.audit.events()
        return ChainReport(size=len(events), first_bad_seq=first_broken(events))


def list_events(ctx: Context, actor: Actor, after: int = 0, limit: int = 100) -> list[AuditEvent]:
    ensure(actor, Action.AUDIT_READ)
    with ctx.uow() as uow:
        return uow.audit.events(after=after, limit=limit)


def entity_history(
    ctx: Context, actor: Actor, entity_type: str, entity_id: str
) -> list[AuditEvent]:
    ensure(actor, Action.AUDIT_READ)
    with ctx.uow() as uow:
        return uow.audit.for_entity(entity_type, entity_id)
