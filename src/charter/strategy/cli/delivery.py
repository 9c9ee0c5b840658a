"""charter delivery: iterations and experiments of use cases."""

from __future__ import annotations

import typer

from charter.kernel.cli.files import day
from charter.kernel.cli.output import JsonOpt, emit, reporting, table
from charter.kernel.cli.session import AS_HELP, acting, context
from charter.kernel.present import as_json
from charter.strategy.domain.delivery import ExperimentResult, IterationDecision
from charter.strategy.services import delivery

AsOpt = typer.Option(None, "--as", help=AS_HELP)
delivery_app = typer.Typer(help="Iterations and experiments of use cases.", no_args_is_help=True)


@delivery_app.command("list")
def delivery_list(use_case: str, who: str | None = AsOpt, json_: bool = JsonOpt) -> None:
    """A use case's iterations and experiments."""
    with reporting(json_):
        ctx = context()
        iterations, experiments = delivery.delivery_of(ctx, acting(ctx, who), use_case)
    emit(
        {"iterations": as_json(iterations), "experiments": as_json(experiments)},
        json_,
        lambda: table("Iterations", ["#", "goal", "from", "to", "decision"], [
            (i.number, i.goal, i.starts_on, i.ends_on, i.decision or "open") for i in iterations
        ]),
    )  # fmt: skip


@delivery_app.command("open")
def delivery_open(
    use_case: str, goal: str = typer.Option(...), start: str = typer.Option(...),
    end: str = typer.Option(...), who: str | None = AsOpt, json_: bool = JsonOpt,
) -> None:  # fmt: skip
    """Open the next iteration of an approved use case."""
    with reporting(json_):
        ctx = context()
        item = delivery.open_iteration(
            ctx, acting(ctx, who), use_case, goal, day(start, "--start"), day(end, "--end")
        )
    emit(as_json(item), json_, lambda: typer.echo(f"opened iteration {item.number}"))


@delivery_app.command("close")
def delivery_close(
    iteration: str, decision: IterationDecision = typer.Option(...),
    outcome: str = typer.Option(...), learnings: str = "",
    who: str | None = AsOpt, json_: bool = JsonOpt,
) -> None:  # fmt: skip
    """Close an iteration: outcome, learnings, and pivot / persevere / stop."""
    with reporting(json_):
        ctx = context()
        item = delivery.close_iteration(
            ctx, acting(ctx, who), iteration, decision, outcome, learnings
        )
    emit(as_json(item), json_, lambda: typer.echo(f"closed: {item.decision}"))


@delivery_app.command("experiment")
def delivery_experiment(
    use_case: str, hypothesis: str = typer.Option(...), metric: str = typer.Option(...),
    iteration: str | None = None, who: str | None = AsOpt, json_: bool = JsonOpt,
) -> None:  # fmt: skip
    """Start an experiment with its hypothesis and the metric that decides it."""
    with reporting(json_):
        ctx = context()
        item = delivery.start_experiment(
            ctx, acting(ctx, who), use_case, hypothesis, metric, iteration
        )
    emit(as_json(item), json_, lambda: typer.echo(f"started experiment {item.id}"))


@delivery_app.command("conclude")
def delivery_conclude(
    experiment: str, result: ExperimentResult = typer.Option(...),
    finding: str = typer.Option(...), who: str | None = AsOpt, json_: bool = JsonOpt,
) -> None:  # fmt: skip
    """Record an experiment's result."""
    with reporting(json_):
        ctx = context()
        item = delivery.conclude_experiment(ctx, acting(ctx, who), experiment, result, finding)
    emit(as_json(item), json_, lambda: typer.echo(f"concluded: {item.result}"))
