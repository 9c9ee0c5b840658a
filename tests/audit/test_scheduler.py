"""Checkpoints made on a schedule by the running app."""

from __future__ import annotations

import time
from pathlib import Path

from fastapi.testclient import TestClient

from charter.accountability.services import org
from charter.audit import services as audit
from charter.audit.keys import create_key
from charter.bootstrap import context_for
from charter.kernel.store.engine import make_engine
from charter.kernel.store.migrate import upgrade
from charter.web.app import create_app
from tests.factory import make_world


def _checkpoints(ctx) -> list[int]:  # type: ignore[no-untyped-def]
    with ctx.uow() as uow:
        return [c.size for c in uow.audit.checkpoints()]


def test_the_server_signs_checkpoints_when_the_log_grows(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path}/charter.db")
    upgrade(engine)
    create_key(tmp_path / "audit.key", "test.example/audit")
    ctx = context_for(engine, key_file=tmp_path / "audit.key")
    world = make_world(ctx)
    with TestClient(create_app(ctx, checkpoint_interval=0.05)):
        deadline = time.monotonic() + 30  # liveness wait, not a performance threshold
        while not _checkpoints(ctx) and time.monotonic() < deadline:
            time.sleep(0.05)
        first = _checkpoints(ctx)
        time.sleep(0.3)
        assert _checkpoints(ctx) == first  # nothing new to sign: no new checkpoint
        org.create_unit(ctx, world.admin, "Later")
        while len(_checkpoints(ctx)) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
    sizes = _checkpoints(ctx)
    assert len(first) == 1 and sizes == [first[0], first[0] + 1]
    assert audit.verify_log(ctx, world.admin).intact
    engine.dispose()
