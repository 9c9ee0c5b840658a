"""Classification on both backends: recorded with its audit event, the risk tier set in the
same transaction; a changed answer re-classifies; answers not understood record nothing."""

from __future__ import annotations

import pytest

from charter.frameworks import services as classification
from charter.frameworks.files import classification_data
from charter.inventory.domain import RiskTier
from charter.kernel.errors import Forbidden, InvalidInput
from charter.kernel.roles import RoleKind as R
from tests.factory import World


def _state(world: World, system_id: str) -> tuple[RiskTier, int]:
    with world.ctx.uow() as uow:
        system = uow.systems.get(system_id)
        assert system is not None
        return system.risk_tier, uow.audit.size()


def test_classification_sets_the_tier_and_reclassifies(world: World) -> None:
    system = world.system()
    caio = world.actor(R.CHIEF_AI_OFFICER)
    _, before = _state(world, system.id)
    item, result = classification.classify_system(
        world.ctx, caio, system.id, {"annex_iii": ["4.a"]}, classification_data()
    )
    assert result.tier == "high" and _state(world, system.id) == (RiskTier.HIGH, before + 1)
    with world.ctx.uow() as uow:
        event = uow.audit.for_entity("system", system.id)[-1].body()
    assert event["action"] == "system.classified" and "EUAIA.ANNEXIII.4.a" in event["data"]["cites"]
    again, result = classification.classify_system(
        world.ctx, caio, system.id, {"annex_iii": ["4.a"], "derogation": "a"}, classification_data()
    )
    assert result.tier == "minimal" and _state(world, system.id)[0] is RiskTier.MINIMAL
    latest = classification.latest(world.ctx, world.actor(R.AUDITOR), system.id)
    assert latest is not None and latest.id == again.id and latest.result["tier"] == "minimal"
    assert item.result["reasoning"][0]["cite"] == "EUAIA.CLS.2"


def test_only_classifiers_classify_and_bad_answers_record_nothing(world: World) -> None:
    system = world.system()
    with pytest.raises(Forbidden):
        classification.classify_system(
            world.ctx, world.actor(R.DATA_SCIENTIST), system.id, {}, classification_data()
        )
    _, before = _state(world, system.id)
    with pytest.raises(InvalidInput, match="unknown point"):
        classification.classify_system(
            world.ctx, world.actor(R.ETHICS_COMPLIANCE), system.id, {"annex_iii": ["0.x"]},
            classification_data(),
        )  # fmt: skip
    assert _state(world, system.id) == (RiskTier.UNCLASSIFIED, before)
    assert classification.latest(world.ctx, world.actor(R.AUDITOR), system.id) is None
