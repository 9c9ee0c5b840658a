"""The lifecycle state machine and its gate.

A gate is a list of conditions evaluated against a context. Approvals from decision rights are
the built-in condition; policies and evidence (later) plug in as further conditions without
changing the transition use case.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Protocol

from charter.accountability.domain.raci import DEPLOYMENT_STAGES
from charter.accountability.domain.rights import ApprovalSlot, DecisionRight, DecisionRights
from charter.inventory.domain import AISystem, gate_inputs, inputs_changed
from charter.inventory.domain import LifecycleStage as S
from charter.kernel.errors import Conflict, Forbidden, TransitionRefused
from charter.kernel.roles import RoleAssignment, RoleKind
from charter.kernel.verdicts import PASSING, Verdict

if TYPE_CHECKING:
    from charter.governance.domain.gates import GateFacts
    from charter.governance.domain.policy import Policy

_FORWARD: dict[S, frozenset[S]] = {
    S.PROPOSED: frozenset({S.ASSESSED}),
    S.ASSESSED: frozenset({S.APPROVED_FOR_DEVELOPMENT}),
    S.APPROVED_FOR_DEVELOPMENT: frozenset({S.IN_DEVELOPMENT}),
    S.IN_DEVELOPMENT: frozenset({S.IN_VALIDATION}),
    S.IN_VALIDATION: frozenset({S.APPROVED_FOR_DEPLOYMENT, S.IN_DEVELOPMENT}),
    S.APPROVED_FOR_DEPLOYMENT: frozenset({S.DEPLOYED}),
    S.DEPLOYED: frozenset(),
    S.RETIRED: frozenset(),
    S.SUSPENDED: frozenset(),
}


def allowed_targets(system: AISystem) -> frozenset[S]:
    """Stages the system may move to next, by the state machine alone."""
    if system.stage is S.RETIRED:
        return frozenset()
    if system.stage is S.SUSPENDED:
        back = {system.stage_before_suspension} if system.stage_before_suspension else set()
        return frozenset({*back, S.RETIRED})
    return _FORWARD[system.stage] | {S.SUSPENDED, S.RETIRED}


def check_transition(system: AISystem, target: S) -> None:
    if target not in allowed_targets(system):
        allowed = ", ".join(sorted(s.value for s in allowed_targets(system))) or "none"
        raise TransitionRefused(
            f"{system.name!r} cannot move from {system.stage.value} to {target.value} "
            f"(allowed next: {allowed})",
            details={"from": system.stage.value, "to": target.value},
        )


def apply_transition(system: AISystem, target: S) -> AISystem:
    """The system after the transition: remembers where it was suspended from."""
    check_transition(system, target)
    before = system.stage if target is S.SUSPENDED else None
    return replace(system, stage=target, stage_before_suspension=before)


class RequestStatus(StrEnum):
    PENDING = "pending"
    APPLIED = "applied"
    REFUSED = "refused"


class Decision(StrEnum):
    APPROVE = "approve"
    REFUSE = "refuse"


@dataclass(frozen=True, slots=True)
class TransitionRequest:
    id: str
    system_id: str
    source: S
    target: S
    requested_by: str
    reason: str
    requested_at: datetime
    status: RequestStatus = RequestStatus.PENDING
    decided_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Approval:
    id: str
    request_id: str
    person_id: str
    slot: str
    decision: Decision
    reason: str
    decided_at: datetime
    body_decision_id: str | None = None  # given by a body in a meeting: its decision
    # the system's applicability inputs when it was given (gate_inputs); None: given before
    # Charter recorded them. Given under other inputs, it no longer counts.
    inputs: Mapping[str, Any] | None = None

    def counts_for(self, system: AISystem) -> bool:
        return self.inputs is None or dict(self.inputs) == gate_inputs(system)


@dataclass(frozen=True, slots=True)
class ConditionResult:
    condition: str
    verdict: Verdict
    reason: str
    blocking: bool = True


@dataclass(frozen=True, slots=True)
class GateContext:
    system: AISystem
    request: TransitionRequest
    right: DecisionRight
    approvals: tuple[Approval, ...]
    roles: tuple[RoleAssignment, ...]
    policies: tuple[Policy, ...] = ()
    facts: GateFacts | None = None  # what policies judge: evidence, documents, waivers, ...

    @property
    def counted(self) -> tuple[Approval, ...]:
        """The approvals given under the system's applicability inputs as they are now."""
        return tuple(a for a in self.approvals if a.counts_for(self.system))

    @property
    def stale(self) -> tuple[Approval, ...]:
        """Approvals given under other applicability inputs: they no longer count."""
        return tuple(a for a in self.approvals if not a.counts_for(self.system))


