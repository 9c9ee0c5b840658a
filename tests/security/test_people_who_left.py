"""Someone who left (an inactive person) is named nowhere anew: no RACI letter, no system,
dataset or KPI owner, no use-case sponsor, by the API, the page or the command line; but
what they held is cleaned up and worked around: their RACI letter is taken off (the page's
matrix cell too, though its picker offers active people only), and a system whose owner left
is still edited as long as the edit leaves the owner as it is (review F4)."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from charter.accountability.domain.org import Person
from charter.accountability.domain.raci import Activity, RaciLetter
from charter.accountability.services import org, raci
from charter.frameworks.files import classification_data
from charter.identity.services import access, sessions
from charter.inventory import services as inventory
from charter.kernel.cli.session import context
from charter.kernel.errors import Conflict, InvalidInput
from charter.kernel.roles import RoleKind as R
from charter.strategy.domain.strategy import PortfolioDecision
from charter.strategy.services import intake as strategy
from charter.web.app import create_app
from tests.factory import World
from tests.web.test_ui import PASSWORD, _note, _sign_in

ADMIN = "root@example.org"


@pytest.fixture
def api(world: World) -> Iterator[TestClient]:
    with TestClient(create_app(world.ctx), follow_redirects=False) as client:
        yield client


def _as(world: World, role: R) -> dict[str, str]:
    return {"Authorization": f"Bearer {world.tokens[role]}"}


def _left(world: World, name: str) -> Person:
    """A person who held a role, then left the organisation."""
    person = world.person(name, R.DATA_SCIENTIST)
    return org.update_person(world.ctx, world.admin, person.id, active=False)


def _letters(world: World, system: str, activity: Activity) -> dict[str, str]:
    entries, _ = raci.system_raci(world.ctx, world.admin, system)
    return {e.person_id: e.letter.value for e in entries if e.activity is activity}


def test_the_api_takes_a_letter_off_someone_who_left_and_gives_them_none(
    world: World, api: TestClient
) -> None:
    system = world.system().id
    gone = world.person("Gone Soon", R.DATA_SCIENTIST)
    raci.set_letter(world.ctx, world.actor(R.CHIEF_AI_OFFICER), system, Activity.DESIGN,
                    gone.id, RaciLetter.RESPONSIBLE)  # fmt: skip
    org.update_person(world.ctx, world.admin, gone.id, active=False)
    never = _left(world, "Never Here")
    manager = _as(world, R.PROGRAM_MANAGER)
    cell = f"/api/v1/systems/{system}/raci/design"
    for person, letter in ((gone.id, "A"), (never.id, "R"), (never.email, "C")):
        named = api.put(f"{cell}/{person}", json={"letter": letter}, headers=manager)
        assert named.status_code == 422, (person, named.text)
        assert "inactive" in named.json()["detail"]
    whole = api.put(cell, json={"assignments": [{"person_id": gone.id, "letter": "R"},
                                                {"person_id": never.id, "letter": "I"}]},
                    headers=manager)  # fmt: skip
    assert whole.status_code == 422 and never.id in whole.json()["detail"], whole.text
    assert _letters(world, system, Activity.DESIGN) == {gone.id: "R"}  # nothing changed
    kept = api.put(cell, json={"assignments": [{"person_id": gone.id, "letter": "R"}]},
                   headers=manager)  # fmt: skip
    assert kept.status_code == 200, kept.text  # what they hold may stay as it is
    assert api.delete(f"{cell}/{gone.id}", headers=manager).status_code == 204
    assert _letters(world, system, Activity.DESIGN) == {}


@pytest.fixture
def page(world: World) -> Iterator[TestClient]:
    """The UI signed in as the chief AI officer (who holds the RACI and inventory rights)."""
    sessions.set_password(world.ctx, world.admin, world.people[R.CHIEF_AI_OFFICER].id, PASSWORD)
    with TestClient(create_app(world.ctx), follow_redirects=False) as client:
        _sign_in(client, world.people[R.CHIEF_AI_OFFICER].email)
        yield client


def _csrf(client: TestClient, path: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', client.get(path).text)
    assert found is not None
    return found.group(1)


def test_the_matrix_cell_takes_a_letter_off_someone_who_left(
    world: World, page: TestClient
) -> None:
    system = world.system().id
    gone = world.person("Gone Soon", R.DATA_SCIENTIST)
    raci.set_letter(world.ctx, world.actor(R.CHIEF_AI_OFFICER), system, Activity.MONITORING,
                    gone.id, RaciLetter.CONSULTED)  # fmt: skip
    org.update_person(world.ctx, world.admin, gone.id, active=False)
    csrf = _csrf(page, f"/ui/systems/{system}")
    cell = {"activity": "monitoring", "person_id": gone.id, "csrf": csrf}
    other = page.post(f"/ui/systems/{system}/raci", data={**cell, "letter": "A"})
    assert other.status_code == 303 and _note(page)[1] is True  # refused, said so
    assert "inactive" in (_note(page)[0] or "")
    assert _letters(world, system, Activity.MONITORING) == {gone.id: "C"}
    off = page.post(f"/ui/systems/{system}/raci", data={**cell, "letter": ""})
    assert off.status_code == 303
    note, error = _note(page)
    assert error is False and "Gone Soon is no longer named" in (note or ""), note
    assert _letters(world, system, Activity.MONITORING) == {}
    never = _left(world, "Never Here")
    named = page.post(f"/ui/systems/{system}/raci",
                      data={**cell, "person_id": never.email, "letter": "I"})  # fmt: skip
    assert named.status_code == 303 and _note(page)[1] is True
    assert _letters(world, system, Activity.MONITORING) == {}


def _owner(world: World, system: str) -> str | None:
    return inventory.get_system(world.ctx, world.admin, system).owner_id


def test_the_api_keeps_an_owner_who_left_but_names_none_anew(world: World, api: TestClient) -> None:
    owner = world.person("Olga Owner", R.EXECUTIVE_SPONSOR)
    system = inventory.register_system(
        world.ctx, world.actor(R.CHIEF_AI_OFFICER), name="Churn model", purpose="Predicts churn",
        business_unit_id=world.unit.id, owner_id=owner.id,
    ).system.id  # fmt: skip
    org.update_person(world.ctx, world.admin, owner.id, active=False)
    caio = _as(world, R.CHIEF_AI_OFFICER)
    edited = api.patch(f"/api/v1/systems/{system}", json={"purpose": "Predicts churn monthly"},
                       headers=caio)  # fmt: skip
    assert edited.status_code == 200, edited.text
    same = api.patch(f"/api/v1/systems/{system}", json={"owner_id": owner.id}, headers=caio)
    assert same.status_code == 200, same.text
    never = _left(world, "Never Here")
    for ref in (never.id, never.email):
        moved = api.patch(f"/api/v1/systems/{system}", json={"owner_id": ref}, headers=caio)
        assert moved.status_code == 422, moved.text
        assert moved.json()["errors"] == [{"loc": ["owner_id"], "msg": "the person is inactive"}]
    assert _owner(world, system) == owner.id
    made = api.post("/api/v1/systems", headers=caio, json={
        "name": "Left behind", "purpose": "p", "business_unit_id": world.unit.id,
        "owner_id": never.id})  # fmt: skip
    assert made.status_code == 422, made.text
    dataset = api.post("/api/v1/datasets", json={"name": "Claims", "owner_id": never.id},
                       headers=caio)  # fmt: skip
    assert dataset.status_code == 422, dataset.text
    handed = api.patch(
        f"/api/v1/systems/{system}",
        json={"owner_id": world.people[R.EXECUTIVE_SPONSOR].id},
        headers=caio,
    )
    assert handed.status_code == 200 and _owner(world, system) != owner.id


def _form(client: TestClient, system: str) -> dict[str, Any]:
    """The system's edit form as the page fills it in."""
    text = client.get(f"/ui/systems/{system}/edit").text
    fields = dict(re.findall(r'<input id="[^"]*" name="([a-z_]+)"[^>]*? value="([^"]*)"', text))
    fields |= dict(re.findall(r'name="([a-z_]+)"[^>]*>([^<]*)</textarea>', text))
    csrf = re.search(r'name="csrf" value="([^"]+)"', text)
    assert csrf is not None and "owner_id" in fields, fields
    found = {k: html.unescape(v) for k, v in fields.items()}
    return found | {"csrf": csrf.group(1), "business_unit_id": "", "operator_role": "provider"}


