"""The scorecard's trend starts when the organisation's data starts: no invented history."""

from __future__ import annotations

from datetime import UTC, date, datetime

from charter.scorecard.domain.measures import CATALOGUE
from charter.scorecard.domain.scorecard import OrgSnapshot, Pillar, data_since, scorecard
from charter.strategy.domain.kpis import Measurement

NOW = datetime(2026, 12, 6, 9, 30, tzinfo=UTC)


def _measured(on: date) -> Measurement:
    return Measurement("m_1", "kpi_1", on, 1.0, "p_1", datetime(2026, 12, 1, tzinfo=UTC))


def test_an_organisation_without_dated_records_has_no_trend_but_today() -> None:
    facts = OrgSnapshot(now=NOW)
    assert data_since(facts) is None
    for pillar in scorecard(facts, CATALOGUE, months=6):
        assert [day for day, _ in pillar.trend] == [NOW.date()]


def test_the_trend_begins_at_the_first_month_end_after_the_first_record() -> None:
    facts = OrgSnapshot(now=NOW, measurements=[_measured(date(2026, 10, 1))])
    assert data_since(facts) == date(2026, 10, 1)
    found = {p.pillar: p for p in scorecard(facts, CATALOGUE, months=6)}
    days = [day for day, _ in found[Pillar.STRATEGY].trend]
    assert days == [date(2026, 10, 31), date(2026, 11, 30), NOW.date()]
