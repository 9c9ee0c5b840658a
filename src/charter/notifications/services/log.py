"""The delivery log: deliveries and notices as the reader may see them, whom they go to,
and replays."""

from __future__ import annotations

from collections.abc import Sequence

from charter.kernel.access import Action, Actor, allowed, ensure, ensure_member
from charter.kernel.context import record
from charter.kernel.errors import Conflict
from charter.kernel.lookups import require
from charter.notifications.domain import (
    Attempt,
    Delivery,
    Notice,
    Status,
    replayed,
)
from charter.notifications.ports import Context


def deliveries(
    ctx: Context, actor: Actor, status: Status | None = None, limit: int = 100
) -> list[Delivery]:
    """Deliveries, newest first: every one for those who manage notifications, else the
    e-mails to the actor."""
    ensure_member(actor)
    filters: dict[str, object] = {"status": status} if status else {}
    if not allowed(actor, Action.NOTIFICATIONS_MANAGE):
        filters["person_id"] = actor.person_id
    with ctx.uow() as uow:
        return uow.deliveries.find(filters, limit=limit, order="-created_at").items


def recipients(ctx: Context, found: Sequence[Delivery]) -> dict[str, str]:
    """What people call whom these deliveries (already read by the caller) go to: each
    person's name, each endpoint's name, by id."""
    people = frozenset(d.person_id for d in found if d.person_id)
    endpoints = frozenset(d.endpoint_id for d in found if d.endpoint_id)
    with ctx.uow() as uow:
        named = {p.id: p.name for p in uow.people.all(id=people)} if people else {}
        hooks = uow.endpoints.all(id=endpoints) if endpoints else []
    return named | {e.id: e.name for e in hooks}


def delivery(
    ctx: Context, actor: Actor, delivery_id: str
) -> tuple[Delivery, Notice, list[Attempt]]:
    ensure_member(actor)
    with ctx.uow() as uow:
        found = require(uow.deliveries, "delivery", delivery_id)
        if found.person_id != actor.person_id:
            ensure(actor, Action.NOTIFICATIONS_MANAGE)
        notice = require(uow.outbox, "notice", found.notice_id)
        attempts = uow.attempts.find({"delivery_id": delivery_id}, order="at").items
    return found, notice, attempts


def notices(ctx: Context, actor: Actor, limit: int = 100) -> list[Notice]:
    """Notices, newest first: all for those who manage notifications, else the actor's."""
    ensure_member(actor)
    mine = None if allowed(actor, Action.NOTIFICATIONS_MANAGE) else actor.person_id
    with ctx.uow() as uow:
        return uow.outbox.recent(limit, mine)


def replay(ctx: Context, actor: Actor, delivery_id: str) -> Delivery:
    """Send a delivery again (a failed one, or one delivered that the receiver lost): pending
    at once, with the same webhook-id."""
    ensure(actor, Action.NOTIFICATIONS_MANAGE)
    with ctx.uow() as uow:
        found = require(uow.deliveries, "delivery", delivery_id)
        if found.status is Status.PENDING:
            raise Conflict(f"delivery {delivery_id} is pending already")
        again = replayed(found, ctx.clock())
        uow.deliveries.update(again, when={"status": found.status})
        record(
            ctx,
            uow,
            actor,
            "delivery.replayed",
            "delivery",
            found.id,
            {"status": found.status.value, "notice": found.notice_id},
        )
        uow.commit()
    return again


def replay_failed(ctx: Context, actor: Actor, endpoint_id: str | None = None) -> int:
    """Replay every failed delivery (of one endpoint); how many."""
    ensure(actor, Action.NOTIFICATIONS_MANAGE)
    with ctx.uow() as uow:
        filters: dict[str, object] = {"status": Status.FAILED}
        if endpoint_id:
            require(uow.endpoints, "endpoint", endpoint_id)
            filters["endpoint_id"] = endpoint_id
        failed = uow.deliveries.all(**filters)
        for d in failed:
            uow.deliveries.update(replayed(d, ctx.clock()), when={"status": Status.FAILED})
        record(
            ctx,
            uow,
            actor,
            "delivery.replayed",
            "endpoint",
            endpoint_id or "*",
            {"deliveries": len(failed)},
        )
        uow.commit()
    return len(failed)
