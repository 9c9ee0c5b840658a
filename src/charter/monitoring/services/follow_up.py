"""Alerts and reviews: listing the open ones, resolving an alert, closing a review."""

from __future__ import annotations

from dataclasses import replace
from typing import TypeVar

from charter.kernel.access import Action, Actor, allowed, ensure, ensure_member
from charter.kernel.context import record
from charter.kernel.errors import InvalidInput
from charter.kernel.lookups import by_ids, hold, require
from charter.monitoring.domain.monitors import Alert, AlertStatus, Review
from charter.monitoring.ports import Context, UnitOfWork

Item = TypeVar("Item", Alert, Review)


def alerts(
    ctx: Context, actor: Actor, system_id: str | None = None, open_only: bool = True
) -> list[Alert]:
    ensure_member(actor)
    with ctx.uow().reading() as uow:
        filters: dict[str, object] = {"status": AlertStatus.OPEN} if open_only else {}
        if system_id:
            filters["system_id"] = system_id
        found = uow.alerts.find(filters, order="-last_breach_at", limit=500).items
        return _readable(uow, actor, found)


def resolve_alert(ctx: Context, actor: Actor, alert_id: str, note: str) -> Alert:
    with ctx.uow() as uow:
        system_id = require(uow.alerts, "alert", alert_id).system_id
        system = hold(uow.systems, "system", system_id)
        ensure(actor, Action.MONITOR_MANAGE, system.business_unit_id, system.id)
        alert = require(uow.alerts, "alert", alert_id)
        if not note.strip():
            raise InvalidInput("say how the alert was resolved", details={"field": "note"})
        done = replace(
            alert,
            status=AlertStatus.RESOLVED,
            resolved_at=ctx.clock(),
            resolved_by=actor.ref,
            note=note.strip(),
        )
        uow.alerts.update(done, when={"status": AlertStatus.OPEN})
        record(
            ctx,
            uow,
            actor,
            "alert.resolved",
            "system",
            system.id,
            {"alert": alert_id, "note": done.note},
        )
        uow.commit()
    return done


def reviews(
    ctx: Context, actor: Actor, system_id: str | None = None, open_only: bool = True
) -> list[Review]:
    ensure_member(actor)
    with ctx.uow().reading() as uow:
        filters: dict[str, object] = {"status": "open"} if open_only else {}
        if system_id:
            filters["system_id"] = system_id
        found = uow.monitor_reviews.find(filters, order="-opened_at", limit=500).items
        return _readable(uow, actor, found)


def _readable(uow: UnitOfWork, actor: Actor, found: list[Item]) -> list[Item]:
    """Those of the alerts or reviews whose system the actor may read: only their systems are
    read (not every system)."""
    systems = by_ids(uow.systems, {item.system_id for item in found})
    return [
        item
        for item in found
        if allowed(actor, Action.READ, systems[item.system_id].business_unit_id, item.system_id)
    ]


def close_review(ctx: Context, actor: Actor, review_id: str, outcome: str) -> Review:
    with ctx.uow() as uow:
        system_id = require(uow.monitor_reviews, "review", review_id).system_id
        system = hold(uow.systems, "system", system_id)
        review = require(uow.monitor_reviews, "review", review_id)
        if actor.person_id != review.assignee_id:
            ensure(actor, Action.MONITOR_MANAGE, system.business_unit_id, system.id)
        if not outcome.strip():
            raise InvalidInput("say what the review found", details={"field": "outcome"})
        done = replace(
            review,
            status="done",
            closed_at=ctx.clock(),
            closed_by=actor.ref,
            outcome=outcome.strip(),
        )
        uow.monitor_reviews.update(done, when={"status": "open"})
        record(
            ctx,
            uow,
            actor,
            "review.closed",
            "system",
            system.id,
            {"review": review_id, "outcome": done.outcome},
        )
        uow.commit()
    return done
