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
    RequestStatus,
    TransitionRequest,
    evaluate_gate,
    right_for,
)
from charter.governance.domain.waivers import Waiver
from charter.governance.ports import Context
from charter.governance.services import gates as governance
from charter.governance.services import lifecycle, policies
from charter.governance.services.facts import read_facts
from charter.inventory import services as inventory
from charter.inventory.domain import AISystem
from charter.kernel.access import Action, Actor, allowed, ensure
from charter.kernel.errors import NotFound
from charter.kernel.lookups import require
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


def _standing(
    ctx: Context, actor: Actor, request: TransitionRequest, read: governance.GateReading
) -> Standing:
    """Where the request stands now (as `lifecycle.gate_status` tells), from the same read."""
    if read.request is None:  # decided since it was listed: as gate_status says it
        _, result, approvals = lifecycle.gate_status(ctx, actor, request.id)
        return Standing(result, tuple(approvals))
    right = right_for(ctx.rights, read.system, request.target)
    gate = GateContext(
        read.system, read.request, right, read.approvals, read.roles, read.policies, read.facts
    )
    return Standing(evaluate_gate(gate, ctx.conditions), read.approvals)


Reads = dict[str, tuple[AISystem, governance.GateReading | None]]  # by request id


def _read_gates(
    ctx: Context, actor: Actor, pending: Sequence[TransitionRequest], with_standing: bool
) -> Reads:
    """Each pending request's system and, when the inbox needs it, its gate: read once for
    both what the actor may waive and where the request stands, all requests in one read
    (one statement per kind of fact)."""
    if not pending:
        return {}
    now = ctx.clock()
    with ctx.uow().reading() as uow:
        systems = {s.id: s for s in uow.systems.all(id=frozenset(r.system_id for r in pending))}
        for r in pending:
            system = systems.get(r.system_id) or require(uow.systems, "system", r.system_id)
            ensure(actor, Action.READ, system.business_unit_id, system.id)
        wanted = [
            r for r in pending
            if with_standing or policies.may_waive(ctx, actor, systems[r.system_id])
        ]  # fmt: skip
        if not wanted:
            return {r.id: (systems[r.system_id], None) for r in pending}
        fresh = {q.id: q for q in uow.requests.all(id=frozenset(r.id for r in wanted))}
        counted = {i: q for i, q in fresh.items() if q.status is RequestStatus.PENDING}
        given = uow.approvals.all(request_id=frozenset(counted)) if counted else []
        chosen = [systems[i] for i in dict.fromkeys(r.system_id for r in wanted)]
        read = read_facts(uow, chosen, now, waiver_roles=ctx.rights.waivers)
    facts = {s.id: read.facts(s, now, ctx.plugins) for s in chosen}
    out: Reads = {r.id: (systems[r.system_id], None) for r in pending}
    for r in wanted:
        if r.id not in fresh:
            raise NotFound("transition request", r.id)
        approvals = tuple(a for a in given if a.request_id == r.id)
        out[r.id] = (systems[r.system_id], governance.GateReading(
            systems[r.system_id], counted.get(r.id), approvals, tuple(read.roles),
            facts[r.system_id], read.policies,
        ))  # fmt: skip
    return out


def inbox(ctx: Context, actor: Actor, with_standing: bool = True) -> Inbox:
    """What awaits `actor`; `with_standing` adds where each request's gate stands (read in
    the same transaction as what the actor may waive of it)."""
    pending = [
        r for r in lifecycle.pending_requests(ctx, actor) if r.requested_by != actor.person_id
    ]
    reads = _read_gates(ctx, actor, pending, with_standing)
    transitions = tuple((reads[r.id][0], r) for r in pending)
    waivers = tuple(
        w
        for r in pending
        if (read := reads[r.id][1]) is not None
        for w in _waivable(ctx, actor, r, read)
    )
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
        read = reads[r.id][1]
        assert read is not None  # read whenever the standing is wanted
        standing[r.id] = _standing(ctx, actor, r, read)
    return Inbox(transitions, waivers, use_cases, standing, _to_confirm(ctx, actor))
