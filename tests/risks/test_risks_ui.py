"""The register's pages over HTTP on both databases: a risk registered from the form, a
manual control defined, linked and tested on the risk's page, the residual following the
test, a heat-map cell drilled into, the CSV export, and forms refused without their CSRF
token."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from charter.kernel.roles import RoleKind as R
from charter.risks.services import register
from tests.factory import World
from tests.risks.test_owners import RISK
from tests.strategy.test_strategy_services import _objective, _submit
from tests.web.test_ui import _csrf, _note, _sign_in, ui

__all__ = ["ui"]  # the fixture: a served organisation with passwords


def test_register_a_risk_and_test_its_control_from_the_pages(
    ui: tuple[TestClient, World, str],
) -> None:
    client, world, system = ui
    _sign_in(client, world.people[R.CHIEF_AI_OFFICER].email)
    token = _csrf(client, "/ui/risks")
    form = {"title": "Wrong routing", "category": "MIT.7.3", "system_id": system,
            "owner_id": world.people[R.CHIEF_AI_OFFICER].id, "cause": "drift",
            "consequence": "claims delayed", "inherent_likelihood": "4", "inherent_impact": "3",
            "target_likelihood": "2", "target_impact": "2", "treatment": "mitigate"}  # fmt: skip
    assert client.post("/ui/risks", data=form).status_code == 403  # no CSRF token
    done = client.post("/ui/risks", data=form | {"csrf": token})
    assert done.status_code == 303 and _note(client) == ("registered Wrong routing", False)
    risk_url = done.headers["location"]
    page = client.get(risk_url)
    assert page.status_code == 200 and 'id="standing">above' in page.text
    manual = {"title": "Sample review", "kind": "manual", "csrf": token}
    made = client.post(f"{risk_url}/controls", data=manual)
    assert made.status_code == 303 and not _note(client)[1]
    page = client.get(risk_url).text
    control = re.search(r'data-control="(ctl_[0-9a-f]+)"', page).group(1)  # type: ignore[union-attr]
    risk_id = risk_url.rsplit("/", 1)[1]
    test = {"risk_id": risk_id, "passed": "yes", "evidence": "dms://1", "csrf": token}
    client.post(f"/ui/risk-controls/{control}/tests", data=test)
    page = client.get(risk_url).text
    assert 'id="standing">within' in page and 'id="residual">2\u00d72' in page
    listing = client.get("/ui/risks")
    assert "Wrong routing" in listing.text
    assert 'data-cell="inherent-4-3"><a href="/ui/risks?cell=inherent:4x3#risks"' in listing.text
    owner = world.people[R.CHIEF_AI_OFFICER]
    drilled = client.get("/ui/risks?cell=inherent:4x3").text  # the cell's risks, owner named
    assert f"<td>{owner.name}</td>" in drilled and "Wrong routing" in drilled
    assert "likelihood 4, impact 3" in drilled
    assert "Wrong routing" not in client.get("/ui/risks?cell=residual:4x3").text.split(
        'id="risks"')[1].split("Controls failing")[0]  # fmt: skip
    inside = client.get("/ui/risks/export.csv?cell=residual:2x2").text.splitlines()
    assert len(inside) == 2 and f",{owner.id},{owner.name}," in inside[1]
    exported = client.get("/ui/risks/export.csv?standing=within")
    assert exported.headers["content-type"].startswith("text/csv")
    assert exported.text.splitlines()[1].startswith(f"{risk_id},Wrong routing,")
    bad = client.post(f"{risk_url}/controls", data={"title": "", "kind": "check", "csrf": token})
    assert bad.status_code == 303 and _note(client)[1]  # named on the page, nothing written


def test_a_reader_sees_the_register_but_no_forms(ui: tuple[TestClient, World, str]) -> None:
    client, world, _ = ui
    _sign_in(client, world.people[R.DATA_SCIENTIST].email)
    page = client.get("/ui/risks")
    assert page.status_code == 200 and "Register the risk" not in page.text


def test_proposals_are_registered_only_when_ticked(ui: tuple[TestClient, World, str]) -> None:
    client, world, system = ui
    _sign_in(client, world.people[R.CHIEF_AI_OFFICER].email)
    query = f"subject=system&subject_id={system}&autonomy=autonomous&audience=public"
    page = client.get(f"/ui/risk-assessments?{query}&personal_data=true")
    assert page.status_code == 200 and 'name="adopt:privacy"' in page.text
    token = _csrf(client, "/ui/risks")
    owner = world.people[R.CHIEF_AI_OFFICER].id
    form = {"csrf": token, "subject": "system", "subject_id": system, "autonomy": "autonomous",
            "audience": "public", "personal_data": "true", "adopt:privacy": "yes",
            "owner:privacy": owner, "inherent_likelihood:privacy": "2",
            "owner:overreliance": owner}  # fmt: skip
    done = client.post("/ui/risk-assessments", data=form)
    assert done.status_code == 303 and _note(client) == ("registered 1 risk(s)", False)
    with world.ctx.uow() as uow:
        [risk] = uow.risks.all(system_id=system)
    assert (risk.origin, risk.inherent_likelihood) == ("assessment:privacy", 2)
    again = client.get(f"/ui/risk-assessments?{query}&personal_data=true").text
    assert 'name="adopt:privacy"' not in again and "already open" in again


def test_a_use_case_s_risk_names_its_use_case(ui: tuple[TestClient, World, str]) -> None:
    client, world, _ = ui
    case, _ = _submit(world, _objective(world), title="Fraud triage assistant")
    values = {**RISK, "owner_id": world.people[R.CHIEF_AI_OFFICER].id}
    caio = world.actor(R.CHIEF_AI_OFFICER)
    risk = register.register_risk(world.ctx, caio, values, (), use_case_id=case.id)
    _sign_in(client, world.people[R.CHIEF_AI_OFFICER].email)
    for page in (client.get("/ui/risks").text, client.get(f"/ui/risks/{risk.id}").text):
        assert f'<a href="/ui/use-cases/{case.id}">Fraud triage assistant</a>' in page
        assert f"use case {case.id}" not in page
