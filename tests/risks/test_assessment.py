"""Automated risk assessment on both databases: a system's EU AI Act classification and two
answers, or a use case's intake screening, propose catalogue risks with first ratings;
nothing is registered until a person adopts proposals, as changed."""

from __future__ import annotations

import pytest

from charter.frameworks import services as classification
from charter.frameworks.files import classification_data
from charter.kernel.errors import InvalidInput
from charter.kernel.roles import RoleKind as R
from charter.risks.services import assessment
from charter.strategy.services import intake as strategy
from tests.factory import World

ANSWERS = {"autonomy": "autonomous", "audience": "consumers"}


def _open(w: World) -> int:
    with w.ctx.uow() as uow:
        return len(uow.risks.all())


def test_a_classified_system_gets_proposals_and_only_adopted_ones_are_registered(
    world: World,
) -> None:
    system = world.system()
    classification.classify_system(
        world.ctx, world.actor(R.ETHICS_COMPLIANCE), system.id,
        {"annex_iii": ["4.a"], "profiling": True}, classification_data(),
    )  # fmt: skip
    caio = world.actor(R.CHIEF_AI_OFFICER)
    found = assessment.assess(world.ctx, caio, "system", system.id, ANSWERS)
    rules = {p.rule: p for p in found.proposals}
    assert found.facts["tier"] == "high" and found.facts["decides_on_people"]
    assert {"discrimination", "employment", "agency"} <= set(rules)
    # autonomous: one more on likelihood than the rule's first rating (3 x 4)
    assert (rules["discrimination"].rating.likelihood, rules["discrimination"].rating.impact) == (
        4, 4,
    )  # fmt: skip
    assert "nobody checks each case before it acts" in rules["discrimination"].why
    assert _open(world) == 0  # proposing writes nothing
    owner = world.people[R.CHIEF_AI_OFFICER].id
    choices = [
        {"rule": "discrimination", "owner_id": owner, "inherent_likelihood": 3},
        {"rule": "employment", "owner_id": owner},
    ]
    made = assessment.adopt(world.ctx, caio, "system", system.id, ANSWERS, choices, ())
    assert [(r.origin, r.inherent_likelihood) for r in made] == [
        ("assessment:discrimination", 3), ("assessment:employment", 3),
    ]  # fmt: skip
    assert _open(world) == 2
    again = assessment.assess(world.ctx, caio, "system", system.id, ANSWERS)
    assert {p.rule for p in again.proposals if p.registered} >= {"discrimination", "employment"}
    with pytest.raises(InvalidInput, match="proposes nothing here"):
        assessment.adopt(world.ctx, caio, "system", system.id, ANSWERS,
                         [{"rule": "prohibited", "owner_id": owner}], ())  # fmt: skip
    assert _open(world) == 2


def test_a_use_cases_screening_proposes_risks_before_a_system_exists(world: World) -> None:
    caio = world.actor(R.CHIEF_AI_OFFICER)
    objective = strategy.create_objective(world.ctx, caio, "Grow")
    case, _ = strategy.submit_use_case(
        world.ctx, world.actor(R.AI_CHAMPION), classification_data(), title="Screen applicants",
        objective_id=objective.id, business_unit_id=world.unit.id,
        screening={"annex_iii": ["4.a"], "profiling": True},
    )  # fmt: skip
    found = assessment.assess(
        world.ctx, caio, "use_case", case.id, {"autonomy": "advisory", "audience": "internal"},
        {"personal_data": True},
    )  # fmt: skip
    assert {"discrimination", "privacy"} <= {p.rule for p in found.proposals}
    owner = world.people[R.CHIEF_AI_OFFICER].id
    [made] = assessment.adopt(
        world.ctx, caio, "use_case", case.id, {"autonomy": "advisory", "audience": "internal"},
        [{"rule": "privacy", "owner_id": owner}], (), {"personal_data": True},
    )  # fmt: skip
    assert made.use_case_id == case.id and made.system_id is None


def test_bad_answers_are_named_all_at_once(world: World) -> None:
    system = world.system()
    with pytest.raises(InvalidInput) as caught:
        assessment.assess(world.ctx, world.actor(R.CHIEF_AI_OFFICER), "system", system.id,
                          {"autonomy": "sometimes", "colour": "blue"})  # fmt: skip
    assert [e["msg"] for e in caught.value.details["errors"]] == [
        "autonomy: answer one of advisory, human_in_the_loop, human_on_the_loop, autonomous",
        "audience: answer one of internal, business, consumers, public, vulnerable",
        "unknown answer 'colour'",
    ]
