"""The register's new-risk form and the assessment's owners are typed, not picked from lists
of every system and person: the server resolves a name, an e-mail, an id or a suggestion;
what names nothing (or several) brings the form back as typed with the closest named, and
nothing is written."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from charter.kernel.roles import RoleKind as R
from tests.factory import World
from tests.web.test_ui import _csrf, _sign_in, ui

__all__ = ["ui"]  # the fixture: a served organisation with passwords


def _form(**typed: str) -> dict[str, str]:
    """The new-risk form filled in, with the fields typed."""
    return {
        "title": "Wrong routing", "category": "MIT.7.3", "cause": "drift",
        "consequence": "claims delayed", "inherent_likelihood": "4", "inherent_impact": "3",
        "target_likelihood": "", "target_impact": "", "treatment": "transfer", **typed,
    }  # fmt: skip


def _value(page: str, field_id: str) -> str:
    found = re.search(rf"<input id=\"{field_id}\"[^>]*? value=\"([^\"]*)\"", page)
    assert found is not None, field_id
    return found.group(1)


def _risks(world: World) -> list[object]:
    with world.ctx.uow() as uow:
        return list(uow.risks.all())


def test_a_risk_s_system_and_owner_are_found_by_what_is_typed(
    ui: tuple[TestClient, World, str],
) -> None:
    client, world, system = ui
    cao, pm = world.people[R.CHIEF_AI_OFFICER], world.people[R.PROGRAM_MANAGER]
    _sign_in(client, cao.email)
    page = client.get("/ui/risks").text
    form = page.split('id="register"')[1]
    assert '<select id="r-system"' not in form and '<select id="r-owner"' not in form
    assert 'hx-get="/ui/pick/systems"' in form and 'hx-get="/ui/pick/people"' in form
    assert _value(page, "r-owner") == f"{cao.name} ({cao.email})"  # the viewer by default
    assert "type a name, an e-mail or an id" in form
    token = _csrf(client, "/ui/risks")
    name = world.system_name(system)
    done = client.post("/ui/risks", data=_form(system_id=name.upper(), owner_id=pm.email,
                                                 csrf=token))  # fmt: skip
    assert done.status_code == 303, done.text
    [risk] = _risks(world)
    assert (risk.system_id, risk.owner_id) == (system, pm.id)  # type: ignore[attr-defined]
    shown = f"{pm.name} ({pm.email})"
    again = client.post("/ui/risks", data=_form(title="Second", owner_id=shown,
                                                  csrf=token))  # fmt: skip
    assert again.status_code == 303 and len(_risks(world)) == 2


def test_an_unknown_or_ambiguous_entry_brings_the_form_back_as_typed(
    ui: tuple[TestClient, World, str],
) -> None:
    client, world, system = ui
    cao = world.people[R.CHIEF_AI_OFFICER]
    _sign_in(client, cao.email)
    token = _csrf(client, "/ui/risks")
    name = world.system_name(system)
    typo, wrong = name + "zz", cao.name[:-1] + "x"
    refused = client.post("/ui/risks", data=_form(system_id=typo, owner_id=wrong,
                                                    csrf=token))  # fmt: skip
    assert refused.status_code == 422 and _risks(world) == []
    text = refused.text
    assert f"system: no system you may see is named &#39;{typo}&#39;" in text
    assert f"owner: no person you may see is named &#39;{wrong}&#39;" in text
    assert f"{name} [{system}]" in text and f"[{cao.id}]" in text  # the closest, named
    assert _value(text, "r-system") == typo and _value(text, "r-owner") == wrong
    assert _value(text, "r-title") == "Wrong routing"
    assert "<option selected>transfer</option>" in text
    assert '<option value="4" selected>' in text  # the likelihood as chosen
    one, two = world.person("Sam Doe"), world.person("Sam Doe")
    twice = client.post("/ui/risks", data=_form(owner_id="sam doe", csrf=token)).text
    assert "2 persons are named &#39;sam doe&#39;" in twice
    assert f"[{one.id}]" in twice and f"[{two.id}]" in twice and _risks(world) == []


def test_a_reader_is_refused_naming_the_right_and_who_holds_it(
    ui: tuple[TestClient, World, str],
) -> None:
    client, world, _ = ui
    _sign_in(client, world.people[R.DATA_SCIENTIST].email)
    token = _csrf(client, "/ui/risks")
    cao = world.people[R.CHIEF_AI_OFFICER]
    page = client.get("/ui/risks").text.split('id="register"')[1]
    assert "may not risk manage: this needs the role" in page and cao.name in page
    assert 'name="owner_id"' not in page  # no form they may not use
    refused = client.post("/ui/risks", data=_form(owner_id=cao.email, csrf=token))
    assert refused.status_code == 403 and _risks(world) == []
    assert "may not risk manage" in refused.text and "this needs the role" in refused.text
    assert cao.name in refused.text  # who holds it


def test_each_proposal_s_owner_is_typed_and_checked_before_anything_is_registered(
    ui: tuple[TestClient, World, str],
) -> None:
    client, world, system = ui
    cao, pm = world.people[R.CHIEF_AI_OFFICER], world.people[R.PROGRAM_MANAGER]
    _sign_in(client, cao.email)
    query = f"subject=system&subject_id={system}&autonomy=autonomous&audience=public"
    page = client.get(f"/ui/risk-assessments?{query}&personal_data=true").text
    assert '<select name="owner:' not in page and 'hx-get="/ui/pick/people"' in page
    assert _value(page, "owner-privacy") == f"{cao.name} ({cao.email})"
    token = _csrf(client, "/ui/risks")
    form = {"csrf": token, "subject": "system", "subject_id": system, "autonomy": "autonomous",
            "audience": "public", "personal_data": "true", "adopt:privacy": "yes",
            "owner:privacy": "nobody at all", "adopt:security": "yes",
            "owner:security": pm.name.lower()}  # fmt: skip
    refused = client.post("/ui/risk-assessments", data=form)
    assert refused.status_code == 422 and _risks(world) == []
    assert (
        "owner of privacy: no person you may see is named &#39;nobody at all&#39;" in refused.text
    )
    assert _value(refused.text, "owner-privacy") == "nobody at all"
    assert _value(refused.text, "owner-security") == pm.name.lower()
    assert 'name="adopt:privacy" value="yes" aria-label="' in refused.text
    assert re.search(r'name="adopt:privacy"[^>]+ checked>', refused.text)
    done = client.post("/ui/risk-assessments", data=form | {"owner:privacy": pm.email})
    assert done.status_code == 303
    assert {r.owner_id for r in _risks(world)} == {pm.id}  # type: ignore[attr-defined]
