"""Issue 23: the open alerts and reviews are every one the reader may see, not the newest 500
(they were read with a cap of 500 rows, then filtered by permission, so a unit-scoped reader
could see none of theirs behind 500 of another unit's)."""

from __future__ import annotations

from datetime import timedelta

from charter.bootstrap import new_id
from charter.identity.services import access
from charter.kernel.roles import RoleKind as R
from charter.kernel.roles import ScopeKind
from charter.monitoring import services as monitoring
from charter.monitoring.domain.monitors import Alert, Review, ReviewKind
from tests.factory import World
from tests.monitoring.test_monitors import SUITE

MANY = 501


def _open(world: World, system_id: str, count: int, newer: bool) -> None:
    """`count` open alerts and reviews of the system, newer or older than an hour ago."""
    monitor = monitoring.create_monitor(world.ctx, world.actor(R.ML_ENGINEER), system_id,
                                        f"m {system_id}", SUITE, {"file": "scored.parquet"},
                                        "0 6 * * *")  # fmt: skip
    base = world.ctx.clock() - timedelta(hours=1 if newer else 100)
    with world.ctx.uow() as uow:
        for n in range(count):
            at = base + timedelta(seconds=n)
            uow.alerts.add(Alert(new_id("alr"), system_id, monitor.id, "run", at, (), at))
            uow.monitor_reviews.add(
                Review(new_id("rev"), system_id, ReviewKind.REVIEW, "r", "drift", None, at)
            )
        uow.commit()


def test_every_open_alert_and_review_is_listed(world: World) -> None:
    _open(world, world.system().id, MANY, newer=True)
    reader = world.actor(R.CHIEF_AI_OFFICER)
    assert len(monitoring.alerts(world.ctx, reader)) == MANY
    assert len(monitoring.reviews(world.ctx, reader)) == MANY


def test_a_unit_reader_sees_theirs_behind_another_units_many(world: World) -> None:
    _open(world, world.system(unit=world.other_unit).id, MANY, newer=True)
    mine = world.system(unit=world.unit).id
    _open(world, mine, 2, newer=False)
    scoped = world.person("Una Scoped", R.AUDITOR, scope=ScopeKind.BUSINESS_UNIT,
                          scope_id=world.unit.id)  # fmt: skip

    reader = access.actor_for(world.ctx, scoped.id)
    assert {a.system_id for a in monitoring.alerts(world.ctx, reader)} == {mine}
    assert len(monitoring.alerts(world.ctx, reader)) == 2
    assert len(monitoring.reviews(world.ctx, reader)) == 2
