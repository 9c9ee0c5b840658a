"""charter import file FILE... | charter import template"""

from __future__ import annotations

from pathlib import Path

import typer

from charter.integrations import files
from charter.integrations.domain.sheets import KINDS, Table
from charter.integrations.present import import_json
from charter.integrations.services.imports import import_records
from charter.kernel.cli.output import (
    EXIT_DENIED,
    EXIT_INVALID,
    JsonOpt,
    console,
    emit,
    reporting,
    table,
)
from charter.kernel.cli.session import AS_HELP, acting, context
from charter.kernel.errors import InvalidInput

import_app = typer.Typer(
    help="Bulk import of systems, models, datasets, vendors, people, units and RACI.",
    no_args_is_help=True,
)
AsOpt = typer.Option(None, "--as", help=AS_HELP)


def _read(paths: list[Path], kind: str | None) -> dict[str, Table]:
    if kind and len(paths) > 1:
        raise InvalidInput("--kind goes with one CSV file")
    out: dict[str, Table] = {}
    for path in paths:
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise InvalidInput(f"cannot read {path.name}: {exc.strerror}") from exc
        for name, sheet in files.read_import(path.name, data, kind).items():
            if name in out:
                raise InvalidInput(f"{name} are in more than one of the files given")
            out[name] = sheet
    return out


def _human(data: dict[str, object]) -> None:
    counts = data["counts"]
    assert isinstance(counts, dict)
    verb = "would be" if data["dry_run"] else "was" if data["committed"] else "would have been"
    table(
        f"Import of {data['source']}: what {verb} done",
        ["sheet", "created", "changed", "unchanged", "refused"],
        [
            (k, v.get("created", 0), v.get("changed", 0), v.get("unchanged", 0),
             v.get("refused", 0)) for k, v in counts.items()
        ],
    )  # fmt: skip
    errors = data["errors"]
    assert isinstance(errors, list)
    if errors:
        table(
            f"{len(errors)} problem(s): nothing was written",
            ["sheet", "row", "column", "problem"],
            [(e["sheet"], e["row"] or "", e["column"] or "", e["problem"]) for e in errors],
        )
    elif data["dry_run"]:
        console.print("dry run: nothing was written")


@import_app.command("file")
def import_file(
    paths: list[Path] = typer.Argument(..., help="An Excel workbook, or CSV files (one a kind)."),
    kind: str | None = typer.Option(
        None, "--kind", help=f"What a CSV file holds ({', '.join(KINDS)}); else its name says."
    ),
    dry_run: bool = typer.Option(
        False, "--dry-run", help="Show what would be created, changed or refused; write nothing."
    ),
    who: str | None = AsOpt,
    json_: bool = JsonOpt,
) -> None:
    """Import records from CSV (comma or semicolon) or Excel, all or nothing: every problem is
    listed with its row, and nothing is written unless there is none. Exits 3 on problems,
    6 when a row needs a right the importer lacks."""
    with reporting(json_):
        tables = _read(paths, kind)
        ctx = context()
        source = ", ".join(p.name for p in paths)
        report = import_records(ctx, acting(ctx, who), source, tables, dry_run)
    data = import_json(report)
    emit(data, json_, lambda: _human(data))
    if report.problems:
        raise typer.Exit(EXIT_DENIED if report.forbidden else EXIT_INVALID)


@import_app.command("template")
def import_template(
    kind: str | None = typer.Argument(None, help="One kind, as CSV; none: an Excel workbook."),
    output: Path = typer.Option(..., "--output", "-o", help="Where to write the template."),
    semicolon: bool = typer.Option(False, "--semicolon", help="A CSV with ; between fields."),
    json_: bool = JsonOpt,
) -> None:
    """Write an import template: an Excel workbook with a sheet per kind, or one kind's CSV."""
    with reporting(json_):
        if kind is None:
            output.write_bytes(files.template_xlsx())
        else:
            output.write_text(files.template_csv(kind, ";" if semicolon else ","))
    emit({"written": output.name}, json_, lambda: typer.echo(f"wrote {output}"))
