"""Adding people and business units from the people page: the service's rights and audit
event; a refused form comes back filled in, naming the role it needs and who holds it."""

from __future__ import annotations

from charter.accountability.services import org
from charter.audit import services as audit
from charter.kernel.roles import RoleKind as R
from tests.web.test_ui import _csrf, _note, _sign_in

PERSON = {"name": "Noor Haddad", "email": "Noor.Haddad@example.com", "title": "Claims lead"}


def _emails(world) -> set[str]:  # type: ignore[no-untyped-def]
    return {p.email for p in org.list_directory(world.ctx, world.admin, "people", limit=500).items}


def test_people_and_units_are_added_by_organisation_writers(engine: object, ui) -> None:  # type: ignore[no-untyped-def]
    client, world, _ = ui
    cao = world.people[R.CHIEF_AI_OFFICER]
    _sign_in(client, cao.email)
    token = _csrf(client, "/ui/people")
    assert (
        client.post("/ui/people/units", data={"name": "Motor Claims"}).status_code == 403
    )  # no CSRF
    done = client.post("/ui/people/units", data={"name": "Motor Claims", "csrf": token})
    assert done.status_code == 303 and _note(client) == (
        "business unit Motor Claims is added",
        False,
    )
    units = org.list_directory(world.ctx, world.admin, "business_units", limit=500).items
    unit = next(u for u in units if u.name == "Motor Claims")
    events = audit.entity_history(world.ctx, world.admin, "business_unit", unit.id)
    assert [(e.body()["action"], e.body()["actor"]) for e in events] == [
        ("business_unit.created", cao.id)
    ]
    form = PERSON | {"business_unit_id": unit.id, "csrf": token}
    done = client.post("/ui/people", data=form)
    assert done.status_code == 303 and done.headers["location"] == "/ui/people#grant"
    assert _note(client) == ("Noor Haddad is added: grant their roles below", False)
    everyone = org.list_directory(world.ctx, world.admin, "people", limit=500).items
    person = next(p for p in everyone if p.email == "noor.haddad@example.com")
    assert (person.business_unit_id, person.title) == (unit.id, "Claims lead")
    events = audit.entity_history(world.ctx, world.admin, "person", person.id)
    assert [(e.body()["action"], e.body()["actor"]) for e in events] == [("person.created", cao.id)]
    again = client.post("/ui/people", data=form)  # the e-mail is taken: nothing is lost
    assert again.status_code == 409 and 'value="Noor Haddad"' in again.text


def test_adding_people_is_refused_to_others_naming_who_may(engine: object, ui) -> None:  # type: ignore[no-untyped-def]
    client, world, _ = ui
    _sign_in(client, world.people[R.DATA_SCIENTIST].email)
    token = _csrf(client, "/ui/people")
    refused = client.post("/ui/people", data=PERSON | {"csrf": token})
    assert refused.status_code == 403 and "this needs the role" in refused.text
    assert world.people[R.CHIEF_AI_OFFICER].name in refused.text
    assert 'value="Noor.Haddad@example.com"' in refused.text
    assert "noor.haddad@example.com" not in _emails(world)
    refused = client.post("/ui/people/units", data={"name": "Motor Claims", "csrf": token})
    assert refused.status_code == 403 and 'value="Motor Claims"' in refused.text
    bad = client.post("/ui/people", data={"name": "X", "email": "not-an-address", "csrf": token})
    assert bad.status_code == 403  # the right is checked before the input
