"""A system's owner or a RACI letter holder who has left the organisation is flagged, in words
that name them and say what to do, in the RACI findings and among the gate's blockers; the
system's edit page shows such an owner by name, marked "(left)", and saves the form without
touching them (what the rules already allow: what a person holds stays until reassigned)."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from charter.accountability.domain.raci import Activity, FindingKind, RaciLetter
from charter.accountability.services import org, raci
from charter.governance.files import check_policy
from charter.governance.services import gates as governance
from charter.governance.services import policies
from charter.identity.services import sessions
from charter.inventory import services as inventory
from charter.inventory.domain import LifecycleStage as S
from charter.kernel.roles import RoleKind as R
from charter.web.app import create_app
from tests.factory import World
from tests.web.test_ui import PASSWORD, _sign_in

#: a gate that reads the RACI findings, before development as the shipped packs have it
ACCOUNTABILITY = {
    "id": "accountability",
    "title": "Owner named and RACI complete",
    "applies": {"transitions": [{"to": "approved_for_development"}]},
    "requirements": [{"id": "raci", "kind": "accountability", "raci_complete": True,
                      "owner_named": True, "cites": ["GOVERN 2.1"]}],
}  # fmt: skip


def _olga_owns_and_leaves(world: World) -> tuple[str, str]:
    """A system Olga owns and is Responsible for designing; then she leaves."""
    olga = world.person("Olga Owner", R.EXECUTIVE_SPONSOR)
    caio = world.actor(R.CHIEF_AI_OFFICER)
    system = inventory.register_system(
        world.ctx, caio, name="Churn model", purpose="Predicts churn",
        business_unit_id=world.unit.id, owner_id=olga.id,
    ).system.id  # fmt: skip
    raci.set_letter(world.ctx, caio, system, Activity.DESIGN, olga.id, RaciLetter.RESPONSIBLE)
    org.update_person(world.ctx, world.admin, olga.id, active=False)
    return system, olga.id


def test_the_findings_name_an_owner_and_a_holder_who_left_and_say_what_to_do(
    world: World,
) -> None:
    system, olga = _olga_owns_and_leaves(world)
    _, found = raci.system_raci(world.ctx, world.admin, system)
    left = {f.kind: f for f in found if f.kind in (FindingKind.OWNER_LEFT,
                                                    FindingKind.HOLDER_LEFT)}  # fmt: skip
    owner, holder = left[FindingKind.OWNER_LEFT], left[FindingKind.HOLDER_LEFT]
    assert owner.person_id == olga and holder.person_id == olga
    assert owner.message == (
        f"the owner, Olga Owner ({olga}), has left the organisation: reassign the owner"
    )
    assert holder.activity is Activity.DESIGN and holder.message == (
        f"design: Olga Owner ({olga}), Responsible, has left the organisation: reassign the letter"
    )
    everywhere = [f for f in raci.all_findings(world.ctx, world.admin) if f.system_id == system]
    assert {f.message for f in everywhere} == {f.message for f in found}


def test_nobody_who_left_no_finding(world: World) -> None:
    system = world.system().id
    _, found = raci.system_raci(world.ctx, world.admin, system)
    assert not {f.kind for f in found} & {FindingKind.OWNER_LEFT, FindingKind.HOLDER_LEFT}


def test_a_letter_holder_who_left_blocks_the_gate(world: World) -> None:
    raw: dict[str, Any] = dict(ACCOUNTABILITY)
    policies.load_policies(world.ctx, world.actor(R.ETHICS_COMPLIANCE),
                           [(raw, check_policy(raw, raw["id"]))])  # fmt: skip
    system, olga = _olga_owns_and_leaves(world)
    world.advance(system, S.ASSESSED)
    auditor = world.actor(R.AUDITOR)
    blocked = governance.check_gate(world.ctx, auditor, system, S.APPROVED_FOR_DEVELOPMENT, False)
    assert not blocked.passed
    assert any("holder_left" in r for r in blocked.result.blocking_reasons), blocked
    raci.set_letter(world.ctx, world.actor(R.CHIEF_AI_OFFICER), system, Activity.DESIGN, olga,
                    None)  # fmt: skip
    still = governance.check_gate(world.ctx, auditor, system, S.APPROVED_FOR_DEVELOPMENT, False)
    assert not any("holder_left" in r for r in still.result.blocking_reasons)
    assert any("owner_left" in r for r in still.result.blocking_reasons), still


def test_an_owner_who_left_blocks_the_gate_until_another_is_named(world: World) -> None:
    raw: dict[str, Any] = dict(ACCOUNTABILITY)
    policies.load_policies(world.ctx, world.actor(R.ETHICS_COMPLIANCE),
                           [(raw, check_policy(raw, raw["id"]))])  # fmt: skip
    system, olga = _olga_owns_and_leaves(world)
    caio = world.actor(R.CHIEF_AI_OFFICER)
    raci.set_letter(world.ctx, caio, system, Activity.DESIGN, olga, None)
    world.advance(system, S.ASSESSED)
    auditor = world.actor(R.AUDITOR)
    for whole in (False, True):  # a gate's detail, and the portfolio's posture
        blocked = _gate(world, auditor, system, whole)
        assert any("owner_left" in r for r in blocked), (whole, blocked)
    inventory.update_system(world.ctx, caio, system, owner_id=world.people[R.CHIEF_AI_OFFICER].id)
    for whole in (False, True):
        assert not any("owner_left" in r for r in _gate(world, auditor, system, whole))


def _gate(world: World, auditor: Any, system: str, whole: bool) -> list[str]:
    """The gate's blocking reasons towards development, from a gate's own read or the
    portfolio's."""
    if not whole:
        found = governance.check_gate(world.ctx, auditor, system, S.APPROVED_FOR_DEVELOPMENT, False)
        return list(found.result.blocking_reasons)
    mine = [p for p in governance.posture(world.ctx, auditor) if p.system.id == system]
    assert [p.target for p in mine] == [S.APPROVED_FOR_DEVELOPMENT]
    return [r for p in mine for r in p.blocking]


