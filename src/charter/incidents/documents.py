"""Report documents built from an incident's record: the initial, follow-up or complete report
to an authority (Art. 73), rendered as HTML from a template; every figure names the record it
came from, and a report lacking a mandated field says so."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from charter.incidents import services as incidents
from charter.incidents.domain import MANDATED, ReportKind, Submission
from charter.incidents.ports import Context
from charter.incidents.services import Record
from charter.kernel.access import Actor

TEMPLATES = Path(__file__).parent / "templates"


def report_document(found: Record, kind: ReportKind, now: datetime) -> str:
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]))
    return env.get_template("incident_report.html").render(
        r=found,
        i=found.incident,
        kind=ReportKind(kind),
        clock=found.incident.clock(),
        missing=[MANDATED[m] for m in found.missing],
        made=now.astimezone(UTC),
    )


def report(ctx: Context, actor: Actor, incident_id: str, kind: ReportKind) -> tuple[Record, str]:
    """The incident's record and its report document, built now."""
    found = incidents.get_incident(ctx, actor, incident_id)
    return found, report_document(found, kind, ctx.clock())


def submit_report(
    ctx: Context, actor: Actor, incident_id: str, kind: ReportKind, authority: str,
    sent_at: datetime, reference: str = "",
) -> Submission:  # fmt: skip
    """Record a report sent to an authority, keeping the document built from the record now."""
    _, document = report(ctx, actor, incident_id, kind)
    return incidents.record_submission(
        ctx, actor, incident_id, kind, authority, sent_at, reference, document
    )
