"""A process whose database connections are all in use answers 503 with Retry-After, saying
so, after the pool's wait: never a bare 500, and not run again by the request guard (which
would wait as long each time)."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import create_engine

from charter.kernel.errors import Saturated
from charter.kernel.store.migrate import upgrade
from charter.web import problems
from charter.web.guard import RequestGuard
from charter.wiring import SqlUnitOfWork


def test_a_unit_of_work_without_a_free_connection_is_saturated(tmp_path: Path) -> None:
    engine = create_engine(
        f"sqlite:///{tmp_path}/c.db", pool_size=1, max_overflow=0, pool_timeout=0.1
    )
    upgrade(engine)
    held = engine.connect()  # the pool's one connection
    try:
        with pytest.raises(Saturated), SqlUnitOfWork(engine).reading():
            pass
    finally:
        held.close()


def test_saturated_is_answered_503_once_with_retry_after() -> None:
    app = FastAPI()
    problems.install(app)
    app.add_middleware(RequestGuard)
    runs = []

    @app.get("/probe")
    def probe() -> None:
        runs.append(1)
        raise Saturated("every database connection is in use; nothing was written")

    answer = TestClient(app).get("/probe")
    assert answer.status_code == 503
    assert answer.headers["retry-after"] == "1"
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert "connection is in use" in answer.json()["detail"]
    assert runs == [1], "not run again"
