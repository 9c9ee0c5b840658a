"""charter validate SUITE.yaml --system ID"""

from __future__ import annotations

from contextlib import nullcontext
from pathlib import Path

import typer

from charter.cli.output import EXIT_FAILED_CHECK, JsonOpt, console, emit, reporting, table
from charter.cli.session import AS_HELP, acting, context
from charter.engines.duckdb_engine import run_suite
from charter.engines.suites import load_suite
from charter.services import validation
from charter.web.present import as_json


def validate(
    suite_file: Path = typer.Argument(..., help="The suite (YAML)."),
    system: str = typer.Option(..., "--system", help="The system the evidence is for."),
    who: str | None = typer.Option(None, "--as", help=AS_HELP),
    json_: bool = JsonOpt,
) -> None:
    """Run a validation suite where the data lives and record its evidence against a system;
    exits 1 when a blocking check is not satisfied (inconclusive counts as not satisfied)."""
    with reporting(json_):
        suite = load_suite(suite_file)
        ctx = context()
        actor = acting(ctx, who)
        with (
            console.status(f"running {len(suite.checks)} checks of {suite.name}", spinner="dots")
            if not json_
            else nullcontext()
        ):
            evidence = validation.validate(
                ctx, actor, system, suite, lambda s: run_suite(s, suite_file.parent)
            )
    data = {**as_json(evidence), "passed": evidence.passed}
    emit(
        data,
        json_,
        lambda: table(
            f"{suite.name}: {'passed' if evidence.passed else 'FAILED'} (evidence {evidence.id})",
            ["check", "metric", "value", "min", "max", "severity", "verdict"],
            [
                (
                    r.check_id,
                    r.metric,
                    "—" if r.value is None else f"{r.value:.4f}",
                    r.minimum,
                    r.maximum,
                    r.severity.value,
                    r.verdict.value,
                )
                for r in evidence.results
            ],
        ),
    )
    if not evidence.passed:
        raise typer.Exit(EXIT_FAILED_CHECK)
