"""What awaits a person's decision: transition requests on the systems they may read,
blocking requirements of those requests they may waive, waivers that await them as the
second person (four eyes), and use cases awaiting a portfolio decision they may take."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from charter.governance.domain.gates import UNWAIVABLE, RequirementVerdict
from charter.governance.domain.lifecycle import Approval, GateResult, TransitionRequest
from charter.governance.domain.waivers import Waiver
from charter.governance.ports import Context
from charter.governance.services import gates as governance
from charter.governance.services import lifecycle, policies
from charter.inventory import services as inventory
from charter.inventory.domain import AISystem
from charter.kernel.access import Action, Actor, allowed
from charter.strategy.domain.strategy import UseCase, UseCaseStatus
from charter.strategy.services import portfolio

WAIVABLE = ("not_satisfied", "inconclusive")


@dataclass(frozen=True, slots=True)
class Waivable:
    system: AISystem
    request: TransitionRequest
    requirement: RequirementVerdict


@dataclass(frozen=True, slots=True)
class Standing:
    """Where a pending request stands: its gate's verdicts and the decisions given so far."""

    gate: GateResult
    approvals: tuple[Approval, ...]


@dataclass(frozen=True, slots=True)
class Inbox:
    transitions: tuple[tuple[AISystem, TransitionRequest], ...]
    waivers: tuple[Waivable, ...]
    use_cases: tuple[UseCase, ...]
    standing: Mapping[str, Standing] = field(default_factory=dict)  # by request id
    to_confirm: tuple[tuple[AISystem, Waiver], ...] = ()  # waivers awaiting their second


def _to_confirm(ctx: Context, actor: Actor) -> tuple[tuple[AISystem, Waiver], ...]:
    """Waivers awaiting a second person that this person may confirm (not their own)."""
    now = ctx.clock()
    found = [w for w in policies.list_waivers(ctx, actor) if w.confirmable_by(actor.person_id, now)]
    systems = {w.system_id: inventory.get_system(ctx, actor, w.system_id) for w in found}
    return tuple(
        (systems[w.system_id], w)
        for w in found
        if policies.may_waive(ctx, actor, systems[w.system_id])
    )


def _waivable(
    ctx: Context, actor: Actor, system: AISystem, request: TransitionRequest
) -> list[Waivable]:
    if not policies.may_waive(ctx, actor, system):
        return []
    check = governance.check_gate(ctx, actor, system.id, request.target, True)
    return [
        Waivable(system, request, r)
        for v in check.policies
        for r in v.requirements
        if r.blocking and r.verdict.value in WAIVABLE and r.kind not in UNWAIVABLE
    ]


def inbox(ctx: Context, actor: Actor, with_standing: bool = True) -> Inbox:
    """What awaits `actor`; `with_standing` adds where each request's gate stands (a second
    gate evaluation per request, which a caller that does not show it is spared)."""
    pending = [
        r for r in lifecycle.pending_requests(ctx, actor) if r.requested_by != actor.person_id
    ]
    systems = {r.system_id: inventory.get_system(ctx, actor, r.system_id) for r in pending}
    transitions = tuple((systems[r.system_id], r) for r in pending)
    waivers = tuple(w for s, r in transitions for w in _waivable(ctx, actor, s, r))
    waiting = portfolio.list_use_cases(
        ctx, actor, frozenset({UseCaseStatus.SUBMITTED, UseCaseStatus.PARKED})
    )
    use_cases = tuple(
        u
        for u in waiting
        if u.submitted_by != actor.person_id
        and allowed(actor, Action.PORTFOLIO_DECIDE, u.business_unit_id)
    )
    standing = {}
    for r in pending if with_standing else ():
        _, gate, approvals = lifecycle.gate_status(ctx, actor, r.id)
        standing[r.id] = Standing(gate, tuple(approvals))
    return Inbox(transitions, waivers, use_cases, standing, _to_confirm(ctx, actor))
