"""charter policies | gate | posture | waivers | documents"""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import typer

from charter.config import Settings
from charter.governance.files import library_path, load_policy_files, schema_text
from charter.governance.present import gate_check, policy_standing, posture, stored_policy
from charter.governance.services import documents, policies
from charter.governance.services import gates as governance
from charter.inventory import services as inventory
from charter.inventory.domain import LifecycleStage
from charter.kernel.cli.output import (
    EXIT_FAILED_CHECK,
    JsonOpt,
    console,
    emit,
    name_of,
    reporting,
    table,
)
from charter.kernel.cli.remote import ServerOpt, server
from charter.kernel.cli.session import AS_HELP, acting, context
from charter.kernel.errors import InvalidInput
from charter.kernel.present import as_json
from charter.kernel.roles import RoleKind

policies_app = typer.Typer(help="Policies that lifecycle gates enforce.", no_args_is_help=True)
gate_app = typer.Typer(help="Check a lifecycle gate before asking for it.", no_args_is_help=True)
waivers_app = typer.Typer(
    help="Time-limited exceptions to policy requirements.", no_args_is_help=True
)
documents_app = typer.Typer(help="Governed documents attached to systems.", no_args_is_help=True)
AsOpt = typer.Option(None, "--as", help=AS_HELP)


def _files(paths: list[Path], library: bool) -> list[Path]:
    chosen = [*paths, *([library_path()] if library else [])]
    if not chosen:
        raise InvalidInput("name policy files or folders, or --library")
    return chosen


@policies_app.command("validate")
def policies_validate(
    paths: list[Path] = typer.Argument(None, help="Policy files or folders."),
    library: bool = typer.Option(False, "--library", help="The built-in library."),
    json_: bool = JsonOpt,
) -> None:
    """Check policy files against the schema and Charter's vocabularies; stores nothing."""
    with reporting(json_):
        items = load_policy_files(_files(paths or [], library), Settings().policy_file_bytes)
    emit(
        {"valid": True, "policies": [p.id for _, p in items]},
        json_,
        lambda: console.print(f"{len(items)} policies are valid"),
    )


@policies_app.command("load")
def policies_load(
    paths: list[Path] = typer.Argument(None, help="Policy files or folders."),
    library: bool = typer.Option(False, "--library", help="Adopt the built-in library."),
    who: str | None = AsOpt,
    json_: bool = JsonOpt,
) -> None:
    """Add or replace policies: every file is validated before any policy is stored."""
    with reporting(json_):
        items = load_policy_files(_files(paths or [], library), Settings().policy_file_bytes)
        ctx = context()
        stored = policies.load_policies(ctx, acting(ctx, who), items)
    emit(
        {"items": as_json(stored), "total": len(stored)},
        json_,
        lambda: console.print(f"{len(stored)} policies in force"),
    )


@policies_app.command("list")
def policies_list(who: str | None = AsOpt, json_: bool = JsonOpt) -> None:
    """Policies, in force or not, and those the audit log has in force that are no longer
    stored; one changed outside Charter (its text, or its row against the audit log) is
    marked: in force, it blocks every gate."""
    with reporting(json_):
        ctx = context()
        items = [policy_standing(p) for p in policies.policy_standings(ctx, acting(ctx, who))]
    rows = [
        (p["id"], p["title"], "yes" if p["enabled"] else "no",
         (p["loaded_at"] or "not stored")[:10], _integrity(p))
        for p in items
    ]  # fmt: skip
    columns = ["id", "title", "in force", "loaded", "as recorded"]
    emit(
        {"items": items, "total": len(items)},
        json_,
        lambda: table(f"Policies ({len(items)})", columns, rows),
    )


def _integrity(item: dict[str, Any]) -> str:
    """The list's word on a policy: as recorded, or changed outside Charter and why."""
    return "yes" if item["intact"] else f"NO: {item['problem']}"


@policies_app.command("show")
def policies_show(policy_id: str, who: str | None = AsOpt, json_: bool = JsonOpt) -> None:
    """One policy as loaded, and whether it is enforced as stored."""
    with reporting(json_):
        ctx = context()
        item = policy_standing(policies.policy_standing(ctx, acting(ctx, who), policy_id))

    def said() -> None:
        if item["problem"]:
            console.print("NOT ENFORCED AS STORED:", item["problem"], style="red", markup=False)
        if item["stored"]:
            console.print_json(json.dumps(item["source"]))

    emit(item, json_, said)


