"""The risk register's page reads and judges the open risks once for its summary and its
list: what it shows is what `risk_summary` and `register` give apart, whatever the filters."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from charter.bootstrap import context_for
from charter.demo.build import build_demo
from charter.identity.services import access
from charter.kernel.store.engine import make_engine
from charter.kernel.store.migrate import upgrade
from charter.risks.domain.standing import Standing
from charter.risks.services import views


@pytest.mark.slow
def test_the_page_shows_what_the_summary_and_the_register_give(tmp_path: Path) -> None:
    pytest.importorskip("sklearn")
    engine = make_engine(f"sqlite:///{tmp_path / 'charter.db'}")
    upgrade(engine)
    ctx = context_for(engine)
    demo = build_demo(ctx, tmp_path / "data")
    now = ctx.clock()
    ctx = replace(ctx, clock=lambda: now)  # both ways judge at the same instant
    every = views.register(ctx, demo.admin)
    assert len(every) > 3
    first = every[0].risk
    with ctx.uow().reading() as uow:
        owner = next(p.name for p in uow.people.all() if p.id == first.owner_id)
    for who in (demo.admin, access.actor_for(ctx, demo.ids["farid"])):
        for filters in (
            views.Filters(), views.Filters(standing=Standing.ABOVE),
            views.Filters(system_id=first.system_id), views.Filters(owner_id=owner),
            views.Filters(category=first.category), views.Filters(overdue=True),
            views.Filters(closed=True), views.Filters(owner_id="nobody by that name"),
        ):  # fmt: skip
            summary, kept = views.register_page(ctx, who, filters)
            assert kept == views.register(ctx, who, filters), filters
            alone = views.risk_summary(ctx, who)
            assert summary == replace(alone, as_of=summary.as_of), filters
    assert views.register_page(ctx, demo.admin, views.Filters(owner_id=owner))[1]
    engine.dispose()
