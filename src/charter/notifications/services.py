"""Use cases of notifications: write a notice in the caller's transaction, turn notices into
deliveries, deliver what is due (each attempt logged), replay, and manage endpoints and
preferences."""

from __future__ import annotations

import secrets
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from charter.kernel.access import PERMISSIONS, Action, Actor, allowed, ensure, ensure_member
from charter.kernel.context import record
from charter.kernel.errors import Conflict, InvalidInput
from charter.kernel.lookups import ensure_unique, require
from charter.kernel.roles import RoleAssignment
from charter.notifications.domain import (
    EVENTS,
    Attempt,
    Channel,
    Delivery,
    Endpoint,
    EndpointKind,
    Mail,
    Mode,
    Notice,
    Outcome,
    Preference,
    Status,
    after_attempt,
    chat_payload,
    check_event_types,
    check_url,
    digest_for,
    endpoint_after,
    mail_for,
    mode_for,
    new_signing_secret,
    next_digest,
    payload,
    replayed,
    sign,
)
from charter.notifications.ports import Context, UnitOfWork

SYSTEM = Actor(person_id=None, label="notifications")
BATCH = 100


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


# --- dispatch: notices into deliveries -----------------------------------------------------


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


# --- delivery ------------------------------------------------------------------------------

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


# --- the delivery log, replay --------------------------------------------------------------


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


# --- endpoints -----------------------------------------------------------------------------


def create_endpoint(
    ctx: Context, actor: Actor, name: str, url: str, kind: EndpointKind,
    event_types: Sequence[str] = (),
) -> tuple[Endpoint, str]:  # fmt: skip
    """A webhook endpoint; for Standard Webhooks, its signing secret (shown once)."""
    ensure(actor, Action.NOTIFICATIONS_MANAGE)
    if not name.strip():
        raise InvalidInput("an endpoint needs a name", details={"field": "name"})
    kind = EndpointKind(kind)
    secret = new_signing_secret(secrets.token_bytes(32)) if kind is EndpointKind.STANDARD else ""
    endpoint = Endpoint(
        ctx.new_id("we"),
        name.strip(),
        check_url(url, ctx.webhook_networks),
        kind,
        secret,
        check_event_types(event_types),
        ctx.clock(),
        actor.ref,
    )
    with ctx.uow() as uow:
        ensure_unique(uow.endpoints, "webhook endpoint", "name", endpoint.name)
        uow.endpoints.add(endpoint)
        record(
            ctx,
            uow,
            actor,
            "endpoint.created",
            "endpoint",
            endpoint.id,
            {"name": endpoint.name, "kind": kind.value, "event_types": list(endpoint.event_types)},
        )
        uow.commit()
    return endpoint, secret


def list_endpoints(ctx: Context, actor: Actor) -> list[Endpoint]:
    ensure(actor, Action.NOTIFICATIONS_MANAGE)
    with ctx.uow() as uow:
        return uow.endpoints.find(order="name").items


def set_endpoint_active(ctx: Context, actor: Actor, endpoint_id: str, active: bool) -> Endpoint:
    """Disable an endpoint, or enable it again: its pending deliveries are then due at once."""
    ensure(actor, Action.NOTIFICATIONS_MANAGE)
    now = ctx.clock()
    with ctx.uow() as uow:
        found = require(uow.endpoints, "endpoint", endpoint_id)
        changed = (
            replace(found, active=True, disabled_at=None, disabled_reason="", failing_since=None)
            if active
            else replace(
                found, active=False, disabled_at=now, disabled_reason=f"disabled by {actor.label}"
            )
        )
        uow.endpoints.update(changed)
        if active:
            for d in uow.deliveries.all(endpoint_id=endpoint_id, status=Status.PENDING):
                uow.deliveries.update(replace(d, next_attempt_at=now))
        action = "endpoint.enabled" if active else "endpoint.disabled"
        record(ctx, uow, actor, action, "endpoint", endpoint_id, {"name": found.name})
        uow.commit()
    return changed


def rotate_secret(ctx: Context, actor: Actor, endpoint_id: str) -> tuple[Endpoint, str]:
    """A new signing secret for a Standard Webhooks endpoint (shown once)."""
    ensure(actor, Action.NOTIFICATIONS_MANAGE)
    with ctx.uow() as uow:
        found = require(uow.endpoints, "endpoint", endpoint_id)
        if found.kind is not EndpointKind.STANDARD:
            raise InvalidInput(f"a {found.kind.value} endpoint is not signed")
        secret = new_signing_secret(secrets.token_bytes(32))
        changed = replace(found, signing_secret=secret)
        uow.endpoints.update(changed)
        record(ctx, uow, actor, "endpoint.secret_rotated", "endpoint", endpoint_id, {})
        uow.commit()
    return changed, secret


# --- preferences ---------------------------------------------------------------------------


def preferences(ctx: Context, actor: Actor) -> dict[str, Mode]:
    """The actor's mode for every event type (what they chose, else the default)."""
    ensure_member(actor)
    with ctx.uow() as uow:
        chosen = uow.preferences.all(person_id=actor.person_id)
    return {event: mode_for(chosen, event) for event in ["*", *sorted(EVENTS)]}


def set_preference(ctx: Context, actor: Actor, event_type: str, mode: Mode) -> Preference:
    """How the actor hears of an event type ("*": every type without a choice of its own)."""
    ensure_member(actor)
    if actor.person_id is None:
        raise InvalidInput("only a person has preferences")
    check_event_types([event_type], allow_all=True)
    with ctx.uow() as uow:
        found = uow.preferences.all(person_id=actor.person_id, event_type=event_type)
        chosen = Preference(
            found[0].id if found else ctx.new_id("np"), actor.person_id, event_type, Mode(mode)
        )
        (uow.preferences.update if found else uow.preferences.add)(chosen)
        record(
            ctx,
            uow,
            actor,
            "notifications.preference_set",
            "person",
            actor.person_id,
            {"event_type": event_type, "mode": chosen.mode.value},
        )
        uow.commit()
    return chosen
