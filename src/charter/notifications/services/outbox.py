"""Notices: written in the caller's transaction, then dispatched into deliveries (one per
recipient who hears of it by e-mail, one per subscribing endpoint)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import Any

from charter.kernel.errors import InvalidInput
from charter.notifications.domain import (
    EVENTS,
    Channel,
    Delivery,
    Endpoint,
    Mode,
    Notice,
    mode_for,
    next_digest,
)
from charter.notifications.ports import Context, UnitOfWork


def notify(
    ctx: Context,
    uow: UnitOfWork,
    event: str,
    subject: tuple[str, str],
    title: str,
    recipients: Iterable[str | None],
    data: Mapping[str, Any] | None = None,
    key: str | None = None,
) -> bool:
    """Write a notice in the caller's transaction (it is delivered only if that commits);
    False when a notice with this key was written before."""
    if event not in EVENTS:
        raise InvalidInput(f"unknown event type {event!r}")
    people = tuple(dict.fromkeys(p for p in recipients if p))
    notice = Notice(
        ctx.new_id("nt"),
        event,
        subject[0],
        subject[1],
        title[:500],
        dict(data or {}),
        people,
        ctx.clock(),
        key,
    )
    return uow.outbox.add(notice)


def _deliveries(ctx: Context, uow: UnitOfWork, notice: Notice, endpoints: list[Endpoint]) -> int:
    now, made = ctx.clock(), 0
    for person_id in notice.recipients:
        person = uow.people.get(person_id)
        if person is None or not person.active:
            continue
        mode = mode_for(uow.preferences.all(person_id=person_id), notice.type)
        if mode is Mode.OFF:
            continue
        due = next_digest(now, ctx.digest_hour) if mode is Mode.DIGEST else now
        uow.deliveries.add(
            Delivery(
                ctx.new_id("dl"), notice.id, Channel.EMAIL, now, due, person_id=person_id, mode=mode
            )
        )
        made += 1
    for endpoint in endpoints:
        if endpoint.wants(notice.type):
            uow.deliveries.add(
                Delivery(
                    ctx.new_id("dl"), notice.id, Channel.WEBHOOK, now, now, endpoint_id=endpoint.id
                )
            )
            made += 1
    return made


def dispatch(ctx: Context) -> int:
    """Turn every undispatched notice into its deliveries (one per recipient who hears of it by
    e-mail, one per endpoint that subscribes to it), in one transaction; how many were made."""
    made = 0
    with ctx.uow() as uow:
        endpoints = uow.endpoints.all()
        for notice in uow.outbox.undispatched(1000):
            made += _deliveries(ctx, uow, notice, endpoints)
            uow.outbox.update(replace(notice, dispatched_at=ctx.clock()))
        uow.commit()
    return made
