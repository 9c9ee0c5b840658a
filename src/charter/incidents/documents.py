"""Report documents built from an incident's record: the initial, follow-up or complete report
to an authority (Art. 73), rendered as HTML from a template; every figure names the record it
came from, and a report lacking a mandated field says so."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from charter.incidents.domain import MANDATED, ReportKind
from charter.incidents.services import Record

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
