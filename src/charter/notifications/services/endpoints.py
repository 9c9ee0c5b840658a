"""Webhook endpoints and each person's notification preferences, each change audited."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import replace

from charter.kernel.access import Action, Actor, ensure, ensure_member
from charter.kernel.context import record
from charter.kernel.errors import InvalidInput
from charter.kernel.lookups import ensure_unique, require
from charter.notifications.domain import (
    EVENTS,
    Endpoint,
    EndpointKind,
    Mode,
    Preference,
    Status,
    check_event_types,
    check_url,
    mode_for,
    new_signing_secret,
)
from charter.notifications.ports import Context


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
