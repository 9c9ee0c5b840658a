"""charter monitor"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import typer

from charter.inventory import services as inventory
from charter.kernel.cli.output import JsonOpt, console, emit, name_of, reporting, table
from charter.kernel.cli.session import AS_HELP, acting, context
from charter.kernel.errors import InvalidInput
from charter.kernel.present import as_json
from charter.kernel.yaml_text import parse_yaml
from charter.monitoring import services as monitoring
from charter.monitoring.domain.monitors import window

monitor_app = typer.Typer(
    help="Monitors: run suites on a schedule, evidence series, alerts and reviews.",
    no_args_is_help=True,
)
AsOpt = typer.Option(None, "--as", help=AS_HELP)


@monitor_app.command("add")
def add(
    name: str,
    system: str = typer.Option(..., help="The system the monitor watches."),
    suite: Path = typer.Option(..., help="The suite (YAML); its data is each window's."),
    file: str | None = typer.Option(
        None, help="File pattern, e.g. scored/{start:%Y-%m-%d}.parquet"
    ),
    table_: str | None = typer.Option(None, "--table", help="A table filtered to each window."),
    database: str | None = typer.Option(None, help="The DuckDB file holding the table."),
    time_column: str | None = typer.Option(None, help="The table's time column."),
    schedule: str = typer.Option(..., help="cron: minute hour day month weekday."),
    time_zone: str = typer.Option("UTC", help="The zone the schedule is read in."),
    window_hours: int = typer.Option(24, help="Hours of data each run covers, up to its time."),
    engine: str = typer.Option("duckdb"),
    who: str | None = AsOpt,
    json_: bool = JsonOpt,
) -> None:
    """Add a monitor that runs a suite on a schedule over a data location template."""
    with reporting(json_):
        try:
            raw = parse_yaml(suite.read_text("utf-8"))
        except OSError as exc:
            raise InvalidInput(f"cannot read {suite.name}: {exc.strerror}") from exc
        location = {
            k: v
            for k, v in (
                ("file", file),
                ("table", table_),
                ("database", database),
                ("time_column", time_column),
            )
            if v
        }
        ctx = context()
        found = monitoring.create_monitor(
            ctx,
            acting(ctx, who),
            system,
            name,
            raw,
            location,
            schedule,
            time_zone,
            window_hours,
            engine,
        )
    emit(as_json(found), json_, lambda: console.print(f"added monitor {found.id}"))


@monitor_app.command("list")
def list_(system: str | None = None, who: str | None = AsOpt, json_: bool = JsonOpt) -> None:
    """Monitors and their schedules."""
    with reporting(json_):
        ctx = context()
        actor = acting(ctx, who)
        found = monitoring.list_monitors(ctx, actor, system)
        named = inventory.names(ctx, actor)
    emit(
        {"items": as_json(found)},
        json_,
        lambda: table(
            "Monitors",
            ["id", "name", "system", "schedule", "zone", "window (h)", "active"],
            [
                (
                    m.id,
                    m.name,
                    name_of(named, m.system_id),
                    m.schedule,
                    m.time_zone,
                    m.window_hours,
                    m.active,
                )
                for m in found
            ],
        ),
    )


@monitor_app.command("run")
def run(
    monitor: str | None = typer.Option(None, help="Run this monitor now (else: every one due)."),
    at: datetime | None = typer.Option(None, help="The scheduled moment (UTC) to run it for."),
    who: str | None = AsOpt,
    json_: bool = JsonOpt,
) -> None:
    """Run the monitors that are due (for cron or an orchestrator), or one monitor now."""
    with reporting(json_):
        ctx = context()
        if monitor:
            slot = at.replace(tzinfo=at.tzinfo or UTC) if at else None
            found = [monitoring.run_monitor(ctx, monitor, slot, acting(ctx, who))]
        else:
            found = monitoring.run_due(ctx)
    emit(
        {"items": as_json(found)},
        json_,
        lambda: table(
            "Runs",
            ["id", "monitor", "slot", "status", "evidence", "error"],
            [
                (r.id, r.monitor_id, r.slot.isoformat(), r.status.value, r.evidence_id, r.error)
                for r in found
            ],
        ),
    )


@monitor_app.command("series")
def series(
    system: str = typer.Option(...),
    check: str | None = None,
    who: str | None = AsOpt,
    json_: bool = JsonOpt,
) -> None:
    """A system's evidence over time: each check's values and thresholds."""
    with reporting(json_):
        ctx = context()
        found = monitoring.system_series(ctx, acting(ctx, who), system, check)
    emit(
        {"items": as_json(found)},
        json_,
        lambda: table(
            "Series",
            ["suite", "check", "metric", "runs", "latest", "data window", "verdict", "min", "max"],
            [
                (
                    s.suite,
                    s.check_id,
                    s.metric,
                    len(s.points),
                    s.latest.value,
                    window(s.latest),
                    s.latest.verdict.value,
                    s.latest.minimum,
                    s.latest.maximum,
                )
                for s in found
            ],
        ),
    )


@monitor_app.command("alerts")
def alerts(system: str | None = None, who: str | None = AsOpt, json_: bool = JsonOpt) -> None:
    """Open alerts and the runs that show them."""
    with reporting(json_):
        ctx = context()
        actor = acting(ctx, who)
        found = monitoring.alerts(ctx, actor, system)
        named = inventory.names(ctx, actor)
    emit(
        {"items": as_json(found)},
        json_,
        lambda: table(
            "Alerts",
            ["id", "system", "check", "opened", "runs", "recovered"],
            [
                (
                    a.id,
                    name_of(named, a.system_id),
                    a.check_id,
                    a.opened_at.isoformat(),
                    len(a.run_ids),
                    a.recovered_at.isoformat() if a.recovered_at else "",
                )
                for a in found
            ],
        ),
    )


@monitor_app.command("resolve")
def resolve(
    alert_id: str, note: str = typer.Option(...), who: str | None = AsOpt, json_: bool = JsonOpt
) -> None:
    """Resolve an alert, saying how."""
    with reporting(json_):
        ctx = context()
        done = monitoring.resolve_alert(ctx, acting(ctx, who), alert_id, note)
    emit(as_json(done), json_, lambda: console.print(f"resolved {done.id}"))


@monitor_app.command("reviews")
def reviews(system: str | None = None, who: str | None = AsOpt, json_: bool = JsonOpt) -> None:
    """Open review tasks that triggers and freshness rules raised."""
    with reporting(json_):
        ctx = context()
        actor = acting(ctx, who)
        found = monitoring.reviews(ctx, actor, system)
        named = inventory.names(ctx, actor)
    emit(
        {"items": as_json(found)},
        json_,
        lambda: table(
            "Reviews",
            ["id", "system", "kind", "rule", "assignee", "reason"],
            [
                (
                    r.id,
                    name_of(named, r.system_id),
                    r.kind.value,
                    r.rule_id,
                    name_of(named, r.assignee_id),
                    r.reason,
                )
                for r in found
            ],
        ),
    )


@monitor_app.command("stale")
def stale(who: str | None = AsOpt, json_: bool = JsonOpt) -> None:
    """Systems whose evidence is older than the freshness rules allow."""
    with reporting(json_):
        ctx = context()
        found = monitoring.stale_evidence(ctx, acting(ctx, who))
    rows = [
        {"system_id": s.id, "system": s.name, "rule": r, "latest": as_json(w)} for s, r, w in found
    ]
    emit({"items": rows}, json_, lambda: console.print(json.dumps(rows, indent=1)))
