"""charter lineage event | impact | review | breach | reviews | resolve"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import typer

from charter.integrations.present import impact_json, recorded_json, review_json, reviews_json
from charter.integrations.services import lineage, reviews
from charter.kernel.cli.output import JsonOpt, console, emit, reporting, table
from charter.kernel.cli.session import AS_HELP, acting, context
from charter.kernel.errors import InvalidInput

lineage_app = typer.Typer(
    help="Lineage: OpenLineage events, the impact of a dataset, evidence under review.",
    no_args_is_help=True,
)
AsOpt = typer.Option(None, "--as", help=AS_HELP)


@lineage_app.command("event")
def event(
    path: Path = typer.Argument(..., help="A JSON file holding one OpenLineage run event."),
    who: str | None = AsOpt,
    json_: bool = JsonOpt,
) -> None:
    """Add an OpenLineage run event to the lineage graph (pipelines usually post to the API)."""
    with reporting(json_):
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise InvalidInput(f"cannot read {path.name} as JSON: {exc}") from exc
        ctx = context()
        data = recorded_json(lineage.record_run_event(ctx, acting(ctx, who), raw))
    emit(data, json_, lambda: typer.echo(
        f"run {data['run_id']} of {data['job']}: {data['edges']} flow(s), "
        f"{len(data['nodes_created'])} new node(s)"))  # fmt: skip


def _impact_human(data: dict[str, Any]) -> None:
    name = data["dataset"]["name"] if data["dataset"] else ", ".join(data["lineage"])
    console.print(f"Impact of dataset {name}")
    table("Downstream in the lineage graph", ["kind", "namespace", "name"],
          [(n["kind"], n["namespace"], n["name"]) for n in data["downstream"]])  # fmt: skip
    table("Models", ["id", "name"], [(m["id"], m["name"]) for m in data["models"]])
    table("Systems", ["id", "name", "stage", "risk tier"],
          [(s["id"], s["name"], s["stage"], s["risk_tier"]) for s in data["systems"]])  # fmt: skip
    table("Use cases", ["id", "title", "status"],
          [(u["id"], u["title"], u["status"]) for u in data["use_cases"]])  # fmt: skip
    table("Accountable", ["person", "system", "basis"],
          [(a["name"], a["system_id"], a["basis"]) for a in data["accountable"]])  # fmt: skip
    table("Upcoming obligations", ["date", "system", "obligation"],
          [(o["on"], o["system"], f"{o['obligation']}: {o['title']}")
           for o in data["obligations"]])  # fmt: skip
    if data["hidden_systems"]:
        console.print(f"{data['hidden_systems']} more system(s) you may not read depend on it")


@lineage_app.command("impact")
def impact(
    dataset: str = typer.Argument(..., help="A dataset's id or name, or `namespace/name`."),
    who: str | None = AsOpt,
    json_: bool = JsonOpt,
) -> None:
    """What depends on a dataset: datasets, jobs, models, systems, use cases, the people
    accountable and their upcoming obligations."""
    with reporting(json_):
        ctx = context()
        data = impact_json(lineage.impact(ctx, acting(ctx, who), dataset))
    emit(data, json_, lambda: _impact_human(data))


def _reviews_human(data: dict[str, Any]) -> None:
    table(f"{data['total']} evidence review(s)", ["review", "evidence", "system", "why"],
          [(r["id"], r["evidence_id"], r["system_id"], r["reason"])
           for r in data["items"]])  # fmt: skip


@lineage_app.command("review")
def review(
    dataset: str = typer.Argument(..., help="The dataset's id or name."),
    reason: str = typer.Option(..., "--reason", help="Why: the incident."),
    who: str | None = AsOpt,
    json_: bool = JsonOpt,
) -> None:
    """An incident on a dataset: put the evidence of every system depending on it under
    review (gates judge it inconclusive until it is resolved)."""
    with reporting(json_):
        ctx = context()
        data = reviews_json(
            reviews.mark_dependents_for_review(ctx, acting(ctx, who), dataset, reason)
        )
    emit(data, json_, lambda: _reviews_human(data))


@lineage_app.command("breach")
def breach(
    dataset: str = typer.Argument(..., help="The dataset's id or name."),
    evidence: str = typer.Argument(..., help="The evidence whose data-quality checks failed."),
    who: str | None = AsOpt,
    json_: bool = JsonOpt,
) -> None:
    """A data-quality breach that validation evidence found on a dataset: the evidence of the
    systems depending on it needs review."""
    with reporting(json_):
        ctx = context()
        data = reviews_json(reviews.quality_breach(ctx, acting(ctx, who), dataset, evidence))
    emit(data, json_, lambda: _reviews_human(data))


@lineage_app.command("reviews")
def list_reviews(
    system: str | None = typer.Option(None, "--system", help="One system's id."),
    who: str | None = AsOpt,
    json_: bool = JsonOpt,
) -> None:
    """Evidence under review, not yet resolved."""
    with reporting(json_):
        ctx = context()
        data = reviews_json(reviews.open_reviews(ctx, acting(ctx, who), system))
    emit(data, json_, lambda: _reviews_human(data))


@lineage_app.command("resolve")
def resolve(
    review_id: str = typer.Argument(..., help="The review's id."),
    resolution: str = typer.Option(..., "--resolution", help="What the review found."),
    who: str | None = AsOpt,
    json_: bool = JsonOpt,
) -> None:
    """Resolve an evidence review: the evidence counts at gates again."""
    with reporting(json_):
        ctx = context()
        data = review_json(reviews.resolve_review(ctx, acting(ctx, who), review_id, resolution))
    emit(data, json_, lambda: typer.echo(f"resolved {data['id']}"))
