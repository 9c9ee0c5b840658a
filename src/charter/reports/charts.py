"""Rendering a report: its charts, its body as HTML (the template the UI page includes too),
its PDF by WeasyPrint with the same server-side charts. A draft carries DRAFT on every page
and the list of what is missing."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from charter.reports.domain.documents import Report
from charter.validation.domain.evidence import CheckResult


def report_charts(report: Report) -> list[tuple[str, Markup]]:
    """The charts beside a report's items: fairness by group (from the evidence its facts
    name), the scorecard's pillars, the risk register's bands."""
    # heavy (Altair, Vega): imported when a report is drawn, not by every command's context
    from charter.kernel.web import charts  # noqa: PLC0415
    from charter.validation import charts as evidence_charts  # noqa: PLC0415

    out: list[tuple[str, Markup]] = []
    results: Sequence[CheckResult] = report.context.get("fairness") or ()
    evidence = report.context.get("evidence") or ""
    for over, chart in evidence_charts.fairness_by_group(results):
        out.append((f"Each group's rates by {over} (evidence {evidence})", chart))
    pillars = report.context.get("pillars") or []
    if pillars:
        rows = [(str(t), round(float(s))) for t, s in pillars]
        out.append(
            ("Leadership scorecard, by pillar (0-100)", charts.bars(rows, "pillar", "score"))
        )
    bands = report.context.get("risk_bands") or []
    if bands:
        rows = [(f"{band} now", now) for band, (_, now) in bands]
        rows += [(f"{band} before controls", before) for band, (before, _) in bands]
        chart = charts.bars(rows, "band", "risks")
        out.append(("Open risks by band, now and before controls", chart))
    return out


class DocumentRenderer:
    """The renderer the context hands the services (WeasyPrint is imported on first use)."""

    def __init__(self) -> None:
        self._env: Environment | None = None

    def _environment(self) -> Environment:
        if self._env is None:
            self._env = Environment(
                loader=PackageLoader("charter.reports", "templates"),
                autoescape=select_autoescape(default=True),
            )
        return self._env

    def html(self, report: Report, draft: bool) -> str:
        values: dict[str, Any] = {
            "report": report,
            "data": report.data(),
            "draft": draft,
            "charts": report_charts(report),
        }
        return self._environment().get_template("report_document.html").render(**values)

    def pdf(self, report: Report, draft: bool) -> bytes:
        from weasyprint import HTML  # noqa: PLC0415 - heavy: only when a PDF is made

        return bytes(HTML(string=self.html(report, draft)).write_pdf())