def _set_enabled(policy_id: str, enabled: bool, who: str | None, json_: bool) -> None:
    with reporting(json_):
        ctx = context()
        item = policies.set_enabled(ctx, acting(ctx, who), policy_id, enabled)
    state = "in force" if enabled else "out of force"
    emit(stored_policy(item), json_, lambda: console.print(f"{policy_id} is {state}"))


@policies_app.command("enable")
def policies_enable(policy_id: str, who: str | None = AsOpt, json_: bool = JsonOpt) -> None:
    """Put a policy back in force."""
    _set_enabled(policy_id, True, who, json_)


@policies_app.command("disable")
def policies_disable(policy_id: str, who: str | None = AsOpt, json_: bool = JsonOpt) -> None:
    """Take a policy out of force (it stays stored and audited)."""
    _set_enabled(policy_id, False, who, json_)


@policies_app.command("schema")
def policies_schema(json_: bool = JsonOpt) -> None:
    """Print the JSON Schema of policy files (it is JSON either way)."""
    emit(json.loads(schema_text()), json_, lambda: typer.echo(schema_text()))


def _print_gate(data: dict[str, Any]) -> None:
    verdict = "PASSES" if data["passed"] else "BLOCKED"
    named = data.get("system_name") or data["system"]  # an older server sends the id only
    console.print(f"gate {data['from']} -> {data['to']} for {named}: {verdict}")
    conditions_table(data["results"])


def conditions_table(results: list[dict[str, Any]]) -> None:
    """A gate's conditions as gate check, transitions request and decide print them."""
    rows = [
        (r["condition"], r["verdict"], "yes" if r["blocking"] else "no", r["reason"])
        for r in results
    ]
    table("Conditions", ["condition", "verdict", "blocking", "reason"], rows)


@gate_app.command("check")
def gate_check_command(
    system: str = typer.Argument(..., help="The system."),
    to: LifecycleStage = typer.Option(..., "--to", help="The stage it would move to."),
    policies_only: bool = typer.Option(
        False, "--policies-only", help="Leave out sign-offs: evidence, documents, accountability."
    ),
    url: str | None = ServerOpt,
    who: str | None = AsOpt,
    json_: bool = JsonOpt,
) -> None:
    """Exit 0 when the gate would pass now, 1 when it would not; writes nothing."""
    if url:
        with server(url) as client:
            data = client.gate_check(system, to.value, policies_only)
    else:
        with reporting(json_):
            ctx = context()
            data = gate_check(
                governance.check_gate(ctx, acting(ctx, who), system, to, not policies_only)
            )
    emit(data, json_, lambda: _print_gate(data))
    if not data["passed"]:
        raise typer.Exit(EXIT_FAILED_CHECK)


def posture_command(
    soon: int = typer.Option(30, "--soon", help="Days ahead for what lapses soon."),
    url: str | None = ServerOpt,
    who: str | None = AsOpt,
    json_: bool = JsonOpt,
) -> None:
    """Every system against the policies in force: what blocks its next gate, what lapses
    soon. Exits 1 when any system is blocked."""
    if url:
        with server(url) as client:
            data = client.posture(soon)
    else:
        with reporting(json_):
            ctx = context()
            data = posture(governance.posture(ctx, acting(ctx, who), soon))
    emit(
        data,
        json_,
        lambda: table(
            f"Posture: {data['blocked']} of {data['total']} systems blocked",
            ["system", "stage", "next gate", "blocking", "lapsing soon"],
            [
                (s["name"], s["stage"], s["gate"], len(s["blocking"]), len(s["expiring"]))
                for s in data["systems"]
            ],
        ),
    )
    if data["blocked"]:
        raise typer.Exit(EXIT_FAILED_CHECK)


@waivers_app.command("grant")
def waivers_grant(
    system: str = typer.Argument(..., help="The system."),
    policy: str = typer.Option(..., "--policy"),
    requirement: str = typer.Option(..., "--requirement"),
    reason: str = typer.Option(..., "--reason"),
    measures: str = typer.Option(..., "--measures", help="Compensating measures."),
    days: int = typer.Option(90, "--days", help="Days until it expires on its own."),
    who: str | None = AsOpt,
    json_: bool = JsonOpt,
) -> None:
    """Grant a waiver (roles named in the decision rights only)."""
    with reporting(json_):
        ctx = context()
        expires = ctx.clock() + timedelta(days=days)
        item = policies.grant_waiver(
            ctx, acting(ctx, who), system, policy, requirement, reason, measures, expires
        )
    pending = " (four eyes: in effect once a second person confirms it)"
    emit(
        as_json(item),
        json_,
        lambda: console.print(
            f"waiver {item.id} until {item.expires_at:%Y-%m-%d}"
            + (pending if item.awaiting_second else "")
        ),
    )


