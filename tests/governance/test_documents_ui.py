"""A document replaced by a new version from the system page: the attach service's right and
audit event, the old version marked superseded by the new one (history kept), and the gate
judging the current version only; refused to a role that may not record evidence."""

from __future__ import annotations

import re

from charter.audit import services as audit
from charter.governance.files import check_policy
from charter.governance.services import documents, policies
from charter.governance.services import gates as governance
from charter.inventory.domain import LifecycleStage as S
from charter.kernel.roles import RoleKind as R
from tests.web.test_ui import _csrf, _note, _sign_in

DPIA_POLICY = {
    "id": "dpia-first", "title": "A DPIA before assessment",
    "applies": {"transitions": [{"to": "assessed"}]},
    "requirements": [{"id": "dpia", "kind": "document", "document": "dpia",
                      "approved_by": ["ethics_compliance_officer"]}],
}  # fmt: skip


def _dpia_verdict(world, system: str) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    gate = governance.check_gate(world.ctx, world.admin, system, S.ASSESSED, False)
    found = [r for r in gate.result.results if r.condition == "policy:dpia-first/dpia"]
    return found[0].verdict.value, found[0].reason


def test_a_document_replaced_by_a_new_version_no_longer_counts(engine: object, ui) -> None:  # type: ignore[no-untyped-def]
    client, world, system = ui
    cao, ethics = world.actor(R.CHIEF_AI_OFFICER), world.actor(R.ETHICS_COMPLIANCE)
    policies.load_policies(world.ctx, cao, [(DPIA_POLICY, check_policy(DPIA_POLICY, "p"))])
    old = documents.attach_document(world.ctx, cao, system, "dpia", "DPIA v1", "dms://dpia/1")
    documents.approve_document(world.ctx, ethics, old.id, R.ETHICS_COMPLIANCE)
    assert _dpia_verdict(world, system)[0] == "satisfied"
    page = f"/ui/systems/{system}"
    _sign_in(client, world.people[R.CHIEF_AI_OFFICER].email)
    shown = client.get(page).text
    assert "Replace with a new version" in shown and f'name="supersedes" value="{old.id}"' in shown
    form = {"kind": "dpia", "title": "DPIA v2", "uri": "dms://dpia/2", "supersedes": old.id}
    done = client.post(f"{page}/documents", data=form | {"csrf": _csrf(client, page)})
    assert done.status_code == 303
    assert _note(client) == (
        "DPIA “DPIA v2” attached; it replaces the earlier version; it awaits approval",
        False,
    )
    new = next(
        d for d in documents.list_documents(world.ctx, world.admin, system) if d.title == "DPIA v2"
    )
    verdict, reason = _dpia_verdict(world, system)
    assert verdict == "not_satisfied" and f"dpia {new.id} awaits approval" in reason
    shown = client.get(page).text
    assert "superseded by “DPIA v2”" in shown and "replaces “DPIA v1”" in shown
    assert shown.count('name="supersedes"') == 1  # only the current version may be replaced
    event = audit.entity_history(world.ctx, world.admin, "system", system)[-1].body()
    assert event["action"] == "document.attached" and event["data"]["supersedes"] == old.id
    # the old version cannot be replaced twice: a second tab's form is refused, nothing stored
    again = client.post(
        f"{page}/documents", data=form | {"title": "DPIA v2b", "csrf": _csrf(client, page)}
    )
    assert again.status_code == 303
    note, error = _note(client)
    assert error and f"already superseded by {new.id}" in str(note)
    assert len(documents.list_documents(world.ctx, world.admin, system)) == 2


def test_replacing_a_document_refused_names_the_right_and_who_holds_it(engine: object, ui) -> None:  # type: ignore[no-untyped-def]
    client, world, system = ui
    cao = world.actor(R.CHIEF_AI_OFFICER)
    policies.load_policies(world.ctx, cao, [(DPIA_POLICY, check_policy(DPIA_POLICY, "p"))])
    old = documents.attach_document(world.ctx, cao, system, "dpia", "DPIA v1", "dms://dpia/1")
    page = f"/ui/systems/{system}"
    _sign_in(client, world.people[R.BOARD_MEMBER].email)
    form = {"kind": "dpia", "title": "DPIA v2", "uri": "dms://dpia/2", "supersedes": old.id}
    client.post(f"{page}/documents", data=form | {"csrf": _csrf(client, page)})
    note, error = _note(client)
    assert error and "this needs the role" in str(note)
    assert world.people[R.CHIEF_AI_OFFICER].name in str(note)
    stored = documents.list_documents(world.ctx, world.admin, system)
    assert [(d.title, d.superseded_by) for d in stored] == [("DPIA v1", None)]
    assert re.search(r"awaiting approval", client.get(page).text)
