"""A control is linked to a risk only by someone who may read it: a manager scoped to one
business unit cannot link (and so read, through the risk) a control tested on a system of
another unit, by the API, to a use case's or the organisation's risk; nothing is written."""

from __future__ import annotations

from fastapi.testclient import TestClient

from charter.identity.services import access
from charter.kernel.roles import RoleKind as R
from charter.kernel.roles import ScopeKind
from charter.risks.services import controls, register
from charter.web.app import create_app
from tests.factory import World
from tests.risks.test_owners import RISK
from tests.strategy.test_strategy_services import _objective, _submit


def test_a_control_of_a_system_the_manager_may_not_read_is_not_linked(world: World) -> None:
    caio = world.actor(R.CHIEF_AI_OFFICER)
    manager = world.person(
        "Scoped PM", R.PROGRAM_MANAGER, scope=ScopeKind.BUSINESS_UNIT, scope_id=world.unit.id
    )
    token = access.create_token(world.ctx, access.actor_for(world.ctx, manager.id), None, "t")[1]
    elsewhere = world.system(unit=world.other_unit)
    hidden = controls.define_control(world.ctx, caio, {
        "title": "Claims fraud threshold", "kind": "check", "check_id": "accuracy",
        "system_id": elsewhere.id,
    }).id  # fmt: skip
    case, _ = _submit(world, _objective(world), title="Fraud triage")
    owner = world.people[R.CHIEF_AI_OFFICER].id
    risk = register.register_risk(
        world.ctx, caio, {**RISK, "owner_id": owner}, (), use_case_id=case.id
    )
    with TestClient(create_app(world.ctx), headers={"Authorization": f"Bearer {token}"}) as api:
        assert api.get(f"/api/v1/controls/{hidden}").status_code == 404
        linked = api.post(f"/api/v1/risks/{risk.id}/controls", json={"control_id": hidden})
        assert linked.status_code == 404, linked.text
        assert "Claims fraud threshold" not in api.get(f"/api/v1/risks/{risk.id}").text
    with world.ctx.uow().reading() as uow:
        assert not uow.control_links.all(risk_id=risk.id)
