"""charter notifications"""

from __future__ import annotations

import typer

from charter.kernel.cli.output import (
    EXIT_CONFLICT,
    JsonOpt,
    console,
    emit,
    name_of,
    reporting,
    table,
)
from charter.kernel.cli.session import AS_HELP, acting, context
from charter.kernel.present import as_json
from charter.notifications import services as notifications
from charter.notifications.domain import EndpointKind, Mode, Status
from charter.notifications.present import delivery_json, endpoint_json

notifications_app = typer.Typer(
    help="Notifications: deliver, remind, the delivery log, replay, endpoints, preferences.",
    no_args_is_help=True,
)
endpoints_app = typer.Typer(
    help="Webhook endpoints (Standard Webhooks, Slack, Teams).", no_args_is_help=True
)
notifications_app.add_typer(endpoints_app, name="endpoints")
AsOpt = typer.Option(None, "--as", help=AS_HELP)


@notifications_app.command("deliver")
def deliver(json_: bool = JsonOpt) -> None:
    """Deliver every notification that is due (for cron, when `charter serve` does not run);
    exits 5 when another process is delivering."""
    with reporting(json_):
        ctx = context()
        leader = ctx.leader("notifications") if ctx.leader else None
        if leader is not None and not leader.acquire():
            emit(
                {"error": "busy", "detail": "another process is delivering"},
                json_,
                lambda: console.print("another process is delivering; nothing done"),
            )
            raise typer.Exit(EXIT_CONFLICT)
        try:
            report = notifications.deliver_due(ctx)
        finally:
            if leader is not None:
                leader.release()
    emit(
        as_json(report),
        json_,
        lambda: console.print(
            f"dispatched {report.dispatched}, delivered {report.delivered}, "
            f"failed {report.failed}, waiting {report.waiting}"
        ),
    )


@notifications_app.command("list")
def list_notices(limit: int = 50, who: str | None = AsOpt, json_: bool = JsonOpt) -> None:
    """Notices, newest first (yours, or all for those who manage notifications)."""
    with reporting(json_):
        ctx = context()
        found = notifications.notices(ctx, acting(ctx, who), limit)
    emit(
        {"items": as_json(found)},
        json_,
        lambda: table(
            "Notices",
            ["created", "type", "title"],
            [(n.created_at.strftime("%Y-%m-%d %H:%M"), n.type, n.title) for n in found],
        ),
    )


@notifications_app.command("deliveries")
def list_deliveries(
    status: Status | None = typer.Option(None, help="Only deliveries in this state."),
    limit: int = 100,
    who: str | None = AsOpt,
    json_: bool = JsonOpt,
) -> None:
    """The delivery log: what was sent, what waits and what failed."""
    with reporting(json_):
        ctx = context()
        found = notifications.deliveries(ctx, acting(ctx, who), status, limit)
        named = notifications.recipients(ctx, found)
    emit(
        {"items": [delivery_json(d) for d in found]},
        json_,
        lambda: table(
            "Deliveries",
            ["id", "channel", "to", "status", "attempts", "last error"],
            [
                (
                    d.id,
                    d.channel.value,
                    name_of(named, d.person_id or d.endpoint_id),
                    d.status.value,
                    d.attempts,
                    d.last_error,
                )
                for d in found
            ],
        ),
    )


@notifications_app.command("show")
def show_delivery(delivery_id: str, who: str | None = AsOpt, json_: bool = JsonOpt) -> None:
    """A delivery, its notice and every attempt."""
    with reporting(json_):
        ctx = context()
        found, notice, attempts = notifications.delivery(ctx, acting(ctx, who), delivery_id)
    emit(
        delivery_json(found, notice, attempts),
        json_,
        lambda: table(
            f"{notice.type}: {notice.title} ({found.status.value})",
            ["at", "delivered", "status", "error", "ms"],
            [
                (
                    a.at.strftime("%Y-%m-%d %H:%M:%S"),
                    a.delivered,
                    a.status_code,
                    a.error,
                    a.duration_ms,
                )
                for a in attempts
            ],
        ),
    )


