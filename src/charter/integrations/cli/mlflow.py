"""charter integrations mlflow sync | flags | metrics"""

from __future__ import annotations

import json
import logging
import threading
from typing import Any

import typer

from charter.integrations.present import reported_json, sync_json
from charter.integrations.services import mlflow
from charter.inventory import services as inventory
from charter.kernel.cli.output import JsonOpt, console, emit, name_of, reporting, table
from charter.kernel.cli.session import AS_HELP, acting, context
from charter.kernel.errors import CharterError, InvalidInput
from charter.kernel.present import as_json

integrations_app = typer.Typer(
    help="Integrations with the tools where the AI estate already lives: an MLflow registry.",
    no_args_is_help=True,
)
mlflow_app = typer.Typer(help="Sync an MLflow model registry into the inventory.",
                         no_args_is_help=True)  # fmt: skip
integrations_app.add_typer(mlflow_app, name="mlflow")
AsOpt = typer.Option(None, "--as", help=AS_HELP)
log = logging.getLogger("charter.mlflow")


def _mapping(pairs: list[str]) -> dict[str, str]:
    out = {}
    for pair in pairs:
        model, sep, system = pair.partition("=")
        if not sep or not model.strip() or not system.strip():
            raise InvalidInput(f"--map takes MODEL=SYSTEM, not {pair!r}")
        out[model.strip()] = system.strip()
    return out


def _human(data: dict[str, Any]) -> None:
    done = ", ".join(f"{n} {k}" for k, n in data["created"].items()) or "nothing to change"
    verb = "would write" if data["dry_run"] else "wrote"
    console.print(f"MLflow registry {data['url']}: {verb} {done}")
    if data["skipped"]:
        table("Skipped", ["model", "why"], [(s["model"], s["why"]) for s in data["skipped"]])
    if data["flagged"]:
        table("Promoted in MLflow ahead of Charter's gate",
              ["model", "version", "promoted as", "system", "why"],
              [(f["model"], f["version"], f["promoted_as"], f["system_id"], f["reason"])
               for f in data["flagged"]])  # fmt: skip


@mlflow_app.command("sync")
def sync(
    url: str = typer.Option(..., "--url", envvar="CHARTER_MLFLOW_URL",
                            help="The MLflow tracking server (default: $CHARTER_MLFLOW_URL)."),
    token: str | None = typer.Option(None, "--token", envvar="CHARTER_MLFLOW_TOKEN",
                                     help="A bearer token for it ($CHARTER_MLFLOW_TOKEN)."),
    maps: list[str] = typer.Option([], "--map", help="MODEL=SYSTEM (a system's id or name), "
                                   "for models without a charter.system tag; repeatable."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Show what would change; write nothing."),
    every: float = typer.Option(0, "--every", min=0, help="Keep syncing every this many "
                                "seconds (a scheduled job); --json then prints a line a run."),
    runs: int = typer.Option(0, "--runs", min=0, help="With --every: stop after this many."),
    who: str | None = AsOpt,
    json_: bool = JsonOpt,
) -> None:  # fmt: skip
    """Read registered models, versions, stages, aliases, tags and run metrics from an MLflow
    tracking server into Charter; flag versions promoted there whose gate has not passed."""
    with reporting(json_):
        mapping = _mapping(maps)
        ctx = context()
        actor = acting(ctx, who)
        registry = ctx.mlflow(url, token)
    try:
        if every <= 0:
            with reporting(json_):
                found = mlflow.sync_registry(ctx, actor, registry, mapping, dry_run)
            data = sync_json(found, dry_run)
            emit(data, json_, lambda: _human(data))
            return
        _loop(ctx, lambda: mlflow.sync_registry(ctx, actor, registry, mapping, dry_run),
              every, runs, json_)  # fmt: skip
    finally:
        registry.close()


def _loop(ctx: Any, once: Any, every: float, runs: int, json_: bool) -> None:
    """Sync now and then every `every` seconds, in one process at a time when several run."""
    leader = ctx.leader("mlflow-sync") if ctx.leader else None
    stop, done = threading.Event(), 0
    try:
        while True:
            if leader is None or leader.acquire():
                try:
                    data = sync_json(once(), False)
                    if json_:  # one line per run (JSON Lines)
                        typer.echo(json.dumps(data, separators=(",", ":")))
                    else:
                        _human(data)
                except CharterError as exc:  # keep the schedule; say why
                    log.error("MLflow sync failed: %s", exc)
                    console.print(f"[red]MLflow sync failed: {exc.message}[/red]")
            done += 1
            if runs and done >= runs:
                return
            stop.wait(every)
    finally:
        if leader is not None:
            leader.release()


@mlflow_app.command("flags")
def flags(
    all_: bool = typer.Option(False, "--all", help="Cleared flags too."),
    who: str | None = AsOpt,
    json_: bool = JsonOpt,
) -> None:
    """Versions promoted in MLflow (a stage or an alias) whose system's gate has not passed."""
    with reporting(json_):
        ctx = context()
        actor = acting(ctx, who)
        found = mlflow.promotion_flags(ctx, actor, not all_)
        named = inventory.names(ctx, actor)
    data = {"items": as_json(found), "total": len(found)}
    emit(data, json_, lambda: table(
        "Promotions ahead of Charter's gate", ["system", "version", "promoted as", "why"],
        [(name_of(named, f.system_id), f.model_version_id, f.promoted_as, f.reason)
         for f in found]))  # fmt: skip


@mlflow_app.command("metrics")
def metrics(
    system: str = typer.Argument(..., help="The system's id."),
    who: str | None = AsOpt,
    json_: bool = JsonOpt,
) -> None:
    """Metrics MLflow reported for a system's model versions: reported, not computed by
    Charter; gates never read them."""
    with reporting(json_):
        ctx = context()
        found = mlflow.reported_metrics(ctx, acting(ctx, who), system)
    data = {"items": [reported_json(r) for r in found], "total": len(found)}
    emit(data, json_, lambda: table(
        "Reported by MLflow (not computed by Charter)", ["run", "version", "metrics"],
        [(r.run_id, r.model_version_id, ", ".join(f"{k}={v}" for k, v in r.metrics.items()))
         for r in found]))  # fmt: skip
