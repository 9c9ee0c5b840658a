"""Errors that say what happened: every refusal and every unexpected failure is
application/problem+json; bodies over the limit are refused on the byte stream; text that
would corrupt a record is refused on both databases; a full database answers 507; a use case
that a concurrent transaction keeps blocking answers 503 with Retry-After."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, event, text

from charter.bootstrap import context_for
from charter.kernel.roles import RoleKind as R
from charter.kernel.store.engine import make_engine
from charter.kernel.store.migrate import upgrade
from charter.web.app import create_app
from charter.web.guard import MAX_BODY
from tests import pg
from tests.conftest import drop_postgres, fresh_postgres
from tests.factory import World, make_world

PROBLEM = "application/problem+json"


@pytest.fixture
def client(world: World) -> Iterator[TestClient]:
    with TestClient(create_app(world.ctx), raise_server_exceptions=False) as c:
        yield c


def _auth(world: World, role: R = R.CHIEF_AI_OFFICER) -> dict[str, str]:
    return {"Authorization": f"Bearer {world.tokens[role]}"}


def _problem(answer: Any, status: int) -> dict[str, Any]:
    assert answer.status_code == status, answer.text
    assert answer.headers["content-type"].startswith(PROBLEM)
    body: dict[str, Any] = answer.json()
    assert body["status"] == status
    return body


def test_a_wrong_method_says_which_are_allowed(client: TestClient, world: World) -> None:
    answer = client.put("/api/v1/systems", headers=_auth(world))
    _problem(answer, 405)
    assert set(answer.headers["allow"].replace(" ", "").split(",")) == {"GET", "POST"}


def test_a_named_resource_is_not_mistaken_for_an_id(client: TestClient, world: World) -> None:
    """`/risks/summary` is its own resource, though `/risks/{risk_id}` would match it too."""
    for path in ("/api/v1/risks/summary", "/api/v1/risks/export.csv"):
        answer = client.request("OPTIONS", path, headers=_auth(world))
        _problem(answer, 405)
        assert answer.headers["allow"] == "GET"


def test_every_refused_field_has_a_place_and_a_message(client: TestClient, world: World) -> None:
    body = {"subject": "system", "subject_id": "0", "answers": {}}
    errors = _problem(client.post("/api/v1/risk-assessments", json=body, headers=_auth(world)),
                      422)["errors"]  # fmt: skip
    assert errors and all(set(e) >= {"loc", "msg"} and isinstance(e["loc"], list)
                          for e in errors)  # fmt: skip


@pytest.mark.parametrize("value", [2**63, 2**62, -1])
def test_integer_parameters_are_bounded(client: TestClient, world: World, value: int) -> None:
    answer = client.get(f"/api/v1/systems?offset={value}", headers=_auth(world))
    _problem(answer, 422)


@pytest.mark.parametrize("name", ["Credit\x00Scoring", "Credit\x07Scoring", "Credit\u202escoring"])
def test_names_with_control_or_bidi_characters_are_refused(
    client: TestClient, world: World, name: str
) -> None:
    body = {"name": name, "purpose": "p", "business_unit_id": world.unit.id,
            "owner_id": world.people[R.EXECUTIVE_SPONSOR].id}  # fmt: skip
    _problem(client.post("/api/v1/systems", json=body, headers=_auth(world)), 422)
    _problem(client.get("/api/v1/systems/sys_%00x", headers=_auth(world)), 422)
    with world.ctx.uow() as uow:
        assert not uow.systems.all(business_unit_id=world.unit.id)


def test_a_chunked_body_past_the_limit_is_refused_before_credentials(client: TestClient) -> None:
    def chunks() -> Iterator[bytes]:
        for _ in range(MAX_BODY // 65_536 + 2):
            yield b"x" * 65_536

    answer = client.post("/api/v1/units", content=chunks())  # no Content-Length, no token
    _problem(answer, 413)


def test_duplicate_json_keys_are_refused(client: TestClient, world: World) -> None:
    raw = '{"name": "Retail two", "name": "Claims two"}'
    headers = {**_auth(world, R.ADMINISTRATOR), "Content-Type": "application/json"}
    body = _problem(client.post("/api/v1/business-units", content=raw, headers=headers), 422)
    assert "name" in body["detail"]


def test_an_unexpected_failure_is_problem_json_with_a_correlation_id(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    app = create_app(world.ctx)

    def broken() -> None:
        raise RuntimeError("a bug")

    app.add_api_route("/api/v1/broken", broken)
    with TestClient(app, raise_server_exceptions=False) as client, caplog.at_level(logging.ERROR):
        answer = client.get("/api/v1/broken")
    body = _problem(answer, 500)
    correlation = body["correlation_id"]
    assert answer.headers["x-correlation-id"] == correlation
    assert "a bug" not in answer.text
    assert any(correlation in r.getMessage() and r.exc_info for r in caplog.records)


def test_a_full_database_answers_507_and_writes_nothing(tmp_path: Path) -> None:
    """A size limit set with SQLite's max_page_count stands for a full disk."""
    engine = make_engine(f"sqlite:///{tmp_path}/charter.db")
    upgrade(engine)
    world = make_world(context_for(engine))
    with engine.connect() as conn:
        pages = conn.execute(text("PRAGMA page_count")).scalar()
    event.listen(engine, "connect", lambda c, _: c.execute(f"PRAGMA max_page_count={pages}"))
    engine.dispose()  # new connections take the limit
    with TestClient(create_app(world.ctx), raise_server_exceptions=False) as client:
        for i in range(200):
            body = {"name": f"Unit {i} " + "x" * 150}
            answer = client.post("/api/v1/business-units", json=body, headers=_auth(world))
            if answer.status_code != 201:
                break
    assert _problem(answer, 507)["code"] == "storage-full"


@pytest.mark.postgres
def test_a_change_blocked_by_a_concurrent_one_answers_503_with_retry_after(
    pg_template: pg.PostgresServer,
) -> None:
    """PostgreSQL's lock_timeout makes a use case blocked by a held lock fail as Busy."""
    engine, name = fresh_postgres(pg_template)
    world = make_world(context_for(engine))
    system = world.system()
    waiting = create_engine(engine.url, connect_args={"options": "-c lock_timeout=100"})
    ctx = context_for(waiting)
    with engine.connect() as blocker:
        blocker.execute(text("SELECT id FROM systems WHERE id = :i FOR UPDATE"), {"i": system.id})
        with TestClient(create_app(ctx), raise_server_exceptions=False) as client:
            body = {"purpose": "changed"}
            answer = client.patch(f"/api/v1/systems/{system.id}", json=body, headers=_auth(world))
        blocker.rollback()
    assert _problem(answer, 503)["code"] == "busy"
    assert answer.headers["retry-after"] == "1"
    with TestClient(create_app(ctx), raise_server_exceptions=False) as client:
        done = client.patch(f"/api/v1/systems/{system.id}", json=body, headers=_auth(world))
    assert done.status_code == 200 and done.json()["purpose"] == "changed"
    waiting.dispose()
    engine.dispose()
    drop_postgres(pg_template, name)
