"""Fixtures: a fresh database on each backend (SQLite file, real PostgreSQL server)."""

from __future__ import annotations

import json
import os
import subprocess
import uuid
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, create_engine, text
from typer.testing import CliRunner

from charter.bootstrap import context_for
from charter.cli.main import app
from charter.kernel.store.engine import make_engine
from charter.kernel.store.migrate import upgrade
from charter.wiring import Context
from tests import pg
from tests.factory import World, make_world

UNDER_CI = os.environ.get("CI", "").lower() == "true"


@pytest.fixture(scope="session")
def pg_server() -> Iterator[pg.PostgresServer]:
    try:
        server = pg.start()
    except (pg.PostgresUnavailable, subprocess.CalledProcessError, OSError) as exc:
        detail = getattr(exc, "stderr", "") or str(exc)
        message = f"PostgreSQL server could not be started: {detail}"
        if UNDER_CI:
            pytest.fail(message + " (CI=true: PostgreSQL tests may not be skipped)")
        pytest.skip(message)
    yield server
    server.stop()


def _admin(server: pg.PostgresServer) -> Engine:
    return create_engine(server.url(), isolation_level="AUTOCOMMIT")


@pytest.fixture(scope="session")
def pg_template(pg_server: pg.PostgresServer) -> pg.PostgresServer:
    """A migrated template database; each test copies it (CREATE DATABASE ... TEMPLATE)."""
    admin = _admin(pg_server)
    with admin.connect() as conn:
        conn.execute(text("CREATE DATABASE charter_template"))
    admin.dispose()
    engine = make_engine(pg_server.url("charter_template"))
    upgrade(engine)
    engine.dispose()
    return pg_server


def fresh_postgres(server: pg.PostgresServer) -> tuple[Engine, str]:
    name = f"t_{uuid.uuid4().hex[:12]}"
    admin = _admin(server)
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE charter_template'))
    admin.dispose()
    return make_engine(server.url(name)), name


def drop_postgres(server: pg.PostgresServer, name: str) -> None:
    admin = _admin(server)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def engine(request: pytest.FixtureRequest, tmp_path: os.PathLike[str]) -> Iterator[Engine]:
    """A migrated, empty database on each backend."""
    if request.param == "sqlite":
        eng = make_engine(f"sqlite:///{tmp_path}/charter.db")
        upgrade(eng)
        yield eng
        eng.dispose()
        return
    server = request.getfixturevalue("pg_template")
    eng, name = fresh_postgres(server)
    yield eng
    eng.dispose()
    drop_postgres(server, name)


@pytest.fixture
def ctx(engine: Engine) -> Context:
    return context_for(engine)


@pytest.fixture
def world(ctx: Context) -> World:
    return make_world(ctx)


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """The CLI through Typer's runner, against a real SQLite database in a temporary home:
    run(*args, code=0) -> the command's JSON output."""
    monkeypatch.setenv("CHARTER_HOME", str(tmp_path))
    monkeypatch.delenv("CHARTER_DATABASE_URL", raising=False)
    monkeypatch.delenv("CHARTER_ACTOR", raising=False)
    runner = CliRunner()

    def run(*args: str, code: int = 0) -> Any:
        result = runner.invoke(app, [*args, "--json"])
        assert result.exit_code == code, (args, result.output)
        return json.loads(result.stdout) if result.stdout.strip() else None

    return run


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """Say how the tests that run on both databases went on each."""
    counts: dict[str, Counter[str]] = {"sqlite": Counter(), "postgresql": Counter()}
    for outcome in ("passed", "failed", "error", "skipped"):
        for report in terminalreporter.stats.get(outcome, []):
            nodeid = getattr(report, "nodeid", "")
            for backend, counter in counts.items():
                if f"[{backend}" in nodeid:
                    counter[outcome] += 1
    if not any(counts.values()):
        return
    terminalreporter.section("tests on both databases, by backend")
    for backend, counter in counts.items():
        summary = ", ".join(f"{n} {o}" for o, n in sorted(counter.items())) or "not run"
        terminalreporter.write_line(f"{backend}: {summary}")
