"""Strategy use cases through the services on both databases: intake with duplicates,
decisions, roadmap plans, KPIs and measurements (all or nothing), value realised."""

from __future__ import annotations

from typing import Any

import pytest

from charter.audit import services as audit
from charter.frameworks.files import classification_data
from charter.identity.services import access
from charter.kernel.errors import Conflict, Forbidden, InvalidInput
from charter.kernel.roles import RoleKind as R
from charter.kernel.roles import ScopeKind
from charter.risks.services import register, views
from charter.strategy.domain.kpis import Reading, parse_csv
from charter.strategy.domain.strategy import PortfolioDecision as D
from charter.strategy.domain.strategy import UseCaseStatus
from charter.strategy.services import intake as strategy
from charter.strategy.services import kpis, portfolio
from tests.factory import World


def _objective(w: World, name: str = "Grow revenue") -> str:
    return strategy.create_objective(w.ctx, w.actor(R.CHIEF_AI_OFFICER), name).id


def _submit(w: World, objective: str, role: R = R.AI_CHAMPION, **values: Any) -> Any:
    fields: dict[str, Any] = {
        "title": "Claims triage assistant",
        "description": "Route incoming motor claims to the right handler team",
        "objective_id": objective,
        "business_unit_id": w.unit.id,
        "estimates": [{"kind": "cost", "amount": 800_000, "confidence": 60}],
        "cost_estimate": 200_000,
        "time_to_value_months": 6,
        "ratings": {"feasibility": 4, "risk": 2, "strategic_fit": 4},
        "skills_needed": ["NLP", "claims domain"],
    } | values
    return strategy.submit_use_case(w.ctx, w.actor(role), classification_data(), **fields)


def test_intake_records_screens_and_flags_a_near_duplicate(world: World) -> None:
    objective = _objective(world)
    first, found = _submit(world, objective, screening={"annex_iii": ["5.b"], "profiling": True})
    assert found == [] and first.status is UseCaseStatus.SUBMITTED
    assert first.screening_tier == "high" and first.skills_needed == ("claims domain", "nlp")
    again, found = _submit(
        world, objective, title="Claim triage assistant",
        description="Routes incoming motor claims to the right handling team",
    )  # fmt: skip
    assert [m.ref for m in found] == [f"use_case:{first.id}"]
    assert again.duplicates == (f"use_case:{first.id}",)
    events = audit.list_events(world.ctx, world.admin, limit=500)
    submitted = [e.body() for e in events if e.body()["action"] == "use_case.submitted"]
    assert submitted[-1]["data"]["duplicates"][0][0] == f"use_case:{first.id}"


def test_intake_refuses_bad_input_by_name_and_writes_nothing(world: World) -> None:
    objective = _objective(world)
    size = audit.verify_log(world.ctx, world.admin).size
    with pytest.raises(InvalidInput, match="unknown value kind"):
        _submit(world, objective, estimates=[{"kind": "fame", "amount": 1}])
    with pytest.raises(InvalidInput, match="rating feasibility must be a whole number"):
        _submit(world, objective, ratings={"feasibility": 9})
    with pytest.raises(InvalidInput, match="unknown answer"):
        _submit(world, objective, screening={"colour": "blue"})
    with pytest.raises(InvalidInput, match="answers are at most 256 KB"):
        _submit(world, objective, screening={"annex_iii": ["5.b"], "x": "y" * 262_144})
    with pytest.raises(InvalidInput, match="field\\(s\\) not accepted here: owner"):
        _submit(world, objective, owner="x")
    with pytest.raises(Forbidden):
        _submit(world, objective, role=R.AUDITOR)
    assert audit.verify_log(world.ctx, world.admin).size == size
    assert portfolio.list_use_cases(world.ctx, world.admin) == []


