"""The framework routes through HTTP: classification and its dry run (every problem named,
a key given twice refused), pack versions and their diff, the obligations calendar and
impact; the calendar and pack pages."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient

from charter.identity.services import sessions
from charter.kernel.roles import RoleKind as R
from charter.web.app import create_app
from tests.factory import World

NOW = datetime(2026, 11, 28, 9, tzinfo=UTC)


@pytest.fixture
def api(world: World) -> Iterator[tuple[TestClient, World]]:
    world.ctx = replace(world.ctx, clock=lambda: NOW)
    with TestClient(create_app(world.ctx), follow_redirects=False) as client:
        yield client, world


def _as(world: World, role: R) -> dict[str, str]:
    return {"Authorization": f"Bearer {world.tokens[role]}"}


def _post(client: TestClient, world: World, path: str, body: Any, raw: bytes | None = None) -> Any:
    headers = {**_as(world, R.ETHICS_COMPLIANCE), "Content-Type": "application/json"}
    if raw is not None:
        return client.post(path, content=raw, headers=headers)
    return client.post(path, json=body, headers=headers)


def test_a_dry_run_answers_200_and_records_nothing(api: tuple[TestClient, World]) -> None:
    client, world = api
    system = world.system().id
    path = f"/api/v1/systems/{system}/classification"
    body = {"answers": {"annex_iii": ["5.b"], "roles": ["provider", "deployer"]}}
    dry = _post(client, world, path + "?dry_run=true", body)
    assert dry.status_code == 200 and dry.json()["dry_run"] is True
    assert "EUAIA.ART27" in {o["id"] for o in dry.json()["obligations"]}
    assert client.get(path, headers=_as(world, R.AUDITOR)).status_code == 404
    done = _post(client, world, path, body)
    assert done.status_code == 201 and done.json()["roles"][1]["role"] == "deployer"


def test_every_problem_is_named_and_a_key_given_twice_refused(
    api: tuple[TestClient, World],
) -> None:
    client, world = api
    path = f"/api/v1/systems/{world.system().id}/classification"
    bad = _post(client, world, path, {"answers": {"ai_system": False, "annex_iii": ["0.x"],
                                                  "profiling": 1}})  # fmt: skip
    assert bad.status_code == 422 and bad.headers["content-type"] == "application/problem+json"
    problems = [e["msg"] for e in bad.json()["errors"]]
    assert len(problems) == 3 and bad.json()["detail"].startswith("3 problems in the answers")
    twice = _post(
        client, world, path, None, b'{"answers": {"annex_iii": ["4.a"], "annex_iii": []}}'
    )
    assert twice.status_code == 422 and "annex_iii more than once" in twice.json()["detail"]
    assert client.get(path, headers=_as(world, R.AUDITOR)).status_code == 404


def test_no_answers_at_all_are_refused_and_nothing_recorded(
    api: tuple[TestClient, World],
) -> None:
    """As an empty answers file is on the CLI: a tier nobody answered for is never recorded."""
    client, world = api
    path = f"/api/v1/systems/{world.system().id}/classification"
    for body in ({}, {"answers": {}}):
        for query in ("", "?dry_run=true"):
            refused = _post(client, world, path + query, body)
            assert refused.status_code == 422, (body, query)
            assert "give at least one answer" in refused.json()["detail"]
    assert client.get(path, headers=_as(world, R.AUDITOR)).status_code == 404


def test_answers_over_256_kb_are_refused_naming_the_limit_and_nothing_recorded(
    api: tuple[TestClient, World],
) -> None:
    """The limit an answers file has on the CLI: a request under the 1 MB body limit whose
    answers take more than 256 KB is refused for that alone, in a dry run too."""
    client, world = api
    path = f"/api/v1/systems/{world.system().id}/classification"
    bulky = {"annex_iii": ["4.a"], "roles": ["provider"], "unknown": "x" * (256 * 1024)}
    for query in ("", "?dry_run=true"):
        refused = _post(client, world, path + query, {"answers": bulky})
        assert refused.status_code == 422, query
        assert refused.headers["content-type"] == "application/problem+json"
        (error,) = refused.json()["errors"]
        assert "at most 256 KB (262144 bytes)" in error["msg"]
    bulky["unknown"] = "x" * (250 * 1024)  # under the limit: refused for what it says
    refused = _post(client, world, path, {"answers": bulky})
    assert "256 KB" not in refused.json()["detail"]
    assert "unknown answer(s): unknown" in refused.json()["detail"]
    assert client.get(path, headers=_as(world, R.AUDITOR)).status_code == 404


def test_versions_diff_calendar_and_impact(api: tuple[TestClient, World]) -> None:
    client, world = api
    auditor = _as(world, R.AUDITOR)
    packs = {p["id"]: p for p in client.get("/api/v1/packs", headers=auditor).json()["items"]}
    assert [v["effective"] for v in packs["eu-ai-act"]["versions"]] == ["2024-08-01", "2026-07-27"]
    found = client.get("/api/v1/packs/eu-ai-act/diff?old=original&new=amended", headers=auditor)
    assert {c["id"] for c in found.json()["added"]} == {
        "EUAIA.ART5.1.ba", "EUAIA.ART5.1.bb", "EUAIA.ART111.4"
    }  # fmt: skip
    assert client.get("/api/v1/packs/eu-ai-act/diff?old=x&new=amended",
                      headers=auditor).status_code == 422  # fmt: skip
    system = world.system().id
    _post(
        client,
        world,
        f"/api/v1/systems/{system}/classification",
        {"answers": {"annex_iii": ["4.a"]}},
    )
    calendar = client.get("/api/v1/obligations/calendar?until=2027-12-31", headers=auditor).json()
    assert {i["obligation"] for i in calendar["items"]} >= {"EUAIA.ART9", "EUAIA.ART49.1"}
    assert calendar["items"][0]["answerable"]["basis"] == "system owner"
    impact = client.get("/api/v1/obligations/impact?schedule=original", headers=auditor).json()
    assert impact["systems_changed"] == 1
    assert client.get("/api/v1/obligations/impact?schedule=someday",
                      headers=auditor).status_code == 422  # fmt: skip


def _sign_in(client: TestClient, world: World) -> None:
    person = world.people[R.CHIEF_AI_OFFICER]
    sessions.set_password(world.ctx, world.admin, person.id, "correct horse battery staple")
    page = client.get("/ui/login")
    token = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
    client.post("/ui/login", data={"email": person.email, "password": "correct horse battery "
                                   "staple", "csrf": token})  # fmt: skip


def test_the_calendar_page_and_the_cited_requirement_open(api: tuple[TestClient, World]) -> None:
    client, world = api
    system = world.system()
    _post(client, world, f"/api/v1/systems/{system.id}/classification",
          {"answers": {"annex_iii": ["4.a"]}})  # fmt: skip
    _sign_in(client, world)
    page = client.get("/ui/obligations")
    assert page.status_code == 200 and "2027-12-02" in page.text
    assert f'<a href="/ui/systems/{system.id}">{system.name}</a>' in page.text
    assert 'href="/ui/packs/eu-ai-act#EUAIA.ART9"' in page.text
    assert "2027-12-02" not in client.get("/ui/obligations?until=2027-06-30").text
    assert client.get("/ui/obligations?until=soon").status_code == 422
    pack = client.get("/ui/packs/eu-ai-act")
    assert '<tr id="EUAIA.ANNEXIII.4.a">' in pack.text
    system_page = client.get(f"/ui/systems/{system.id}")
    assert 'href="/ui/packs/eu-ai-act#EUAIA.ANNEXIII.4.a"' in system_page.text
    assert client.get("/ui/packs/nope").status_code == 404