@waivers_app.command("confirm")
def waivers_confirm(waiver: str, who: str | None = AsOpt, json_: bool = JsonOpt) -> None:
    """Confirm, as the second person, a waiver that needs four eyes."""
    with reporting(json_):
        ctx = context()
        item = policies.confirm_waiver(ctx, acting(ctx, who), waiver)
    emit(as_json(item), json_, lambda: console.print(f"waiver {item.id} confirmed: in effect"))


@waivers_app.command("revoke")
def waivers_revoke(
    waiver: str,
    reason: str = typer.Option(..., "--reason"),
    who: str | None = AsOpt,
    json_: bool = JsonOpt,
) -> None:
    """Revoke a waiver before it expires."""
    with reporting(json_):
        ctx = context()
        item = policies.revoke_waiver(ctx, acting(ctx, who), waiver, reason)
    emit(as_json(item), json_, lambda: console.print(f"waiver {item.id} revoked"))


@waivers_app.command("list")
def waivers_list(
    system: str | None = typer.Option(None, "--system"),
    who: str | None = AsOpt,
    json_: bool = JsonOpt,
) -> None:
    """Waivers, newest first, with where each stands now (active, awaiting confirmation by a
    second person, expired or revoked) and who granted and confirmed it."""
    with reporting(json_):
        ctx = context()
        actor = acting(ctx, who)
        items = policies.list_waivers(ctx, actor, system)
        named, now = inventory.names(ctx, actor), ctx.clock()
    emit(
        {"items": as_json(items), "total": len(items)},
        json_,
        lambda: table(
            f"Waivers ({len(items)})",
            ["id", "system", "requirement", "expires", "status", "granted by", "confirmed by"],
            [
                (w.id, name_of(named, w.system_id), f"{w.policy_id}/{w.requirement_id}",
                 f"{w.expires_at:%Y-%m-%d}", w.status(now), name_of(named, w.granted_by),
                 name_of(named, w.second_by))
                for w in items
            ],
        ),
    )  # fmt: skip


@documents_app.command("attach")
def documents_attach(
    system: str,
    kind: str = typer.Option(..., "--kind", help="e.g. dpia, model_card, risk_management_plan"),
    title: str = typer.Option(..., "--title"),
    uri: str = typer.Option(..., "--uri", help="Where the document lives."),
    supersedes: str | None = typer.Option(
        None, "--supersedes", help="The earlier document of this kind it replaces."
    ),
    who: str | None = AsOpt,
    json_: bool = JsonOpt,
) -> None:
    """Attach a document to a system (of a kind `charter documents kinds` lists)."""
    with reporting(json_):
        ctx = context()
        item = documents.attach_document(
            ctx, acting(ctx, who), system, kind, title, uri, supersedes
        )
    emit(as_json(item), json_, lambda: console.print(f"document {item.id} attached"))


@documents_app.command("kinds")
def documents_kinds(who: str | None = AsOpt, json_: bool = JsonOpt) -> None:
    """The kinds of document Charter knows, and those the stored policies add."""
    with reporting(json_):
        ctx = context()
        kinds = documents.list_document_kinds(ctx, acting(ctx, who))
    emit(
        {"items": [{"id": k, "title": t} for k, t in kinds.items()]},
        json_,
        lambda: table("Document kinds", ["kind", "title"], list(kinds.items())),
    )


@documents_app.command("approve")
def documents_approve(
    document: str,
    role: RoleKind = typer.Option(..., "--role", help="The role you approve in."),
    who: str | None = AsOpt,
    json_: bool = JsonOpt,
) -> None:
    """Approve a document in a role you hold on its system."""
    with reporting(json_):
        ctx = context()
        item = documents.approve_document(ctx, acting(ctx, who), document, role)
    emit(as_json(item), json_, lambda: console.print(f"document {item.id} approved"))


@documents_app.command("list")
def documents_list(system: str, who: str | None = AsOpt, json_: bool = JsonOpt) -> None:
    """Documents of a system, newest first."""
    with reporting(json_):
        ctx = context()
        actor = acting(ctx, who)
        items = documents.list_documents(ctx, actor, system)
        named = inventory.names(ctx, actor)
    emit(
        {"items": as_json(items), "total": len(items)},
        json_,
        lambda: table(
            f"Documents ({len(items)})",
            ["id", "kind", "title", "attached by", "approved by", "superseded by"],
            [
                (d.id, d.kind, d.title, name_of(named, d.attached_by),
                 f"{name_of(named, d.approved_by)} ({d.approved_role.value})"
                 if d.approved_role else "—", d.superseded_by or "—")
                for d in items
            ],
        ),
    )  # fmt: skip