def test_decisions_need_the_right_role_and_a_sponsor(world: World) -> None:
    uc, _ = _submit(world, _objective(world))
    caio = world.actor(R.CHIEF_AI_OFFICER)
    with pytest.raises(Forbidden):
        strategy.decide_use_case(world.ctx, world.actor(R.DATA_SCIENTIST), uc.id, D.APPROVE, "ok")
    with pytest.raises(Conflict, match="executive sponsor must be named"):
        strategy.decide_use_case(world.ctx, caio, uc.id, D.APPROVE, "worth it")
    not_a_sponsor = world.people[R.AUDITOR].id
    strategy.update_use_case(world.ctx, caio, uc.id, {}, sponsor_id=not_a_sponsor)
    with pytest.raises(Conflict, match="does not hold the executive sponsor role"):
        strategy.decide_use_case(world.ctx, caio, uc.id, D.APPROVE, "worth it")
    sponsor = world.people[R.EXECUTIVE_SPONSOR].id
    strategy.update_use_case(world.ctx, caio, uc.id, {}, sponsor_id=sponsor)
    approved = strategy.decide_use_case(world.ctx, caio, uc.id, D.APPROVE, "worth it")
    assert approved.status is UseCaseStatus.APPROVED
    assert portfolio.get_use_case(world.ctx, caio, uc.id).decision_reason == "worth it"
    # a sponsor scoped to another business unit does not count
    scoped = world.person("Unit sponsor", R.EXECUTIVE_SPONSOR, scope=ScopeKind.BUSINESS_UNIT,
                          scope_id=world.other_unit.id)  # fmt: skip
    other, _ = _submit(world, _objective(world, "Cut cost"), title="Branch staffing forecast",
                       description="Forecast footfall", sponsor_id=scoped.id)  # fmt: skip
    with pytest.raises(Conflict, match="does not hold the executive sponsor role"):
        strategy.decide_use_case(world.ctx, caio, other.id, D.APPROVE, "ok")


def test_the_submitter_edits_until_decided_and_assessors_after(world: World) -> None:
    uc, _ = _submit(world, _objective(world))
    champion = world.actor(R.AI_CHAMPION)
    strategy.update_use_case(world.ctx, champion, uc.id, {}, data_needed="claims history")
    strategy.decide_use_case(world.ctx, world.actor(R.BOARD_MEMBER), uc.id, D.PARK, "later")
    with pytest.raises(Forbidden):
        strategy.update_use_case(world.ctx, champion, uc.id, {}, data_needed="more")
    pm = world.actor(R.PROGRAM_MANAGER)
    changed = strategy.update_use_case(world.ctx, pm, uc.id, {}, ratings={"feasibility": 2})
    assert changed.ratings == {"feasibility": 2}
    history = audit.entity_history(world.ctx, world.admin, "use_case", uc.id)
    actions = [e.body()["action"] for e in history]
    assert actions == ["use_case.submitted", "use_case.updated", "use_case.parked",
                       "use_case.updated"]  # fmt: skip


def test_portfolio_ranks_and_places_what_the_actor_may_read(world: World) -> None:
    objective = _objective(world)
    a, _ = _submit(world, objective)
    b, _ = _submit(world, objective, title="Fraud ring detection", description="graph",
                   estimates=[], business_unit_id=world.other_unit.id)  # fmt: skip
    found = portfolio.portfolio(world.ctx, world.actor(R.CHIEF_AI_OFFICER))
    assert [(r.rank, r.score.use_case_id) for r in found.ranked] == [(1, a.id), (None, b.id)]
    assert found.ranked[0].score.quadrant == "quick_win"
    assert found.ranked[1].score.missing == ("value",)
    assert {row[0] for row in found.balance[0].rows} == {"Retail", "Claims"}
    scoped = world.person("Retail analyst", R.DATA_SCIENTIST, scope=ScopeKind.BUSINESS_UNIT,
                          scope_id=world.unit.id)  # fmt: skip
    mine = portfolio.portfolio(world.ctx, access.actor_for(world.ctx, scoped.id))
    assert [r.score.use_case_id for r in mine.ranked] == [a.id]
    with pytest.raises(Forbidden):
        portfolio.get_use_case(world.ctx, access.actor_for(world.ctx, scoped.id), b.id)


def test_roadmap_plans_refuse_cycles_and_promotion_links_a_system(world: World) -> None:
    objective = _objective(world)
    caio, pm = world.actor(R.CHIEF_AI_OFFICER), world.actor(R.PROGRAM_MANAGER)
    sponsor = world.people[R.EXECUTIVE_SPONSOR].id
    a, _ = _submit(world, objective, sponsor_id=sponsor)
    b, _ = _submit(world, objective, title="Fraud ring detection", description="graph",
                   sponsor_id=sponsor)  # fmt: skip
    for item in (a, b):
        strategy.decide_use_case(world.ctx, caio, item.id, D.APPROVE, "go")
    strategy.plan_use_case(world.ctx, pm, a.id, "2027-Q1", "2027-Q2")
    strategy.plan_use_case(world.ctx, pm, b.id, "2027-Q2", "2027-Q4", (a.id,))
    with pytest.raises(InvalidInput, match="cycle"):
        strategy.plan_use_case(world.ctx, pm, a.id, "2027-Q1", "2027-Q2", (b.id,))
    with pytest.raises(InvalidInput, match="ends \\(2027-Q1\\) before it starts"):
        strategy.plan_use_case(world.ctx, pm, a.id, "2027-Q3", "2027-Q1")
    updated, system = strategy.promote_use_case(world.ctx, pm, a.id)
    assert system.name == a.title and updated.system_ids == (system.id,)
    items = portfolio.roadmap_view(world.ctx, caio)
    assert [i.use_case.id for i in items] == [a.id, b.id]
    assert items[0].systems[0].id == system.id
    assert any("before its dependency" in f for f in items[1].findings)


