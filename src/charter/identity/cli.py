"""charter tokens | audit"""

from __future__ import annotations

import sys

import typer

from charter.identity.services import access, sessions
from charter.inventory import services as inventory
from charter.kernel.cli.output import JsonOpt, emit, name_of, reporting, table
from charter.kernel.cli.session import AS_HELP, acting, context
from charter.kernel.present import as_json

tokens = typer.Typer(
    help="API tokens (only a hash is stored; the secret is shown once).", no_args_is_help=True
)
AsOpt = typer.Option(None, "--as", help=AS_HELP)


@tokens.command("create")
def tokens_create(
    person: str | None = typer.Argument(
        None, help="A service account (administrators only); default: yourself."
    ),
    name: str = typer.Option(...),
    days: int | None = typer.Option(
        None, min=1, max=366, help="Days it lives (default: CHARTER_TOKEN_DAYS, 90)."
    ),
    who: str | None = AsOpt,
    json_: bool = JsonOpt,
) -> None:
    """Create an API token for yourself (or, as an administrator, for a service account);
    the secret is printed once."""
    with reporting(json_):
        ctx = context()
        actor = acting(ctx, who)
        token, secret = access.create_token(ctx, actor, person, name, days)
        owner = name_of(inventory.names(ctx, actor), token.person_id)
    emit(
        {**as_json(token), "secret": secret},
        json_,
        lambda: typer.echo(
            f"token {token.id} for {owner}: {secret}\nkeep it now: it is not shown again"
        ),
    )


@tokens.command("list")
def tokens_list(person: str | None = None, who: str | None = AsOpt, json_: bool = JsonOpt) -> None:
    """List your API tokens (an administrator: everyone's, or one person's); never their
    secrets."""
    with reporting(json_):
        ctx = context()
        actor = acting(ctx, who)
        items = access.list_tokens(ctx, actor, person)
        named = inventory.names(ctx, actor)
    emit(
        {"items": as_json(items)},
        json_,
        lambda: table(
            "API tokens",
            ["id", "person", "name", "ends with", "created", "expires", "last used", "revoked"],
            [
                (
                    t.id,
                    name_of(named, t.person_id),
                    t.name,
                    t.hint,
                    t.created_at,
                    t.expires_at,
                    t.last_used_at,
                    t.revoked_at,
                )
                for t in items
            ],
        ),
    )


@tokens.command("revoke")
def tokens_revoke(token: str, who: str | None = AsOpt, json_: bool = JsonOpt) -> None:
    """Revoke an API token (your own; an administrator: anyone's)."""
    with reporting(json_):
        ctx = context()
        item = access.revoke_token(ctx, acting(ctx, who), token)
    emit(as_json(item), json_, lambda: typer.echo(f"revoked {item.id}"))


def people_set_password(
    person: str = typer.Argument(..., help="The person: id, e-mail or exact name."),
    password_stdin: bool = typer.Option(
        False, "--password-stdin", help="Read the password from standard input."
    ),
    who: str | None = AsOpt,
    json_: bool = JsonOpt,
) -> None:
    """Set the password a person signs in to the web UI with (yourself, or anyone as an
    administrator); asked twice, hidden, unless read from standard input. Every session of
    the person ends."""
    with reporting(json_):
        if password_stdin:
            password = sys.stdin.readline().rstrip("\n")
        else:
            password = typer.prompt("password", hide_input=True, confirmation_prompt=True)
        ctx = context()
        sessions.set_password(ctx, acting(ctx, who), person, password)
    emit({"person": person, "password_set": True}, json_, lambda: typer.echo("password set"))
