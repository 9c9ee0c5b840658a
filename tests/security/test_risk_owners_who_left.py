"""A risk or a control is owned by someone still with the organisation: a person who left
keeps the roles they held (leaving does not revoke them), so the owner-role check alone let
the API and the CLI name them owner of a new risk, move a risk to them or give them a new
control, leaving it with nobody accountable. A risk whose owner left is still edited while
the edit leaves the owner as it is (as a system's is: review F4)."""

from __future__ import annotations

import pytest

from charter.accountability.services import org
from charter.kernel.errors import InvalidInput
from charter.kernel.roles import RoleKind as R
from charter.risks.services import controls, register, views
from tests.factory import World

RISK = {"title": "Loan offers skew by origin", "category": "MIT.1.1",
        "cause": "historic approvals", "consequence": "unequal treatment",
        "inherent_likelihood": 4, "inherent_impact": 4}  # fmt: skip


def _leaves(world: World, person_id: str) -> None:
    org.update_person(world.ctx, world.admin, person_id, active=False)


def test_a_new_risk_is_not_owned_by_someone_who_left(world: World) -> None:
    caio = world.actor(R.CHIEF_AI_OFFICER)
    gone = world.person("Gone Owner", R.PROGRAM_MANAGER)
    _leaves(world, gone.id)
    system = world.system().id
    with pytest.raises(InvalidInput, match=r"Gone Owner .* is inactive"):
        register.register_risk(world.ctx, caio, {**RISK, "owner_id": gone.id}, (), system_id=system)
    assert [p for p in views.register(world.ctx, caio) if p.risk.owner_id == gone.id] == []


def test_a_risk_moves_to_nobody_who_left_but_stays_editable_after_its_owner_left(
    world: World,
) -> None:
    caio = world.actor(R.CHIEF_AI_OFFICER)
    gone = world.person("Gone Owner", R.PROGRAM_MANAGER)
    owner = world.person("Still Here", R.PROGRAM_MANAGER)
    system = world.system().id
    risk = register.register_risk(
        world.ctx, caio, {**RISK, "owner_id": owner.id}, (), system_id=system
    )
    _leaves(world, gone.id)
    with pytest.raises(InvalidInput, match=r"Gone Owner .* is inactive"):
        register.update_risk(world.ctx, caio, risk.id, {"owner_id": gone.email}, ())
    _leaves(world, owner.id)  # the risk's own owner leaves: its other fields can still change
    edited = register.update_risk(world.ctx, caio, risk.id, {"cause": "older approvals"}, ())
    assert (edited.owner_id, edited.cause) == (owner.id, "older approvals")


def test_a_control_is_not_given_to_someone_who_left(world: World) -> None:
    caio = world.actor(R.CHIEF_AI_OFFICER)
    gone = world.person("Gone Owner", R.PROGRAM_MANAGER)
    _leaves(world, gone.id)
    with pytest.raises(InvalidInput, match=r"Gone Owner .* is inactive"):
        controls.define_control(
            world.ctx, caio, {"title": "Manual review", "kind": "manual", "owner_id": gone.id}
        )
