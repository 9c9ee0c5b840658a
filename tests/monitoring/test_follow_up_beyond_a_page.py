"""Issue 23: the open alerts and reviews are every one the reader may see, not the newest 500
(they were read with a cap of 500 rows, then filtered by permission, so a unit-scoped reader
could see none of theirs behind 500 of another unit's)."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient

from charter.bootstrap import new_id
from charter.identity.services import access
from charter.kernel.roles import RoleKind as R
from charter.kernel.roles import ScopeKind
from charter.monitoring import services as monitoring
from charter.monitoring.domain.monitors import Alert, Review, ReviewKind
from charter.web.app import create_app
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


def test_the_api_pages_alerts_and_reviews_with_their_total(world: World) -> None:
    """Review F8: the lists are paged as every other list (limit, offset, total), so that no
    answer holds every row; a page past its bounds is refused (422)."""
    _open(world, world.system().id, 7, newer=True)
    headers = {"Authorization": f"Bearer {world.tokens[R.CHIEF_AI_OFFICER]}"}
    with TestClient(create_app(world.ctx)) as api:
        for path in ("/api/v1/alerts", "/api/v1/reviews"):
            first = api.get(f"{path}?limit=3", headers=headers).json()
            assert (len(first["items"]), first["total"], first["limit"], first["offset"]) == (
                3, 7, 3, 0)  # fmt: skip
            rest = api.get(f"{path}?limit=3&offset=3", headers=headers).json()
            last = api.get(f"{path}?limit=3&offset=6", headers=headers).json()
            ids = [i["id"] for p in (first, rest, last) for i in p["items"]]
            assert len(ids) == len(set(ids)) == 7  # every row once, in one order
            assert api.get(path, headers=headers).json()["limit"] == 50  # the default page
            for bad in ("limit=0", "limit=501", "offset=-1", f"offset={2**53 + 1}"):
                refused = api.get(f"{path}?{bad}", headers=headers)
                assert refused.status_code == 422, (path, bad, refused.text)
                assert refused.json()["errors"][0]["loc"][-1] == bad.split("=")[0]
