"""What awaits a person's decision: transition requests on the systems they may read,
blocking requirements of those requests they may waive, waivers that await them as the
second person (four eyes), and use cases awaiting a portfolio decision they may take."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from charter.governance.domain.gates import UNWAIVABLE, RequirementVerdict
from charter.governance.domain.lifecycle import (
    Approval,
    GateContext,
    GateResult,
    TransitionRequest,
    evaluate_gate,
    right_for,
)
from charter.governance.domain.waivers import Waiver
from charter.governance.ports import Context, UnitOfWork
from charter.governance.services import gates as governance
from charter.governance.services import lifecycle, policies
from charter.governance.services.facts import read_facts
from charter.inventory.domain import AISystem
from charter.kernel.access import Action, Actor, allowed, ensure_member
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


def _to_confirm(ctx: Context, uow: UnitOfWork, actor: Actor) -> tuple[tuple[AISystem, Waiver], ...]:
    """Waivers awaiting a second person that this person may confirm (not their own)."""
    now = ctx.clock()
    found, systems = policies.waivers_in(uow, actor)
    return tuple(
        (systems[w.system_id], w)
        for w in found
        if w.confirmable_by(actor.person_id, now)
        and allowed(actor, Action.READ, systems[w.system_id].business_unit_id, w.system_id)
        and policies.may_waive(ctx, actor, systems[w.system_id])
    )


def _waivable(
    ctx: Context, actor: Actor, request: TransitionRequest, read: governance.GateReading
) -> list[Waivable]:
    if not policies.may_waive(ctx, actor, read.system):
        return []
    check = governance.judge_gate(ctx, actor, read, request.target, True)
    return [
        Waivable(read.system, request, r)
        for v in check.policies
        for r in v.requirements
        if r.blocking and r.verdict.value in WAIVABLE and r.kind not in UNWAIVABLE
    ]


def _standing(ctx: Context, request: TransitionRequest, read: governance.GateReading) -> Standing:
    """Where the request stands now (as `lifecycle.gate_status` tells), from the same read."""
    right = right_for(ctx.rights, read.system, request.target)
    gate = GateContext(
        read.system, request, right, read.approvals, read.roles, read.policies, read.facts
    )
    return Standing(evaluate_gate(gate, ctx.conditions), read.approvals)


Reads = dict[str, governance.GateReading]  # by request id


def _read_gates(
    ctx: Context,
    uow: UnitOfWork,
    actor: Actor,
    pending: Sequence[TransitionRequest],
    systems: Mapping[str, AISystem],
    with_standing: bool,
) -> Reads:
    """The gate of each pending request the inbox needs (for what the actor may waive of it
    and, `with_standing`, where it stands), all requests in one read (one statement per kind
    of fact)."""
    wanted = [
        r for r in pending
        if with_standing or policies.may_waive(ctx, actor, systems[r.system_id])
    ]  # fmt: skip
    if not wanted:
        return {}
    now = ctx.clock()
    given = uow.approvals.all(request_id=frozenset(r.id for r in wanted))
    chosen = [systems[i] for i in dict.fromkeys(r.system_id for r in wanted)]
    read = read_facts(uow, chosen, now, waiver_roles=ctx.rights.waivers)
    facts = {s.id: read.facts(s, now, ctx.plugins) for s in chosen}
    roles = tuple(read.roles)
    out: Reads = {}
    for r in wanted:
        approvals = tuple(a for a in given if a.request_id == r.id)
        system = systems[r.system_id]
        out[r.id] = governance.GateReading(
            system, r, approvals, roles, facts[system.id], read.policies
        )
    return out


def inbox(ctx: Context, actor: Actor, with_standing: bool = True) -> Inbox:
    """What awaits `actor`; `with_standing` adds where each request's gate stands. The
    requests, their gates, the waivers to confirm and the use cases are read in one
    transaction."""
    ensure_member(actor)
    with ctx.uow().reading() as uow:
        found, systems = lifecycle.pending_in(uow, actor)
        pending = [r for r in found if r.requested_by != actor.person_id]
        reads = _read_gates(ctx, uow, actor, pending, systems, with_standing)
        to_confirm = _to_confirm(ctx, uow, actor)
        waiting = portfolio.use_cases_in(
            uow, actor, frozenset({UseCaseStatus.SUBMITTED, UseCaseStatus.PARKED})
        )
    transitions = tuple((systems[r.system_id], r) for r in pending)
    waivers = tuple(
        w
        for r in pending
        if (read := reads.get(r.id)) is not None
        for w in _waivable(ctx, actor, r, read)
    )
    use_cases = tuple(
        u
        for u in waiting
        if u.submitted_by != actor.person_id
        and allowed(actor, Action.PORTFOLIO_DECIDE, u.business_unit_id)
    )
    standing = {r.id: _standing(ctx, r, reads[r.id]) for r in pending if with_standing}
    return Inbox(transitions, waivers, use_cases, standing, to_confirm)
