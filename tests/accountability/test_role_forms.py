"""Granting and revoking roles from the people page: the service's rights and audit, and a
refusal that names who may."""

from __future__ import annotations

from charter.accountability.services import org
from charter.audit import services as audit
from charter.kernel.roles import RoleKind as R
from charter.kernel.roles import ScopeKind
from tests.web.test_ui import _csrf, _note, _sign_in


def _roles(world, person_id: str) -> set[tuple[str, str | None]]:  # type: ignore[no-untyped-def]
    found = org.list_directory(world.ctx, world.admin, "role_assignments", limit=500).items
    return {(r.role.value, r.scope_id) for r in found if r.person_id == person_id}


def test_roles_are_granted_and_revoked_by_those_who_may(engine: object, ui) -> None:  # type: ignore[no-untyped-def]
    client, world, _ = ui
    person = world.people[R.AUDITOR]
    grant = {"person_id": person.id, "role": "ai_champion", "unit_id": world.unit.id}
    _sign_in(client, world.people[R.DATA_SCIENTIST].email)
    client.post("/ui/people/roles", data=grant | {"csrf": _csrf(client, "/ui/people")})
    note, error = _note(client)
    assert error and "this needs the role" in str(note)
    assert world.people[R.CHIEF_AI_OFFICER].name in str(note)
    assert ("ai_champion", world.unit.id) not in _roles(world, person.id)
    client.cookies.clear()
    _sign_in(client, world.people[R.CHIEF_AI_OFFICER].email)
    client.post("/ui/people/roles", data=grant | {"csrf": _csrf(client, "/ui/people")})
    assert _note(client) == ("AI champion granted", False)
    assert ("ai_champion", world.unit.id) in _roles(world, person.id)
    admin = grant | {"role": "administrator", "unit_id": ""}
    client.post("/ui/people/roles", data=admin | {"csrf": _csrf(client, "/ui/people")})
    note, error = _note(client)
    assert error and "may not grant or revoke the administrator role" in str(note)
    held = org.list_directory(world.ctx, world.admin, "role_assignments", limit=500).items
    given = next(r for r in held if r.person_id == person.id and r.scope is ScopeKind.BUSINESS_UNIT)
    page = client.get("/ui/people").text
    assert f'action="/ui/people/roles/{given.id}/revoke"' in page
    client.post(f"/ui/people/roles/{given.id}/revoke", data={"csrf": _csrf(client, "/ui/people")})
    assert _note(client) == ("role revoked", False)
    assert ("ai_champion", world.unit.id) not in _roles(world, person.id)
    actions = [
        e.body()["action"]
        for e in audit.entity_history(world.ctx, world.admin, "person", person.id)
    ]
    assert actions[-2:] == ["role.assigned", "role.revoked"]
