"""Gates that decide on evidence, on both backends: a failing fairness check blocks the
transition; the board's waiver lets it through; an expired waiver blocks again; a gate check
writes nothing; posture shows what blocks."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from charter.governance.domain.lifecycle import Decision, RequestStatus
from charter.governance.files import check_policy
from charter.governance.services import gates as governance
from charter.governance.services import lifecycle, policies
from charter.inventory.domain import LifecycleStage as S
from charter.kernel.errors import Forbidden
from charter.kernel.roles import RoleKind as R
from charter.validation import services as validation
from charter.validation.domain.suite import parse_suite
from charter.validation.engines.runner import run_suite
from tests.factory import World

FAIRNESS = {
    "id": "fairness",
    "title": "Fair to groups",
    "applies": {"transitions": [{"to": "approved_for_deployment"}]},
    "requirements": [
        {"id": "dp", "kind": "evidence", "metric": "demographic_parity_difference", "max": 0.1,
         "max_age_days": 30, "cites": ["MEASURE 2.11"]},
    ],
}  # fmt: skip
SUITE = {
    "name": "fairness",
    "data": "data.csv",
    "columns": {"label": "y", "prediction": "p", "protected": ["g"]},
    "checks": [
        {
            "id": "dp",
            "metric": "demographic_parity_difference",
            "over": ["g"],
            "max": 0.1,
            "min_group_size": 0,
        }
    ],
}


def _adopt(world: World, raw: dict[str, Any]) -> None:
    policies.load_policies(
        world.ctx, world.actor(R.ETHICS_COMPLIANCE), [(raw, check_policy(raw, raw["id"]))]
    )


def _validate(world: World, system_id: str, folder: Path, rows: str) -> None:
    (folder / "data.csv").write_text("y,p,g\n" + rows)
    validation.validate(
        world.ctx,
        world.actor(R.DATA_SCIENTIST),
        system_id,
        parse_suite(SUITE),
        lambda s: run_suite(s, folder),
    )


UNFAIR = "1,1,a\n0,1,a\n1,0,b\n0,0,b\n"  # selection rate a: 1.0, b: 0.0
FAIR = "1,1,a\n0,0,a\n1,1,b\n0,0,b\n"


def _ask_for_deployment(world: World, system_id: str) -> Any:
    request, _ = lifecycle.request_transition(
        world.ctx, world.actor(R.PROGRAM_MANAGER), system_id, S.APPROVED_FOR_DEPLOYMENT, "ready"
    )
    for role in (R.ETHICS_COMPLIANCE, R.BOARD_MEMBER):
        request, result = lifecycle.decide(
            world.ctx, world.actor(role), request.id, Decision.APPROVE, "ok"
        )
    return request, result


def test_a_failing_fairness_check_blocks_until_the_board_waives_it(
    world: World, tmp_path: Path
) -> None:
    _adopt(world, FAIRNESS)
    system = world.system()
    world.advance(system.id, S.IN_VALIDATION)
    _validate(world, system.id, tmp_path, UNFAIR)
    check = governance.check_gate(
        world.ctx, world.actor(R.AUDITOR), system.id, S.APPROVED_FOR_DEPLOYMENT, False
    )
    assert (
        not check.passed and "demographic_parity_difference = 1" in check.result.blocking_reasons[0]
    )
    request, result = _ask_for_deployment(world, system.id)
    assert (
        request.status is RequestStatus.PENDING and not result.passed
    )  # signed off, still blocked
    with pytest.raises(Forbidden):  # only the roles the decision rights name may waive
        policies.grant_waiver(
            world.ctx, world.actor(R.DATA_SCIENTIST), system.id, "fairness", "dp", "r", "m",
            world.ctx.clock() + timedelta(days=30),
        )  # fmt: skip
    waiver = policies.grant_waiver(
        world.ctx, world.actor(R.BOARD_MEMBER), system.id, "fairness", "dp",
        "group b is 2% of applicants; fix in next release", "manual review of group b decisions",
        world.ctx.clock() + timedelta(days=30),
    )  # fmt: skip
    _, result, _ = lifecycle.gate_status(world.ctx, world.actor(R.AUDITOR), request.id)
    assert result.passed and any(waiver.id in r.reason for r in result.results)


def test_a_waived_gate_applies_and_an_expired_waiver_blocks_again(
    world: World, tmp_path: Path
) -> None:
    _adopt(world, FAIRNESS)
    system = world.system()
    world.advance(system.id, S.IN_VALIDATION)
    _validate(world, system.id, tmp_path, UNFAIR)
    policies.grant_waiver(
        world.ctx, world.actor(R.CHIEF_AI_OFFICER), system.id, "fairness", "dp", "reason",
        "measures", world.ctx.clock() + timedelta(days=1),
    )  # fmt: skip
    request, _ = _ask_for_deployment(world, system.id)
    assert request.status is RequestStatus.APPLIED
    later = replace(world.ctx, clock=lambda: datetime.now().astimezone() + timedelta(days=2))
    check = governance.check_gate(later, world.actor(R.AUDITOR), system.id, S.DEPLOYED, False)
    blocked = governance.posture(later, world.actor(R.AUDITOR))
    mine = next(p for p in blocked if p.system.id == system.id)
    assert check.passed  # the fairness policy applies to approval for deployment only
    assert mine.blocking == [] and mine.target is S.DEPLOYED
    other = world.system()
    world.advance(other.id, S.IN_VALIDATION)
    _validate(world, other.id, tmp_path, UNFAIR)
    policies.grant_waiver(
        world.ctx, world.actor(R.CHIEF_AI_OFFICER), other.id, "fairness", "dp", "reason",
        "measures", world.ctx.clock() + timedelta(days=1),
    )  # fmt: skip
    expired = governance.check_gate(
        later, world.actor(R.AUDITOR), other.id, S.APPROVED_FOR_DEPLOYMENT, False
    )
    assert not expired.passed


def test_fresh_passing_evidence_opens_the_gate_and_a_gate_check_writes_nothing(
    world: World, tmp_path: Path
) -> None:
    _adopt(world, FAIRNESS)
    system = world.system()
    world.advance(system.id, S.IN_VALIDATION)
    missing = governance.check_gate(
        world.ctx, world.actor(R.AUDITOR), system.id, S.APPROVED_FOR_DEPLOYMENT, False
    )
    assert not missing.passed and "no evidence" in missing.result.blocking_reasons[0]
    _validate(world, system.id, tmp_path, FAIR)
    with world.ctx.uow() as uow:
        before = uow.audit.size()
    assert governance.check_gate(
        world.ctx, world.actor(R.AUDITOR), system.id, S.APPROVED_FOR_DEPLOYMENT, False
    ).passed
    with world.ctx.uow() as uow:
        assert uow.audit.size() == before
    stale = replace(world.ctx, clock=lambda: datetime.now().astimezone() + timedelta(days=31))
    assert not governance.check_gate(
        stale, world.actor(R.AUDITOR), system.id, S.APPROVED_FOR_DEPLOYMENT, False
    ).passed
    request, _ = _ask_for_deployment(world, system.id)
    assert request.status is RequestStatus.APPLIED


def test_disabling_a_policy_is_audited_and_takes_it_out_of_the_gate(
    world: World, tmp_path: Path
) -> None:
    _adopt(world, FAIRNESS)
    system = world.system()
    world.advance(system.id, S.IN_VALIDATION)
    with pytest.raises(Forbidden):
        policies.set_enabled(world.ctx, world.actor(R.DATA_SCIENTIST), "fairness", False)
    policies.set_enabled(world.ctx, world.actor(R.CHIEF_AI_OFFICER), "fairness", False)
    request, _ = _ask_for_deployment(world, system.id)
    assert request.status is RequestStatus.APPLIED
    with world.ctx.uow() as uow:
        actions = [e.body()["action"] for e in uow.audit.for_entity("policy", "fairness")]
    assert actions == ["policy.loaded", "policy.disabled"]
