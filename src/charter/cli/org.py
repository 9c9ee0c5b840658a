"""charter units | people | roles"""

from __future__ import annotations

import sys
from typing import Any

import typer

from charter.cli.output import JsonOpt, emit, reporting, table
from charter.cli.session import AS_HELP, acting, context
from charter.domain.org import RoleKind, ScopeKind
from charter.services import org, queries, sessions
from charter.web.present import as_json, page

units = typer.Typer(help="Business units.", no_args_is_help=True)
people = typer.Typer(help="People.", no_args_is_help=True)
roles = typer.Typer(
    help="AI roles held by people (organisation-wide, per unit or per system).",
    no_args_is_help=True,
)
AsOpt = typer.Option(None, "--as", help=AS_HELP)


@units.command("list")
def units_list(who: str | None = AsOpt, json_: bool = JsonOpt) -> None:
    """List business units."""
    with reporting(json_):
        ctx = context()
        result = queries.list_directory(ctx, acting(ctx, who), "business_units", limit=500)
    emit(
        page(result),
        json_,
        lambda: table(
            "Business units",
            ["id", "name", "description"],
            [(u.id, u.name, u.description) for u in result.items],
        ),
    )


@units.command("create")
def units_create(
    name: str, description: str = "", who: str | None = AsOpt, json_: bool = JsonOpt
) -> None:
    """Create a business unit."""
    with reporting(json_):
        ctx = context()
        unit = org.create_unit(ctx, acting(ctx, who), name, description)
    emit(as_json(unit), json_, lambda: typer.echo(f"created business unit {unit.id}"))


@people.command("list")
def people_list(
    search: str | None = typer.Option(None, "--search", "-q"),
    business_unit: str | None = None,
    who: str | None = AsOpt,
    json_: bool = JsonOpt,
) -> None:
    """List people, optionally searched or filtered by business unit."""
    filters = {"business_unit_id": business_unit} if business_unit else {}
    with reporting(json_):
        ctx = context()
        result = queries.list_directory(
            ctx, acting(ctx, who), "people", filters, search=search, limit=500
        )
    emit(
        page(result),
        json_,
        lambda: table(
            "People",
            ["id", "name", "email", "title", "unit"],
            [(p.id, p.name, p.email, p.title, p.business_unit_id) for p in result.items],
        ),
    )


@people.command("create")
def people_create(
    name: str,
    email: str,
    business_unit: str | None = None,
    title: str = "",
    who: str | None = AsOpt,
    json_: bool = JsonOpt,
) -> None:
    """Add a person."""
    with reporting(json_):
        ctx = context()
        person = org.create_person(ctx, acting(ctx, who), name, email, business_unit, title)
    emit(as_json(person), json_, lambda: typer.echo(f"created person {person.id}"))


@people.command("set-password")
def people_set_password(
    person: str = typer.Argument(..., help="Person id."),
    password_stdin: bool = typer.Option(
        False, "--password-stdin", help="Read the password from standard input."
    ),
    who: str | None = AsOpt,
    json_: bool = JsonOpt,
) -> None:
    """Set the password a person signs in to the web UI with (yourself, or anyone as an
    administrator); asked twice, hidden, unless read from standard input."""
    with reporting(json_):
        if password_stdin:
            password = sys.stdin.readline().rstrip("\n")
        else:
            password = typer.prompt("password", hide_input=True, confirmation_prompt=True)
        ctx = context()
        sessions.set_password(ctx, acting(ctx, who), person, password)
    emit({"person": person, "password_set": True}, json_, lambda: typer.echo("password set"))


@roles.command("list")
def roles_list(person: str | None = None, who: str | None = AsOpt, json_: bool = JsonOpt) -> None:
    """List role assignments, optionally for one person."""
    filters = {"person_id": person} if person else {}
    with reporting(json_):
        ctx = context()
        result = queries.list_directory(
            ctx, acting(ctx, who), "role_assignments", filters, limit=500, order="person_id"
        )
    emit(
        page(result),
        json_,
        lambda: table(
            "Role assignments",
            ["id", "person", "role", "scope", "scope id"],
            [(r.id, r.person_id, r.role.value, r.scope.value, r.scope_id) for r in result.items],
        ),
    )


@roles.command("assign")
def roles_assign(
    person: str,
    role: RoleKind,
    scope: ScopeKind = typer.Option(ScopeKind.ORGANISATION),
    scope_id: str | None = None,
    who: str | None = AsOpt,
    json_: bool = JsonOpt,
) -> None:
    """Give a person an AI role, organisation-wide or scoped to a unit or system."""
    with reporting(json_):
        ctx = context()
        item = org.assign_role(ctx, acting(ctx, who), person, role, scope, scope_id)
    emit(as_json(item), json_, lambda: typer.echo(f"assigned {role.value}: {item.id}"))


@roles.command("revoke")
def roles_revoke(assignment: str, who: str | None = AsOpt, json_: bool = JsonOpt) -> None:
    """Take a role assignment away (the last administrator stays)."""
    with reporting(json_):
        ctx = context()
        org.revoke_role(ctx, acting(ctx, who), assignment)
    result: dict[str, Any] = {"revoked": assignment}
    emit(result, json_, lambda: typer.echo(f"revoked {assignment}"))
