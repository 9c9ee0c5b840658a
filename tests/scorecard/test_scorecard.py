"""The leadership scorecard on a small organisation built through the services, each pillar's
score recomputed by hand (on both databases)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from charter.bodies.domain import BodyKind, Function, MemberRole, Remit
from charter.bodies.services import bodies
from charter.frameworks.files import classification_data
from charter.inventory import services as inventory
from charter.kernel.roles import RoleKind as R
from charter.people.domain.talent import SkillCategory
from charter.people.services import adoption, talent
from charter.risks.services import controls, register
from charter.scorecard import services as scorecard
from charter.scorecard.domain.scorecard import Pillar
from charter.strategy.domain.delivery import IterationDecision
from charter.strategy.domain.kpis import Reading
from charter.strategy.domain.strategy import PortfolioDecision
from charter.strategy.services import delivery, kpis
from charter.strategy.services import intake as strategy
from tests.factory import World

WHY = "appointed before the meetings below"


def _systems(w: World) -> None:
    """A: high-risk, full RACI, owner; B: unclassified, no RACI (an orphan), owner."""
    a, _ = w.system("Alpha"), w.system("Beta")
    inventory.update_system(w.ctx, w.actor(R.CHIEF_AI_OFFICER), a.id, risk_tier="high")
    w.full_raci(a.id)


def _body(w: World) -> None:
    """One board (quorum 2, legal and risk required, monthly): 3 meetings in the year, one
    quorate with both functions, one quorate without risk, one without quorum."""
    needed = [Function.LEGAL, Function.RISK]
    body = bodies.create_body(
        w.ctx, w.admin, "Board", BodyKind.GOVERNANCE_BOARD, "Decides.", needed, 2, 30,
        [Remit.TRANSITIONS],
    )  # fmt: skip
    chair, ethics, caio = (w.people[r].id for r in (R.BOARD_MEMBER, R.ETHICS_COMPLIANCE,
                                                    R.CHIEF_AI_OFFICER))  # fmt: skip
    since = w.ctx.clock() - timedelta(days=365)  # members before the meetings below
    bodies.add_member(w.ctx, w.admin, body.id, chair, Function.LEGAL, MemberRole.CHAIR, since, WHY)
    bodies.add_member(w.ctx, w.admin, body.id, ethics, Function.RISK, MemberRole.MEMBER, since, WHY)
    bodies.add_member(
        w.ctx, w.admin, body.id, caio, Function.DATA_SCIENCE, MemberRole.MEMBER, since, WHY
    )
    for days, present in ((100, [chair, ethics]), (60, [chair, caio]), (20, [chair])):
        meeting = bodies.schedule_meeting(
            w.ctx, w.admin, body.id, w.ctx.clock() - timedelta(days=days)
        )
        bodies.hold_meeting(w.ctx, w.admin, meeting.id, present, late_reason="minutes typed up")


def _talent(w: World, trained_on: object) -> None:
    """Literacy for 3 of the 9 people in AI roles; the data scientist's NLP below need."""
    nlp = talent.add_skill(w.ctx, w.admin, "NLP", SkillCategory.TECHNICAL)
    talent.need_skill(w.ctx, w.admin, R.DATA_SCIENTIST, nlp.id, 3)
    talent.assess_skill(w.ctx, w.admin, w.people[R.DATA_SCIENTIST].id, nlp.id, 2, "projects")
    course = talent.add_course(w.ctx, w.admin, "AI literacy", literacy=True)
    for role in (R.DATA_SCIENTIST, R.ML_ENGINEER, R.PROGRAM_MANAGER):
        talent.record_completion(w.ctx, w.admin, w.people[role].id, course.id, trained_on)  # type: ignore[arg-type]


def _strategy(w: World) -> str:
    """U1: sponsored, scored, approved, NLP needed, two KPIs on target, value as planned;
    U2: submitted, no sponsor, no estimates."""
    caio = w.actor(R.CHIEF_AI_OFFICER)
    objective = strategy.create_objective(w.ctx, caio, "Grow").id
    u1, _ = strategy.submit_use_case(
        w.ctx, w.actor(R.AI_CHAMPION), classification_data(), title="Claims triage",
        objective_id=objective, business_unit_id=w.unit.id,
        sponsor_id=w.people[R.EXECUTIVE_SPONSOR].id,
        estimates=[{"kind": "cost", "amount": 1_200_000, "confidence": 50}],
        time_to_value_months=6, ratings={"feasibility": 4, "risk": 2, "strategic_fit": 4},
        skills_needed=["NLP"],
    )  # fmt: skip
    strategy.submit_use_case(
        w.ctx, w.actor(R.AI_CHAMPION), classification_data(), title="Voice intake",
        objective_id=objective, business_unit_id=w.unit.id,
    )  # fmt: skip
    strategy.decide_use_case(w.ctx, caio, u1.id, PortfolioDecision.APPROVE, "go")
    pm = w.actor(R.PROGRAM_MANAGER)
    owner = w.people[R.PROGRAM_MANAGER].id
    outcome = kpis.define_kpi(w.ctx, pm, name="Routed", unit="%", direction="increase",
                              target=50.0, owner_id=owner, use_case_id=u1.id)  # fmt: skip
    value = kpis.define_kpi(
        w.ctx, pm, name="Saved", unit="EUR", direction="increase", target=90_000.0,
        owner_id=owner, use_case_id=u1.id, tracks="value",
    )  # fmt: skip
    today = w.ctx.clock().date()
    last = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    before = (last - timedelta(days=1)).replace(day=1)
    readings = [Reading(outcome.id, last.isoformat(), 60.0)]
    readings += [Reading(value.id, p.isoformat(), 100_000.0) for p in (before, last)]
    kpis.record_measurements(w.ctx, pm, readings)
    return u1.id


