from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from charter.bootstrap import load_rights
from charter.governance.domain.lifecycle import (
    Approval,
    ApprovalsCondition,
    ConditionResult,
    Decision,
    GateContext,
    RequestStatus,
    TransitionRequest,
    allowed_targets,
    apply_transition,
    check_requester,
    choose_slot,
    evaluate_gate,
    right_for,
)
from charter.inventory.domain import AISystem
from charter.inventory.domain import LifecycleStage as S
from charter.kernel.errors import Conflict, Forbidden, TransitionRefused
from charter.kernel.roles import RoleAssignment, RoleKind, ScopeKind
from charter.kernel.verdicts import Verdict

NOW = datetime(2026, 11, 28, tzinfo=UTC)
RIGHTS = load_rights(None)


def system(stage: S = S.PROPOSED) -> AISystem:
    return AISystem("sys_1", "Credit scoring", "Scores applicants", "bu_1", "p_owner", stage)


def role(
    person: str,
    kind: RoleKind,
    scope: ScopeKind = ScopeKind.ORGANISATION,
    scope_id: str | None = None,
) -> RoleAssignment:
    return RoleAssignment(f"ra_{person}_{kind.value}", person, kind, scope, scope_id)


def gate(
    target: S,
    stage: S,
    approvals: tuple[Approval, ...] = (),
    roles: tuple[RoleAssignment, ...] = (),
) -> GateContext:
    sys_ = system(stage)
    request = TransitionRequest("tr_1", sys_.id, stage, target, "p_req", "why", NOW)
    return GateContext(sys_, request, right_for(RIGHTS, sys_, target), approvals, roles)


def test_forward_path_is_a_single_chain_with_suspend_and_retire_everywhere() -> None:
    assert allowed_targets(system(S.PROPOSED)) == {S.ASSESSED, S.SUSPENDED, S.RETIRED}
    assert allowed_targets(system(S.IN_VALIDATION)) == {
        S.APPROVED_FOR_DEPLOYMENT,
        S.IN_DEVELOPMENT,
        S.SUSPENDED,
        S.RETIRED,
    }
    assert allowed_targets(system(S.RETIRED)) == frozenset()


@pytest.mark.parametrize(
    ("stage", "target"),
    [
        (S.PROPOSED, S.DEPLOYED),
        (S.PROPOSED, S.IN_DEVELOPMENT),
        (S.DEPLOYED, S.PROPOSED),
        (S.RETIRED, S.DEPLOYED),
        (S.IN_DEVELOPMENT, S.APPROVED_FOR_DEPLOYMENT),
        (S.ASSESSED, S.ASSESSED),
    ],
)
def test_illegal_transition_is_refused_with_the_allowed_next_stages(stage: S, target: S) -> None:
    with pytest.raises(TransitionRefused, match="cannot move from") as err:
        apply_transition(system(stage), target)
    assert err.value.details == {"from": stage.value, "to": target.value}


def test_suspension_remembers_the_stage_and_resumes_only_there() -> None:
    suspended = apply_transition(system(S.DEPLOYED), S.SUSPENDED)
    assert suspended.stage_before_suspension is S.DEPLOYED
    assert allowed_targets(suspended) == {S.DEPLOYED, S.RETIRED}
    resumed = apply_transition(suspended, S.DEPLOYED)
    assert resumed.stage is S.DEPLOYED and resumed.stage_before_suspension is None


def test_requester_needs_a_role_named_by_the_decision_right() -> None:
    right = right_for(RIGHTS, system(), S.ASSESSED)
    check_requester(right, system(), "p1", [role("p1", RoleKind.PROGRAM_MANAGER)])
    with pytest.raises(Forbidden, match="needs one of"):
        check_requester(right, system(), "p1", [role("p1", RoleKind.DATA_SCIENTIST)])


def test_a_role_scoped_to_another_unit_does_not_count() -> None:
    right = right_for(RIGHTS, system(), S.ASSESSED)
    other_unit = role("p1", RoleKind.PROGRAM_MANAGER, ScopeKind.BUSINESS_UNIT, "bu_2")
    with pytest.raises(Forbidden):
        check_requester(right, system(), "p1", [other_unit])
    own_unit = role("p1", RoleKind.PROGRAM_MANAGER, ScopeKind.BUSINESS_UNIT, "bu_1")
    check_requester(right, system(), "p1", [own_unit])
    own_system = role("p1", RoleKind.PROGRAM_MANAGER, ScopeKind.SYSTEM, "sys_1")
    check_requester(right, system(), "p1", [own_system])


