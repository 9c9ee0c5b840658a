"""charter units | people | roles"""

from __future__ import annotations

from typing import Any

import typer

from charter.accountability.domain.raci import Activity, RaciLetter
from charter.accountability.services import org, raci
from charter.inventory import services as inventory
from charter.kernel.cli.output import (
    EXIT_FAILED_CHECK,
    JsonOpt,
    console,
    emit,
    name_of,
    reporting,
    table,
)
from charter.kernel.cli.session import AS_HELP, acting, context
from charter.kernel.present import as_json, everything, page
from charter.kernel.roles import RoleKind, ScopeKind

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
        result = everything(org.all_in_directory(ctx, acting(ctx, who), "business_units"))
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
    emit(as_json(unit), json_, lambda: typer.echo(f"created business unit {unit.name} ({unit.id})"))


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
        actor = acting(ctx, who)
        result = everything(org.all_in_directory(ctx, actor, "people", filters, search=search))
        named = inventory.names(ctx, actor)
    emit(
        page(result),
        json_,
        lambda: table(
            "People",
            ["id", "name", "email", "title", "unit"],
            [
                (p.id, p.name, p.email, p.title, name_of(named, p.business_unit_id))
                for p in result.items
            ],
        ),
    )


@people.command("create")
def people_create(
    name: str,
    email: str,
    business_unit: str | None = None,
    title: str = "",
    service_account: bool = typer.Option(
        False, help="A pipeline's identity: tokens only from an administrator, no UI sign-in."
    ),
    who: str | None = AsOpt,
    json_: bool = JsonOpt,
) -> None:
    """Add a person (or, with --service-account, a pipeline's account)."""
    with reporting(json_):
        ctx = context()
        person = org.create_person(
            ctx, acting(ctx, who), name, email, business_unit, title, service_account
        )
    emit(as_json(person), json_, lambda: typer.echo(f"created person {person.name} ({person.id})"))


@roles.command("list")
def roles_list(person: str | None = None, who: str | None = AsOpt, json_: bool = JsonOpt) -> None:
    """List role assignments, optionally for one person."""
    filters = {"person_id": person} if person else {}
    with reporting(json_):
        ctx = context()
        actor = acting(ctx, who)
        result = everything(
            org.all_in_directory(ctx, actor, "role_assignments", filters, order="person_id")
        )
        named = inventory.names(ctx, actor)
    emit(
        page(result),
        json_,
        lambda: table(
            "Role assignments",
            ["id", "person", "role", "scope", "in"],
            [
                (
                    r.id,
                    name_of(named, r.person_id),
                    r.role.value,
                    r.scope.value,
                    name_of(named, r.scope_id),
                )
                for r in result.items
            ],
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
        actor = acting(ctx, who)
        item = org.assign_role(ctx, actor, person, role, scope, scope_id)
        named = inventory.names(ctx, actor)
    where = f" for {name_of(named, item.scope_id)}" if item.scope_id else " organisation-wide"
    shown = f"assigned {role.value} to {name_of(named, item.person_id)}{where}: {item.id}"
    emit(as_json(item), json_, lambda: typer.echo(shown))


@roles.command("revoke")
def roles_revoke(assignment: str, who: str | None = AsOpt, json_: bool = JsonOpt) -> None:
    """Take a role assignment away (the last administrator stays)."""
    with reporting(json_):
        ctx = context()
        org.revoke_role(ctx, acting(ctx, who), assignment)
    result: dict[str, Any] = {"revoked": assignment}
    emit(result, json_, lambda: typer.echo(f"revoked {assignment}"))


raci_app = typer.Typer(
    help="RACI per system and lifecycle activity, and its findings.", no_args_is_help=True
)


@raci_app.command("check")
def raci_check(
    system: str | None = typer.Argument(None, help="One system; all when omitted."),
    who: str | None = AsOpt,
    json_: bool = JsonOpt,
) -> None:
    """List RACI findings; exits 1 when there are any."""
    with reporting(json_):
        ctx = context()
        actor = acting(ctx, who)
        findings = (
            raci.system_raci(ctx, actor, system)[1] if system else raci.all_findings(ctx, actor)
        )
        named = inventory.names(ctx, actor)
    emit(
        {"findings": as_json(findings), "total": len(findings)},
        json_,
        lambda: table(
            f"RACI findings ({len(findings)})",
            ["system", "kind", "message"],
            [(name_of(named, f.system_id), f.kind.value, f.message) for f in findings],
        ),
    )
    if findings:
        raise typer.Exit(EXIT_FAILED_CHECK)


@raci_app.command("set")
def raci_set(
    system: str,
    activity: Activity,
    responsible: list[str] = typer.Option([], "-r", "--responsible"),
    accountable: list[str] = typer.Option([], "-a", "--accountable"),
    consulted: list[str] = typer.Option([], "-c", "--consulted"),
    informed: list[str] = typer.Option([], "-i", "--informed"),
    who: str | None = AsOpt,
    json_: bool = JsonOpt,
) -> None:
    """Replace the RACI of one activity of one system (people by id, e-mail or name)."""
    pairs = [
        (p, letter)
        for letter, people in (
            (RaciLetter.RESPONSIBLE, responsible),
            (RaciLetter.ACCOUNTABLE, accountable),
            (RaciLetter.CONSULTED, consulted),
            (RaciLetter.INFORMED, informed),
        )
        for p in people
    ]
    with reporting(json_):
        ctx = context()
        entries = raci.set_activity(ctx, acting(ctx, who), system, activity, pairs)
    emit(as_json(entries), json_, lambda: typer.echo(f"set {len(entries)} RACI entries"))


def systems_show(system: str, who: str | None = AsOpt, json_: bool = JsonOpt) -> None:
    """Show one system with its RACI and findings."""
    with reporting(json_):
        ctx = context()
        actor = acting(ctx, who)
        item = inventory.get_system(ctx, actor, system)
        entries, findings = raci.system_raci(ctx, actor, system)
        named = inventory.names(ctx, actor)
    data = {**as_json(item), "raci": as_json(entries), "findings": as_json(findings)}

    def human() -> None:
        for key in (
            "id",
            "name",
            "purpose",
            "stage",
            "risk_tier",
            "operator_role",
            "business_unit_id",
            "owner_id",
            "tags",
        ):
            shown = name_of(named, data[key]) if key.endswith("_id") else data[key]
            console.print(f"[bold]{key.removesuffix('_id')}[/]: {shown}", highlight=False)
        table(
            "RACI",
            ["activity", "person", "letter"],
            [(e.activity.value, name_of(named, e.person_id), e.letter.value) for e in entries],
        )
        for f in findings:
            console.print(f"[yellow]finding[/] {f.kind.value}: {f.message}", highlight=False)

    emit(data, json_, human)
