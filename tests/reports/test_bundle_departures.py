"""A decision's bundle records the gate's facts as they stood when it was decided: a RACI
letter holder who leaves afterwards does not change them (a departure is not dated, so it
only counts for a gate judged now)."""

from __future__ import annotations

from charter.accountability.domain.raci import Activity, RaciLetter
from charter.accountability.services import org, raci
from charter.inventory.domain import LifecycleStage as S
from charter.kernel.roles import RoleKind as R
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