@pytest.fixture
def page(world: World) -> Iterator[TestClient]:
    sessions.set_password(world.ctx, world.admin, world.people[R.CHIEF_AI_OFFICER].id, PASSWORD)
    with TestClient(create_app(world.ctx), follow_redirects=False) as client:
        _sign_in(client, world.people[R.CHIEF_AI_OFFICER].email)
        yield client


def _fields(text: str) -> dict[str, str]:
    fields = dict(re.findall(r'<input id="[^"]*" name="([a-z_]+)"[^>]*? value="([^"]*)"', text))
    fields |= dict(re.findall(r'name="([a-z_]+)"[^>]*>([^<]*)</textarea>', text))
    found = re.search(r'name="csrf" value="([^"]+)"', text)
    assert found is not None
    return {k: html.unescape(v) for k, v in fields.items()} | {"csrf": found.group(1)}


def test_the_edit_page_names_an_owner_who_left_and_saves_without_touching_them(
    world: World, page: TestClient
) -> None:
    system, olga = _olga_owns_and_leaves(world)
    form = _fields(page.get(f"/ui/systems/{system}/edit").text)
    assert form["owner_id"] == "Olga Owner (left)"
    posted = form | {"business_unit_id": world.unit.id, "operator_role": "provider",
                     "purpose": "Predicts churn monthly"}  # fmt: skip
    saved = page.post(f"/ui/systems/{system}/edit", data=posted)
    assert saved.status_code == 303, saved.text
    after = inventory.get_system(world.ctx, world.admin, system)
    assert after.owner_id == olga and after.purpose == "Predicts churn monthly"
    other = world.person("Another Owner", R.EXECUTIVE_SPONSOR)
    org.update_person(world.ctx, world.admin, other.id, active=False)
    moved = page.post(f"/ui/systems/{system}/edit",
                      data=posted | {"owner_id": "Another Owner (left)"})  # fmt: skip
    assert moved.status_code == 422
    assert inventory.get_system(world.ctx, world.admin, system).owner_id == olga
    shown = html.unescape(page.get(f"/ui/systems/{system}").text)
    assert "the owner, Olga Owner, has left the organisation: reassign the owner" in shown
    assert "Olga Owner, has left the organisation: reassign the letter" in shown
