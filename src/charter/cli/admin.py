"""charter tokens | audit"""

from __future__ import annotations

import typer

from charter.cli.output import JsonOpt, emit, reporting, table
from charter.cli.session import AS_HELP, acting, context
from charter.services import access, audit, queries
from charter.web.present import as_json

tokens = typer.Typer(
    help="API tokens (only a hash is stored; the secret is shown once).", no_args_is_help=True
)
audit_app = typer.Typer(help="The audit trail.", no_args_is_help=True)
AsOpt = typer.Option(None, "--as", help=AS_HELP)


@tokens.command("create")
def tokens_create(
    person: str, name: str = typer.Option(...), who: str | None = AsOpt, json_: bool = JsonOpt
) -> None:
    """Create an API token for a person; the secret is printed once."""
    with reporting(json_):
        ctx = context()
        token, secret = access.create_token(ctx, acting(ctx, who), person, name)
    emit(
        {**as_json(token), "secret": secret},
        json_,
        lambda: typer.echo(
            f"token {token.id} for {person}: {secret}\nkeep it now: it is not shown again"
        ),
    )


@tokens.command("list")
def tokens_list(person: str | None = None, who: str | None = AsOpt, json_: bool = JsonOpt) -> None:
    """List API tokens (never their secrets)."""
    with reporting(json_):
        ctx = context()
        items = queries.list_tokens(ctx, acting(ctx, who), person)
    emit(
        {"items": as_json(items)},
        json_,
        lambda: table(
            "API tokens",
            ["id", "person", "name", "ends with", "created", "revoked"],
            [(t.id, t.person_id, t.name, t.hint, t.created_at, t.revoked_at) for t in items],
        ),
    )


@tokens.command("revoke")
def tokens_revoke(token: str, who: str | None = AsOpt, json_: bool = JsonOpt) -> None:
    """Revoke an API token."""
    with reporting(json_):
        ctx = context()
        item = access.revoke_token(ctx, acting(ctx, who), token)
    emit(as_json(item), json_, lambda: typer.echo(f"revoked {item.id}"))


@audit_app.command("log")
def audit_log(
    after: int = 0,
    limit: int = typer.Option(50, min=1, max=1000),
    who: str | None = AsOpt,
    json_: bool = JsonOpt,
) -> None:
    """Print audit events in order, from a sequence number on."""
    with reporting(json_):
        ctx = context()
        events = audit.list_events(ctx, acting(ctx, who), after, limit)
    bodies = [e.body() for e in events]
    emit(
        {"items": as_json(events)},
        json_,
        lambda: table(
            "Audit events",
            ["seq", "at", "actor", "action", "entity"],
            [
                (
                    b["seq"],
                    b["at"],
                    b["actor"],
                    b["action"],
                    f"{b['entity']['type']} {b['entity']['id']}",
                )
                for b in bodies
            ],
        ),
    )


@audit_app.command("history")
def audit_history(
    entity_type: str, entity_id: str, who: str | None = AsOpt, json_: bool = JsonOpt
) -> None:
    """Every recorded change of one entity: who, when, what."""
    with reporting(json_):
        ctx = context()
        events = audit.entity_history(ctx, acting(ctx, who), entity_type, entity_id)
    bodies = [e.body() for e in events]
    emit(
        {"items": as_json(events)},
        json_,
        lambda: table(
            f"History of {entity_type} {entity_id}",
            ["seq", "at", "actor", "action", "data"],
            [(b["seq"], b["at"], b["actor"], b["action"], b["data"]) for b in bodies],
        ),
    )
