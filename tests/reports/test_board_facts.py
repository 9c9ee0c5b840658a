"""The board pack's incident lines: which incidents the quarter holds, and each clock as the
board reads it (pure: no database)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from charter.incidents.domain import Category, Incident, Status, classify
from charter.reports.domain.board_facts import IncidentLine, incidents

NOW = datetime(2026, 6, 30, 12, tzinfo=UTC)


def _incident(ident: str, aware: datetime, **changes: object) -> Incident:
    found = Incident(
        ident, "sys_1", f"Incident {ident}", "What happened.", "a customer", aware,
        aware, "per_1", "Europe/Brussels",
    )  # fmt: skip
    return replace(found, **changes)  # type: ignore[arg-type]


def _serious(found: Incident) -> Incident:
    return classify(found, [Category.HEALTH], False, False, "Harm.", "per_2", found.aware_at)


def test_the_quarter_holds_open_incidents_and_recent_closed_ones() -> None:
    old_open = _incident("inc_old_open", NOW - timedelta(days=400))
    old_closed = _incident("inc_old_closed", NOW - timedelta(days=200), status=Status.CLOSED)
    recent_closed = _incident("inc_recent", NOW - timedelta(days=20), status=Status.CLOSED)
    lines = [IncidentLine(i, "Credit") for i in (old_open, old_closed, recent_closed)]
    text = " ".join(f.source for f in incidents(lines, NOW))
    assert "inc_old_open" in text and "inc_recent" in text
    assert "inc_old_closed" not in text


def test_a_running_clock_past_its_deadline_is_marked_overdue() -> None:
    late = _serious(_incident("inc_late", NOW - timedelta(days=30)))
    due = _serious(_incident("inc_due", NOW - timedelta(days=2)))
    unclassified = _incident("inc_new", NOW - timedelta(days=1))
    said = incidents([IncidentLine(i, "Credit") for i in (late, due, unclassified)], NOW)
    facts = {f.source: f.value for f in said}
    assert "OVERDUE" in facts["incident inc_late"] and "Art. 73(2)" in facts["incident inc_late"]
    assert "OVERDUE" not in facts["incident inc_due"] and "15-day" in facts["incident inc_due"]
    assert "not classified yet" in facts["incident inc_new"]
    assert [f.number for f in said if f.number is not None] == [3, 2]
