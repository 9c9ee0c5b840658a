"""charter incidents"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import typer

from charter.incidents import documents
from charter.incidents import services as incidents
from charter.incidents.domain import Category, ReportKind
from charter.kernel.cli.output import JsonOpt, console, emit, reporting, table
from charter.kernel.cli.session import AS_HELP, acting, context
from charter.kernel.present import as_json

incidents_app = typer.Typer(
    help="Incidents: record, classify (Art. 3(49)), the Art. 73 clock, reports to authorities.",
    no_args_is_help=True,
)
AsOpt = typer.Option(None, "--as", help=AS_HELP)


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


@incidents_app.command("record")
def record(
    system: str = typer.Option(...),
    title: str = typer.Option(...),
    description: str = typer.Option(...),
    reported_by: str = typer.Option(..., help="Who brought it to the organisation."),
    aware_at: datetime = typer.Option(
        ..., help="When the organisation became aware (UTC unless given)."
    ),
    affected: int | None = typer.Option(None, help="How many persons were affected."),
    time_zone: str | None = typer.Option(None, help="The authority's time zone."),
    dataset: str | None = typer.Option(
        None,
        help="The id of the dataset the incident concerns (its dependents are reviewed "
        "when the incident is classified serious).",
    ),
    who: str | None = AsOpt,
    json_: bool = JsonOpt,
) -> None:
    """Record an incident against a system (its latest evidence is frozen with it)."""
    with reporting(json_):
        ctx = context()
        found = incidents.record_incident(
            ctx,
            acting(ctx, who),
            system,
            title,
            description,
            reported_by,
            _aware(aware_at),
            None,
            affected,
            "",
            time_zone,
            None,
            dataset,
        )
    emit(as_json(found), json_, lambda: console.print(f"recorded incident {found.id}"))


@incidents_app.command("list")
def list_(
    system: str | None = None,
    open_only: bool = typer.Option(False, "--open"),
    who: str | None = AsOpt,
    json_: bool = JsonOpt,
) -> None:
    """Incidents, the nearest running deadline first."""
    with reporting(json_):
        ctx = context()
        found = incidents.list_incidents(ctx, acting(ctx, who), system, open_only)
    emit(
        {"items": [{**as_json(i), "system": s.name} for i, s in found]},
        json_,
        lambda: table(
            "Incidents",
            ["id", "system", "title", "serious", "deadline", "status"],
            [
                (
                    i.id,
                    s.name,
                    i.title,
                    i.serious,
                    i.deadline_at.isoformat() if i.deadline_at else "",
                    i.status.value,
                )
                for i, s in found
            ],
        ),
    )


@incidents_app.command("classify")
def classify(
    incident_id: str,
    category: list[Category] | None = typer.Option(
        None, "--category", help="Art. 3(49) outcome (repeat); none: not serious."
    ),
    death: bool = typer.Option(False, help="A person died (Art. 73(4): 10 days)."),
    widespread: bool = typer.Option(False, help="A widespread infringement (Art. 73(3): 2 days)."),
    reason: str = typer.Option(...),
    who: str | None = AsOpt,
    json_: bool = JsonOpt,
) -> None:
    """Classify an incident; a serious one's reporting clock runs from awareness."""
    with reporting(json_):
        ctx = context()
        found = incidents.classify_incident(
            ctx, acting(ctx, who), incident_id, category or [], death, widespread, reason
        )
    emit(
        as_json(found),
        json_,
        lambda: console.print(
            f"serious: {found.serious}; deadline {found.deadline_at or 'none'} "
            f"{found.deadline_basis}"
        ),
    )


@incidents_app.command("suspend")
def suspend(
    incident_id: str,
    reason: str = typer.Option(...),
    who: str | None = AsOpt,
    json_: bool = JsonOpt,
) -> None:
    """Ask to suspend the incident's system through its lifecycle."""
    with reporting(json_):
        ctx = context()
        _, request = incidents.suspend_system(ctx, acting(ctx, who), incident_id, reason)
    emit(
        as_json(request),
        json_,
        lambda: console.print(f"suspension request {request.id}: {request.status.value}"),
    )


@incidents_app.command("action")
def action(
    incident_id: str,
    description: str = typer.Option(...),
    owner: str = typer.Option(...),
    who: str | None = AsOpt,
    json_: bool = JsonOpt,
) -> None:
    """Add a corrective action with its owner."""
    with reporting(json_):
        ctx = context()
        found = incidents.add_action(ctx, acting(ctx, who), incident_id, description, owner)
    emit(as_json(found), json_, lambda: console.print(f"added action {found.id}"))


@incidents_app.command("done")
def done(
    action_id: str, outcome: str = typer.Option(...), who: str | None = AsOpt, json_: bool = JsonOpt
) -> None:
    """Mark a corrective action done, with its outcome."""
    with reporting(json_):
        ctx = context()
        found = incidents.complete_action(ctx, acting(ctx, who), action_id, outcome)
    emit(as_json(found), json_, lambda: console.print(f"{found.id} done"))


@incidents_app.command("report")
def report(
    incident_id: str,
    kind: ReportKind = typer.Option(ReportKind.INITIAL),
    out: Path | None = typer.Option(None, help="Write the HTML here."),
    who: str | None = AsOpt,
    json_: bool = JsonOpt,
) -> None:
    """Build a report document from the incident's record (HTML)."""
    with reporting(json_):
        ctx = context()
        found, html = documents.report(ctx, acting(ctx, who), incident_id, kind)
        if out:
            out.write_text(html, "utf-8")
    emit(
        {
            "missing": list(found.missing),
            "written": str(out) if out else None,
            "html": None if out else html,
        },
        json_,
        lambda: console.print(str(out) if out else html, highlight=False),
    )


@incidents_app.command("submit")
def submit(
    incident_id: str,
    kind: ReportKind = typer.Option(...),
    authority: str = typer.Option(...),
    sent_at: datetime = typer.Option(...),
    reference: str = "",
    who: str | None = AsOpt,
    json_: bool = JsonOpt,
) -> None:
    """Record that a report was sent to an authority (the document is kept as sent)."""
    with reporting(json_):
        ctx = context()
        done = documents.submit_report(
            ctx, acting(ctx, who), incident_id, kind, authority, _aware(sent_at), reference
        )
    emit(
        {k: v for k, v in as_json(done).items() if k != "document"},
        json_,
        lambda: console.print(f"recorded {done.kind.value} report {done.id} ({done.digest[:12]})"),
    )


@incidents_app.command("close")
def close(
    incident_id: str, note: str = typer.Option(...), who: str | None = AsOpt, json_: bool = JsonOpt
) -> None:
    """Close an incident once its actions are done (and a complete report sent, if serious)."""
    with reporting(json_):
        ctx = context()
        found = incidents.close_incident(ctx, acting(ctx, who), incident_id, note)
    emit(as_json(found), json_, lambda: console.print(f"closed {found.id}"))


@incidents_app.command("escalate")
def escalate(json_: bool = JsonOpt) -> None:
    """Escalate serious incidents within 48 hours of their deadline (for cron; once each)."""
    with reporting(json_):
        count = incidents.escalate_due(context())
    emit({"escalated": count}, json_, lambda: console.print(f"escalated {count}"))
