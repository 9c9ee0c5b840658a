"""charter reports draft | issue | write | list | pdf | submit, and charter bundle export |
verify"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import typer

from charter.kernel.cli.files import read_mapping, read_text
from charter.kernel.cli.output import EXIT_FAILED_CHECK, JsonOpt, console, emit, reporting, table
from charter.kernel.cli.session import AS_HELP, acting, context
from charter.kernel.errors import InvalidInput
from charter.kernel.present import as_json
from charter.reports.domain.bundle import SUBJECTS
from charter.reports.files import KINDS
from charter.reports.present import issued_json
from charter.reports.services import bundles, documents, sections, submissions

reports_app = typer.Typer(help="Documents generated from records.", no_args_is_help=True)
bundle_app = typer.Typer(
    help="Decision bundles an auditor re-checks offline.", no_args_is_help=True
)
AsOpt = typer.Option(None, "--as", help=AS_HELP)
KIND_HELP = "Document type: " + ", ".join(KINDS) + "."
SUBJECT_HELP = "The system's id, or 'organisation' for the board pack and management review."


@reports_app.command("draft")
def reports_draft(
    kind: str = typer.Argument(..., help=KIND_HELP),
    subject: str = typer.Argument(..., help=SUBJECT_HELP),
    out: Path | None = typer.Option(None, "--out", help="Write the draft's PDF here."),
    who: str | None = AsOpt,
    json_: bool = JsonOpt,
) -> None:
    """Build a document from the records as they stand (DRAFT on every page, what is
    missing listed); prints its data, and with --out writes its PDF. Nothing is recorded."""
    with reporting(json_):
        ctx = context()
        actor = acting(ctx, who)
        if out is None:
            report = documents.build(ctx, actor, kind, subject)
        else:
            report, pdf = documents.draft_pdf(ctx, actor, kind, subject)
            out.write_bytes(pdf)
    data = report.data()
    emit(data, json_, lambda: _missing(data, out))


def _missing(data: dict[str, Any], out: Path | None) -> None:
    console.print(f"{data['title']}: {data['subject']['name']}", highlight=False)
    for item in data["missing"]:
        console.print(f"  missing: {item}", highlight=False)
    if out:
        console.print(f"draft written to {out}", highlight=False)


@reports_app.command("issue")
def reports_issue(
    kind: str = typer.Argument(..., help=KIND_HELP),
    subject: str = typer.Argument(..., help=SUBJECT_HELP),
    out: Path | None = typer.Option(None, "--out", help="Also write the final PDF here."),
    who: str | None = AsOpt,
    json_: bool = JsonOpt,
) -> None:
    """Issue the document as final: refused (exit 5) while a mandated item is empty, listing
    them; recorded with its SHA-256 and, for a system, attached as a governed document."""
    with reporting(json_):
        ctx = context()
        issued = documents.issue(ctx, acting(ctx, who), kind, subject)
        if out is not None:
            out.write_bytes(issued.pdf)
    data = issued_json(issued)
    emit(data, json_, lambda: typer.echo(f"issued {issued.id} (PDF SHA-256 {issued.pdf_sha256})"))


@reports_app.command("write")
def reports_write(
    kind: str = typer.Argument(..., help=KIND_HELP),
    subject: str = typer.Argument(..., help=SUBJECT_HELP),
    file: Path = typer.Argument(..., help="YAML or JSON: section item id -> text."),
    who: str | None = AsOpt,
    json_: bool = JsonOpt,
) -> None:
    """Write the human-authored sections of a document (each save a new version)."""
    with reporting(json_):
        texts = read_mapping(file, "a mapping of section item ids to their text")
        if not all(isinstance(v, str) for v in texts.values()):
            raise InvalidInput(f"{file.name}: each section's text is a string")
        ctx = context()
        saved = sections.write_sections(ctx, acting(ctx, who), kind, subject, texts)
    data = {"saved": as_json(saved)}
    emit(data, json_, lambda: typer.echo(f"{len(saved)} section(s) saved"))


@reports_app.command("list")
def reports_list(
    subject: str = typer.Argument(..., help=SUBJECT_HELP),
    who: str | None = AsOpt,
    json_: bool = JsonOpt,
) -> None:
    """The final documents issued for a system (or the organisation), and what was sent."""
    with reporting(json_):
        ctx = context()
        actor = acting(ctx, who)
        found = documents.issued_for(ctx, actor, subject)
        sent = submissions.submissions(ctx, actor, subject)
    data = {"items": [issued_json(i) for i in found], "submissions": as_json(sent.items)}

    def show() -> None:
        table(
            "Issued documents",
            ["id", "kind", "issued", "PDF SHA-256"],
            [(i.id, i.kind, f"{i.issued_at:%Y-%m-%d %H:%M}", i.pdf_sha256) for i in found],
        )
        if not sent.items:
            return
        table(
            "Sent",
            ["sent", "what", "report", "to", "reference", "recorded by"],
            [
                (f"{s.sent_at:%Y-%m-%d %H:%M}", s.kind, s.report_id, s.sent_to, s.reference,
                 sent.sender(s))
                for s in sent.items
            ],
        )  # fmt: skip

    emit(data, json_, show)


@reports_app.command("pdf")
def reports_pdf(
    report_id: str = typer.Argument(..., help="An issued report's id."),
    out: Path = typer.Option(..., "--out", help="Where to write the PDF."),
    who: str | None = AsOpt,
    json_: bool = JsonOpt,
) -> None:
    """Write an issued document's PDF (its SHA-256 is the one recorded)."""
    with reporting(json_):
        ctx = context()
        issued = documents.get_issued(ctx, acting(ctx, who), report_id)
        out.write_bytes(issued.pdf)
    emit(
        {"path": str(out), "pdf_sha256": issued.pdf_sha256},
        json_,
        lambda: typer.echo(f"wrote {out}"),
    )


