"""Risk owners are named as people name them (an id, an e-mail or an exact name) wherever an
owner is given, two people of one name are an error listing both, and the owner's name is
shown wherever a risk is (its JSON keeps the id), on both databases."""

from __future__ import annotations

import csv
import io

import pytest

from charter.kernel.errors import InvalidInput
from charter.kernel.roles import RoleKind as R
from charter.risks.present import position_json, register_csv
from charter.risks.services import controls, register, views
from tests.factory import World

RISK = {"title": "Loan offers skew by origin", "category": "MIT.1.1",
        "cause": "historic approvals", "consequence": "unequal treatment",
        "inherent_likelihood": 4, "inherent_impact": 4}  # fmt: skip


def test_an_owner_is_named_by_id_e_mail_or_exact_name(world: World) -> None:
    caio = world.actor(R.CHIEF_AI_OFFICER)
    owner = world.person("Rita Owner", R.PROGRAM_MANAGER)
    system = world.system()
    by_mail = register.register_risk(
        world.ctx, caio, {**RISK, "owner_id": owner.email.upper()}, (), system_id=system.id
    )
    by_name = register.register_risk(
        world.ctx, caio, {**RISK, "owner_id": " Rita Owner "}, (), system_id=system.id
    )
    assert by_mail.owner_id == by_name.owner_id == owner.id
    other = world.person("Sam Second", R.PROGRAM_MANAGER)
    changed = register.update_risk(world.ctx, caio, by_name.id, {"owner_id": other.email}, ())
    assert changed.owner_id == other.id
    control = controls.define_control(
        world.ctx, caio, {"title": "Manual review", "kind": "manual", "owner_id": "Sam Second"}
    )
    assert control.owner_id == other.id
    mine = views.register(world.ctx, caio, views.Filters(owner_id="Rita Owner"))
    assert [p.risk.id for p in mine] == [by_mail.id]


def test_a_name_two_people_share_is_refused_naming_both(world: World) -> None:
    caio = world.actor(R.CHIEF_AI_OFFICER)
    first = world.person("Alex Kim", R.PROGRAM_MANAGER)
    second = world.person("Alex Kim", R.PROGRAM_MANAGER)
    with pytest.raises(InvalidInput) as refused:
        register.register_risk(world.ctx, caio, {**RISK, "owner_id": "Alex Kim"}, ())
    assert refused.value.details["candidates"] == sorted([first.id, second.id])
    assert first.email in refused.value.message and second.email in refused.value.message
    with pytest.raises(InvalidInput, match="'Nobody' is not a person in Charter"):
        register.register_risk(world.ctx, caio, {**RISK, "owner_id": "Nobody"}, ())


def test_the_owner_s_name_is_shown_and_the_id_kept(world: World) -> None:
    caio = world.actor(R.CHIEF_AI_OFFICER)
    owner = world.person("Rita Owner", R.PROGRAM_MANAGER)
    risk = register.register_risk(world.ctx, caio, {**RISK, "owner_id": owner.id}, ())
    (found,) = views.register(world.ctx, caio)
    assert found.owner_name == "Rita Owner"
    shown = position_json(found)
    assert (shown["owner_id"], shown["owner_name"]) == (owner.id, "Rita Owner")
    (row,) = csv.DictReader(io.StringIO(register_csv([found])))
    assert (row["owner_id"], row["owner"]) == (owner.id, "Rita Owner")
    (group,) = views.grouped_by(world.ctx, caio, "owner")
    assert (group.key, group.label) == (owner.id, "Rita Owner")
    detail = views.risk_detail(world.ctx, caio, risk.id)
    assert detail.position.owner_name == "Rita Owner"
