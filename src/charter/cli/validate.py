"""charter validate SUITE.yaml --system ID"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import typer
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from charter.cli.output import EXIT_FAILED_CHECK, JsonOpt, console, emit, reporting, table
from charter.cli.session import AS_HELP, acting, context
from charter.engines.backend import ENGINES
from charter.engines.runner import Progress as OnStep
from charter.engines.runner import run_suite
from charter.engines.suites import load_suite
from charter.services import validation
from charter.web.present import as_json


@contextmanager
def _progress(show: bool) -> Iterator[OnStep | None]:
    """A bar over the run's scans (stderr-free: nothing is drawn with --json)."""
    if not show:
        yield None
        return
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total} steps"),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=console, transient=True) as bar:
        task = bar.add_task("starting", total=None)

        def on_step(step: str, done: int, total: int) -> None:
            bar.update(task, description=step, completed=done, total=total)

        yield on_step


def _value(value: float | None, bound: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:.4f}" + (f" ±{bound:.1e}" if bound else "")


def validate(
    suite_file: Path = typer.Argument(..., help="The suite (YAML)."),
    system: str = typer.Option(..., "--system", help="The system the evidence is for."),
    engine: str = typer.Option(
        "duckdb", "--engine", help=f"Where the checks run: {' or '.join(ENGINES)}."
    ),
    model_version: str | None = typer.Option(
        None, "--model-version", help="The model version that scored the data (its id)."
    ),
    who: str | None = typer.Option(None, "--as", help=AS_HELP),
    json_: bool = JsonOpt,
) -> None:
    """Run a validation suite where the data lives and record its evidence against a system;
    exits 1 when a blocking check is not satisfied (inconclusive counts as not satisfied)."""
    with reporting(json_):
        suite = load_suite(suite_file)
        ctx = context()
        actor = acting(ctx, who)
        with _progress(not json_) as on_step:
            evidence = validation.validate(
                ctx,
                actor,
                system,
                suite,
                lambda s: run_suite(s, suite_file.parent, engine, progress=on_step),
                model_version,
            )
    data = {**as_json(evidence), "passed": evidence.passed}
    emit(
        data,
        json_,
        lambda: table(
            f"{suite.name}: {'passed' if evidence.passed else 'FAILED'} (evidence {evidence.id}, "
            f"{evidence.engine}, {evidence.duration_ms} ms)",
            ["check", "metric", "value", "min", "max", "severity", "verdict", "note"],
            [
                (
                    r.check_id,
                    r.metric,
                    _value(r.value, r.bound),
                    r.minimum,
                    r.maximum,
                    r.severity.value,
                    r.verdict.value,
                    r.note,
                )
                for r in evidence.results
            ],
        ),
    )
    if not evidence.passed:
        raise typer.Exit(EXIT_FAILED_CHECK)
