"""Issue 23: searchable choices (charter.kernel.web.picker) at organisation scale. The
suggestions are few (at most 20) and only of what the reader may see; what was typed is read
back by id, e-mail, exact name (case aside) or as a suggestion shows it, past the first 500
records; a name that is several people or nothing is refused with the candidates or the
closest, the form kept as typed."""

from __future__ import annotations

import html
import re
from dataclasses import replace

from charter.accountability.services import org, raci
from charter.identity.services import sessions
from charter.inventory import services as inventory
from charter.kernel.roles import RoleKind as R
from charter.kernel.roles import ScopeKind
from charter.kernel.web.picker import MATCHED
from tests.accountability.test_beyond_a_page import MANY, _many_systems
from tests.web.test_ui import PASSWORD, _csrf, _note, _sign_in, ui

__all__ = ["ui"]  # the fixture these tests build on


def _options(html: str) -> list[str]:
    return re.findall(r'<option value="([^"]*)">', html)


def test_suggestions_are_few_and_only_what_the_reader_may_see(engine: object, ui) -> None:  # type: ignore[no-untyped-def]
    client, world, _ = ui
    _many_systems(world, MANY, world.unit, "Zeta scorer")
    world.system("Zeta hidden", world.other_unit)
    _sign_in(client, world.people[R.CHIEF_AI_OFFICER].email)
    assert len(_options(client.get("/ui/pick/systems?q=zeta").text)) == 20
    assert _options(client.get(f"/ui/pick/systems?system_id=scorer {MANY - 1:04}").text) == [
        f"Zeta scorer {MANY - 1:04}"
    ]
    assert _options(client.get("/ui/pick/systems?q=hidden").text) == ["Zeta hidden"]
    assert client.get("/ui/pick/nothing?q=a").status_code == 404
    scoped = world.person("Una Scoped", R.AUDITOR, scope=ScopeKind.BUSINESS_UNIT,
                          scope_id=world.unit.id)  # fmt: skip
    sessions.set_password(world.ctx, world.admin, scoped.id, PASSWORD)
    client.cookies.clear()
    _sign_in(client, scoped.email)
    assert _options(client.get("/ui/pick/systems?q=hidden").text) == []
    assert len(_options(client.get("/ui/pick/systems?q=zeta").text)) == 20
    client.cookies.clear()
    assert client.get("/ui/pick/systems?q=zeta").status_code == 303  # signed out: sign in


def test_a_system_typed_past_the_first_500_is_read_back(engine: object, ui) -> None:  # type: ignore[no-untyped-def]
    client, world, _ = ui
    ids = _many_systems(world, MANY, world.unit, "Zeta scorer")
    _sign_in(client, world.people[R.CHIEF_AI_OFFICER].email)
    form = {"name": "router", "system_id": f"zeta SCORER {MANY - 1:04}", "vendor_id": "",
            "description": "", "csrf": _csrf(client, "/ui/models")}  # fmt: skip
    done = client.post("/ui/models", data=form)
    assert done.status_code == 303, done.text
    (model,) = inventory.all_in_directory(world.ctx, world.admin, "models", {"name": "router"})
    assert model.system_id == ids[-1]
    form |= {"name": "router 2", "system_id": "Zeta scorer 06"}
    refused = client.post("/ui/models", data=form)
    assert refused.status_code == 422
    assert "no system you may see is named &#39;Zeta scorer 06&#39;; the closest:" in refused.text
    assert 'value="Zeta scorer 06"' in refused.text and 'value="router 2"' in refused.text
    assert not inventory.all_in_directory(world.ctx, world.admin, "models", {"name": "router 2"})


def test_two_people_of_one_name_are_told_apart(engine: object, ui) -> None:  # type: ignore[no-untyped-def]
    client, world, system = ui
    one = org.create_person(world.ctx, world.admin, "Sam Lee", "sam.lee@example.org", world.unit.id)
    org.create_person(world.ctx, world.admin, "Sam Lee", "sam.lee2@example.org", world.unit.id)
    _sign_in(client, world.people[R.CHIEF_AI_OFFICER].email)
    token = _csrf(client, f"/ui/systems/{system}")
    post = {"activity": "retirement", "letter": "I", "csrf": token}
    client.post(f"/ui/systems/{system}/raci", data=post | {"person_id": "sam lee"})
    note, error = _note(client)
    assert error and note is not None and "2 persons are named 'sam lee'" in note
    assert "sam.lee@example.org" in note and "sam.lee2@example.org" in note
    suggested = sorted(_options(client.get("/ui/pick/people?q=sam").text))
    assert suggested == ["Sam Lee (sam.lee2@example.org)", "Sam Lee (sam.lee@example.org)"]
    client.post(
        f"/ui/systems/{system}/raci", data=post | {"person_id": "Sam Lee (sam.lee@example.org)"}
    )
    note, error = _note(client)
    assert not error and note == "retirement: Sam Lee is Informed (I)", note
    entries, _ = raci.system_raci(world.ctx, world.admin, system)
    assert [e.person_id for e in entries if e.activity.value == "retirement"] == [one.id]


