"""The register as JSON and CSV, the same for the API, the CLI and the pages: a risk with
where it stands now, a control with its state, the summary a board pack reads."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any

from charter.kernel.present import as_json
from charter.risks.domain.controls import Control, Effectiveness
from charter.risks.domain.standing import Position
from charter.risks.services.views import ControlView, RiskDetail, RiskSummary


def control_json(control: Control, state: Effectiveness) -> dict[str, Any]:
    return {
        **as_json(control),
        "test": control.test,
        "state": state.state.value,
        "reason": state.reason,
        "tested_at": as_json(state.tested_at),
        "basis": state.basis,
    }


def position_json(p: Position) -> dict[str, Any]:
    """A risk and where it stands now."""
    return {
        **as_json(p.risk),
        "owner_name": p.owner_name,
        "tier": p.tier,
        "inherent_score": p.risk.inherent.score,
        "inherent_band": p.inherent_band,
        "residual": {"likelihood": p.residual.likelihood, "impact": p.residual.impact,
                     "score": p.residual.score, "band": p.residual_band},
        "mitigation_kept": p.kept,
        "appetite": {"band": p.appetite_band, "source": p.appetite_source,
                     "label": p.appetite_label, "statement": p.appetite_statement},
        "standing": p.standing.value,
        "overdue": p.overdue,
        "acceptance": as_json(p.acceptance),
        "controls": [control_json(c, e) for c, e in p.controls],
    }  # fmt: skip


def detail_json(d: RiskDetail) -> dict[str, Any]:
    return {
        **position_json(d.position),
        "tests": as_json(d.tests),
        "acceptances": as_json(d.acceptances),
        "links": as_json(d.links),
    }


def control_view_json(v: ControlView) -> dict[str, Any]:
    return {**control_json(v.control, v.state), "risks": list(v.risks), "tests": as_json(v.tests)}


def summary_json(s: RiskSummary) -> dict[str, Any]:
    """What a board pack reads of the register."""
    return {
        "as_of": as_json(s.as_of),
        "open": s.open,
        "heat_map": as_json(s.heat_map),
        "bands": {k: {"inherent": a, "residual": b} for k, (a, b) in s.bands.items()},
        "above_appetite": [position_json(p) for p in s.above_appetite],
        "accepted": [position_json(p) for p in s.accepted],
        "failing_controls": [control_view_json(v) for v in s.failing_controls],
        "overdue": [position_json(p) for p in s.overdue],
        "high": s.high,
        "high_in_hand": s.high_in_hand,
        "groups": as_json(s.groups),
    }


COLUMNS = (
    "id", "title", "category", "system_id", "use_case_id", "owner_id", "owner", "body_id",
    "treatment",
    "inherent_likelihood", "inherent_impact", "inherent_band", "target_likelihood",
    "target_impact", "residual_likelihood", "residual_impact", "residual_band",
    "appetite_band", "standing", "accepted_until", "controls", "failing_controls",
    "review_by", "overdue", "requirements", "cause", "consequence",
)  # fmt: skip


def _cell(value: Any) -> str:
    """A cell a spreadsheet shows as text: a leading =, +, - or @ would make it a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _row(p: Position) -> list[Any]:
    r, a = p.risk, p.acceptance
    return [
        r.id, r.title, r.category, r.system_id, r.use_case_id, r.owner_id, p.owner_name, r.body_id,
        r.treatment.value, r.inherent_likelihood, r.inherent_impact, p.inherent_band,
        r.target_likelihood, r.target_impact, p.residual.likelihood, p.residual.impact,
        p.residual_band, p.appetite_band, p.standing.value,
        a.expires_at.isoformat() if a else "", len(p.controls), len(p.failing),
        r.review_by.isoformat() if r.review_by else "", "yes" if p.overdue else "no",
        " ".join(r.requirements), r.cause, r.consequence,
    ]  # fmt: skip


#: how the export is sent: text/csv, saved under this name
CSV_HEADERS = {
    "Content-Type": "text/csv; charset=utf-8",
    "Content-Disposition": 'attachment; filename="risk-register.csv"',
}


def register_csv(positions: Iterable[Position]) -> str:
    """The register as CSV, one risk a row, where each stands now."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for p in positions:
        writer.writerow([_cell(v) for v in _row(p)])
    return out.getvalue()
