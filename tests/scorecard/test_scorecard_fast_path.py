"""The scorecard's shortcuts give what the straightforward computation gives, on a generated
organisation (the demo grown by the scale fixture's generator): gates judged for the live
high-risk systems only and RACI validated for the live systems only, against the posture
and the RACI findings of every system."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from benchmarks import scale

from charter.accountability.services import raci
from charter.bootstrap import context_for
from charter.demo.build import build_demo
from charter.governance.services import gates
from charter.kernel.store.engine import make_engine
from charter.kernel.store.migrate import upgrade
from charter.scorecard import services
from charter.scorecard.domain.measures import CATALOGUE
from charter.scorecard.domain.scorecard import scorecard


@pytest.mark.slow
def test_the_scorecard_equals_the_straightforward_computation(tmp_path: Path) -> None:
    pytest.importorskip("sklearn")
    engine = make_engine(f"sqlite:///{tmp_path / 'charter.db'}")
    upgrade(engine)
    ctx = context_for(engine)
    demo = build_demo(ctx, tmp_path / "data")
    scale.grow(ctx, demo.actor("amara"), systems=90, people=60, events=0, pending=6)
    who, now = demo.actor("amara"), ctx.clock()
    with ctx.uow().reading() as uow:
        checkpoints = [c.created_at for c in uow.audit.checkpoints()]
        fast = services._snapshot(ctx, uow, who, now, checkpoints)
    plain = replace(
        fast,
        findings=frozenset(f.system_id for f in raci.all_findings(ctx, who)),
        blocked=frozenset(p.system.id for p in gates.posture(ctx, who) if p.blocking),
    )
    assert plain.blocked and plain.findings
    assert fast.blocked < plain.blocked or fast.findings < plain.findings  # less was judged
    assert scorecard(fast, CATALOGUE) == scorecard(plain, CATALOGUE)
    engine.dispose()
