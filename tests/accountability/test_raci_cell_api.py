"""Issue 23: one cell of a system's RACI matrix through the API (GET, PUT, DELETE of one
activity x person), with the service, right and audit event of the web UI's in-place edit:
the rest of the activity stays as it stands; a role without the RACI right is refused (403)
and nothing changes."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from charter.accountability.domain.raci import Activity, RaciLetter
from charter.accountability.services import raci
from charter.audit import services as audit
from charter.kernel.roles import RoleKind as R
from charter.web.app import create_app
from tests.factory import World


@pytest.fixture
def api(world: World) -> Iterator[TestClient]:
    with TestClient(create_app(world.ctx)) as client:
        yield client


def _as(world: World, role: R) -> dict[str, str]:
    return {"Authorization": f"Bearer {world.tokens[role]}"}


def _raci_events(world: World, system: str) -> list[dict[str, object]]:
    events = audit.entity_history(world.ctx, world.admin, "system", system)
    return [e.body() for e in events if e.body()["action"] == "raci.set"]


def test_a_raci_writer_sets_reads_and_clears_one_cell(world: World, api: TestClient) -> None:
    system = world.system().id
    sponsor, scientist = world.people[R.EXECUTIVE_SPONSOR], world.people[R.DATA_SCIENTIST]
    raci.set_activity(world.ctx, world.actor(R.CHIEF_AI_OFFICER), system, Activity.DESIGN,
                      [(sponsor.id, RaciLetter.ACCOUNTABLE)])  # fmt: skip
    cell = f"/api/v1/systems/{system}/raci/design/{scientist.id}"
    assert api.get(cell, headers=_as(world, R.AUDITOR)).json()["letter"] is None
    put = api.put(cell, json={"letter": "R"}, headers=_as(world, R.PROGRAM_MANAGER))
    assert put.status_code == 200, put.text
    assert put.json() == {"system_id": system, "activity": "design", "person_id": scientist.id,
                          "letter": "R"}  # fmt: skip
    by_mail = f"/api/v1/systems/{system}/raci/design/{scientist.email}"
    assert api.get(by_mail, headers=_as(world, R.AUDITOR)).json()["person_id"] == scientist.id
    entries, _ = raci.system_raci(world.ctx, world.admin, system)
    assert {(e.person_id, e.letter.value) for e in entries if e.activity is Activity.DESIGN} == {
        (sponsor.id, "A"), (scientist.id, "R")}  # the rest of the activity kept  # fmt: skip
    last = _raci_events(world, system)[-1]
    assert last["actor"] == world.people[R.PROGRAM_MANAGER].id
    assert api.delete(cell, headers=_as(world, R.ETHICS_COMPLIANCE)).status_code == 204
    assert api.get(cell, headers=_as(world, R.AUDITOR)).json()["letter"] is None
    assert _raci_events(world, system)[-1]["actor"] == world.people[R.ETHICS_COMPLIANCE].id


def test_a_role_without_the_raci_right_is_refused(world: World, api: TestClient) -> None:
    system = world.system().id
    cell = f"/api/v1/systems/{system}/raci/design/{world.people[R.DATA_SCIENTIST].id}"
    before = len(_raci_events(world, system))
    refused = api.put(cell, json={"letter": "R"}, headers=_as(world, R.DATA_SCIENTIST))
    assert refused.status_code == 403
    assert api.delete(cell, headers=_as(world, R.AUDITOR)).status_code == 403
    assert api.get(cell, headers=_as(world, R.AUDITOR)).json()["letter"] is None
    assert len(_raci_events(world, system)) == before
    bad = api.put(cell, json={"letter": "X"}, headers=_as(world, R.PROGRAM_MANAGER))
    assert bad.status_code == 422 and bad.json()["errors"][0]["loc"]
