"""Deliver what is due: each send outside any transaction, its outcome logged in one of
its own (retries with backoff, endpoints disabled after failing for days)."""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass

from charter.kernel.access import PERMISSIONS, Action, Actor
from charter.kernel.context import record
from charter.kernel.roles import RoleAssignment
from charter.notifications.domain import (
    Attempt,
    Channel,
    Delivery,
    Endpoint,
    EndpointKind,
    Mail,
    Mode,
    Notice,
    Outcome,
    Status,
    after_attempt,
    chat_payload,
    digest_for,
    endpoint_after,
    mail_for,
    payload,
    sign,
)
from charter.notifications.ports import Context, UnitOfWork
from charter.notifications.services.outbox import dispatch, notify

SYSTEM = Actor(person_id=None, label="notifications")

PATHS = {
    "system": "/ui/systems/{subject_id}",
    "incident": "/ui/incidents/{subject_id}",
    "request": "/ui/approvals",
    "kpi": "/ui/kpis",
    "training": "/ui/talent",
    "endpoint": "/ui/notifications",
}


def link(ctx: Context, notice: Notice) -> str | None:
    """Where the notice's subject is seen in the UI (with CHARTER_PUBLIC_URL set)."""
    if not ctx.public_url:
        return None
    system = notice.data.get("system_id")
    path = PATHS.get(notice.subject_type)
    if path is None:
        path = "/ui/systems/{system_id}" if system else "/ui/"
    values = {"subject_id": notice.subject_id, "system_id": system}
    return ctx.public_url.rstrip("/") + path.format(**values)


@dataclass(frozen=True, slots=True)
class Prepared:
    """A send to make: the deliveries it settles and how to make it."""

    deliveries: tuple[Delivery, ...]
    mails: tuple[Mail, ...] = ()
    url: str = ""
    body: bytes = b""
    headers: Mapping[str, str] | None = None
    endpoint: Endpoint | None = None


@dataclass(frozen=True, slots=True)
class Report:
    dispatched: int
    delivered: int
    failed: int  # attempts that failed (to be retried, or failed for good)
    waiting: int  # due but held: e-mail not configured, or the endpoint disabled


def _mail(ctx: Context, uow: UnitOfWork, group: list[Delivery]) -> Prepared | None:
    person = uow.people.get(group[0].person_id or "")
    if person is None or not person.active:
        return None
    notices = [(n, link(ctx, n)) for d in group if (n := uow.outbox.get(d.notice_id))]
    if group[0].mode is Mode.DIGEST:
        mail = digest_for(person.name, person.email, notices, ctx.clock())
    else:
        mail = mail_for(person.name, person.email, *notices[0])
    return Prepared(tuple(group), (mail,))


def _webhook(ctx: Context, uow: UnitOfWork, delivery: Delivery) -> Prepared | None:
    endpoint = uow.endpoints.get(delivery.endpoint_id or "")
    notice = uow.outbox.get(delivery.notice_id)
    if endpoint is None or notice is None or not endpoint.active:
        return None
    where = link(ctx, notice)
    if endpoint.kind is not EndpointKind.STANDARD:
        body = chat_payload(endpoint.kind, notice, where)
        return Prepared((delivery,), url=endpoint.url, body=body, headers={}, endpoint=endpoint)
    body, stamp = payload(notice, where), int(ctx.clock().timestamp())
    headers = {
        "webhook-id": notice.id,  # the same on every retry: the receiver's idempotency key
        "webhook-timestamp": str(stamp),
        "webhook-signature": sign(endpoint.signing_secret, notice.id, stamp, body),
    }
    return Prepared((delivery,), url=endpoint.url, body=body, headers=headers, endpoint=endpoint)


def _prepare(ctx: Context, uow: UnitOfWork, due: list[Delivery]) -> list[Prepared]:
    """The sends due: a digest's deliveries for one person become one e-mail."""
    digests: dict[str, list[Delivery]] = {}
    out = []
    for d in due:
        if d.channel is Channel.EMAIL and d.mode is Mode.DIGEST:
            digests.setdefault(d.person_id or "", []).append(d)
            continue
        made = _mail(ctx, uow, [d]) if d.channel is Channel.EMAIL else _webhook(ctx, uow, d)
        if made is not None:
            out.append(made)
    out += [p for group in digests.values() if (p := _mail(ctx, uow, group))]
    return out


def _send(ctx: Context, item: Prepared) -> Outcome:
    if item.mails:
        if ctx.mailer is None:
            return Outcome(False, error="e-mail is not configured (CHARTER_SMTP_HOST)")
        return ctx.mailer.send(item.mails)
    return ctx.poster.post(item.url, item.body, dict(item.headers or {}))


def _record(ctx: Context, item: Prepared, outcome: Outcome, took: int) -> bool:
    """Log the attempt and its effect on the deliveries and the endpoint; True when the
    endpoint was disabled by it."""
    now = ctx.clock()
    with ctx.uow() as uow:
        for delivery in item.deliveries:
            current = uow.deliveries.get(delivery.id)
            if current is None or current.status is not Status.PENDING:
                continue  # replayed or settled meanwhile
            uow.attempts.add(
                Attempt(
                    ctx.new_id("at"),
                    delivery.id,
                    now,
                    outcome.delivered,
                    outcome.status_code,
                    outcome.error[:500],
                    took,
                )
            )
            uow.deliveries.update(after_attempt(current, outcome, now))
        disabled = item.endpoint is not None and _endpoint_after(ctx, uow, item.endpoint, outcome)
        uow.commit()
    return disabled


def _endpoint_after(ctx: Context, uow: UnitOfWork, endpoint: Endpoint, outcome: Outcome) -> bool:
    current = uow.endpoints.get(endpoint.id)
    if current is None:
        return False
    after = endpoint_after(current, outcome, ctx.clock())
    uow.endpoints.update(after)
    if not (current.active and not after.active):
        return False
    record(
        ctx,
        uow,
        SYSTEM,
        "endpoint.disabled",
        "endpoint",
        after.id,
        {"reason": after.disabled_reason},
    )
    admins = [r.person_id for r in _managers(uow)]
    notify(
        ctx,
        uow,
        "endpoint.disabled",
        ("endpoint", after.id),
        f"{after.name} was disabled: {after.disabled_reason}",
        admins,
    )
    return True


def _managers(uow: UnitOfWork) -> list[RoleAssignment]:
    kinds = PERMISSIONS[Action.NOTIFICATIONS_MANAGE]
    return [r for r in uow.roles.all() if r.role in kinds]


def deliver_due(ctx: Context, limit: int = 500) -> Report:
    """Dispatch new notices, then make every send that is due: each outside any transaction,
    its outcome logged in one of its own. A crash between a send and its log sends it again
    (the same webhook-id: receivers drop what they have seen)."""
    dispatched, delivered, failed, waiting = dispatch(ctx), 0, 0, 0
    with ctx.uow() as uow:
        due = uow.deliveries.due(ctx.clock(), limit)
        prepared = _prepare(ctx, uow, due)
    waiting = len(due) - sum(len(p.deliveries) for p in prepared)
    for item in prepared:
        started = time.monotonic()
        outcome = _send(ctx, item)
        _record(ctx, item, outcome, int((time.monotonic() - started) * 1000))
        delivered += outcome.delivered
        failed += not outcome.delivered
    return Report(dispatched, delivered, failed, waiting)