def test_promotion_moves_the_use_case_s_risks_to_its_system(world: World) -> None:
    """Risks found at intake belong to the system once the use case is promoted, in the
    promotion's transaction, audited, and are still found from the use case."""
    caio, pm = world.actor(R.CHIEF_AI_OFFICER), world.actor(R.PROGRAM_MANAGER)
    case, _ = _submit(world, _objective(world), sponsor_id=world.people[R.EXECUTIVE_SPONSOR].id)
    strategy.decide_use_case(world.ctx, caio, case.id, D.APPROVE, "go")
    values = {"title": "Offers skew by origin", "category": "MIT.1.1", "cause": "history",
              "consequence": "unequal treatment", "owner_id": world.people[R.CHIEF_AI_OFFICER].id,
              "inherent_likelihood": 4, "inherent_impact": 4}  # fmt: skip
    risk = register.register_risk(world.ctx, caio, values, (), use_case_id=case.id)
    other = register.register_risk(world.ctx, caio, values, ())  # the organisation's: stays
    with pytest.raises(InvalidInput, match="on a system or on a use case, not both"):
        register.register_risk(world.ctx, caio, values, (), "sys_x", use_case_id=case.id)
    _, system = strategy.promote_use_case(world.ctx, pm, case.id)
    with world.ctx.uow() as uow:
        moved, stayed = uow.risks.get(risk.id), uow.risks.get(other.id)
        events = uow.audit.for_entity("risk", risk.id)
    assert moved is not None and (moved.system_id, moved.use_case_id) == (system.id, case.id)
    assert stayed is not None and stayed.system_id is None
    assert events[-1].body()["action"] == "risk.moved_to_system"
    assert events[-1].body()["data"] == {"use_case": case.id, "system": system.id}
    found = views.register(world.ctx, caio, views.Filters(use_case_id=case.id))
    assert [(p.risk.id, p.tier) for p in found] == [(risk.id, system.risk_tier.value)]
    assert [p.risk.id for p in views.register(world.ctx, caio, views.Filters(system.id))] == [
        risk.id
    ]


def _kpi(w: World, use_case_id: str, **values: Any) -> Any:
    fields = {"name": "Claims routed automatically", "unit": "%", "direction": "increase",
              "target": 60.0, "baseline": 10.0, "owner_id": w.people[R.PROGRAM_MANAGER].id,
              "use_case_id": use_case_id, "alert_after": 2} | values  # fmt: skip
    return kpis.define_kpi(w.ctx, w.actor(R.PROGRAM_MANAGER), **fields)


def test_a_kpi_csv_names_every_problem_of_every_line_at_once(world: World) -> None:
    uc, _ = _submit(world, _objective(world))
    kpi = _kpi(world, uc.id)
    ds = world.actor(R.DATA_SCIENTIST)
    csv = (f"kpi_id,period,value\n{kpi.id},2999-01,abc\nkpi_nope,March,2\n"
           f"{kpi.id},2026-01,3\n")  # fmt: skip
    with pytest.raises(InvalidInput) as refused:
        kpis.record_measurements(world.ctx, ds, parse_csv(csv), "csv")
    text = refused.value.message
    assert "line 2: period '2999-01' is after the current month" in text
    assert "line 2: value 'abc' is not a number" in text
    assert "line 3: KPI 'kpi_nope' does not exist" in text
    assert "line 3: " in text and "'March'" in text
    assert len(refused.value.details["errors"]) == 4  # type: ignore[arg-type]
    assert kpis.get_kpi(world.ctx, ds, kpi.id).series == ()


