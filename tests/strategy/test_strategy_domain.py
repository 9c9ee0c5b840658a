"""Use cases, duplicates, KPIs and the roadmap as pure rules."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

import pytest

from charter.inventory.domain import AISystem
from charter.kernel.errors import Conflict, Forbidden, InvalidInput
from charter.strategy.domain.kpis import (
    Direction,
    Kpi,
    Measurement,
    alert,
    parse_csv,
    parse_period,
    progress,
    returns_by_unit,
    value_line,
)
from charter.strategy.domain.roadmap import roadmap
from charter.strategy.domain.similarity import DUPLICATE_AT, near_duplicates, similarity
from charter.strategy.domain.strategy import PortfolioDecision as D
from charter.strategy.domain.strategy import (
    UseCase,
    UseCaseStatus,
    check_dependencies,
    decide,
    parse_estimates,
    quarter_index,
)

AT = datetime(2026, 12, 1, tzinfo=UTC)


def uc(ident: str = "uc_1", **values: object) -> UseCase:
    return UseCase(ident, values.pop("title", ident), "obj", "bu", "p_sub", AT, **values)  # type: ignore[arg-type]


def test_near_identical_texts_are_flagged_and_different_ones_are_not() -> None:
    first = "Claims triage assistant: route incoming motor claims to the right handler team"
    again = "Claim triage assistant - routes incoming motor claims to the right handling team"
    other = "Forecast branch footfall to plan staffing rotas"
    assert similarity(first, again) >= DUPLICATE_AT
    assert similarity(first, other) < 0.2
    found = near_duplicates(again, [("use_case:a", "A", first), ("system:b", "B", other)])
    assert [m.ref for m in found] == ["use_case:a"]


def test_estimates_are_checked_and_named() -> None:
    parsed = parse_estimates(
        [{"kind": "cost", "amount": 300000, "confidence": 80}, {"kind": "revenue", "amount": 5}]
    )
    assert [(e.kind.value, e.amount, e.confidence) for e in parsed] == [
        ("revenue", 5, 50),
        ("cost", 300000, 80),
    ]
    with pytest.raises(InvalidInput, match="unknown value kind 'fame'"):
        parse_estimates([{"kind": "fame", "amount": 1}])
    with pytest.raises(InvalidInput, match="estimate confidence must be between 0 and 100"):
        parse_estimates([{"kind": "cost", "amount": 1, "confidence": 140}])
    with pytest.raises(InvalidInput, match="two estimates of cost"):
        parse_estimates([{"kind": "cost", "amount": 1}, {"kind": "cost", "amount": 2}])


def test_approval_needs_a_sponsor_who_holds_the_role_and_is_not_the_submitter() -> None:
    draft = uc()
    with pytest.raises(Conflict, match="executive sponsor must be named"):
        decide(draft, D.APPROVE, "p_caio", "good", AT, sponsor_ok=False)
    sponsored = replace(draft, sponsor_id="p_x")
    with pytest.raises(Conflict, match="does not hold the executive sponsor role"):
        decide(sponsored, D.APPROVE, "p_caio", "good", AT, sponsor_ok=False)
    with pytest.raises(Forbidden, match="submitter may not decide"):
        decide(sponsored, D.APPROVE, "p_sub", "good", AT, sponsor_ok=True)
    with pytest.raises(InvalidInput, match="reason must not be empty"):
        decide(sponsored, D.APPROVE, "p_caio", " ", AT, sponsor_ok=True)
    approved = decide(sponsored, D.APPROVE, "p_caio", "good", AT, sponsor_ok=True)
    assert approved.status is UseCaseStatus.APPROVED and approved.decided_by == "p_caio"
    with pytest.raises(Conflict, match="cannot approve a use case that is approved"):
        decide(approved, D.APPROVE, "p_caio", "again", AT, sponsor_ok=True)
    prohibited = replace(sponsored, screening_tier="prohibited")
    with pytest.raises(Conflict, match="prohibited practice"):
        decide(prohibited, D.APPROVE, "p_caio", "good", AT, sponsor_ok=True)


def test_dependencies_must_exist_and_make_no_cycle() -> None:
    graph = {"a": (), "b": ("a",), "c": ("b",)}
    check_dependencies("d", ("c",), graph)
    with pytest.raises(InvalidInput, match="cycle"):
        check_dependencies("a", ("c",), graph)
    with pytest.raises(InvalidInput, match="unknown use case"):
        check_dependencies("d", ("zz",), graph)
    with pytest.raises(InvalidInput, match="itself"):
        check_dependencies("a", ("a",), graph)


def _kpi(**values: object) -> Kpi:
    base = {"id": "k", "name": "NPS", "unit": "points", "direction": Direction.INCREASE}
    return Kpi(**(base | {"target": 40.0, "owner_id": "p", "use_case_id": "u"} | values))  # type: ignore[arg-type]


def _series(*values: float, kpi: str = "k") -> list[Measurement]:
    return [
        Measurement(f"m{i}", kpi, date(2026, i + 1, 1), v, "p", AT) for i, v in enumerate(values)
    ]


def test_an_alert_needs_the_latest_periods_all_missing() -> None:
    kpi = _kpi(alert_after=3)
    assert alert(kpi, _series(35, 42, 39, 38)) is None  # two misses in a row
    found = alert(kpi, _series(42, 39, 38, 30))
    assert found is not None and found.missed == 3 and found.since == date(2026, 2, 1)
    assert alert(kpi, _series(39, 38, 30, 41)) is None  # the latest period met the target
    lower = _kpi(direction=Direction.DECREASE, target=10.0, alert_after=1)
    assert alert(lower, _series(9, 11)) is not None and alert(lower, _series(11, 9)) is None


def test_progress_from_baseline_to_target() -> None:
    assert progress(_kpi(baseline=20.0), 30.0) == 0.5
    assert progress(_kpi(baseline=None), 30.0) is None
    assert progress(_kpi(baseline=40.0), 30.0) is None  # no room between baseline and target


def test_value_realised_against_plan_and_return_per_unit() -> None:
    value = _series(100.0, 100.0, 50.0)
    cost = _series(40.0, 40.0)
    line = value_line("u", "bu", 2400, 600, value, cost)
    assert (line.months, line.realised, line.planned, line.shortfall) == (3, 250.0, 600.0, 350.0)
    assert (line.cost, line.budget, line.cost_months) == (80.0, 100.0, 2)
    unplanned = value_line("w", "bu", None, None, _series(10.0), [])
    (unit,) = returns_by_unit([line, unplanned])
    assert (unit.realised, unit.planned, unit.cost, unit.unplanned) == (260.0, 600.0, 80.0, 1)
    assert unit.net_return == pytest.approx((260 - 80) / 80)


def test_periods_and_csv_rows_name_their_problem() -> None:
    assert parse_period("2026-03") == date(2026, 3, 1) == parse_period("2026-03-17")
    with pytest.raises(InvalidInput, match="not a month"):
        parse_period("March")
    readings = parse_csv("kpi_id,period,value,note\nk,2026-01,3.5,first\n\nk,2026-02,4,\n")
    assert [(r.period, r.value, r.line) for r in readings] == [
        ("2026-01", 3.5, 2),
        ("2026-02", 4.0, 4),
    ]
    with pytest.raises(InvalidInput, match="lacks column\\(s\\) value"):
        parse_csv("kpi_id,period\nk,2026-01\n")
    kept = parse_csv("kpi_id,period,value\nk,2026-01,1\nk,2026-02,n/a\n")  # refused when checked
    assert [(r.value, r.line) for r in kept] == [(1.0, 2), ("n/a", 3)]


def test_roadmap_orders_by_quarter_and_names_plan_problems() -> None:
    system = AISystem("sys_1", "Triage", "p", "bu", None)
    base = uc("base", title="Data platform", status=UseCaseStatus.APPROVED,
              start_quarter="2027-Q1", end_quarter="2027-Q2", system_ids=("sys_1",))  # fmt: skip
    early = uc("early", title="Triage", status=UseCaseStatus.APPROVED, start_quarter="2027-Q2",
               end_quarter="2027-Q3", depends_on=("base",))  # fmt: skip
    loose = uc("loose", title="Loose", status=UseCaseStatus.APPROVED, depends_on=("gone",))
    gone = uc("gone", title="Gone", status=UseCaseStatus.REJECTED)
    items = roadmap([loose, early, base, gone], {"sys_1": system})
    assert [i.use_case.id for i in items] == ["base", "early", "loose"]
    assert items[0].findings == () and items[0].systems == (system,)
    assert "before its dependency 'Data platform' ends (2027-Q2)" in items[1].findings[0]
    assert items[2].findings == (
        "approved but not scheduled",
        "depends on 'Gone', which is rejected",
        "no AI system linked yet",
    )
    assert quarter_index("2027-Q1") + 1 == quarter_index("2027-Q2")
    with pytest.raises(InvalidInput, match="YYYY-Qn"):
        quarter_index("2027Q5")
