"""A decision's bundle records the gate's facts as they stood when it was decided: a RACI
letter holder who leaves afterwards does not change them (a departure is not dated, so it
only counts for a gate judged now)."""

from __future__ import annotations

from charter.accountability.domain.raci import Activity, RaciLetter
from charter.accountability.services import org, raci
from charter.governance.files import check_policy
from charter.governance.services import lifecycle, policies
from charter.inventory import services as inventory
from charter.inventory.domain import AISystem
from charter.inventory.domain import LifecycleStage as S
from charter.kernel.roles import RoleKind as R
from charter.reports.domain import recheck
from charter.reports.domain.revive import revive
from charter.reports.services import bundles
from tests.factory import World


def test_a_holder_who_leaves_later_does_not_change_a_decided_gate(world: World) -> None:
    system = world.system().id
    olga = world.person("Olga Holder", R.EXECUTIVE_SPONSOR)
    caio = world.actor(R.CHIEF_AI_OFFICER)
    raci.set_letter(world.ctx, caio, system, Activity.DESIGN, olga.id, RaciLetter.RESPONSIBLE)
    world.advance(system, S.ASSESSED)
    with world.ctx.uow().reading() as uow:
        (request,) = uow.requests.all(system_id=system)
        before, _ = bundles.gate_of(world.ctx, uow, request)
    org.update_person(world.ctx, world.admin, olga.id, active=False)
    with world.ctx.uow().reading() as uow:
        after, _ = bundles.gate_of(world.ctx, uow, request)
    assert after == before
    assert [e["holder_left"] for e in after["facts"]["raci"]] == [False]


def test_a_pending_gate_counts_who_has_left_and_judges_the_same_again(world: World) -> None:
    """A pending request's gate is judged now: its bundle counts an owner and a holder who
    left, as the live gate does, and carries them so that judging its facts again agrees."""
    complete = {"id": "raci", "kind": "accountability", "raci_complete": True}
    raw = {"id": "raci", "title": "RACI", "applies": {"transitions": [{"to": "assessed"}]},
           "requirements": [complete]}  # fmt: skip
    policies.load_policies(world.ctx, world.actor(R.ETHICS_COMPLIANCE),
                           [(raw, check_policy(raw, "raci"))])  # fmt: skip
    olga = world.person("Olga Owner", R.EXECUTIVE_SPONSOR)
    caio = world.actor(R.CHIEF_AI_OFFICER)
    system = inventory.register_system(
        world.ctx, caio, name="Churn model", purpose="Predicts churn",
        business_unit_id=world.unit.id, owner_id=olga.id,
    ).system  # fmt: skip
    raci.set_letter(world.ctx, caio, system.id, Activity.DESIGN, olga.id, RaciLetter.RESPONSIBLE)
    org.update_person(world.ctx, world.admin, olga.id, active=False)
    request, _ = lifecycle.request_transition(
        world.ctx, world.actor(R.PROGRAM_MANAGER), system.id, S.ASSESSED, "next step"
    )
    with world.ctx.uow().reading() as uow:
        gate, _ = bundles.gate_of(world.ctx, uow, request)
    claimed = " ".join(str(r) for r in gate["claimed"]["results"])
    assert "owner_left" in claimed and "holder_left" in claimed, claimed
    again = recheck._facts(gate, revive(AISystem, gate["system"]))
    assert {f.kind.value for f in again.findings} >= {"owner_left", "holder_left"}
