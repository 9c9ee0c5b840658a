"""Crash and concurrency tests with real processes and a real PostgreSQL server.

A writer acknowledges each write after its commit returns; once its first write is
acknowledged, it (or the PostgreSQL server itself) is killed with SIGKILL at a random moment.
Afterwards the log must verify and every acknowledged write must be there.
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from charter.audit import services as audit
from charter.audit.keys import create_key
from charter.bootstrap import context_for
from charter.identity.services import access
from charter.kernel.store.engine import make_engine
from tests import pg
from tests.conftest import UNDER_CI

pytestmark = pytest.mark.crash

ROOT = Path(__file__).resolve().parents[2]
SQLITE_KILLS = 30
POSTGRES_KILLS = 8


def _writer(url: str, key: Path, tag: str, count: int | None = None) -> subprocess.Popen[str]:
    args = [sys.executable, "-m", "tests.audit.crash_writer", url, str(key), tag]
    if count is not None:
        args.append(str(count))
    return subprocess.Popen(
        args,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )


def _first_ack(proc: subprocess.Popen[str]) -> str:
    """Wait for the writer's first acknowledged write (its imports and first commit take
    however long the machine needs), so that the random kill delay starts amid writes."""
    assert proc.stdout is not None
    line = proc.stdout.readline()
    if not line.startswith("ack "):
        proc.kill()
        _, err = proc.communicate(timeout=30)
        pytest.fail(f"the writer made no write: {line!r} {err[-2000:]}")
    return line


def _acks(output: str) -> list[str]:
    return [line.split(" ", 1)[1] for line in output.splitlines() if line.startswith("ack ")]


def _check(url: str, key: Path, acknowledged: list[str]) -> int:
    engine = make_engine(url)
    try:
        ctx = context_for(engine, key_file=key)
        admin = access.actor_for(ctx, "admin@example.org")
        report = audit.verify_log(ctx, admin)
        assert report.intact, (report.bad_seq, report.problem)
        with ctx.uow() as uow:
            stored = {u.name for u in uow.units.all()}
        missing = set(acknowledged) - stored
        assert not missing, f"acknowledged but lost: {sorted(missing)[:5]}"
        return report.size
    finally:
        engine.dispose()


@pytest.fixture
def key(tmp_path: Path) -> Path:
    path = tmp_path / "audit.key"
    create_key(path, "crash.test/audit")
    return path


def _migrate(url: str, key: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "tests.audit.crash_writer", url, str(key), "migrate"],
        cwd=ROOT,
        check=True,
        timeout=120,
    )


def test_sqlite_writer_killed_at_random_points(tmp_path: Path, key: Path) -> None:
    url = f"sqlite:///{tmp_path}/charter.db"
    _migrate(url, key)
    rng = random.Random(6962)
    acknowledged: list[str] = []
    sizes = []
    for round_ in range(SQLITE_KILLS):
        proc = _writer(url, key, f"s{round_}")
        first = _first_ack(proc)
        time.sleep(rng.uniform(0.0, 1.0))  # a random point amid writes
        proc.kill()
        out, _ = proc.communicate(timeout=30)
        acknowledged += _acks(first + out)
        sizes.append(_check(url, key, acknowledged))
    assert len(acknowledged) > SQLITE_KILLS  # the kills did land amid writes
    assert sizes == sorted(sizes)


@pytest.fixture
def durable_pg() -> Iterator[pg.PostgresServer]:
    try:
        server = pg.start(durable=True)
    except (pg.PostgresUnavailable, subprocess.CalledProcessError, OSError) as exc:
        if UNDER_CI:
            pytest.fail(f"PostgreSQL could not be started under CI: {exc}")
        pytest.skip(f"PostgreSQL could not be started: {exc}")
    yield server
    server.stop()


@pytest.mark.postgres
def test_postgres_server_killed_under_a_writer(
    tmp_path: Path, key: Path, durable_pg: pg.PostgresServer
) -> None:
    url = durable_pg.url()
    _migrate(url, key)
    rng = random.Random(9162)
    acknowledged: list[str] = []
    for round_ in range(POSTGRES_KILLS):
        proc = _writer(url, key, f"p{round_}")
        first = _first_ack(proc)
        time.sleep(rng.uniform(0.0, 1.2))  # a random point amid writes
        durable_pg.kill()
        out, _ = proc.communicate(timeout=60)  # the writer fails once its server is gone
        acknowledged += _acks(first + out)
        durable_pg.start_server()
        _check(url, key, acknowledged)
    assert len(acknowledged) > POSTGRES_KILLS


@pytest.mark.parametrize(
    "backend", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def test_concurrent_writer_processes_leave_a_gapless_verifiable_log(
    backend: str, tmp_path: Path, key: Path, request: pytest.FixtureRequest
) -> None:
    if backend == "sqlite":
        url = f"sqlite:///{tmp_path}/charter.db"
    else:
        server: pg.PostgresServer = request.getfixturevalue("durable_pg")
        url = server.url()
    _migrate(url, key)
    procs = [_writer(url, key, f"w{i}", count=40) for i in range(4)]
    acknowledged = []
    for proc in procs:
        out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
        acknowledged += _acks(out)
    assert len(acknowledged) == 160
    size = _check(url, key, acknowledged)
    assert size >= 160  # plus the administrator's creation