def _decoys(world, count: int) -> None:  # type: ignore[no-untyped-def]
    """`count` systems of the other unit whose purpose holds "Payroll" and whose names sort
    before it, written straight to the repository (cheap at scale)."""
    model = world.system("Aaa decoy", world.other_unit)
    with world.ctx.uow() as uow:
        for n in range(1, count + 1):
            uow.systems.add(replace(model, id=f"{model.id}-{n}", name=f"Aaa decoy {n:04}",
                                    purpose="Feeds Payroll."))  # fmt: skip
        uow.commit()


def _model_form(client, name: str, system: str) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {"name": name, "system_id": system, "vendor_id": "", "description": "",
            "csrf": _csrf(client, "/ui/models")}  # fmt: skip


def test_a_name_is_read_back_by_equality_not_from_a_window_of_matches(engine: object, ui) -> None:  # type: ignore[no-untyped-def]
    client, world, _ = ui
    _decoys(world, MATCHED)
    payroll = world.system("Payroll", world.unit)
    _sign_in(client, world.people[R.CHIEF_AI_OFFICER].email)
    done = client.post("/ui/models", data=_model_form(client, "router", "payroll"))
    assert done.status_code == 303, done.text
    (model,) = inventory.all_in_directory(world.ctx, world.admin, "models", {"name": "router"})
    assert model.system_id == payroll.id


def test_two_people_of_a_name_are_refused_past_a_window_of_matches(engine: object, ui) -> None:  # type: ignore[no-untyped-def]
    client, world, system = ui
    unit = world.unit.id
    one = org.create_person(world.ctx, world.admin, "Sam Lee", "sam.lee@example.org", unit)
    two = org.create_person(world.ctx, world.admin, "SAM LEE", "sam.lee2@example.org", unit)
    with world.ctx.uow() as uow:  # names that sort first, titles that hold "Sam Lee"
        for n in range(MATCHED - 1):
            decoy = {"name": f"Aaa {n:04}", "email": f"aaa{n}@example.org", "title": "Sam Lee's"}
            uow.people.add(replace(one, id=f"{one.id}-{n}", **decoy))
        uow.commit()
    _sign_in(client, world.people[R.CHIEF_AI_OFFICER].email)
    post = {"activity": "retirement", "letter": "I",
            "csrf": _csrf(client, f"/ui/systems/{system}")}  # fmt: skip
    client.post(f"/ui/systems/{system}/raci", data=post | {"person_id": "Sam Lee"})
    note, error = _note(client)
    assert error and note is not None and "2 persons are named 'Sam Lee'" in note, note
    assert one.id in note and two.id in note
    entries, _ = raci.system_raci(world.ctx, world.admin, system)
    assert not [e for e in entries if e.activity.value == "retirement"]


def _system_field(page: str) -> str:
    found = re.search(r'<input[^>]*name="system_id"[^>]*>', page)
    assert found is not None
    value = re.search(r'value="([^"]*)"', found.group(0))
    return html.unescape(value.group(1)) if value else ""


def test_an_edit_keeps_the_system_it_shows_without_reading_its_name(engine: object, ui) -> None:  # type: ignore[no-untyped-def]
    client, world, _ = ui
    payroll = world.system("Payroll", world.unit)
    _sign_in(client, world.people[R.CHIEF_AI_OFFICER].email)
    client.post("/ui/models", data=_model_form(client, "router", payroll.id))
    (model,) = inventory.all_in_directory(world.ctx, world.admin, "models", {"name": "router"})
    shown = _system_field(client.get(f"/ui/models/{model.id}").text)
    assert shown.startswith("Payroll") and payroll.id in shown, shown
    form = _model_form(client, "router 2", shown)
    assert client.post(f"/ui/models/{model.id}", data=form).status_code == 303
    chief = world.actor(R.CHIEF_AI_OFFICER)
    inventory.update_system(world.ctx, chief, payroll.id, name="Payroll 2019")  # meanwhile
    world.system("Payroll", world.other_unit)
    refused = client.post(f"/ui/models/{model.id}", data=form | {"name": "router 3"})
    assert refused.status_code == 422
    assert "names Payroll 2019, not Payroll" in refused.text, refused.text
    assert inventory.get_model(world.ctx, world.admin, model.id).system_id == payroll.id


def test_a_suggestion_whose_name_is_not_its_records_is_refused(engine: object, ui) -> None:  # type: ignore[no-untyped-def]
    client, world, system = ui
    org.create_person(world.ctx, world.admin, "Bob Smith", "bob@example.org", world.unit.id)
    mallory = org.create_person(world.ctx, world.admin, "Mallory", "mallory@example.org",
                                world.unit.id)  # fmt: skip
    _sign_in(client, world.people[R.CHIEF_AI_OFFICER].email)
    post = {"activity": "retirement", "letter": "I",
            "csrf": _csrf(client, f"/ui/systems/{system}")}  # fmt: skip
    client.post(f"/ui/systems/{system}/raci",
                data=post | {"person_id": "Bob Smith (mallory@example.org)"})  # fmt: skip
    note, error = _note(client)
    assert error and note is not None, note
    assert "'mallory@example.org' names Mallory, not Bob Smith" in note, note
    entries, _ = raci.system_raci(world.ctx, world.admin, system)
    assert mallory.id not in [e.person_id for e in entries]
