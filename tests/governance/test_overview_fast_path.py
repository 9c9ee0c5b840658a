"""The dashboard's shortcuts give what the straightforward computations give, on a generated
organisation (the demo grown by the scale fixture's generator): RACI validated once per
system and shared, readiness judging only the cited requirements of the policies that select
a system, with the RACI findings only where a judged requirement reads them."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from benchmarks import scale

from charter.accountability.services import raci
from charter.bootstrap import context_for
from charter.demo.build import build_demo
from charter.frameworks.domain.packs import rollup
from charter.frameworks.files import load_packs
from charter.governance.domain.gates import judge_requirement
from charter.governance.services import gates, overview, readiness
from charter.governance.services.facts import Inventory
from charter.kernel.store.engine import make_engine
from charter.kernel.store.migrate import upgrade
from charter.kernel.verdicts import Verdict
from charter.wiring import Context


def _every_cited_requirement(ctx: Context, inventory: Inventory) -> dict[str, dict[str, list[str]]]:
    """Readiness's bases the plain way: every cited requirement of every policy that selects
    the system, judged on its full facts (RACI findings always)."""
    now, out = ctx.clock(), {}
    for s in inventory.systems:
        facts = inventory.facts(s, now, ctx.plugins, with_raci=True)
        cited: dict[str, list[str]] = {}
        for policy in inventory.policies:
            if not replace(policy.applies, transitions=()).matches(s, None, None):
                continue
            for req in policy.requirements:
                found = judge_requirement(policy, req, facts)
                if req.cites and found.verdict is Verdict.SATISFIED:
                    basis = f"{policy.id}/{req.id}" + (f" ({found.basis})" if found.basis else "")
                    for cite in req.cites:
                        cited.setdefault(cite, []).append(basis)
        out[s.id] = cited
    return out


@pytest.mark.slow
def test_the_dashboard_overview_equals_the_straightforward_computations(tmp_path: Path) -> None:
    pytest.importorskip("sklearn")
    engine = make_engine(f"sqlite:///{tmp_path / 'charter.db'}")
    upgrade(engine)
    ctx = context_for(engine)
    demo = build_demo(ctx, tmp_path / "data")
    grown = scale.grow(ctx, demo.actor("amara"), systems=90, people=60, events=0, pending=6)
    assert grown.systems == 90 and grown.pending == 6
    packs = load_packs()
    for key in ("amara", "farid", "liam"):  # the whole estate, and narrower scopes
        who = demo.actor(key)
        seen = overview.overview(ctx, who, packs)
        assert list(seen.posture) == gates.posture(ctx, who), key
        assert seen.readiness == rollup(readiness.system_readiness(ctx, who, packs)), key
        assert seen.findings == len(raci.all_findings(ctx, who)), key
        assert seen.findings or key != "amara"
        with ctx.uow().reading() as uow:
            inventory = gates.read_inventory(uow, who, ctx.clock())
            classified = uow.classifications.all()
        fast = readiness.standings_of(ctx, inventory, classified)
        plain = _every_cited_requirement(ctx, inventory)
        assert {s.system.id: dict(s.satisfied_by) for s in fast} == plain, key
        assert any(plain.values()), key
    engine.dispose()