def _adoption_and_delivery(w: World, use_case: str) -> None:
    champion, pm = w.actor(R.AI_CHAMPION), w.actor(R.PROGRAM_MANAGER)
    system = inventory.register_system(w.ctx, w.actor(R.CHIEF_AI_OFFICER), name="Gamma",
                                       purpose="p", business_unit_id=w.unit.id,
                                       owner_id=w.people[R.EXECUTIVE_SPONSOR].id)  # fmt: skip
    system = system.system
    w.full_raci(system.id)
    today = w.ctx.clock().date()
    adoption.record_adoption(w.ctx, champion, [{
        "system_id": system.id, "business_unit_id": w.unit.id,
        "period": today.isoformat()[:7], "active_users": 40, "eligible_users": 100,
    }])  # fmt: skip
    adoption.record_survey(w.ctx, champion, "Pulse", today.isoformat()[:7], 20, 3.0, {"jobs": 5})
    adoption.log_communication(w.ctx, w.actor(R.CHIEF_AI_OFFICER), "What changes", "email",
                               today - timedelta(days=10), "all", "Summary")  # fmt: skip
    first = delivery.open_iteration(w.ctx, pm, use_case, "Pilot", today - timedelta(days=60),
                                    today - timedelta(days=30))  # fmt: skip
    delivery.close_iteration(w.ctx, pm, first.id, IterationDecision.PERSEVERE, "worked")
    delivery.open_iteration(w.ctx, pm, use_case, "Scale", today - timedelta(days=29),
                            today + timedelta(days=20))  # fmt: skip


def _risks(w: World) -> None:
    """Two high risks of the organisation, one within appetite with its control effective,
    one with no control; and a low one the measure does not count."""
    caio = w.actor(R.CHIEF_AI_OFFICER)
    base = {"category": "MIT.6.5", "cause": "c", "consequence": "c",
            "owner_id": w.people[R.CHIEF_AI_OFFICER].id, "inherent_likelihood": 4,
            "inherent_impact": 4, "target_likelihood": 1, "target_impact": 1}  # fmt: skip
    in_hand = register.register_risk(w.ctx, caio, base | {"title": "In hand"}, ())
    register.register_risk(w.ctx, caio, base | {"title": "Untreated"}, ())
    low = {"title": "Low", "inherent_likelihood": 1, "inherent_impact": 2}
    register.register_risk(w.ctx, caio, base | low | {"target_impact": 2}, ())
    control = controls.define_control(w.ctx, caio, {"title": "Check", "kind": "manual"}, in_hand.id)
    controls.record_test(w.ctx, caio, control.id, True, "dms://1")


def test_each_pillar_recomputed_by_hand(world: World) -> None:
    trained_on = world.ctx.clock().date() - timedelta(days=40)
    _systems(world)
    _body(world)
    _talent(world, trained_on)
    use_case = _strategy(world)
    _adoption_and_delivery(world, use_case)
    _risks(world)
    found = {p.pillar: p for p in scorecard.leadership_scorecard(world.ctx, world.admin)}
    by_hand = {
        # RACI complete 2 of 3 systems (Beta orphan), owners 3/3, all 9 AI roles held
        Pillar.ROLES: (2 / 3 + 1 + 1) / 3,
        # meetings with quorum and functions 1/3, held 3 of 12 due, functions covered 1/1
        Pillar.BODIES: (1 / 3 + 3 / 12 + 1) / 3,
        # the one high-risk system's gate passes (no policy), 1 of 3 classified; no system
        # in validation: fresh evidence not measurable; 1 of 2 high risks in hand
        Pillar.GOVERNANCE: (1 + 1 / 3 + 1 / 2) / 3,
        # literacy 3 of 9, the data scientist's NLP 2 < 3 needed, NLP held for the portfolio
        Pillar.TALENT: (3 / 9 + 0 + 1) / 3,
        # sponsor 1 of 2 live, scored 1 of 2, KPIs on target 2/2, value 200k of 200k planned
        Pillar.STRATEGY: (1 / 2 + 1 / 2 + 1 + 1) / 4,
        # adoption 40%, sentiment 3 of 5 as 0.5, every unit reached
        Pillar.ADOPTION: (0.4 + 0.5 + 1) / 3,
        # the approved use case iterates; the ended iteration was decided
        Pillar.DELIVERY: (1 + 1) / 2,
        # nothing deployed or being built; no signed checkpoint (no key)
        Pillar.INFRASTRUCTURE: 0.0,
    }
    for pillar, value in by_hand.items():
        assert found[pillar].score == pytest.approx(100 * value), pillar
    assert [m.id for m in found[Pillar.GOVERNANCE].measures if m.value is None] == [
        "fresh_evidence"
    ]
    # the actions that add most first: the skill gap (worth 33 points), then literacy (22)
    first, second = found[Pillar.TALENT].actions
    assert first.measure == "role_skills" and world.people[R.DATA_SCIENTIST].name in first.text
    assert first.gain == pytest.approx(100 / 3)
    assert second.measure == "literacy" and second.text.startswith("Train")
    assert second.gain == pytest.approx(100 * (1 - 3 / 9) / 3) and "and 3 more" in second.text
    # literacy has history: before the training was taken the talent score was lower
    for day, value in found[Pillar.TALENT].trend:
        literate = 3 / 9 if day >= trained_on else 0
        assert value == pytest.approx(100 * (literate + 0 + 1) / 3), day