def test_the_edit_page_saves_a_system_whose_owner_left(world: World, page: TestClient) -> None:
    owner = world.person("Olga Owner", R.EXECUTIVE_SPONSOR)
    system = inventory.register_system(
        world.ctx, world.actor(R.CHIEF_AI_OFFICER), name="Churn model", purpose="Predicts churn",
        business_unit_id=world.unit.id, owner_id=owner.id,
    ).system.id  # fmt: skip
    org.update_person(world.ctx, world.admin, owner.id, active=False)
    form = _form(page, system) | {"business_unit_id": world.unit.id}
    saved = page.post(f"/ui/systems/{system}/edit", data={**form, "purpose": "Monthly churn"})
    assert saved.status_code == 303, saved.text
    assert inventory.get_system(world.ctx, world.admin, system).purpose == "Monthly churn"
    never = _left(world, "Never Here")
    moved = page.post(f"/ui/systems/{system}/edit", data={**form, "owner_id": never.email})
    assert moved.status_code == 422 and _owner(world, system) == owner.id


def test_the_command_line_keeps_an_owner_who_left_but_names_none_anew(cli) -> None:
    cli("init", "--name", "Root", "--email", ADMIN)
    cli("units", "create", "Retail", "--as", ADMIN)
    cli("roles", "assign", ADMIN, "chief_ai_officer", "--as", ADMIN)
    olga = cli("people", "create", "Olga Owner", "olga@example.org", "--as", ADMIN)
    cli("people", "create", "Nina Never", "nina@example.org", "--as", ADMIN)
    system = cli("systems", "register", "Churn", "--purpose", "p", "--business-unit", "Retail",
                 "--owner", "olga@example.org", "--as", ADMIN)  # fmt: skip
    cli("raci", "set", system["id"], "design", "-r", "olga@example.org", "--as", ADMIN)
    ctx = context()
    people = {p["email"]: p["id"] for p in cli("people", "list", "--as", ADMIN)["items"]}
    admin = access.actor_for(ctx, people[ADMIN])
    for email in ("olga@example.org", "nina@example.org"):
        org.update_person(ctx, admin, people[email], active=False)
    edited = cli("systems", "update", system["id"], "--purpose", "q", "--as", ADMIN)
    assert edited["owner_id"] == olga["id"] and edited["purpose"] == "q"
    refused = cli("systems", "update", system["id"], "--owner", "nina@example.org", "--as", ADMIN,
                  code=3)  # fmt: skip
    assert "inactive" in refused["detail"]
    named = cli("raci", "set", system["id"], "design", "-r", "olga@example.org",
                "-i", "nina@example.org", "--as", ADMIN, code=3)  # fmt: skip
    assert "inactive" in named["detail"]
    assert cli("raci", "set", system["id"], "design", "--as", ADMIN) == []  # taken off