def test_approval_slot_goes_to_an_entitled_person_only() -> None:
    roles = (role("p_eth", RoleKind.ETHICS_COMPLIANCE), role("p_ds", RoleKind.DATA_SCIENTIST))
    ctx = gate(S.ASSESSED, S.PROPOSED, roles=roles)
    assert choose_slot(ctx, "p_eth", frozenset()).label == "risk screening"
    with pytest.raises(Forbidden, match="no decision right to approve"):
        choose_slot(ctx, "p_ds", frozenset())


def test_requester_cannot_approve_own_request() -> None:
    ctx = gate(S.ASSESSED, S.PROPOSED, roles=(role("p_req", RoleKind.ETHICS_COMPLIANCE),))
    with pytest.raises(Forbidden, match="requester may not approve"):
        choose_slot(ctx, "p_req", frozenset())


def test_builder_cannot_approve_deployment_but_may_approve_other_steps() -> None:
    roles = (role("p_b", RoleKind.ETHICS_COMPLIANCE),)
    deploy = gate(S.APPROVED_FOR_DEPLOYMENT, S.IN_VALIDATION, roles=roles)
    with pytest.raises(Forbidden, match="Responsible for building"):
        choose_slot(deploy, "p_b", frozenset({"p_b"}))
    assess = gate(S.ASSESSED, S.PROPOSED, roles=roles)
    assert choose_slot(assess, "p_b", frozenset({"p_b"})).label == "risk screening"


def test_one_person_fills_one_slot_and_decided_requests_take_no_more() -> None:
    roles = (role("p_caio", RoleKind.CHIEF_AI_OFFICER), role("p_eth", RoleKind.ETHICS_COMPLIANCE))
    first = Approval("ap1", "tr_1", "p_caio", "leadership sign-off", Decision.APPROVE, "ok", NOW)
    ctx = gate(S.APPROVED_FOR_DEPLOYMENT, S.IN_VALIDATION, (first,), roles)
    with pytest.raises(Conflict, match="already decided"):
        choose_slot(ctx, "p_caio", frozenset())
    assert choose_slot(ctx, "p_eth", frozenset()).label == "compliance sign-off"
    done = replace(ctx, request=replace(ctx.request, status=RequestStatus.APPLIED))
    with pytest.raises(Conflict, match="already applied"):
        choose_slot(done, "p_eth", frozenset())


def test_gate_passes_only_when_every_blocking_result_passes() -> None:
    ctx = gate(S.APPROVED_FOR_DEPLOYMENT, S.IN_VALIDATION)
    result = evaluate_gate(ctx, [ApprovalsCondition()])
    assert not result.passed
    assert len(result.blocking_reasons) == 2
    approvals = tuple(
        Approval(f"ap{i}", "tr_1", f"p{i}", slot.label, Decision.APPROVE, "ok", NOW)
        for i, slot in enumerate(ctx.right.approvals)
    )
    assert evaluate_gate(replace(ctx, approvals=approvals), [ApprovalsCondition()]).passed


class Fixed:
    """A further gate condition, as policies and evidence will plug in."""

    def __init__(self, verdict: Verdict, blocking: bool = True) -> None:
        self.verdict, self.blocking = verdict, blocking

    def evaluate(self, ctx: GateContext) -> list[ConditionResult]:
        return [ConditionResult("evidence:x", self.verdict, "fixed", self.blocking)]


@pytest.mark.parametrize(
    ("verdict", "passes"),
    [
        (Verdict.SATISFIED, True),
        (Verdict.WAIVED, True),
        (Verdict.NOT_APPLICABLE, True),
        (Verdict.NOT_SATISFIED, False),
        (Verdict.INCONCLUSIVE, False),
    ],
)
def test_extra_conditions_plug_in_and_inconclusive_blocks(verdict: Verdict, passes: bool) -> None:
    ctx = gate(S.IN_DEVELOPMENT, S.APPROVED_FOR_DEVELOPMENT)  # needs no approval
    assert evaluate_gate(ctx, [ApprovalsCondition(), Fixed(verdict)]).passed is passes
    assert evaluate_gate(ctx, [Fixed(verdict, blocking=False)]).passed


def test_a_transition_no_right_covers_is_refused() -> None:
    from charter.accountability.domain.rights import parse_decision_rights

    narrow = parse_decision_rights(
        {"rights": [{"from": "proposed", "to": "assessed", "request": ["chief_ai_officer"]}]}
    )
    with pytest.raises(TransitionRefused, match="no decision right covers"):
        right_for(narrow, system(S.ASSESSED), S.APPROVED_FOR_DEVELOPMENT)
