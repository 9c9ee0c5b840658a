"""The RACI matrix on the system page, one cell at a time over HTTP: the API's right and
audit event, findings beside their row after each change, a refusal naming who may, and a
cell that leaves the rest of its row as another editor left it."""

from __future__ import annotations

import re

from charter.accountability.domain.raci import Activity, RaciLetter
from charter.accountability.services import raci
from charter.audit import services as audit
from charter.kernel.roles import RoleKind as R
from tests.web.test_ui import _csrf, _note, _sign_in


def _row(page: str, activity: str) -> str:
    found = re.search(rf'<tr id="raci-{activity}">(.*?)</tr>', page, re.S)
    assert found, activity
    return found.group(1)


def test_a_cell_is_set_by_a_raci_writer_audited_and_its_findings_follow(engine: object, ui) -> None:  # type: ignore[no-untyped-def]
    client, world, system = ui
    cao, sponsor = world.people[R.CHIEF_AI_OFFICER], world.people[R.EXECUTIVE_SPONSOR]
    _sign_in(client, cao.email)
    path = f"/ui/systems/{system}"
    before = client.get(path).text
    assert "nobody accountable" in _row(before, "design")
    cell = {"activity": "design", "person_id": sponsor.id, "letter": "A"}
    assert client.post(f"{path}/raci", data=cell).status_code == 403  # no CSRF token
    done = client.post(f"{path}/raci", data=cell | {"csrf": _csrf(client, path)})
    assert done.status_code == 303 and done.headers["location"] == f"{path}#raci"
    assert _note(client) == (f"design: {sponsor.name} is Accountable (A)", False)
    row = _row(client.get(path).text, "design")
    assert "nobody accountable" not in row and "nobody responsible" in row
    assert re.search(r'<option value="A" selected>', row)
    event = audit.entity_history(world.ctx, world.admin, "system", system)[-1].body()
    assert event["action"] == "raci.set" and event["actor"] == cao.id
    assert event["data"] == {"activity": "design", "before": [], "after": [[sponsor.id, "A"]]}
    # a second Accountable: the row says so; taking the letter off again clears it
    token = _csrf(client, path)
    client.post(f"{path}/raci", data=cell | {"person_id": cao.id, "csrf": token})
    assert "several accountable" in _row(client.get(path).text, "design")
    client.post(f"{path}/raci", data=cell | {"person_id": cao.id, "letter": "", "csrf": token})
    assert _note(client) == (f"design: {cao.name} is no longer named", False)
    assert "several accountable" not in _row(client.get(path).text, "design")


def test_a_cell_leaves_the_rest_of_its_row_as_it_stands(engine: object, ui) -> None:  # type: ignore[no-untyped-def]
    """Another editor named someone in the row after this page was drawn: one cell changes,
    their letter stays."""
    client, world, system = ui
    cao, ds = world.people[R.CHIEF_AI_OFFICER], world.people[R.DATA_SCIENTIST]
    _sign_in(client, cao.email)
    path = f"/ui/systems/{system}"
    token = _csrf(client, path)
    raci.set_activity(
        world.ctx, world.actor(R.PROGRAM_MANAGER), system, Activity.MONITORING,
        [(ds.id, RaciLetter.RESPONSIBLE)],
    )  # fmt: skip
    cell = {"activity": "monitoring", "person_id": cao.id, "letter": "A", "csrf": token}
    assert client.post(f"{path}/raci", data=cell).status_code == 303
    entries, _ = raci.system_raci(world.ctx, world.admin, system)
    assert {(e.person_id, e.letter) for e in entries if e.activity is Activity.MONITORING} == {
        (ds.id, RaciLetter.RESPONSIBLE),
        (cao.id, RaciLetter.ACCOUNTABLE),
    }


def test_a_cell_refused_names_the_right_and_who_holds_it(engine: object, ui) -> None:  # type: ignore[no-untyped-def]
    client, world, system = ui
    _sign_in(client, world.people[R.DATA_SCIENTIST].email)
    path = f"/ui/systems/{system}"
    cell = {"activity": "design", "person_id": world.people[R.DATA_SCIENTIST].id,
            "letter": "R", "csrf": _csrf(client, path)}  # fmt: skip
    assert client.post(f"{path}/raci", data=cell).status_code == 303
    refused, error = _note(client)
    assert error and refused and "may not raci write" in refused
    assert "this needs the role" in refused and world.people[R.CHIEF_AI_OFFICER].name in refused
    entries, _ = raci.system_raci(world.ctx, world.admin, system)
    assert entries == []
    odd = client.post(f"{path}/raci", data=cell | {"letter": "X"})
    assert odd.status_code == 303 and "no such RACI letter" in (_note(client)[0] or "")
