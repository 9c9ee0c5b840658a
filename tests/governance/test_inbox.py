"""The inbox reads each pending request's gate once: what it says a request's standing is and
what the person may waive of it are what the gate's own services say."""

from __future__ import annotations

from charter.governance.files import library_path, load_policy_files
from charter.governance.services import gates, inbox, lifecycle, policies
from charter.inventory import services as inventory
from charter.inventory.domain import LifecycleStage as S
from charter.kernel.roles import RoleKind as R
from tests.factory import World


def _pending(world: World) -> tuple[str, str]:
    """A high-risk system in validation with a pending request to deployment that the
    built-in library blocks (no evidence yet)."""
    caio = world.actor(R.CHIEF_AI_OFFICER)
    library = [p for p in sorted(library_path().glob("*.yaml")) if p.name != "risk-appetite.yaml"]
    policies.load_policies(world.ctx, caio, load_policy_files(library))
    system = world.system()
    world.full_raci(system.id)
    world.advance(system.id, S.IN_VALIDATION)
    inventory.update_system(world.ctx, caio, system.id, risk_tier="high")
    request, _ = lifecycle.request_transition(
        world.ctx, world.actor(R.PROGRAM_MANAGER), system.id, S.APPROVED_FOR_DEPLOYMENT, "ready"
    )
    return system.id, request.id


def test_the_inbox_says_what_the_gate_services_say(world: World) -> None:
    system_id, request_id = _pending(world)
    actor = world.actor(R.CHIEF_AI_OFFICER)
    found = inbox.inbox(world.ctx, actor)
    _, result, approvals = lifecycle.gate_status(world.ctx, actor, request_id)
    assert [r.id for _, r in found.transitions] == [request_id]
    assert found.standing[request_id].gate == result
    assert found.standing[request_id].approvals == tuple(approvals)
    assert not result.passed
    check = gates.check_gate(world.ctx, actor, system_id, S.APPROVED_FOR_DEPLOYMENT)
    blocking = [
        (v.policy_id, r.requirement_id)
        for v in check.policies
        for r in v.requirements
        if r.blocking and r.verdict.value in inbox.WAIVABLE and r.kind not in inbox.UNWAIVABLE
    ]
    assert blocking, "the library blocks a high-risk system without evidence"
    assert policies.may_waive(world.ctx, actor, check.system)
    offered = [(w.requirement.policy_id, w.requirement.requirement_id) for w in found.waivers]
    assert offered == blocking
    assert inbox.inbox(world.ctx, actor, with_standing=False).standing == {}
