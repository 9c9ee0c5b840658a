"""A policy's id is its name in the audit trail, where ids are at most 40 characters: a
longer one is refused up front by the schema on every database (PostgreSQL used to fail at
the audit insert), with every problem of every policy posted named at once."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from charter.governance.services import policies
from charter.kernel.roles import RoleKind as R
from charter.web.app import create_app
from tests.factory import World


def _policy(ident: str, **extra: Any) -> dict[str, Any]:
    owner = {"id": "owner", "kind": "accountability", "owner_named": True}
    return {"id": ident, "title": "Owner named", **extra, "requirements": [owner]}


def _post(world: World, *items: dict[str, Any]) -> Any:
    with TestClient(create_app(world.ctx)) as client:
        headers = {"Authorization": f"Bearer {world.tokens[R.CHIEF_AI_OFFICER]}"}
        return client.post("/api/v1/policies", json={"policies": list(items)}, headers=headers)


def test_a_policy_id_of_forty_characters_is_stored_and_audited(world: World) -> None:
    done = _post(world, _policy("p" * 40))
    assert done.status_code == 201, done.text
    assert [p.id for p in policies.list_policies(world.ctx, world.admin)] == ["p" * 40]


def test_a_longer_policy_id_is_refused_with_every_problem_and_nothing_stored(
    world: World,
) -> None:
    refused = _post(world, _policy("p" * 41), _policy("ok"), _policy("q" * 60, title=""))
    assert refused.status_code == 422, refused.text
    errors = refused.json()["errors"]
    assert {"loc": ["policies[0] id"], "msg": "longer than 40 characters"} in errors
    assert {"loc": ["policies[2] id"], "msg": "longer than 40 characters"} in errors
    assert any(e["loc"] == ["policies[2] title"] for e in errors), "every problem at once"
    assert policies.list_policies(world.ctx, world.admin) == []