class Condition(Protocol):
    """Something a gate checks. Implementations are pure and return one result per item."""

    def evaluate(self, ctx: GateContext) -> list[ConditionResult]: ...


@dataclass(frozen=True, slots=True)
class GateResult:
    results: tuple[ConditionResult, ...] = field(default_factory=tuple)
    inputs: Mapping[str, Any] = field(default_factory=dict)  # applicability inputs it used

    @property
    def passed(self) -> bool:
        """Fail closed: every blocking result must be satisfied, waived or not applicable."""
        return all(r.verdict in PASSING for r in self.results if r.blocking)

    @property
    def blocking_reasons(self) -> list[str]:
        return [r.reason for r in self.results if r.blocking and r.verdict not in PASSING]


class ApprovalsCondition:
    """Each approval slot of the decision right is filled by an approving decision."""

    def evaluate(self, ctx: GateContext) -> list[ConditionResult]:
        approved = {a.slot for a in ctx.counted if a.decision is Decision.APPROVE}
        return [
            ConditionResult(
                condition=f"approval:{slot.label}",
                verdict=Verdict.SATISFIED if slot.label in approved else Verdict.NOT_SATISFIED,
                reason=(
                    f"approved ({slot.label})"
                    if slot.label in approved
                    else f"awaiting approval '{slot.label}' by one of: "
                    + ", ".join(sorted(r.value for r in slot.any_of))
                    + _voided(ctx, slot.label)
                ),
            )
            for slot in ctx.right.approvals
        ]


def _voided(ctx: GateContext, slot: str) -> str:
    """Why an approval once given in this slot no longer counts."""
    now = gate_inputs(ctx.system)
    return "".join(
        f"; the approval by {a.person_id} was given under other applicability inputs "
        f"({'; '.join(inputs_changed(dict(a.inputs or {}), now))}) and no longer counts"
        for a in ctx.stale
        if a.slot == slot
    )


def evaluate_gate(ctx: GateContext, conditions: Sequence[Condition]) -> GateResult:
    results: list[ConditionResult] = []
    for condition in conditions:
        results.extend(condition.evaluate(ctx))
    return GateResult(tuple(results), gate_inputs(ctx.system))


def _holds(
    person_id: str, roles: Sequence[RoleAssignment], kinds: frozenset[RoleKind], system: AISystem
) -> bool:
    return any(
        r.person_id == person_id
        and r.role in kinds
        and r.covers(system.business_unit_id, system.id)
        for r in roles
    )


def right_for(rights: DecisionRights, system: AISystem, target: S) -> DecisionRight:
    check_transition(system, target)
    right = rights.for_transition(system.stage, target)
    if right is None:
        raise TransitionRefused(
            f"no decision right covers {system.stage.value} -> {target.value}; "
            "nobody may request it"
        )
    return right


def check_requester(
    right: DecisionRight, system: AISystem, person_id: str, roles: Sequence[RoleAssignment]
) -> None:
    if not _holds(person_id, roles, right.request, system):
        raise Forbidden(
            f"requesting {right.target if right.target != '*' else 'this transition'} for "
            f"{system.name!r} needs one of: " + ", ".join(sorted(r.value for r in right.request))
        )


def choose_slot(ctx: GateContext, person_id: str, builders: frozenset[str]) -> ApprovalSlot:
    """The open approval slot this person may fill, or the reason they may not approve."""
    if ctx.request.status is not RequestStatus.PENDING:
        raise Conflict(f"transition request {ctx.request.id} is already {ctx.request.status.value}")
    if person_id == ctx.request.requested_by:
        raise Forbidden("segregation of duties: the requester may not approve their own request")
    if ctx.request.target in DEPLOYMENT_STAGES and person_id in builders:
        raise Forbidden(
            "segregation of duties: a person Responsible for building the system "
            "may not approve its deployment"
        )
    if any(a.person_id == person_id for a in ctx.counted):
        raise Conflict("this person has already decided on this request")
    taken = {a.slot for a in ctx.counted}
    entitled = [
        s for s in ctx.right.approvals if _holds(person_id, ctx.roles, s.any_of, ctx.system)
    ]
    if not entitled:
        needed = sorted({r.value for s in ctx.right.approvals for r in s.any_of})
        raise Forbidden(
            "no decision right to approve this transition; it needs one of: "
            + (", ".join(needed) or "no approval")
        )
    open_slots = [s for s in entitled if s.label not in taken]
    if not open_slots:
        raise Conflict("every approval this person is entitled to give has already been given")
    return open_slots[0]
