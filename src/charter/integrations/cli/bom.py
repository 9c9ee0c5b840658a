"""charter bom export SYSTEM | charter bom import FILE"""

from __future__ import annotations

import json
from pathlib import Path

import typer

from charter.integrations import files
from charter.integrations.present import bom_report_json
from charter.integrations.services import bom
from charter.kernel.cli.output import JsonOpt, emit, reporting, table
from charter.kernel.cli.session import AS_HELP, acting, context
from charter.kernel.errors import InvalidInput

bom_app = typer.Typer(
    help="AI bills of materials: CycloneDX 1.6 ML-BOM export and import.", no_args_is_help=True
)
AsOpt = typer.Option(None, "--as", help=AS_HELP)


@bom_app.command("export")
def export(
    system: str = typer.Argument(..., help="The system's id."),
    output: Path | None = typer.Option(None, "--output", "-o", help="A file; default: stdout."),
    who: str | None = AsOpt,
    json_: bool = JsonOpt,
) -> None:
    """Export a system's ML-BOM (CycloneDX 1.6 JSON, checked against the official schema)."""
    with reporting(json_):
        ctx = context()
        doc = bom.export_bom(ctx, acting(ctx, who), system)
    text = json.dumps(doc, indent=2, ensure_ascii=False)
    if output is None:
        typer.echo(text)
        return
    output.write_text(text + "\n", encoding="utf-8")
    summary = {"written": output.name, "components": len(doc["components"])}
    emit(summary, json_, lambda: typer.echo(f"wrote {output} ({summary['components']} components)"))


@bom_app.command("import")
def import_(
    path: Path = typer.Argument(..., help="A CycloneDX 1.6 ML-BOM (JSON)."),
    vendor: str | None = typer.Option(None, "--vendor", help="Whose BOM; default: its supplier."),
    system: str | None = typer.Option(None, "--system", help="Make the models this system's."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Show what would change; write nothing."),
    who: str | None = AsOpt,
    json_: bool = JsonOpt,
) -> None:
    """Create or update a vendor's models, versions and datasets from its ML-BOM, all or
    nothing. Exits 3 when the file breaks the CycloneDX 1.6 schema (every place listed)."""
    with reporting(json_):
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise InvalidInput(f"cannot read {path.name}: {exc.strerror}") from exc
        doc = files.read_bom_file(data, path.name)
        ctx = context()
        found = bom.import_bom(ctx, acting(ctx, who), doc, vendor, system, dry_run)
    out = bom_report_json(found)
    emit(out, json_, lambda: table(
        f"ML-BOM of {out['vendor']}: {'would be' if dry_run else 'done'}",
        ["kind", "name", "action"], [(o["kind"], o["name"], o["action"]) for o in out["outcomes"]],
    ))  # fmt: skip
