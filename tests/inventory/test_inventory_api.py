"""PATCH of vendors, datasets and models over the API: only the fields sent change (and only
a change is audited), through the services the UI's edit forms call; refusals as
problem+json (404 unknown, 409 a name another holds, 422 bad input naming every field, 403
without the inventory right), on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from charter.audit import services as audit
from charter.inventory import services as inventory
from charter.kernel.roles import RoleKind as R
from charter.web.app import create_app
from tests.factory import World


@pytest.fixture
def api(world: World) -> Iterator[tuple[TestClient, World]]:
    with TestClient(create_app(world.ctx)) as client:
        yield client, world


def _auth(world: World, role: R = R.PROGRAM_MANAGER) -> dict[str, str]:
    return {"Authorization": f"Bearer {world.tokens[role]}"}


def _problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body: dict[str, Any] = response.json()
    return body


def _records(world: World, kind: str) -> dict[str, str]:
    """One of each: a vendor, a dataset, a model on a system (kind -> id)."""
    pm = world.actor(R.PROGRAM_MANAGER)
    vendor = inventory.register_vendor(world.ctx, pm, "Aster", website="https://aster.example")
    dataset = inventory.register_dataset(world.ctx, pm, "Claims 2025", source="warehouse")
    model = inventory.register_model(world.ctx, pm, "claims-gbm", world.system().id, "GBM")
    return {"vendors": vendor.id, "datasets": dataset.id, "models": model.id}


def _actions(world: World, kind: str, ident: str) -> list[tuple[str, Any]]:
    events = audit.entity_history(world.ctx, world.admin, kind, ident)
    return [(e.body()["action"], e.body()["data"]) for e in events]


CHANGES = {
    "vendors": ({"contact": "desk@aster.example"}, "website", "https://aster.example"),
    "datasets": ({"contains_personal_data": True, "retention": "7 years"}, "source", "warehouse"),
    "models": ({"description": "Gradient boosting, monthly refit"}, "name", "claims-gbm"),
}


@pytest.mark.parametrize("kind", sorted(CHANGES))
def test_a_patch_changes_only_the_fields_sent(api: tuple[TestClient, World], kind: str) -> None:
    client, world = api
    ident = _records(world, kind)[kind]
    change, kept, value = CHANGES[kind]
    done = client.patch(f"/api/v1/{kind}/{ident}", json=change, headers=_auth(world))
    assert done.status_code == 200, done.text
    assert {k: done.json()[k] for k in change} == change and done.json()[kept] == value
    read = client.get(f"/api/v1/{kind}/{ident}", headers=_auth(world)).json()
    assert {k: read[k] for k in change} == change and read[kept] == value
    entity = kind[:-1]
    assert _actions(world, entity, ident)[-1] == (
        f"{entity}.updated",
        {k: [_before(kind, k), v] for k, v in change.items()},
    )
    again = client.patch(f"/api/v1/{kind}/{ident}", json=change, headers=_auth(world))
    assert again.status_code == 200 and len(_actions(world, entity, ident)) == 2  # no change


def _before(kind: str, field: str) -> Any:
    return {"contains_personal_data": False}.get(field, "GBM" if kind == "models" else "")


@pytest.mark.parametrize("kind", sorted(CHANGES))
def test_a_patch_is_refused_as_problem_json(api: tuple[TestClient, World], kind: str) -> None:
    client, world = api
    ident = _records(world, kind)[kind]
    pm = world.actor(R.PROGRAM_MANAGER)
    other = {
        "vendors": lambda: inventory.register_vendor(world.ctx, pm, "Birch"),
        "datasets": lambda: inventory.register_dataset(world.ctx, pm, "Birch"),
        "models": lambda: inventory.register_model(world.ctx, pm, "Birch"),
    }[kind]()
    url = f"/api/v1/{kind}/{ident}"
    _problem(client.patch(f"/api/v1/{kind}/nope", json={"name": "x"}, headers=_auth(world)), 404)
    clash = client.patch(url, json={"name": " birch "}, headers=_auth(world))
    assert other.name in _problem(clash, 409)["detail"]
    bad = _problem(client.patch(url, json={"name": "", "colour": "red"}, headers=_auth(world)), 422)
    assert {tuple(e["loc"][-1:]) for e in bad["errors"]} == {("name",), ("colour",)}
    _problem(client.patch(url, json={"name": None}, headers=_auth(world)), 422)
    refused = client.patch(url, json={"name": "Cedar"}, headers=_auth(world, R.AUDITOR))
    assert "may not" in _problem(refused, 403)["detail"]
    assert len(_actions(world, kind[:-1], ident)) == 1  # nothing written by a refusal


def test_a_dataset_patch_is_checked_as_a_whole(api: tuple[TestClient, World]) -> None:
    client, world = api
    ident = _records(world, "datasets")["datasets"]
    url = f"/api/v1/datasets/{ident}"
    special = client.patch(url, json={"special_category_data": True}, headers=_auth(world))
    assert "personal data" in _problem(special, 422)["detail"]
    owner = client.patch(url, json={"owner_id": "p_nobody"}, headers=_auth(world))
    _problem(owner, 404)
    person = world.people[R.DATA_SCIENTIST]
    done = client.patch(url, json={"owner_id": person.email}, headers=_auth(world))
    assert done.json()["owner_id"] == person.id  # named by e-mail, stored by id
    cleared = client.patch(url, json={"owner_id": None}, headers=_auth(world))
    assert cleared.status_code == 200 and cleared.json()["owner_id"] is None


def test_a_model_moves_between_systems_only_to_one_that_exists(
    api: tuple[TestClient, World],
) -> None:
    client, world = api
    ident = _records(world, "models")["models"]
    url = f"/api/v1/models/{ident}"
    _problem(client.patch(url, json={"system_id": "sys_nope"}, headers=_auth(world)), 404)
    target = world.system("Claims triage")
    moved = client.patch(url, json={"system_id": target.id}, headers=_auth(world))
    assert moved.status_code == 200 and moved.json()["system_id"] == target.id
    detached = client.patch(url, json={"system_id": None}, headers=_auth(world))
    assert detached.json()["system_id"] is None
