"""Routes that answer pre-serialised JSON (charter.kernel.web.contract.answer) keep their
declared contract: each answer validates against the model its route declares, with the
status it declares, and carries the bytes FastAPI's own JSON answer would."""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from pydantic import TypeAdapter

from charter.governance.files import check_policy
from charter.governance.services import lifecycle, policies
from charter.inventory.domain import LifecycleStage as S
from charter.kernel.roles import RoleKind as R
from charter.kernel.web.contract import answer
from charter.web.app import ROUTERS, create_app
from tests.factory import World

OWNER = {"id": "owner", "kind": "accountability", "owner_named": True}
RACI = {"id": "raci", "kind": "accountability", "raci_complete": True}


def _declared(method: str, path: str) -> tuple[int, Any]:
    """The success status and model the route at `path` declares."""
    for router in ROUTERS:
        for route in router.routes:
            if not isinstance(route, APIRoute) or method not in route.methods:
                continue
            if f"/api/v1{route.path}" == path:
                status, said = next((s, r) for s, r in route.responses.items() if int(s) < 300)
                return int(status), said["model"]
    raise AssertionError(f"no route {method} {path}")


def test_each_pre_serialised_route_answers_its_declared_shape(world: World) -> None:
    caio, pm = world.actor(R.CHIEF_AI_OFFICER), world.actor(R.PROGRAM_MANAGER)
    policy = {"id": "named", "title": "Owner and RACI", "requirements": [OWNER, RACI]}
    policies.load_policies(world.ctx, caio, [(policy, check_policy(policy, "policy"))])
    system = world.system()
    blocked = world.system()
    lifecycle.request_transition(world.ctx, pm, blocked.id, S.ASSESSED, "next step")
    app = create_app(world.ctx)
    calls: list[tuple[str, str, str, dict[str, Any] | None]] = [
        ("GET", "/api/v1/systems", "/api/v1/systems?limit=50", None),
        ("GET", "/api/v1/systems/{system_id}", f"/api/v1/systems/{system.id}", None),
        ("PATCH", "/api/v1/systems/{system_id}", f"/api/v1/systems/{system.id}",
         {"purpose": "Scores things, now with ümlauts."}),
        ("GET", "/api/v1/systems/{system_id}/gate",
         f"/api/v1/systems/{blocked.id}/gate?to=assessed", None),
        ("GET", "/api/v1/posture", "/api/v1/posture", None),
        ("GET", "/api/v1/audit/events", "/api/v1/audit/events?limit=50", None),
        ("GET", "/api/v1/inbox", "/api/v1/inbox", None),
        ("POST", "/api/v1/business-units", "/api/v1/business-units",
         {"name": "Wholesale", "description": "Sells in bulk"}),
    ]  # fmt: skip
    headers = {"Authorization": f"Bearer {world.tokens[R.CHIEF_AI_OFFICER]}"}
    with TestClient(app, headers=headers) as client:
        for method, route, path, body in calls:
            got = client.request(method, path, json=body)
            status, model = _declared(method, route)
            assert got.status_code == status, (path, got.text)
            assert got.headers["content-type"] == "application/json", path
            TypeAdapter(model).validate_json(got.content)
            assert got.content == JSONResponse(got.json()).body, path
            if path.endswith("/inbox"):
                assert got.json()["transitions"], "the pending request is in the inbox"
            if path.endswith("/posture"):
                assert {p["system"] for p in got.json()["systems"]} >= {system.id, blocked.id}


def test_an_answer_that_is_not_json_ready_fails_rather_than_being_coerced() -> None:
    from datetime import UTC, datetime

    with pytest.raises(TypeError):
        answer({"at": datetime.now(UTC)})
    with pytest.raises(ValueError, match="JSON compliant"):
        answer({"x": float("nan")})
    assert json.loads(answer({"ü": [1, "€"]}, 201).body) == {"ü": [1, "€"]}
    assert answer({}, 201).status_code == 201