def test_a_kpi_owner_or_a_sponsor_who_left_is_named_nowhere_anew(
    world: World, api: TestClient
) -> None:
    """One level around F4: the KPI owner and the use case's executive sponsor are people
    named the same way; a sponsor who left no longer makes a use case approvable."""
    caio = world.actor(R.CHIEF_AI_OFFICER)
    never = _left(world, "Never Here")
    sponsor = world.person("Sam Sponsor", R.EXECUTIVE_SPONSOR)
    objective = strategy.create_objective(world.ctx, caio, "Grow").id
    case = {"title": "Claims triage", "objective_id": objective,
            "business_unit_id": world.unit.id, "description": "Route claims"}  # fmt: skip
    with pytest.raises(InvalidInput, match=r"sponsor: Never Here .* is inactive"):
        strategy.submit_use_case(world.ctx, world.actor(R.AI_CHAMPION), classification_data(),
                                 sponsor_id=never.id, **case)  # fmt: skip
    uc = strategy.submit_use_case(world.ctx, world.actor(R.AI_CHAMPION), classification_data(),
                                  sponsor_id=sponsor.id, **case)[0]  # fmt: skip
    org.update_person(world.ctx, world.admin, sponsor.id, active=False)
    with pytest.raises(Conflict, match="has left the organisation"):
        strategy.decide_use_case(world.ctx, caio, uc.id, PortfolioDecision.APPROVE, "worth it")
    body = {"name": "Claims routed", "unit": "%", "direction": "increase", "target": 60,
            "use_case_id": uc.id}  # fmt: skip
    headers = _as(world, R.CHIEF_AI_OFFICER)
    refused = api.post("/api/v1/kpis", json=body | {"owner_id": never.email}, headers=headers)
    assert refused.status_code == 422, refused.text
    kpi = api.post("/api/v1/kpis", json=body | {"owner_id": world.people[R.CHIEF_AI_OFFICER].id},
                   headers=headers).json()["id"]  # fmt: skip
    moved = api.patch(f"/api/v1/kpis/{kpi}", json={"owner_id": never.id}, headers=headers)
    assert moved.status_code == 422 and moved.json()["field"] == "owner_id", moved.text
