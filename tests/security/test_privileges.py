"""Item 5: nobody raises their own rights or acts as someone else: only administrators grant
or revoke `administrator`; nobody mints a token for another person (an administrator issues
tokens only to service accounts, whose every audited act says so); the last active
administrator stays."""

from __future__ import annotations

from typing import Any

from charter.kernel.roles import RoleKind as R
from tests.security.conftest import Site


def _grant(site: Site, who: R, person_id: str, role: str = "administrator") -> Any:
    body = {"person_id": person_id, "role": role}
    return site.client.post("/api/v1/role-assignments", json=body, headers=site.auth(who))


def test_a_chief_ai_officer_cannot_make_herself_administrator(site: Site) -> None:
    caio = site.world.people[R.CHIEF_AI_OFFICER].id
    assert _grant(site, R.CHIEF_AI_OFFICER, caio).status_code == 403
    assert _grant(site, R.ADMINISTRATOR, caio).status_code == 201


def test_only_an_administrator_revokes_administrator(site: Site) -> None:
    board = site.world.people[R.BOARD_MEMBER].id
    granted = _grant(site, R.ADMINISTRATOR, board)
    assert granted.status_code == 201
    path = f"/api/v1/role-assignments/{granted.json()['id']}"
    assert site.client.delete(path, headers=site.auth(R.CHIEF_AI_OFFICER)).status_code == 403
    assert site.client.delete(path, headers=site.auth(R.ADMINISTRATOR)).status_code == 204


def test_nobody_mints_a_token_for_another_person(site: Site) -> None:
    victim = site.world.people[R.ETHICS_COMPLIANCE].id
    for role in R:
        if role is R.ETHICS_COMPLIANCE:
            continue
        body = {"person_id": victim, "name": "impersonation"}
        response = site.client.post("/api/v1/tokens", json=body, headers=site.auth(role))
        assert response.status_code == 403, (role, response.text)


def test_everyone_creates_their_own_token(site: Site) -> None:
    for role in R:
        made = site.client.post("/api/v1/tokens", json={"name": "laptop"}, headers=site.auth(role))
        assert made.status_code == 201, (role, made.text)
        assert made.json()["person_id"] == site.world.people[role].id
        me = site.client.get(
            "/api/v1/me", headers={"Authorization": f"Bearer {made.json()['secret']}"}
        )
        assert me.json()["person_id"] == site.world.people[role].id


def test_a_service_token_marks_every_event_it_authenticates(site: Site) -> None:
    admin = site.auth(R.ADMINISTRATOR)
    robot = {"name": "CI pipeline", "email": "ci@example.org", "service_account": True}
    made = site.client.post("/api/v1/people", json=robot, headers=admin)
    assert made.status_code == 201, made.text
    service = made.json()["id"]
    assert _grant(site, R.ADMINISTRATOR, service, "data_scientist").status_code == 201
    body = {"person_id": service, "name": "ci"}
    caio = site.client.post("/api/v1/tokens", json=body, headers=site.auth(R.CHIEF_AI_OFFICER))
    assert caio.status_code == 403
    issued = site.client.post("/api/v1/tokens", json=body, headers=admin)
    assert issued.status_code == 201, issued.text
    as_robot = {"Authorization": f"Bearer {issued.json()['secret']}"}
    system = site.client.post(
        "/api/v1/systems",
        json={"name": "Robot-made", "purpose": "p", "business_unit_id": site.world.unit.id},
        headers=as_robot,
    )
    assert system.status_code == 201, system.text
    history = site.client.get(
        f"/api/v1/audit/history/system/{system.json()['id']}", headers=site.auth(R.AUDITOR)
    ).json()["items"]
    assert [e["event"]["actor"] for e in history] == [f"service-account:{service}"]
    # a human cannot be turned into a service account to be handed a token
    human = site.world.people[R.AI_CHAMPION].id
    turned = site.client.patch(
        f"/api/v1/people/{human}", json={"service_account": True}, headers=admin
    )
    assert turned.status_code == 422


def test_the_last_active_administrator_cannot_be_deactivated(site: Site) -> None:
    admin_id = site.world.people[R.ADMINISTRATOR].id
    admin = site.auth(R.ADMINISTRATOR)
    path = f"/api/v1/people/{admin_id}"
    assert site.client.patch(path, json={"active": False}, headers=admin).status_code == 409
    # a second administrator who is inactive does not count
    board = site.world.people[R.BOARD_MEMBER].id
    assert _grant(site, R.ADMINISTRATOR, board).status_code == 201
    assert (
        site.client.patch(f"/api/v1/people/{board}", json={"active": False}, headers=admin)
    ).status_code == 200
    assert site.client.patch(path, json={"active": False}, headers=admin).status_code == 409
    roles = site.client.get(
        f"/api/v1/role-assignments?person_id={admin_id}&role=administrator", headers=admin
    ).json()["items"]
    revoke = site.client.delete(f"/api/v1/role-assignments/{roles[0]['id']}", headers=admin)
    assert revoke.status_code == 409
