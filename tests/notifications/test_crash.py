"""kill -9 in the middle of a delivery, with real processes: `charter notifications deliver`
is killed while the receiver holds its request. The lock it led by dies with it, the next
process delivers, and the receiver sees the same webhook-id again: at least once, as
documented, never lost, and nothing more once it was accepted."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from dataclasses import replace
from ipaddress import ip_network
from pathlib import Path

import pytest
from sqlalchemy import Engine

from charter.bootstrap import context_for
from charter.kernel.store.leader import Leader
from charter.notifications import services as notifications
from charter.notifications.adapters.transports import HttpPoster
from charter.notifications.domain import EndpointKind, Status
from tests.factory import make_world
from tests.notifications.receivers import verify_standard_webhook, webhook_receiver

pytestmark = pytest.mark.slow
LOOPBACK = (ip_network("127.0.0.0/8"),)


def _deliver() -> list[str]:
    return [sys.executable, "-m", "charter", "notifications", "deliver", "--json"]


def _env(engine: Engine, home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CHARTER_")}
    return env | {
        "CHARTER_HOME": str(home),
        "CHARTER_DATABASE_URL": engine.url.render_as_string(hide_password=False),
        "CHARTER_WEBHOOK_ALLOWED_NETWORKS": "127.0.0.0/8",  # the receiver is on this machine
    }


def _lock_free(engine: Engine, timeout: float = 30) -> bool:
    """Wait until the delivery lock can be taken (PostgreSQL ends a dead client's session,
    and its advisory lock, once it reads the closed connection)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        probe = Leader(engine, "notifications")
        if probe.acquire():
            probe.release()
            return True
        time.sleep(0.05)  # polling a signal, with a deadline: not a fixed wait
    return False


def test_a_sender_killed_mid_send_leaves_the_lock_and_the_delivery_to_the_next(
    engine: Engine, tmp_path: Path
) -> None:
    ctx = replace(context_for(engine), webhook_networks=LOOPBACK, poster=HttpPoster(LOOPBACK))
    world = make_world(ctx)
    env, command = _env(engine, tmp_path), _deliver()
    hold = threading.Event()
    with webhook_receiver() as receiver:
        receiver.hold = hold
        _, secret = notifications.create_endpoint(
            ctx, world.admin, "ops", receiver.url, EndpointKind.STANDARD
        )
        with ctx.uow() as uow:  # the change and its notice, committed
            notifications.notify(ctx, uow, "monitor.breach", ("system", "s"), "drift", [])
            uow.commit()
        first = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        try:
            assert receiver.seen.wait(120), "the first sender never reached the receiver"
            assert not Leader(engine, "notifications").acquire()  # it leads the deliveries
        finally:
            os.kill(first.pid, signal.SIGKILL)
            first.communicate(timeout=30)
        assert first.returncode == -signal.SIGKILL
        (pending,) = notifications.deliveries(ctx, world.admin)
        assert pending.status is Status.PENDING and pending.attempts == 0  # nothing logged
        receiver.hold = None
        hold.set()  # the receiver answers the dead connection: it had the message
        assert _lock_free(engine), "the lock outlived the process that held it"
        second = subprocess.run(
            command, check=False, env=env, capture_output=True, text=True, timeout=120
        )
        assert second.returncode == 0, second.stderr
        assert json.loads(second.stdout)["delivered"] == 1
        third = subprocess.run(
            command, check=False, env=env, capture_output=True, text=True, timeout=120
        )
        assert json.loads(third.stdout) == {
            "dispatched": 0, "delivered": 0, "failed": 0, "waiting": 0
        }  # fmt: skip
        got = receiver.wait_for(2)
    assert len(got) == 2 and len({r.headers["webhook-id"] for r in got}) == 1
    assert all(verify_standard_webhook(secret, r.headers, r.body) for r in got)
    (done,) = notifications.deliveries(ctx, world.admin)
    assert done.status is Status.DELIVERED and done.attempts == 1
