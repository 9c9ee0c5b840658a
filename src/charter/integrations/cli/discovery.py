"""charter discover PATH | charter discovery proposals | accept | dismiss"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from charter.integrations import files
from charter.integrations.present import drafts_json, proposal_json, proposals_json
from charter.integrations.services import discovery
from charter.kernel.cli.output import JsonOpt, console, emit, reporting, table
from charter.kernel.cli.session import AS_HELP, acting, context

discovery_app = typer.Typer(
    help="Discovery proposals to accept into the inventory, or dismiss.", no_args_is_help=True
)
AsOpt = typer.Option(None, "--as", help=AS_HELP)


def _human(data: dict[str, Any]) -> None:
    console.print(f"{data['root']}: {data['files_scanned']} files, "
                  f"{len(data['findings'])} finding(s)")  # fmt: skip
    table("Found", ["SDK", "how", "where", "what"],
          [(f["sdk"], f["how"], f"{f['path']}:{f['line']}" if f["line"] else f["path"],
            f["detail"]) for f in data["findings"]])  # fmt: skip
    table("Proposed", ["kind", "name", "matches", "id"],
          [(p["kind"], p["name"], p["match_id"] or "new", p.get("id", "")) for p in
           data["proposals"]])  # fmt: skip
    if not data["recorded"]:
        console.print("nothing was written: --propose keeps these for a person to accept")


def discover(
    path: Path = typer.Argument(..., help="The source tree to scan."),
    propose: bool = typer.Option(
        False, "--propose", help="Keep the proposals for a person to accept (writes no record)."
    ),
    who: str | None = AsOpt,
    json_: bool = JsonOpt,
) -> None:
    """Scan a source tree for AI SDKs and model files (the catalogue's OpenAI, Anthropic,
    Hugging Face, scikit-learn, PyTorch, LangChain, Vertex, Bedrock...) and propose inventory
    entries, matched against existing records. Writes nothing to the inventory."""
    with reporting(json_):
        cat = files.discovery_catalogue()
        scanned = files.scan_tree(path, cat)
        ctx = context()
        actor = acting(ctx, who)
        drafts = discovery.draft_proposals(ctx, actor, scanned.root, scanned.findings, cat)
        data = drafts_json(scanned.root, scanned.files, scanned.findings, drafts, scanned.skipped)
        if propose:
            scan, made = discovery.record_scan(
                ctx, actor, scanned.root, scanned.files, scanned.findings, cat
            )
            data |= {"recorded": True, "scan_id": scan.id,
                     "proposals": [proposal_json(p) for p in made]}  # fmt: skip
    emit(data, json_, lambda: _human(data))


@discovery_app.command("proposals")
def list_proposals(
    status: str = typer.Option("open", "--status", help="open, accepted or dismissed."),
    who: str | None = AsOpt,
    json_: bool = JsonOpt,
) -> None:
    """Proposals from discovery scans."""
    with reporting(json_):
        ctx = context()
        data = proposals_json(discovery.proposals(ctx, acting(ctx, who), status))
    emit(data, json_, lambda: table(
        "Proposals", ["id", "kind", "name", "matches", "status"],
        [(p["id"], p["kind"], p["name"], p["match_id"] or "new", p["status"])
         for p in data["items"]]))  # fmt: skip


@discovery_app.command("accept")
def accept(
    proposal: str = typer.Argument(..., help="The proposal's id."),
    business_unit: str | None = typer.Option(None, "--business-unit", help="A system's unit."),
    purpose: str | None = typer.Option(None, "--purpose", help="What the system is for."),
    owner: str | None = typer.Option(None, "--owner", help="The system's owner (person id)."),
    system: str | None = typer.Option(None, "--system", help="A model's system (id)."),
    who: str | None = AsOpt,
    json_: bool = JsonOpt,
) -> None:
    """Accept a proposal: the record is created through the inventory (or, when it matches
    an existing record, accepted as that one)."""
    given = {"business_unit_id": business_unit, "purpose": purpose, "owner_id": owner,
             "system_id": system}  # fmt: skip
    with reporting(json_):
        ctx = context()
        data = proposal_json(discovery.accept(ctx, acting(ctx, who), proposal, given))
    emit(data, json_, lambda: typer.echo(f"accepted {data['name']}: {data['created_id']}"))


@discovery_app.command("dismiss")
def dismiss(
    proposal: str = typer.Argument(..., help="The proposal's id."),
    who: str | None = AsOpt,
    json_: bool = JsonOpt,
) -> None:
    """Dismiss a proposal: nothing is created."""
    with reporting(json_):
        ctx = context()
        data = proposal_json(discovery.dismiss(ctx, acting(ctx, who), proposal))
    emit(data, json_, lambda: typer.echo(f"dismissed {data['name']}"))
