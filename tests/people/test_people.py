"""Talent, training, adoption and delivery through the services on both databases; a gate
with a "trained" requirement blocks while a responsible person's training has expired."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from charter.accountability.domain.raci import Activity, RaciLetter
from charter.accountability.services import org, raci
from charter.frameworks.files import classification_data
from charter.governance.files import check_policy
from charter.governance.services import gates as governance
from charter.identity.services import access
from charter.inventory.domain import LifecycleStage as S
from charter.kernel.errors import Conflict, Forbidden, InvalidInput
from charter.kernel.roles import RoleKind as R
from charter.kernel.roles import ScopeKind
from charter.people.domain.talent import SkillCategory
from charter.people.services import adoption, talent
from charter.strategy.domain.delivery import ExperimentResult, IterationDecision
from charter.strategy.domain.strategy import PortfolioDecision
from charter.strategy.services import delivery, portfolio
from charter.strategy.services import intake as strategy
from tests.factory import World

TRAINED = {
    "id": "trained-people",
    "title": "People building a system hold current AI-literacy training",
    "applies": {"transitions": [{"to": "assessed"}]},
    "requirements": [{"id": "literacy", "kind": "trained", "letters": ["R"],
                      "cites": ["EUAIA.ART4"]}],
}  # fmt: skip


def _literacy_course(w: World, months: int = 12) -> str:
    return talent.add_course(
        w.ctx, w.admin, "AI literacy for builders", "Academy", literacy=True,
        roles=[R.DATA_SCIENTIST, R.ML_ENGINEER], validity_months=months,
    ).id  # fmt: skip


def test_a_trained_requirement_blocks_while_training_has_expired(world: World) -> None:
    from charter.governance.services import policies

    caio = world.actor(R.CHIEF_AI_OFFICER)
    policies.load_policies(world.ctx, caio, [(TRAINED, check_policy(TRAINED, "p"))])
    system = world.system()
    builder = world.people[R.DATA_SCIENTIST]
    raci.set_activity(world.ctx, caio, system.id, Activity.DESIGN,
                      [(builder.id, RaciLetter.RESPONSIBLE)])  # fmt: skip
    course = _literacy_course(world, months=12)
    today = world.ctx.clock().date()
    talent.record_completion(
        world.ctx, world.admin, builder.id, course, today - timedelta(days=400)
    )

    def verdict() -> tuple[str, str]:
        check = governance.check_gate(world.ctx, caio, system.id, S.ASSESSED, False)
        [found] = [r for v in check.policies for r in v.requirements]
        return found.verdict.value, found.reason

    state, reason = verdict()
    assert state == "not_satisfied" and builder.name in reason  # expired after 12 months
    talent.record_completion(world.ctx, world.admin, builder.id, course, today - timedelta(days=3))
    assert verdict() == (
        "satisfied",
        "all 1 people on the system hold current AI-literacy training",
    )
    other = talent.add_course(world.ctx, world.admin, "Board literacy", literacy=True,
                              roles=[R.BOARD_MEMBER])  # fmt: skip
    engineer = world.people[R.ML_ENGINEER]
    raci.set_activity(world.ctx, caio, system.id, Activity.DATA_PREPARATION,
                      [(engineer.id, RaciLetter.RESPONSIBLE)])  # fmt: skip
    talent.record_completion(world.ctx, world.admin, engineer.id, other.id, today)
    state, reason = verdict()  # literacy for another role does not count
    assert state == "not_satisfied" and engineer.name in reason and builder.name not in reason


def test_gaps_demand_and_literacy_coverage(world: World) -> None:
    nlp = talent.add_skill(world.ctx, world.admin, "NLP", SkillCategory.TECHNICAL)
    ethics = talent.add_skill(world.ctx, world.admin, "AI ethics", SkillCategory.GOVERNANCE)
    talent.need_skill(world.ctx, world.admin, R.DATA_SCIENTIST, nlp.id, 3)
    talent.need_skill(world.ctx, world.admin, R.DATA_SCIENTIST, ethics.id, 2)
    ds = world.people[R.DATA_SCIENTIST]
    champion = world.actor(R.AI_CHAMPION)
    talent.assess_skill(world.ctx, champion, ds.id, nlp.id, 2, "two NLP projects shipped")
    with pytest.raises(InvalidInput, match="a level is 1"):
        talent.assess_skill(world.ctx, champion, ds.id, nlp.id, 7, "x")
    with pytest.raises(Forbidden):
        talent.assess_skill(world.ctx, world.actor(R.AUDITOR), ds.id, nlp.id, 3, "x")
    objective = strategy.create_objective(world.ctx, world.actor(R.CHIEF_AI_OFFICER), "Grow")
    strategy.submit_use_case(
        world.ctx, champion, classification_data(), title="Claims triage",
        objective_id=objective.id, business_unit_id=world.unit.id,
        skills_needed=["NLP", "speech"],
    )  # fmt: skip
    course = _literacy_course(world)
    talent.record_completion(world.ctx, world.admin, ds.id, course, world.ctx.clock().date())
    view = talent.talent_view(world.ctx, world.admin)
    assert {(g.skill_id, g.needed, g.held) for g in view.gaps_of(ds.id)} == {
        (nlp.id, 3, 2), (ethics.id, 2, 0),
    }  # fmt: skip
    assert {(d.skill, d.holders) for d in view.demand} == {("nlp", (ds.id,)), ("speech", ())}
    assert view.by_team == {world.unit.id: {nlp.id: 1, ethics.id: 1}}  # per team
    role = {c.key: (c.people, c.trained) for c in view.by_role}
    assert role["data_scientist"] == (1, 1) and role["ml_engineer"] == (1, 0)
    with pytest.raises(InvalidInput, match="future"):
        talent.record_completion(world.ctx, world.admin, ds.id, course, date(2999, 1, 1))
    # a champion of one business unit records training there, and only there
    local = world.person("Unit champion", R.AI_CHAMPION, scope=ScopeKind.BUSINESS_UNIT,
                         scope_id=world.unit.id)  # fmt: skip
    champion_here = access.actor_for(world.ctx, local.id)
    talent.record_completion(world.ctx, champion_here, ds.id, course, world.ctx.clock().date())
    elsewhere = org.create_person(world.ctx, world.admin, "Other", "other@example.org",
                                  world.other_unit.id)  # fmt: skip
    with pytest.raises(Forbidden):
        talent.record_completion(world.ctx, champion_here, elsewhere.id, course,
                                 world.ctx.clock().date())  # fmt: skip


def test_adoption_rows_are_all_or_nothing_and_trend_by_month(world: World) -> None:
    system = world.system()
    champion = world.actor(R.AI_CHAMPION)
    row = {"system_id": system.id, "business_unit_id": world.unit.id, "period": "2026-01",
           "active_users": 30, "eligible_users": 100, "uses": 900}  # fmt: skip
    bad = {**row, "period": "2026-02", "active_users": 130}
    with pytest.raises(InvalidInput, match="adoption row 2: active users \\(130\\) exceed"):
        adoption.record_adoption(world.ctx, champion, [row, bad])
    assert adoption.adoption_view(world.ctx, champion).figures == ()
    adoption.record_adoption(world.ctx, champion, [row, {**row, "period": "2026-02",
                                                         "active_users": 45}])  # fmt: skip
    adoption.record_adoption(world.ctx, champion, [{**row, "period": "2026-02",
                                                    "active_users": 50}])  # fmt: skip
    view = adoption.adoption_view(world.ctx, champion)
    assert [(p.period.month, p.share) for p in view.overall()] == [(1, 0.3), (2, 0.5)]
    survey = adoption.record_survey(world.ctx, champion, "Pulse", "2026-02", 40, 3.6,
                                    {"Job security": 12, "accuracy": 8}, world.unit.id)  # fmt: skip
    assert survey.concerns == {"job security": 12, "accuracy": 8}
    with pytest.raises(InvalidInput, match="sentiment is a mean from 1 to 5"):
        adoption.record_survey(world.ctx, champion, "Pulse", "2026-02", 40, 7, {})


def test_an_iteration_that_decides_to_stop_stops_the_use_case(world: World) -> None:
    caio, pm = world.actor(R.CHIEF_AI_OFFICER), world.actor(R.PROGRAM_MANAGER)
    objective = strategy.create_objective(world.ctx, caio, "Grow")
    use_case, _ = strategy.submit_use_case(
        world.ctx, world.actor(R.AI_CHAMPION), classification_data(), title="Chatbot",
        objective_id=objective.id, business_unit_id=world.unit.id,
        sponsor_id=world.people[R.EXECUTIVE_SPONSOR].id,
    )  # fmt: skip
    start = date(2026, 9, 1)
    with pytest.raises(Conflict, match="approved use cases"):
        delivery.open_iteration(world.ctx, pm, use_case.id, "pilot", start, start)
    strategy.decide_use_case(world.ctx, caio, use_case.id, PortfolioDecision.APPROVE, "go")
    first = delivery.open_iteration(world.ctx, pm, use_case.id, "Pilot in one branch", start,
                                    start + timedelta(days=14))  # fmt: skip
    with pytest.raises(Conflict, match="close the open iteration"):
        delivery.open_iteration(world.ctx, pm, use_case.id, "next", start, start)
    test = delivery.start_experiment(world.ctx, pm, use_case.id, "Customers accept answers",
                                     "containment rate", first.id)  # fmt: skip
    delivery.conclude_experiment(world.ctx, pm, test.id, ExperimentResult.SUPPORTED, "31%")
    delivery.close_iteration(world.ctx, pm, first.id, IterationDecision.PERSEVERE,
                             "31% contained", "scale to all branches")  # fmt: skip
    later = start + timedelta(days=15)
    second = delivery.open_iteration(
        world.ctx, pm, use_case.id, "All branches", later, later + timedelta(days=25)
    )
    with pytest.raises(Forbidden):  # stopping the use case is a portfolio decision
        delivery.close_iteration(world.ctx, pm, second.id, IterationDecision.STOP, "no uplift")
    delivery.close_iteration(world.ctx, caio, second.id, IterationDecision.STOP, "no uplift")
    assert portfolio.get_use_case(world.ctx, caio, use_case.id).status.value == "stopped"
    iterations, experiments = delivery.delivery_of(world.ctx, caio, use_case.id)
    assert [(i.number, i.decision) for i in iterations] == [
        (1, IterationDecision.PERSEVERE), (2, IterationDecision.STOP),
    ]  # fmt: skip
    assert experiments[0].result is ExperimentResult.SUPPORTED
