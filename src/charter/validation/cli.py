"""charter validate SUITE.yaml --system ID"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from charter.kernel.cli.output import EXIT_FAILED_CHECK, JsonOpt, console, emit, reporting, table
from charter.kernel.cli.remote import ServerOpt, server
from charter.kernel.cli.session import AS_HELP, acting, begun, context, suite_runner
from charter.kernel.figures import readable
from charter.validation.domain.suite import ENGINES, parse_suite
from charter.validation.files import load_suite, read_suite

if TYPE_CHECKING:  # the use case and its ports load once the scan has started
    from charter.validation.domain.evidence import Aggregates, Evidence
    from charter.validation.domain.suite import Suite
    from charter.validation.ports import Progress as OnStep
    from charter.validation.ports import RunStarter
    from charter.validation.services import Runner


@contextmanager
def _progress(show: bool) -> Iterator[OnStep | None]:
    """A bar over the run's scans (stderr-free: nothing is drawn with --json)."""
    if not show:
        yield None
        return
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

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


def _relay(shown: list[OnStep], step: str, done: int, total: int) -> None:
    """A step of the run, shown where it may be (nowhere before the person's rights are
    checked: how far a scan got says something of the data)."""
    for show in shown:
        show(step, done, total)


def _value(value: float | None, bound: float | None = None) -> str:
    if value is None:
        return "—"
    return readable(value) + (f" ±{bound:.1e}" if bound else "")


def _table(data: dict[str, Any]) -> None:
    verdict = "passed" if data["passed"] else "FAILED"
    table(
        f"{data['suite_name']}: {verdict} (evidence {data['id']}, {data['engine']}, "
        f"{data['duration_ms']} ms)",
        ["check", "metric", "value", "min", "max", "severity", "verdict", "note"],
        [
            (
                r["check_id"],
                r["metric"],
                _value(r["value"], r.get("bound")),
                "" if r["minimum"] is None else _value(r["minimum"]),
                "" if r["maximum"] is None else _value(r["maximum"]),
                r["severity"],
                r["verdict"],
                r.get("note", ""),
            )
            for r in data["results"]
        ],
    )


def _validate_here(
    suite_file: Path,
    system: str,
    engine: str,
    model_version: str | None,
    who: str | None,
    show: bool,
) -> Evidence:
    """The suite run on this machine. The scan starts first, in a thread of its own, with the
    engine the context will hold (its limits, the files it may never read): while it runs, the
    store opens and the person's rights are checked; its result is used only after that
    check (by the use case), and it is stopped if the command fails before."""
    early = begun(suite_file, engine)  # the run the shell began before parsing, if any
    suite = early.suite if early else load_suite(suite_file)
    folder = suite_file.parent
    runner: RunStarter = suite_runner()
    shown: list[OnStep] = []  # where the run's steps are shown, once its result may be read
    relay = partial(_relay, shown)
    if early:
        early.progress.target = relay
    with (
        _progress(show) as on_step,
        closing(early.started if early else runner.start(suite, folder, engine, relay)) as started,
    ):
        from charter.validation import services as validation

        ctx = context()
        actor = acting(ctx, who)

        def read(suite: Suite) -> Aggregates:  # the use case calls it once it may read it
            shown.extend([on_step] if on_step else [])
            return started.result(suite)

        run: Runner = read
        took: Callable[[], float] | None = started.took
        if runner != ctx.run_suite:  # not the engine the context holds: run with that one
            started.close()
            run, took = (lambda s: ctx.run_suite(s, folder, engine, progress=on_step)), None
        return validation.validate(ctx, actor, system, suite, run, model_version, took=took)


def validate(
    suite_file: Path = typer.Argument(..., help="The suite (YAML)."),
    system: str = typer.Option(..., "--system", help="The system the evidence is for."),
    engine: str = typer.Option(
        "duckdb", "--engine", help=f"Where the checks run: {' or '.join(ENGINES)}."
    ),
    model_version: str | None = typer.Option(
        None, "--model-version", help="The model version that scored the data (its id)."
    ),
    url: str | None = ServerOpt,
    who: str | None = typer.Option(None, "--as", help=AS_HELP),
    json_: bool = JsonOpt,
) -> None:
    """Run a validation suite where the data lives and record its evidence against a system;
    exits 1 when a blocking check is not satisfied (inconclusive counts as not satisfied).
    With --server, the server runs it on files under its data folder."""
    if url:
        with reporting(json_):
            raw = read_suite(suite_file)
            parse_suite(raw)  # refuse a malformed suite before sending it
        with server(url) as client:
            data = client.validate(system, raw, engine, model_version)
    else:
        with reporting(json_):
            evidence = _validate_here(suite_file, system, engine, model_version, who, not json_)
        from charter.kernel.present import as_json

        data = {**as_json(evidence), "passed": evidence.passed}
    emit(data, json_, lambda: _table(data))
    if not data["passed"]:
        raise typer.Exit(EXIT_FAILED_CHECK)