@notifications_app.command("replay")
def replay(
    delivery_id: str | None = typer.Argument(None, help="One delivery to send again."),
    endpoint: str | None = typer.Option(None, help="Every failed delivery to this endpoint."),
    who: str | None = AsOpt,
    json_: bool = JsonOpt,
) -> None:
    """Send a delivery again, or every failed one (of an endpoint)."""
    with reporting(json_):
        ctx = context()
        actor = acting(ctx, who)
        if delivery_id:
            data = delivery_json(notifications.replay(ctx, actor, delivery_id))
        else:
            data = {"replayed": notifications.replay_failed(ctx, actor, endpoint)}
    emit(data, json_, lambda: console.print(f"replayed: {data.get('replayed', delivery_id)}"))


@notifications_app.command("preferences")
def preferences(
    set_: list[str] | None = typer.Option(
        None, "--set", help="EVENT=MODE (immediate, digest, off); EVENT may be * (repeat)."
    ),
    who: str | None = AsOpt,
    json_: bool = JsonOpt,
) -> None:
    """How you hear of each event by e-mail: at once, in a daily digest, or not."""
    with reporting(json_):
        ctx = context()
        actor = acting(ctx, who)
        for item in set_ or []:
            event, _, mode = item.partition("=")
            notifications.set_preference(ctx, actor, event.strip(), Mode(mode.strip()))
        found = notifications.preferences(ctx, actor)
    emit(
        {"items": [{"event_type": k, "mode": v.value} for k, v in found.items()]},
        json_,
        lambda: table("Preferences", ["event", "mode"], [(k, v.value) for k, v in found.items()]),
    )


@endpoints_app.command("list")
def endpoints_list(who: str | None = AsOpt, json_: bool = JsonOpt) -> None:
    """Webhook endpoints and whether they are active."""
    with reporting(json_):
        ctx = context()
        found = notifications.list_endpoints(ctx, acting(ctx, who))
    emit(
        {"items": [endpoint_json(e) for e in found]},
        json_,
        lambda: table(
            "Endpoints",
            ["id", "name", "kind", "url", "active", "events"],
            [
                (
                    e.id,
                    e.name,
                    e.kind.value,
                    e.url,
                    "yes" if e.active else f"no: {e.disabled_reason}",
                    ", ".join(e.event_types) or "all",
                )
                for e in found
            ],
        ),
    )


@endpoints_app.command("add")
def endpoints_add(
    name: str,
    url: str = typer.Option(..., help="https address (plain http only to this machine)."),
    kind: EndpointKind = typer.Option(EndpointKind.STANDARD),
    event: list[str] | None = typer.Option(None, "--event", help="Event type (repeat); none: all."),
    who: str | None = AsOpt,
    json_: bool = JsonOpt,
) -> None:
    """Add a webhook endpoint; prints a Standard Webhooks endpoint's signing secret once."""
    with reporting(json_):
        ctx = context()
        endpoint, secret = notifications.create_endpoint(
            ctx, acting(ctx, who), name, url, kind, event or []
        )
    emit(
        endpoint_json(endpoint, secret),
        json_,
        lambda: console.print(
            f"added endpoint {endpoint.id}"
            + (f"\nsigning secret (shown once): {secret}" if secret else ""),
            highlight=False,
        ),
    )


def _set_active(endpoint_id: str, active: bool, who: str | None, json_: bool) -> None:
    with reporting(json_):
        ctx = context()
        endpoint = notifications.set_endpoint_active(ctx, acting(ctx, who), endpoint_id, active)
    emit(
        endpoint_json(endpoint),
        json_,
        lambda: console.print(f"{endpoint.name} is {'active' if endpoint.active else 'disabled'}"),
    )


@endpoints_app.command("enable")
def endpoints_enable(endpoint_id: str, who: str | None = AsOpt, json_: bool = JsonOpt) -> None:
    """Enable an endpoint again: its pending deliveries go out at once."""
    _set_active(endpoint_id, True, who, json_)


@endpoints_app.command("disable")
def endpoints_disable(endpoint_id: str, who: str | None = AsOpt, json_: bool = JsonOpt) -> None:
    """Stop delivering to an endpoint (its deliveries wait)."""
    _set_active(endpoint_id, False, who, json_)


@endpoints_app.command("rotate-secret")
def endpoints_rotate(endpoint_id: str, who: str | None = AsOpt, json_: bool = JsonOpt) -> None:
    """A new signing secret for a Standard Webhooks endpoint (shown once)."""
    with reporting(json_):
        ctx = context()
        endpoint, secret = notifications.rotate_secret(ctx, acting(ctx, who), endpoint_id)
    emit(
        endpoint_json(endpoint, secret),
        json_,
        lambda: console.print(f"signing secret (shown once): {secret}", highlight=False),
    )
