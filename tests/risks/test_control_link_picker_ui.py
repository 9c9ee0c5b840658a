"""A risk's "link an existing control" field is typed, not picked from a list of every
control: suggestions (at most SUGGESTED) come from the controls the risk may be linked to (its
system's and manual ones, not linked yet); the server resolves an id or an exact title, with
or without JavaScript; what names none of them brings the page back as typed, saying why, and
links nothing; rights as before (risk managers only)."""

from __future__ import annotations

import html
import re

from fastapi.testclient import TestClient

from charter.kernel.roles import RoleKind as R
from charter.kernel.web.picker import SUGGESTED
from charter.risks.services import controls, register, views
from tests.factory import World
from tests.web.test_ui import _csrf, _sign_in, ui

__all__ = ["ui"]  # the fixture: a served organisation with passwords

RISK = {"title": "Claims misrouted", "category": "MIT.7.3", "cause": "drift",
        "consequence": "claims delayed", "inherent_likelihood": 4, "inherent_impact": 4,
        "treatment": "mitigate"}  # fmt: skip


def _setting(world: World, system: str) -> dict[str, str]:
    """A risk on the system; a check control of it, a manual one, one of another system and
    one already linked."""
    caio = world.actor(R.CHIEF_AI_OFFICER)
    owner = {"owner_id": world.people[R.CHIEF_AI_OFFICER].id}
    risk = register.register_risk(world.ctx, caio, RISK | owner, (), system_id=system).id

    def control(title: str, **more: str) -> str:
        values = {"title": title, "kind": "manual", **more}
        return controls.define_control(world.ctx, caio, values).id

    made = {
        "risk": risk,
        "check": control("Routing accuracy at least 0.9", kind="check", check_id="accuracy",
                         system_id=system),
        "manual": control("Weekly routing sample review"),
        "elsewhere": control("Routing accuracy elsewhere", kind="check", check_id="accuracy",
                             system_id=world.system().id),
        "linked": control("Routing escalation drill"),
    }  # fmt: skip
    controls.link_control(world.ctx, caio, risk, made["linked"])
    return made


def _linked(world: World, risk: str) -> set[str]:
    detail = views.risk_detail(world.ctx, world.admin, risk)
    return {c.id for c, _ in detail.position.controls}


def _field(page: str) -> str:
    found = re.search(r'<input id="l-control" name="control_id" value="([^"]*)"', page)
    assert found is not None, "no typed control field"
    return html.unescape(found.group(1))


def test_the_field_suggests_only_what_the_risk_may_be_linked_to_a_bounded_few(
    ui: tuple[TestClient, World, str],
) -> None:
    client, world, system = ui
    made = _setting(world, system)
    _sign_in(client, world.people[R.CHIEF_AI_OFFICER].email)
    page = client.get(f"/ui/risks/{made['risk']}").text
    assert '<select id="l-control"' not in page and _field(page) == ""
    assert f'hx-get="/ui/pick/linkable:{made["risk"]}"' in page
    shown = client.get(f"/ui/pick/linkable:{made['risk']}", params={"q": "routing"}).text
    assert "Routing accuracy at least 0.9" in shown and "Weekly routing sample" in shown
    assert "elsewhere" not in shown and "escalation drill" not in shown
    caio = world.actor(R.CHIEF_AI_OFFICER)
    for i in range(SUGGESTED + 5):
        controls.define_control(world.ctx, caio, {"title": f"Routing spot check {i}",
                                                  "kind": "manual"})  # fmt: skip
    many = client.get(f"/ui/pick/linkable:{made['risk']}", params={"q": "routing"}).text
    assert many.count("<option") == SUGGESTED


def _on_the_risk(client: TestClient, world: World, system: str) -> tuple[dict[str, str], str, str]:
    """The setting made, signed in as the chief AI officer: the risk's page and its form's
    token."""
    made = _setting(world, system)
    _sign_in(client, world.people[R.CHIEF_AI_OFFICER].email)
    path = f"/ui/risks/{made['risk']}"
    return made, path, _csrf(client, path)


def test_a_control_is_linked_by_its_exact_title_or_its_id(
    ui: tuple[TestClient, World, str],
) -> None:
    client, world, system = ui
    made, path, token = _on_the_risk(client, world, system)
    typed = " routing ACCURACY at least 0.9"  # the title, case and spacing aside
    by_title = client.post(f"{path}/controls", data={"control_id": typed, "csrf": token})
    assert by_title.status_code == 303, by_title.text
    by_id = client.post(f"{path}/controls", data={"control_id": made["manual"], "csrf": token})
    assert by_id.status_code == 303, by_id.text
    assert _linked(world, made["risk"]) == {made["check"], made["manual"], made["linked"]}


def test_what_names_no_linkable_control_comes_back_as_typed_linking_nothing(
    ui: tuple[TestClient, World, str],
) -> None:
    client, world, system = ui
    made, path, token = _on_the_risk(client, world, system)
    for typed in (
        "Routing accuracy elsewhere",
        made["elsewhere"],
        "Routing escalation drill",
        "Routing acuracy",
    ):
        refused = client.post(f"{path}/controls", data={"control_id": typed, "csrf": token})
        assert refused.status_code == 422, (typed, refused.status_code)
        text = html.unescape(refused.text)
        assert f"no linkable control you may see is named '{typed}'" in text
        assert _field(refused.text) == typed
    assert "the closest: Routing accuracy at least 0.9" in text  # the typo's nearest
    empty = client.post(f"{path}/controls", data={"control_id": " ", "csrf": token})
    assert empty.status_code == 422 and "type the control to link" in empty.text
    assert _linked(world, made["risk"]) == {made["linked"]}


def test_who_may_not_manage_risks_has_no_field_and_is_refused_with_the_right_named(
    ui: tuple[TestClient, World, str],
) -> None:
    client, world, system = ui
    made = _setting(world, system)
    _sign_in(client, world.people[R.DATA_SCIENTIST].email)
    path = f"/ui/risks/{made['risk']}"
    page = client.get(path)
    assert page.status_code == 200 and 'id="l-control"' not in page.text
    posted = {"control_id": made["manual"], "csrf": _csrf(client, path)}
    refused = client.post(f"{path}/controls", data=posted)
    assert refused.status_code == 403
    said = re.search(r'class="flash error"[^>]*>([^<]*)<', refused.text)
    assert said is not None and "manage" in said.group(1).lower(), refused.text[:3000]
    assert _linked(world, made["risk"]) == {made["linked"]}
