"""Governance forms over HTTP: the same service, permission and audit event as the API; a
refusal names the role it needs and who holds it; no form without its CSRF token."""

from __future__ import annotations

import csv
import io

from charter.audit import services as audit
from charter.governance.files import check_policy
from charter.governance.services import lifecycle, policies
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


def _post(client, path: str, page: str, **data: str) -> tuple[str | None, bool]:  # type: ignore[no-untyped-def]
    done = client.post(path, data=data | {"csrf": _csrf(client, page)})
    assert done.status_code == 303, done.text
    return _note(client)


def test_a_document_attached_approved_and_the_gate_checked_again(engine: object, ui) -> None:  # type: ignore[no-untyped-def]
    client, world, system = ui
    raw = {
        "id": "dpia-first", "title": "A DPIA before assessment",
        "applies": {"transitions": [{"to": "assessed"}]},
        "requirements": [{"id": "dpia", "kind": "document", "document": "dpia",
                          "approved_by": ["ethics_compliance_officer"]}],
    }  # fmt: skip
    cao, ethics = world.people[R.CHIEF_AI_OFFICER], world.people[R.ETHICS_COMPLIANCE]
    policies.load_policies(  # a DPIA approved by an ethics officer before assessment
        world.ctx, world.actor(R.CHIEF_AI_OFFICER), [(raw, check_policy(raw, "p"))]
    )
    page = f"/ui/systems/{system}"
    _sign_in(client, cao.email)
    note, _ = _post(client, f"{page}/transitions", page, target="assessed", reason="screen it")
    assert "requested assessed" in str(note) and "no dpia attached" in str(note)
    request = lifecycle.pending_requests(world.ctx, world.admin, system)[0]
    client.cookies.clear()
    _sign_in(client, ethics.email)  # the screening approval is given; the DPIA is missing
    note, error = _post(client, f"/ui/transitions/{request.id}/decide", page,
                        decision="approve", reason="screened", back=page)  # fmt: skip
    assert not error and "the gate still waits: " in str(note) and "dpia" in str(note)
    client.cookies.clear()
    _sign_in(client, cao.email)
    note, _ = _post(client, f"{page}/documents", page, kind="dpia", title="DPIA", uri="dms://1")
    assert note == "DPIA “DPIA” attached; it awaits approval"
    client.cookies.clear()
    _sign_in(client, ethics.email)
    found = client.get(page).text
    assert "Approve as" in found and "Check the gate again" in found
    document = found.split('action="/ui/documents/', 1)[1].split("/", 1)[0]
    note, error = _post(client, f"/ui/documents/{document}/approve", page,
                        role="ethics_compliance_officer", system_id=system)  # fmt: skip
    assert not error and "approved as ethics and compliance officer" in str(note)
    note, error = _post(client, f"/ui/transitions/{request.id}/recheck", page, system_id=system)
    assert (note, error) == ("the gate passes now: the system moved to assessed", False)
    last = audit.entity_history(world.ctx, world.admin, "system", system)[-1].body()
    assert (last["action"], last["actor"]) == ("system.transitioned", ethics.id)


def test_the_inventory_exports_as_csv_with_names(engine: object, ui) -> None:  # type: ignore[no-untyped-def]
    client, world, system = ui
    world.system(name="=cmd|' /C calc'!A0")  # a name a spreadsheet would run
    _sign_in(client, world.people[R.CHIEF_AI_OFFICER].email)
    exported = client.get("/ui/systems/export.csv", params={"stage": "proposed"})
    assert exported.status_code == 200 and exported.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(exported.text)))
    mine = next(r for r in rows if r["id"] == system)
    assert mine["name"] == world.system_name(system) and mine["stage"] == "proposed"
    assert mine["business unit"] == world.unit.name
    assert mine["owner"] == world.people[R.EXECUTIVE_SPONSOR].name
    assert "'=cmd|' /C calc'!A0" in {r["name"] for r in rows}
    assert client.get("/ui/systems/export.csv", params={"stage": "deployed"}).text.count("\n") == 1
    assert client.get("/ui/systems/export.csv", params={"tier": "nonsense"}).status_code == 422
