"""Safer defaults of the built-in library, through the API: a system that decides on people
or flags fraud needs a performance check before deployment whatever its tier, and a waiver
of a blocking requirement on a high-risk system takes two people (four eyes), as the
decision rights say."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, event

from charter.accountability.domain.rights import parse_decision_rights
from charter.governance.files import library_path, load_policy_files
from charter.governance.services import inbox, policies
from charter.inventory import services as inventory
from charter.inventory.domain import LifecycleStage as S
from charter.kernel.roles import RoleKind as R
from charter.web.app import create_app
from tests.factory import World

POLICY = "performance-before-deployment"


@pytest.fixture
def api(world: World) -> Iterator[tuple[TestClient, World]]:
    # the library but the risk register's appetite policy (tests/risks): these systems have
    # no risk assessed, which that policy would block them on before the gates tested here
    library = [p for p in sorted(library_path().glob("*.yaml")) if p.name != "risk-appetite.yaml"]
    policies.load_policies(world.ctx, world.actor(R.CHIEF_AI_OFFICER), load_policy_files(library))
    with TestClient(create_app(world.ctx)) as client:
        yield client, world


def _system(world: World, tags: tuple[str, ...], tier: str) -> str:
    """A system in validation, tagged and classified as given (set up through services)."""
    system = world.system()
    world.full_raci(system.id)
    world.advance(system.id, S.IN_VALIDATION)
    inventory.update_system(
        world.ctx, world.actor(R.CHIEF_AI_OFFICER), system.id, tags=tags, risk_tier=tier
    )
    return system.id


def _as(world: World, role: R) -> dict[str, str]:
    return {"Authorization": f"Bearer {world.tokens[role]}"}


def _blocking(client: TestClient, world: World, system: str) -> list[str]:
    """Why the safer-defaults policy blocks the gate to deployment (empty: it does not)."""
    gate = client.get(
        f"/api/v1/systems/{system}/gate",
        params={"to": "approved_for_deployment", "policies_only": "true"},
        headers=_as(world, R.CHIEF_AI_OFFICER),
    )
    assert gate.status_code == 200, gate.text
    verdicts = [p for p in gate.json()["policies"] if p["policy_id"] == POLICY]
    return [
        r["reason"]
        for p in verdicts
        for r in p["requirements"]
        if r["blocking"] and r["verdict"] not in ("satisfied", "waived")
    ]


def _grant(client: TestClient, world: World, system: str) -> Any:
    expires = world.ctx.clock() + timedelta(days=30)
    body = {"system_id": system, "policy_id": POLICY, "requirement_id": "performance",
            "reason": "pilot", "compensating_measures": "manual review of every decision",
            "expires_at": expires.isoformat()}  # fmt: skip
    granted = client.post("/api/v1/waivers", json=body, headers=_as(world, R.CHIEF_AI_OFFICER))
    assert granted.status_code == 201, granted.text
    return granted.json()


def test_people_and_fraud_systems_need_a_performance_check_whatever_their_tier(
    api: tuple[TestClient, World],
) -> None:
    client, world = api
    fraud = _system(world, ("fraud",), "minimal")
    people = _system(world, ("decides-on-people",), "limited")
    other = _system(world, ("forecasting",), "minimal")
    assert "no evidence of accuracy" in _blocking(client, world, fraud)[0]
    assert _blocking(client, world, people)
    assert _blocking(client, world, other) == []


def test_a_waiver_on_a_high_risk_system_takes_two_people(api: tuple[TestClient, World]) -> None:
    client, world = api
    high = _system(world, ("decides-on-people",), "high")
    waiver = _grant(client, world, high)
    assert waiver["needs_second"] is True and waiver["second_by"] is None
    assert _blocking(client, world, high), "a waiver awaiting its second person lifts nothing"
    confirm = f"/api/v1/waivers/{waiver['id']}/confirm"
    awaiting = [
        [
            w["id"]
            for w in client.get("/api/v1/inbox", headers=_as(world, role)).json()["to_confirm"]
        ]
        for role in (R.CHIEF_AI_OFFICER, R.BOARD_MEMBER)
    ]
    assert awaiting == [[], [waiver["id"]]], "the inbox of the second person, not the granter's"
    own = client.post(confirm, headers=_as(world, R.CHIEF_AI_OFFICER))
    assert own.status_code == 403 and "four eyes" in own.json()["detail"]
    second = client.post(confirm, headers=_as(world, R.BOARD_MEMBER))
    assert second.status_code == 200, second.text
    assert second.json()["second_by"] == world.people[R.BOARD_MEMBER].id
    assert _blocking(client, world, high) == []
    assert client.post(confirm, headers=_as(world, R.BOARD_MEMBER)).status_code == 409

    low = _system(world, ("decides-on-people",), "minimal")
    assert _grant(client, world, low)["needs_second"] is False
    assert _blocking(client, world, low) == []


def test_the_four_eyes_tiers_are_a_decision_right(
    api: tuple[TestClient, World], tmp_path: Path
) -> None:
    shipped = resources.files("charter.accountability").joinpath("data/decision_rights.json")
    rights = json.loads(shipped.read_text())
    assert rights["waivers"]["second_person_for_tiers"] == ["high"]
    rights["waivers"]["second_person_for_tiers"] = []
    _, world = api
    ctx = replace(world.ctx, rights=parse_decision_rights(rights))
    high = _system(world, ("decides-on-people",), "high")
    with TestClient(create_app(ctx)) as relaxed:
        assert _grant(relaxed, world, high)["needs_second"] is False
        assert _blocking(relaxed, world, high) == []


def test_the_inbox_reads_waivers_to_confirm_in_a_bounded_number_of_statements(
    api: tuple[TestClient, World], engine: Engine
) -> None:
    """However many waivers await the second person, the inbox reads them and their systems
    in its one transaction (it used to open one more per waiver, for its system)."""
    client, world = api
    board = world.actor(R.BOARD_MEMBER)

    def counted() -> tuple[int, int]:
        seen: list[str] = []

        def count(*args: Any) -> None:
            seen.append(str(args[2]))

        event.listen(engine, "before_cursor_execute", count)
        try:
            found = inbox.inbox(world.ctx, board)
        finally:
            event.remove(engine, "before_cursor_execute", count)
        return len(seen), len(found.to_confirm)

    _grant(client, world, _system(world, ("decides-on-people",), "high"))
    one = counted()
    for _ in range(2):
        _grant(client, world, _system(world, ("decides-on-people",), "high"))
    assert counted() == (one[0], 3), one
