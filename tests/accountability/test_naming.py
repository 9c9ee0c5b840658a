"""People and units named as users know them: by id, e-mail or exact name, in the CLI and the
API; a name shared by several is refused with the candidates listed."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from charter.bootstrap import context_for
from charter.kernel.roles import RoleKind as R
from charter.kernel.store.engine import make_engine
from charter.kernel.store.migrate import upgrade
from charter.web.app import create_app
from tests.factory import World, make_world

ADMIN = "root@example.org"
SOFIA = "sofia@example.org"


def test_the_cli_takes_e_mails_and_names_where_it_took_ids(cli) -> None:
    cli("init", "--name", "Root", "--email", ADMIN)
    unit = cli("units", "create", "Retail Banking", "--as", ADMIN)
    sofia = cli(
        "people", "create", "Sofia Rossi", SOFIA, "--business-unit", "Retail Banking", "--as", ADMIN
    )
    assert sofia["business_unit_id"] == unit["id"]
    caio = cli("roles", "assign", SOFIA, "chief_ai_officer", "--as", ADMIN)
    assert caio["person_id"] == sofia["id"]
    scoped = cli(
        "roles", "assign", "Sofia Rossi", "ai_program_manager", "--scope", "business_unit",
        "--scope-id", "Retail Banking", "--as", ADMIN,
    )  # fmt: skip
    assert scoped["person_id"] == sofia["id"] and scoped["scope_id"] == unit["id"]
    listed = cli("roles", "list", "--person", SOFIA, "--as", ADMIN)
    assert {r["id"] for r in listed["items"]} == {caio["id"], scoped["id"]}
    assert [p["id"] for p in cli("people", "list", "--business-unit", "Retail Banking",
                                 "--as", ADMIN)["items"]] == [sofia["id"]]  # fmt: skip
    system = cli(
        "systems", "register", "Credit scoring", "--purpose", "Scores loans",
        "--business-unit", "Retail Banking", "--owner", SOFIA, "--as", SOFIA,
    )  # fmt: skip
    assert (system["business_unit_id"], system["owner_id"]) == (unit["id"], sofia["id"])
    activity = (system["id"], "deployment_approval")
    entries = cli("raci", "set", *activity, "-a", SOFIA, "-r", "Sofia Rossi", "--as", SOFIA, code=3)
    assert "only one RACI letter" in entries["detail"]
    entries = cli("raci", "set", system["id"], "deployment_approval", "-a", SOFIA, "--as", SOFIA)
    assert [e["person_id"] for e in entries] == [sofia["id"]]


def test_a_name_that_names_no_one_or_several_says_so(cli) -> None:
    cli("init", "--name", "Root", "--email", ADMIN)
    cli("units", "create", "Retail", "--as", ADMIN)
    first = cli("people", "create", "Alex Kim", "alex1@example.org", "--as", ADMIN)
    second = cli("people", "create", "Alex Kim", "alex2@example.org", "--as", ADMIN)
    clash = cli("roles", "assign", "Alex Kim", "auditor", "--as", ADMIN, code=3)
    assert clash["error"] == "invalid-input"
    assert f"{first['id']} <alex1@example.org>" in clash["detail"]
    assert f"{second['id']} <alex2@example.org>" in clash["detail"]
    missing = cli("roles", "assign", "nobody@example.org", "auditor", "--as", ADMIN, code=4)
    assert missing["detail"] == "person 'nobody@example.org' does not exist"
    unknown_unit = cli(
        "people", "create", "Lee", "lee@example.org", "--business-unit", "Retial", "--as", ADMIN,
        code=4,
    )  # fmt: skip
    assert "business unit 'Retial'" in unknown_unit["detail"]


@pytest.fixture
def api(tmp_path: Path) -> Iterator[tuple[TestClient, World]]:
    engine = make_engine(f"sqlite:///{tmp_path}/charter.db")
    upgrade(engine)
    world = make_world(context_for(engine))
    with TestClient(create_app(world.ctx)) as client:
        yield client, world
    engine.dispose()


def test_api_bodies_take_e_mails_and_names(api: tuple[TestClient, World]) -> None:
    client, world = api
    admin = {"Authorization": f"Bearer {world.admin_token}"}
    caio = {"Authorization": f"Bearer {world.tokens[R.CHIEF_AI_OFFICER]}"}
    dana = client.post(
        "/api/v1/people",
        json={"name": "Dana Ivers", "email": "dana@example.org",
              "business_unit_id": world.other_unit.name},
        headers=admin,
    )  # fmt: skip
    assert dana.status_code == 201, dana.text
    assert dana.json()["business_unit_id"] == world.other_unit.id
    role = client.post(
        "/api/v1/role-assignments",
        json={"person_id": "dana@example.org", "role": "auditor"},
        headers=admin,
    )
    assert role.status_code == 201, role.text
    assert role.json()["person_id"] == dana.json()["id"]
    system = client.post(
        "/api/v1/systems",
        json={"name": "Fraud triage", "purpose": "Flags claims",
              "business_unit_id": world.unit.name, "owner_id": "Dana Ivers"},
        headers=caio,
    )  # fmt: skip
    assert system.status_code == 201, system.text
    assert system.json()["owner_id"] == dana.json()["id"]
    assert system.json()["business_unit_id"] == world.unit.id