def test_measurements_are_all_or_nothing_and_corrections_are_logged(world: World) -> None:
    uc, _ = _submit(world, _objective(world))
    kpi = _kpi(world, uc.id)
    ds = world.actor(R.DATA_SCIENTIST)
    bad = [Reading(kpi.id, "2026-01", 20.0), Reading(kpi.id, "2026-02", float("nan"))]
    with pytest.raises(InvalidInput, match="value must be a finite number"):
        kpis.record_measurements(world.ctx, ds, bad)
    with pytest.raises(InvalidInput, match="line 3: KPI 'kpi_nope' does not exist"):
        kpis.record_measurements(
            world.ctx, ds, parse_csv(f"kpi_id,period,value\n{kpi.id},2026-01,1\nkpi_nope,2026-01,2")
        )
    assert kpis.get_kpi(world.ctx, ds, kpi.id).series == ()
    csv = f"kpi_id,period,value\n{kpi.id},2026-01,20\n{kpi.id},2026-02,30\n{kpi.id},2026-03,35\n"
    written = kpis.record_measurements(world.ctx, ds, parse_csv(csv), "csv")
    assert len(written) == 3
    again = kpis.record_measurements(world.ctx, ds, [Reading(kpi.id, "2026-03", 35.0)])
    assert again == []  # the same value again changes nothing
    kpis.record_measurements(world.ctx, ds, [Reading(kpi.id, "2026-03-31", 36.5)])
    view = kpis.get_kpi(world.ctx, ds, kpi.id)
    assert [m.value for m in view.series] == [20.0, 30.0, 36.5]
    assert view.alert is not None and view.alert.missed == 3
    assert view.progress == pytest.approx((36.5 - 10) / 50)
    events = [e.body() for e in audit.entity_history(world.ctx, world.admin, "kpi", kpi.id)]
    corrected = events[-1]["data"]["measurements"]
    assert corrected == [["2026-03-01", "35.0", "36.5"]]
    with pytest.raises(Forbidden):
        kpis.record_measurements(
            world.ctx, world.actor(R.AUDITOR), [Reading(kpi.id, "2026-04", 1.0)]
        )


def test_value_realised_against_plan_from_money_kpis(world: World) -> None:
    uc, _ = _submit(world, _objective(world))  # 800,000 planned per year, budget 200,000
    value = _kpi(world, uc.id, name="Handling cost saved", unit="EUR", tracks="value",
                 target=60_000.0, baseline=None)  # fmt: skip
    cost = _kpi(world, uc.id, name="Run cost", unit="EUR", tracks="cost", direction="decrease",
                target=20_000.0, baseline=None)  # fmt: skip
    readings = [Reading(value.id, f"2026-0{m}", 50_000.0) for m in (1, 2, 3)]
    readings += [Reading(cost.id, f"2026-0{m}", 15_000.0) for m in (1, 2, 3)]
    kpis.record_measurements(world.ctx, world.actor(R.PROGRAM_MANAGER), readings)
    report = kpis.value_report(world.ctx, world.actor(R.CHIEF_AI_OFFICER))
    (line,) = report.lines
    assert (line.realised, line.planned, line.shortfall) == (150_000.0, 200_000.0, 50_000.0)
    assert (line.cost, line.budget) == (45_000.0, 50_000.0)
    (unit,) = report.by_unit
    assert unit.net_return == pytest.approx((150_000 - 45_000) / 45_000)
    assert {a.kpi_id for a in report.alerts} == {value.id}


def test_a_use_case_screening_is_where_its_system_classification_starts(world: World) -> None:
    from charter.frameworks import services as classification

    objective = _objective(world)
    screened, _ = _submit(world, objective, screening={"annex_iii": ["5.b"], "profiling": True},
                          sponsor_id=world.people[R.EXECUTIVE_SPONSOR].id)  # fmt: skip
    caio, pm = world.actor(R.CHIEF_AI_OFFICER), world.actor(R.PROGRAM_MANAGER)
    strategy.decide_use_case(world.ctx, caio, screened.id, D.APPROVE, "go")
    _, system = strategy.promote_use_case(world.ctx, pm, screened.id)
    assert [u.id for u in portfolio.screenings_of(world.ctx, caio, system.id)] == [screened.id]
    answers = classification.screening_answers(world.ctx, caio, system.id, screened.id)
    record, result = classification.classify_system(
        world.ctx, caio, system.id, answers, classification_data()
    )
    assert result.tier == "high" and record.answers == {"annex_iii": ["5.b"], "profiling": True}
    other, _ = _submit(world, objective, title="Fraud ring detection", description="graphs")
    with pytest.raises(InvalidInput, match="is not linked to system"):
        classification.screening_answers(world.ctx, caio, system.id, other.id)