@reports_app.command("submit")
def reports_submit(
    report_id: str = typer.Argument(..., help="The issued registration or impact assessment."),
    sent_to: str = typer.Option(..., "--to", help="Where it was sent."),
    reference: str = typer.Option(..., "--reference", help="The reference they returned."),
    note: str = typer.Option("", "--note"),
    who: str | None = AsOpt,
    json_: bool = JsonOpt,
) -> None:
    """Record that an issued EU database registration or impact-assessment result was sent."""
    with reporting(json_):
        ctx = context()
        item = submissions.record_submission(
            ctx, acting(ctx, who), report_id, sent_to, reference, note
        )
    emit(as_json(item), json_, lambda: typer.echo(f"recorded {item.id}"))


@bundle_app.command("export")
def bundle_export(
    transition: str | None = typer.Option(None, "--transition", help="A transition request."),
    body_decision: str | None = typer.Option(None, "--body-decision", help="A body decision."),
    waiver: str | None = typer.Option(None, "--waiver", help="A waiver."),
    classification: str | None = typer.Option(None, "--classification", help="A classification."),
    out: Path = typer.Option(Path("bundle.json"), "--out", help="Where to write the bundle."),
    who: str | None = AsOpt,
    json_: bool = JsonOpt,
) -> None:
    """Write one file with everything a decision rested on, sealed by the audit key."""
    given = [
        (k, v)
        for k, v in zip(SUBJECTS, (transition, body_decision, waiver, classification), strict=True)
        if v
    ]
    with reporting(json_):
        if len(given) != 1:
            raise InvalidInput(
                "name one decision: --transition, --body-decision, --waiver or --classification"
            )
        ctx = context()
        bundle = bundles.export_bundle(ctx, acting(ctx, who), *given[0])
        out.write_text(json.dumps(bundle, indent=1, sort_keys=True) + "\n", "utf-8")
    events = len(bundle["content"]["events"])
    emit(
        {"path": str(out), "events": events},
        json_,
        lambda: typer.echo(f"wrote {out}: {events} audit events with their proofs"),
    )


@bundle_app.command("verify")
def bundle_verify(
    file: Path = typer.Argument(..., help="The bundle."),
    data: Path | None = typer.Option(None, "--data", help="The data files, to recompute evidence."),
    key: str | None = typer.Option(None, "--key", help="The verifier key, inline or a file."),
    json_: bool = JsonOpt,
) -> None:
    """Check a bundle offline (no database, no network): signatures, proofs, each record
    against its signed event, the gate re-evaluated; with --data, evidence recomputed.
    Exits 1 and names what failed."""
    from charter.audit.keys import read_verifier
    from charter.reports.verifier import engine_runner, verify_bundle

    with reporting(json_):
        try:
            raw = json.loads(read_text(file))
        except json.JSONDecodeError as exc:
            raise InvalidInput(f"{file.name} is not JSON: {exc.msg}") from exc
        trusted = read_verifier(key) if key else None
        found = verify_bundle(raw, trusted, data, engine_runner)
    emit(found.as_json(), json_, lambda: _findings(found.as_json()))
    if not found.verified:
        raise typer.Exit(EXIT_FAILED_CHECK)


def _findings(data: dict[str, Any]) -> None:
    head = "[green]verified[/]" if data["verified"] else "[bold red]NOT VERIFIED[/]"
    console.print(
        f"{head}: {len(data['checked'])} checks passed, {len(data['failed'])} failed",
        highlight=False,
    )
    for line in data["failed"]:
        console.print(f"  [red]failed[/]: {line}", highlight=False)
    for line in data["checked"]:
        console.print(f"  checked: {line}", highlight=False)
    for line in data["not_checked"]:
        console.print(f"  [yellow]not checked[/]: {line}", highlight=False)
