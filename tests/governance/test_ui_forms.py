"""Governance forms over HTTP: the same service, permission and audit event as the API; a
refusal names the role it needs and who holds it; no form without its CSRF token."""

from __future__ import annotations

from charter.audit import services as audit
from charter.governance.files import check_policy
from charter.governance.services import policies
from charter.kernel.roles import RoleKind as R
from tests.web.test_ui import _csrf, _note, _sign_in

FIELDS = {
    "name": "Complaint Routing Assistant",
    "purpose": "Routes customer complaints to the right team",
    "operator_role": "deployer",
    "tags": "complaints, NLP",
}


def test_a_system_registered_by_form_is_audited_as_by_the_api(engine: object, ui) -> None:  # type: ignore[no-untyped-def]
    client, world, _ = ui
    cao = world.people[R.CHIEF_AI_OFFICER]
    _sign_in(client, cao.email)
    form = FIELDS | {"business_unit_id": world.unit.id}
    assert client.post("/ui/systems/new", data=form).status_code == 403  # no CSRF token
    done = client.post("/ui/systems/new", data=form | {"csrf": _csrf(client, "/ui/systems/new")})
    assert done.status_code == 303 and done.headers["location"].startswith("/ui/systems/sys_")
    system_id = done.headers["location"].rsplit("/", 1)[1]
    assert _note(client) == ("Complaint Routing Assistant is registered", False)
    events = audit.entity_history(world.ctx, world.admin, "system", system_id)
    assert [(e.body()["action"], e.body()["actor"]) for e in events] == [
        ("system.registered", cao.id)
    ]
    assert events[0].body()["data"]["tags"] == ["complaints", "nlp"]
    edited = client.post(
        f"/ui/systems/{system_id}/edit",
        data=form | {"purpose": "Routes complaints", "csrf": _csrf(client, "/ui/systems/new")},
    )
    assert edited.status_code == 303 and _note(client) == ("changes saved", False)
    changed = audit.entity_history(world.ctx, world.admin, "system", system_id)[-1].body()
    assert changed["action"] == "system.updated" and list(changed["data"]) == ["purpose"]


def test_a_refused_form_comes_back_filled_in_naming_who_may(engine: object, ui) -> None:  # type: ignore[no-untyped-def]
    client, world, _ = ui
    _sign_in(client, world.people[R.BOARD_MEMBER].email)
    form = FIELDS | {"business_unit_id": world.unit.id, "csrf": _csrf(client, "/ui/systems/new")}
    refused = client.post("/ui/systems/new", data=form)
    assert refused.status_code == 403
    assert "may not inventory write" in refused.text and "this needs the role" in refused.text
    assert world.people[R.CHIEF_AI_OFFICER].name in refused.text  # who holds it
    assert 'value="Complaint Routing Assistant"' in refused.text  # nothing typed is lost
    empty = client.post("/ui/systems/new", data={"csrf": form["csrf"]})
    assert empty.status_code == 422 and "missing system field(s)" in empty.text


def test_a_policy_is_switched_by_those_the_decision_rights_name(engine: object, ui) -> None:  # type: ignore[no-untyped-def]
    client, world, _ = ui
    raw = {
        "id": "dpia-before-assessment", "title": "A DPIA before assessment",
        "applies": {"transitions": [{"to": "assessed"}]},
        "requirements": [{"id": "dpia", "kind": "document", "document": "dpia",
                          "approved_by": ["ethics_compliance_officer"]}],
    }  # fmt: skip
    policy = policies.load_policies(
        world.ctx, world.actor(R.CHIEF_AI_OFFICER), [(raw, check_policy(raw, "p"))]
    )[0]
    _sign_in(client, world.people[R.DATA_SCIENTIST].email)
    token = _csrf(client, "/ui/governance")
    client.post(f"/ui/policies/{policy.id}/enabled", data={"enabled": "false", "csrf": token})
    note, error = _note(client)
    assert error and "this needs the role" in str(note)
    assert world.people[R.ETHICS_COMPLIANCE].name in str(note)
    assert policies.list_policies(world.ctx, world.admin)[0].enabled
    client.cookies.clear()
    _sign_in(client, world.people[R.ETHICS_COMPLIANCE].email)
    token = _csrf(client, "/ui/governance")
    client.post(f"/ui/policies/{policy.id}/enabled", data={"enabled": "false", "csrf": token})
    assert _note(client) == (f"policy {policy.id} is no longer in force", False)
    assert not policies.list_policies(world.ctx, world.admin)[0].enabled
