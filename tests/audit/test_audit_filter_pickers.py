"""The audit page's "who" and "which system" filters are typed, not picked from lists of
every person and system: the server resolves a name, an e-mail, an id or a suggestion; what
names nothing (or several) comes back as typed with the closest named; people who have left
and service accounts are still found, since their events stay on record."""

from __future__ import annotations

import re

from charter.accountability.services import org
from charter.kernel.roles import RoleKind as R
from tests.web.test_ui import _sign_in


def _rows(page: str) -> int:
    return page.count("<tr>") - 1


def _field(page: str, name: str) -> str:
    found = re.search(rf'<input id="{name}" name="{name}" value="([^"]*)"', page)
    assert found is not None, page
    return found.group(1)


def test_who_and_which_system_are_found_by_what_is_typed(engine: object, ui) -> None:  # type: ignore[no-untyped-def]
    client, world, system = ui
    auditor, cao = world.people[R.AUDITOR], world.people[R.CHIEF_AI_OFFICER]
    name = world.system_name(system)
    _sign_in(client, cao.email)
    page = client.get("/ui/audit").text
    assert "<select" not in page  # no list of everyone and every system
    assert 'hx-get="/ui/pick/actors"' in page and 'hx-get="/ui/pick/systems"' in page
    assert "type a name, an e-mail or an id" in page and "type a name or an id" in page
    by_id = client.get("/ui/audit", params={"who": cao.id}).text
    for typed in (cao.name, cao.name.upper(), cao.email, f"{cao.name} ({cao.email})"):
        found = client.get("/ui/audit", params={"who": typed})
        assert found.status_code == 200, typed
        assert _rows(found.text) == _rows(by_id) > 0 and auditor.name not in found.text
    assert _field(by_id, "who") == f"{cao.name} ({cao.email})"  # an id is shown by name
    on_it = client.get("/ui/audit", params={"system": name.lower()}).text
    assert _rows(on_it) == on_it.count(f">{name}</a></td>") > 0
    assert _field(on_it, "system") == name.lower()  # kept as typed
    suggested = client.get("/ui/pick/actors", params={"q": cao.name[:4]}).text
    assert f'value="{cao.name} ({cao.email})"' in suggested
    exported = client.get("/ui/audit/export.csv", params={"who": cao.email, "system": name})
    rows = exported.text.splitlines()[1:]
    assert exported.status_code == 200 and rows and all(f",{system}," in r for r in rows)
    assert client.get("/ui/audit/export.csv", params={"who": "no such one"}).status_code == 422


def test_an_unknown_or_ambiguous_filter_names_the_closest_and_keeps_the_search(  # type: ignore[no-untyped-def]
    engine: object, ui
) -> None:
    client, world, system = ui
    cao = world.people[R.CHIEF_AI_OFFICER]
    name = world.system_name(system)
    _sign_in(client, cao.email)
    typo = cao.name[:-1] + "x"
    refused = client.get("/ui/audit", params={"who": typo, "system": name + "zz", "what": "sys"})
    assert refused.status_code == 422
    text = refused.text
    assert f"no person you may see is named &#39;{typo}&#39;" in text
    assert f"{cao.name} ({cao.email}) [{cao.id}]" in text  # the closest, named
    assert f"no system you may see is named &#39;{name}zz&#39;" in text and f"[{system}]" in text
    assert _field(text, "who") == typo and _field(text, "system") == name + "zz"
    assert 'value="sys"' in text and "Nothing was searched" in text  # nothing unfiltered
    assert "export.csv" not in text
    one, two = world.person("Sam Doe"), world.person("Sam Doe")
    twice = client.get("/ui/audit", params={"who": "sam doe"}).text
    assert "2 persons are named &#39;sam doe&#39;" in twice
    assert f"[{one.id}]" in twice and f"[{two.id}]" in twice
    assert _rows(client.get("/ui/audit", params={"who": two.email}).text) > 0


def test_people_who_left_and_service_accounts_stay_findable(engine: object, ui) -> None:  # type: ignore[no-untyped-def]
    client, world, _ = ui
    leaver = world.person("Lee Leaver", R.PROGRAM_MANAGER)
    org.update_person(world.ctx, world.admin, leaver.id, active=False)
    _sign_in(client, world.people[R.CHIEF_AI_OFFICER].email)
    theirs = client.get("/ui/audit", params={"who": "lee leaver"})
    assert theirs.status_code == 200 and "no person" not in theirs.text
    assert _field(theirs.text, "who") == "lee leaver"
    by_id = client.get("/ui/audit", params={"who": leaver.id}).text
    assert _field(by_id, "who") == f"Lee Leaver ({leaver.email})"
    people = client.get("/ui/pick/people", params={"q": "Lee Le"}).text
    assert "Lee Leaver" not in people  # the forms' picker offers active people only
    assert "Lee Leaver" in client.get("/ui/pick/actors", params={"q": "Lee Le"}).text


def test_only_audit_readers_find_people_through_the_audit_picker(engine: object, ui) -> None:  # type: ignore[no-untyped-def]
    client, world, _ = ui
    _sign_in(client, world.people[R.DATA_SCIENTIST].email)
    refused = client.get("/ui/audit", params={"who": world.people[R.AUDITOR].name})
    assert refused.status_code == 403
    assert "may not audit read" in refused.text and "this needs the role" in refused.text
    assert client.get("/ui/pick/actors", params={"q": "a"}).status_code == 403
