"""Every capability's commands, mounted on `charter` and imported only when one of them runs:
`charter --help` and `charter version` load none of them (start-up is part of every run).

Each entry names a command and the summary `charter --help` prints for it, and loads the
Typer app (a group) or the function (a single command) from its capability. A test checks
that each summary is the loaded command's own."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import typer
from typer.core import TyperCommand, TyperGroup


@dataclass(frozen=True, slots=True)
class Entry:
    summary: str  # what `charter --help` prints beside the name, without importing it
    load: Callable[[], Any]  # a Typer app, or a command's function


def _group(module: str, name: str) -> Callable[[], Any]:
    def load() -> Any:
        from importlib import import_module

        return getattr(import_module(module), name)

    return load


def _people() -> Any:
    from charter.accountability.cli import people
    from charter.identity.cli import people_set_password

    if not any(c.name == "set-password" for c in people.registered_commands):
        people.command("set-password")(people_set_password)
    return people


def _systems() -> Any:
    from charter.accountability.cli import systems_show
    from charter.inventory.cli import systems

    if not any(c.name == "show" for c in systems.registered_commands):
        systems.command("show")(systems_show)
    return systems


def _packs() -> Any:
    from charter.frameworks.cli.packs import packs_app
    from charter.governance.cli.readiness import packs_show

    if not any(c.name == "show" for c in packs_app.registered_commands):
        packs_app.command("show")(packs_show)
    return packs_app


def _notifications() -> Any:
    from charter.governance.cli.reminders import remind
    from charter.notifications.cli import notifications_app

    if not any(c.name == "remind" for c in notifications_app.registered_commands):
        notifications_app.command("remind")(remind)
    return notifications_app


A, AU, F = "charter.accountability.cli", "charter.audit.cli", "charter.frameworks.cli.classify"
G, ID, IV = "charter.governance.cli.policies", "charter.identity.cli", "charter.inventory.cli"
P, S = "charter.people.cli", "charter.strategy.cli.portfolio"

COMMANDS: dict[str, Entry] = {
    "units": Entry("Business units.", _group(A, "units")),
    "people": Entry("People.", _people),
    "roles": Entry(
        "AI roles held by people (organisation-wide, per unit or per system).", _group(A, "roles")
    ),
    "systems": Entry("AI systems in the inventory.", _systems),
    "vendors": Entry("Vendors of third-party AI.", _group(IV, "vendors")),
    "datasets": Entry("Datasets.", _group(IV, "datasets")),
    "models": Entry("Models and model versions.", _group(IV, "models")),
    "raci": Entry(
        "RACI per system and lifecycle activity, and its findings.", _group(A, "raci_app")
    ),
    "transitions": Entry(
        "Lifecycle transitions and their approvals.",
        _group("charter.governance.cli.transitions", "transitions"),
    ),
    "tokens": Entry(
        "API tokens (only a hash is stored; the secret is shown once).", _group(ID, "tokens")
    ),
    "audit": Entry("The audit trail.", _group(AU, "audit_app")),
    "keys": Entry("The Ed25519 key that signs audit checkpoints.", _group(AU, "keys")),
    "validate": Entry(
        "Run a validation suite where the data lives and record its evidence against a system",
        _group("charter.validation.cli", "validate"),
    ),
    "classify": Entry("Classify a system under the EU AI Act", _group(F, "classify")),
    "packs": Entry("Regulatory and voluntary framework packs.", _packs),
    "obligations": Entry(
        "Obligation dates per system: the calendar, and the impact of a change of schedule.",
        _group("charter.frameworks.cli.obligations", "obligations_app"),
    ),
    "readiness": Entry(
        "Compliance readiness: per system and pack, requirements satisfied (by which evidence)",
        _group("charter.governance.cli.readiness", "readiness_command"),
    ),
    "policies": Entry("Policies that lifecycle gates enforce.", _group(G, "policies_app")),
    "gate": Entry("Check a lifecycle gate before asking for it.", _group(G, "gate_app")),
    "posture": Entry(
        "Every system against the policies in force: what blocks its next gate, what lapses soon.",
        _group(G, "posture_command"),
    ),
    "waivers": Entry("Time-limited exceptions to policy requirements.", _group(G, "waivers_app")),
    "documents": Entry("Governed documents attached to systems.", _group(G, "documents_app")),
    "objectives": Entry("Strategic objectives that use cases serve.", _group(S, "objectives")),
    "usecases": Entry("AI use cases: intake, assessment, decisions.", _group(S, "usecases")),
    "portfolio": Entry(
        "The ranked portfolio, its balance and the roadmap.", _group(S, "portfolio_app")
    ),
    "kpi": Entry(
        "KPIs of use cases and systems, and their measurements.",
        _group("charter.strategy.cli.kpis", "kpi_app"),
    ),
    "risks": Entry(
        "The risk register: risks, controls, appetite, heat map, assessment.",
        _group("charter.risks.cli", "risks_app"),
    ),
    "bodies": Entry(
        "Leadership bodies: members, meetings, agendas, decisions.",
        _group("charter.bodies.cli", "bodies_app"),
    ),
    "talent": Entry("Skills, needs, courses, training and AI literacy.", _group(P, "talent_app")),
    "adoption": Entry("Adoption, surveys and communications.", _group(P, "adoption_app")),
    "delivery": Entry(
        "Iterations and experiments of use cases.",
        _group("charter.strategy.cli.delivery", "delivery_app"),
    ),
    "reports": Entry(
        "Documents generated from records.", _group("charter.reports.cli", "reports_app")
    ),
    "bundle": Entry(
        "Decision bundles an auditor re-checks offline.",
        _group("charter.reports.cli", "bundle_app"),
    ),
    "notifications": Entry(
        "Notifications: deliver, remind, the delivery log, replay, endpoints, preferences.",
        _notifications,
    ),
    "monitor": Entry(
        "Monitors: run suites on a schedule, evidence series, alerts and reviews.",
        _group("charter.monitoring.cli", "monitor_app"),
    ),
    "incidents": Entry(
        "Incidents: record, classify (Art. 3(49)), the Art. 73 clock, reports to authorities.",
        _group("charter.incidents.cli", "incidents_app"),
    ),
    "doctor": Entry(
        "Run the database's own integrity check over every table",
        _group("charter.cli.store", "doctor"),
    ),
    "backup": Entry("A consistent online copy of the store", _group("charter.cli.store", "backup")),
    "restore": Entry(
        "Put a backup in place of the store, only when its audit log verifies",
        _group("charter.cli.store", "restore"),
    ),
    "import": Entry(
        "Bulk import of systems, models, datasets, vendors, people, units and RACI.",
        _group("charter.integrations.cli.imports", "import_app"),
    ),
    "integrations": Entry(
        "Integrations with the tools where the AI estate already lives: an MLflow registry.",
        _group("charter.integrations.cli.mlflow", "integrations_app"),
    ),
    "bom": Entry(
        "AI bills of materials: CycloneDX 1.6 ML-BOM export and import.",
        _group("charter.integrations.cli.bom", "bom_app"),
    ),
    "discover": Entry(
        "Scan a source tree for AI SDKs and model files",
        _group("charter.integrations.cli.discovery", "discover"),
    ),
    "discovery": Entry(
        "Discovery proposals to accept into the inventory, or dismiss.",
        _group("charter.integrations.cli.discovery", "discovery_app"),
    ),
    "lineage": Entry(
        "Lineage: OpenLineage events, the impact of a dataset, evidence under review.",
        _group("charter.integrations.cli.lineage", "lineage_app"),
    ),
    "scorecard": Entry(
        "The leadership scorecard: each pillar's score, measures, trend and top actions.",
        _group("charter.scorecard.cli", "scorecard_command"),
    ),
}


def command(name: str, loaded: Any) -> TyperCommand | TyperGroup:
    """The command of a loaded Typer app or function, under its name."""
    from charter.cli.plain import install

    if isinstance(loaded, typer.Typer):
        group = typer.main.get_group(loaded)
        group.name = name
        install(group)
        return group
    single = typer.Typer()
    single.command(name)(loaded)
    found = typer.main.get_command(single)
    assert isinstance(found, TyperCommand)
    install(found)
    return found


class LazyGroup(TyperGroup):
    """`charter`: its own commands (version, init, serve, demo) and the capabilities',
    loaded when one runs. While the help is written, each capability command is stood for by
    its summary, so that `charter --help` imports none of them."""

    _describing = False

    def list_commands(self, ctx: Any) -> list[str]:
        return [*super().list_commands(ctx), *COMMANDS]

    def get_command(self, ctx: Any, cmd_name: str) -> TyperCommand | TyperGroup | None:
        found = super().get_command(ctx, cmd_name)
        if found is not None or cmd_name not in COMMANDS:
            return found  # type: ignore[return-value]
        entry = COMMANDS[cmd_name]
        if self._describing:
            return TyperCommand(cmd_name, help=entry.summary)
        return command(cmd_name, entry.load())

    def get_help_option(self, ctx: Any) -> Any:
        from charter.cli.plain import plain

        return plain(super().get_help_option(ctx))

    def format_help(self, ctx: Any, formatter: Any) -> None:
        self._describing = True
        try:
            super().format_help(ctx, formatter)
        finally:
            self._describing = False
