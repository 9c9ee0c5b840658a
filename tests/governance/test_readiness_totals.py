"""The dashboard's readiness roll-up judges each kind of system once: its totals must be the
ones judging every system gives, on an organisation whose systems differ in every way
readiness reads (tiers, roles, grounds, transparency, tags, evidence, scope)."""

from __future__ import annotations

from pathlib import Path

import pytest

from charter.bootstrap import context_for
from charter.demo.build import build_demo
from charter.frameworks.domain.packs import rollup
from charter.frameworks.files import load_packs
from charter.governance.services.readiness import readiness_totals, system_readiness
from charter.inventory import services as inventory
from charter.kernel.roles import RoleKind
from charter.kernel.store.engine import make_engine
from charter.kernel.store.migrate import upgrade
from tests.factory import World


def test_systems_alike_but_for_their_tags_or_role_are_judged_apart(world: World) -> None:
    caio = world.actor(RoleKind.CHIEF_AI_OFFICER)
    for n, (role, tags) in enumerate([
        ("provider", ()), ("provider", ()), ("provider", ("genai",)),
        ("provider", ("personal-data",)), ("deployer", ()), ("deployer", ("genai",)),
    ]):  # fmt: skip
        inventory.register_system(
            world.ctx, caio, name=f"Alike {n}", purpose="Scores things.",
            business_unit_id=world.unit.id, operator_role=role, tags=tags,
        )  # fmt: skip
    packs = load_packs()
    every = rollup(system_readiness(world.ctx, caio, packs))
    assert readiness_totals(world.ctx, caio, packs) == every


@pytest.mark.slow
def test_the_roll_up_by_kind_equals_judging_every_system(tmp_path: Path) -> None:
    pytest.importorskip("sklearn")
    engine = make_engine(f"sqlite:///{tmp_path / 'charter.db'}")
    upgrade(engine)
    ctx = context_for(engine)
    demo = build_demo(ctx, tmp_path / "data")
    packs = load_packs()
    for key in ("amara", "farid", "liam"):  # the whole estate, and narrower scopes
        who = demo.actor(key)
        every = rollup(system_readiness(ctx, who, packs))
        assert every, key
        assert readiness_totals(ctx, who, packs) == every, key
    engine.dispose()
