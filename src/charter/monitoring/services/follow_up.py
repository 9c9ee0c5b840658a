"""Alerts and reviews: listing the open ones, resolving an alert, closing a review."""

from __future__ import annotations

from dataclasses import replace

from charter.kernel.access import Action, Actor, ensure, ensure_member, visible_scopes
from charter.kernel.context import record
from charter.kernel.errors import InvalidInput
from charter.kernel.lookups import hold, require
from charter.kernel.ports import Page
from charter.monitoring.domain.monitors import Alert, AlertStatus, Review
from charter.monitoring.ports import Context, UnitOfWork


def alerts(
    ctx: Context, actor: Actor, system_id: str | None = None, open_only: bool = True,
    limit: int | None = None, offset: int = 0,
) -> list[Alert]:  # fmt: skip
    """The alerts the actor may read, newest breach first (every one unless `limit`)."""
    return alert_page(ctx, actor, system_id, open_only, limit, offset).items


def alert_page(
    ctx: Context, actor: Actor, system_id: str | None = None, open_only: bool = True,
    limit: int | None = None, offset: int = 0,
) -> Page[Alert]:  # fmt: skip
    """One page of the alerts the actor may read, with how many there are in all."""
    ensure_member(actor)
    filters: dict[str, object] = {"status": AlertStatus.OPEN} if open_only else {}
    with ctx.uow().reading() as uow:
        return uow.alerts.find(
            _about(filters, system_id), order="-last_breach_at", any_of=_readable(uow, actor),
            limit=limit, offset=offset,
        )  # fmt: skip


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
    ctx: Context, actor: Actor, system_id: str | None = None, open_only: bool = True,
    limit: int | None = None, offset: int = 0,
) -> list[Review]:  # fmt: skip
    """The reviews the actor may read, newest first (every one unless `limit`)."""
    return review_page(ctx, actor, system_id, open_only, limit, offset).items


def review_page(
    ctx: Context, actor: Actor, system_id: str | None = None, open_only: bool = True,
    limit: int | None = None, offset: int = 0,
) -> Page[Review]:  # fmt: skip
    """One page of the reviews the actor may read, with how many there are in all."""
    ensure_member(actor)
    filters: dict[str, object] = {"status": "open"} if open_only else {}
    with ctx.uow().reading() as uow:
        return uow.monitor_reviews.find(
            _about(filters, system_id), order="-opened_at", any_of=_readable(uow, actor),
            limit=limit, offset=offset,
        )  # fmt: skip


def _about(filters: dict[str, object], system_id: str | None) -> dict[str, object]:
    return {**filters, "system_id": system_id} if system_id else filters


def _readable(uow: UnitOfWork, actor: Actor) -> dict[str, frozenset[str]] | None:
    """The systems whose alerts and reviews the actor may read (None: every one), so that the
    query returns all of those and nothing else: no cap that drops rows past a page."""
    scopes = visible_scopes(actor)
    if scopes is None:
        return None
    units, named = scopes["business_unit_id"], scopes["id"]
    inside = uow.systems.find(any_of={"business_unit_id": units}).items if units else []
    return {"system_id": frozenset({s.id for s in inside} | named)}


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
