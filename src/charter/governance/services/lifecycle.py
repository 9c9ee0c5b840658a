"""Use cases for lifecycle transitions: request, decide, and apply once the gate passes."""

from __future__ import annotations

from dataclasses import replace

from charter.accountability.services.raci import builders_of
from charter.governance.domain.lifecycle import (
    Approval,
    Decision,
    GateContext,
    GateResult,
    RequestStatus,
    TransitionRequest,
    apply_transition,
    check_requester,
    choose_slot,
    evaluate_gate,
    right_for,
)
from charter.governance.ports import Context, UnitOfWork
from charter.governance.services.gates import read_gate
from charter.governance.services.notices import announce
from charter.inventory.domain import AISystem, LifecycleStage, gate_inputs
from charter.inventory.services import get_system
from charter.kernel.access import Action, Actor, allowed, ensure, ensure_member
from charter.kernel.context import record
from charter.kernel.errors import Conflict, InvalidInput
from charter.kernel.lookups import by_ids, hold, require


def _reason(text: str) -> str:
    reason = text.strip()
    if not reason:
        raise InvalidInput("a reason is required", details={"field": "reason"})
    if len(reason) > 4000:
        raise InvalidInput("the reason is longer than 4000 characters", details={"field": "reason"})
    return reason


def gate_context(
    ctx: Context, uow: UnitOfWork, system: AISystem, request: TransitionRequest
) -> GateContext:
    right = right_for(ctx.rights, system, request.target)
    read = read_gate(ctx, uow, system, request)
    return GateContext(
        system=system,
        request=request,
        right=right,
        approvals=read.approvals,
        roles=read.roles,
        policies=read.policies,
        facts=read.facts,
    )


def hold_request(uow: UnitOfWork, request_id: str) -> tuple[TransitionRequest, AISystem]:
    """A transition request and its system, locked in the one order every decision takes:
    the system, then the request (read again once the system is held)."""
    system_id = require(uow.requests, "transition request", request_id).system_id
    system = hold(uow.systems, "system", system_id)
    return hold(uow.requests, "transition request", request_id), system


def _apply_if_passed(
    ctx: Context, uow: UnitOfWork, actor: Actor, gate: GateContext
) -> tuple[TransitionRequest, GateResult]:
    result = evaluate_gate(gate, ctx.conditions)
    if not result.passed:
        return gate.request, result
    moved = apply_transition(gate.system, gate.request.target)
    uow.systems.update(moved)
    applied = replace(gate.request, status=RequestStatus.APPLIED, decided_at=ctx.clock())
    uow.requests.update(applied, when={"status": RequestStatus.PENDING})
    record(
        ctx,
        uow,
        actor,
        "system.transitioned",
        "system",
        moved.id,
        {
            "request": applied.id,
            "stage": [gate.system.stage.value, moved.stage.value],
            "verdicts": [[r.condition, r.verdict.value] for r in result.results],
            "inputs": dict(result.inputs),
        },
    )
    return applied, result


def request_transition(
    ctx: Context, actor: Actor, system_id: str, target: LifecycleStage, reason: str
) -> tuple[TransitionRequest, GateResult]:
    """Ask to move a system; applied at once when the gate needs no further approval."""
    with ctx.uow() as uow:
        system = hold(uow.systems, "system", system_id)
        outcome = request_within(ctx, uow, actor, system, target, reason)
        uow.commit()
    return outcome


def request_within(
    ctx: Context,
    uow: UnitOfWork,
    actor: Actor,
    system: AISystem,
    target: LifecycleStage,
    reason: str,
) -> tuple[TransitionRequest, GateResult]:
    """The request inside the caller's transaction; the caller holds the system."""
    why = _reason(reason)
    ensure(actor, Action.READ, system.business_unit_id, system.id)
    right = right_for(ctx.rights, system, LifecycleStage(target))
    if actor.person_id is None:
        raise InvalidInput("a transition must be requested by a person")
    check_requester(right, system, actor.person_id, actor.roles)
    if uow.requests.all(system_id=system.id, status=RequestStatus.PENDING):
        raise Conflict(f"{system.name!r} already has a pending transition request")
    request = TransitionRequest(
        ctx.new_id("tr"),
        system.id,
        system.stage,
        LifecycleStage(target),
        actor.person_id,
        why,
        ctx.clock(),
    )
    uow.requests.add(request)
    record(
        ctx,
        uow,
        actor,
        "transition.requested",
        "system",
        system.id,
        {
            "request": request.id,
            "from": request.source.value,
            "to": request.target.value,
            "reason": why,
        },
    )
    outcome = _apply_if_passed(ctx, uow, actor, gate_context(ctx, uow, system, request))
    announce(ctx, uow, system, *outcome)
    return outcome


def decide(
    ctx: Context, actor: Actor, request_id: str, decision: Decision, reason: str
) -> tuple[TransitionRequest, GateResult]:
    """Approve or refuse a pending request; applies the transition when the gate then passes."""
    with ctx.uow() as uow:
        outcome = decide_within(ctx, uow, actor, request_id, decision, reason)
        uow.commit()
    return outcome


def decide_within(
    ctx: Context,
    uow: UnitOfWork,
    actor: Actor,
    request_id: str,
    decision: Decision,
    reason: str,
    body_decision_id: str | None = None,
    recorder: Actor | None = None,
) -> tuple[TransitionRequest, GateResult]:
    """The decision inside the caller's transaction; with `body_decision_id`, given on behalf
    of a body in a meeting (the one approval that decision makes): `actor` is the member who
    voted for it and holds the slot's right, the audit events are the `recorder`'s."""
    why = _reason(reason)
    request, system = hold_request(uow, request_id)
    ensure(actor, Action.READ, system.business_unit_id, system.id)
    if system.stage is not request.source and request.status is RequestStatus.PENDING:
        raise Conflict(f"the system moved to {system.stage.value} since this request was made")
    gate = gate_context(ctx, uow, system, request)
    if actor.person_id is None:
        raise InvalidInput("only a person may decide on a transition")
    slot = choose_slot(gate, actor.person_id, builders_of(uow, system.id))
    approval = Approval(
        ctx.new_id("ap"), request_id, actor.person_id, slot.label, Decision(decision), why,
        ctx.clock(), body_decision_id, gate_inputs(system),
    )  # fmt: skip
    replaced = [a.id for a in gate.stale if slot.label == a.slot or actor.person_id == a.person_id]
    for stale in replaced:  # given under other applicability inputs: its event stays
        uow.approvals.delete(stale)
    uow.approvals.add(approval)
    data: dict[str, object] = {"request": request_id, "slot": slot.label, "reason": why}
    if replaced:
        data["replaces"] = replaced
    if body_decision_id:
        data |= {"body_decision": body_decision_id, "approver": actor.person_id}
    by = recorder or actor
    record(ctx, uow, by, f"transition.{approval.decision.value}d", "system", system.id, data)
    if approval.decision is Decision.REFUSE:
        refused = replace(request, status=RequestStatus.REFUSED, decided_at=ctx.clock())
        uow.requests.update(refused, when={"status": RequestStatus.PENDING})
        outcome = refused, evaluate_gate(replace(gate, request=refused), ctx.conditions)
    else:
        kept = tuple(a for a in gate.approvals if a.id not in replaced)
        gate = replace(gate, approvals=(*kept, approval))
        outcome = _apply_if_passed(ctx, uow, by, gate)
    announce(ctx, uow, system, *outcome, decision=approval.decision)
    return outcome


def recheck(ctx: Context, actor: Actor, request_id: str) -> tuple[TransitionRequest, GateResult]:
    """Evaluate a pending request's gate again (new evidence, a waiver, a changed policy) and
    apply the transition when it now passes; the approvals already given still count."""
    with ctx.uow() as uow:
        request, system = hold_request(uow, request_id)
        ensure(actor, Action.READ, system.business_unit_id, system.id)
        if request.status is not RequestStatus.PENDING:
            raise Conflict(f"transition request {request_id} is already {request.status.value}")
        if system.stage is not request.source:
            raise Conflict(f"the system moved to {system.stage.value} since this request was made")
        outcome = _apply_if_passed(ctx, uow, actor, gate_context(ctx, uow, system, request))
        if outcome[0].status is RequestStatus.APPLIED:
            announce(ctx, uow, system, *outcome, decision=Decision.APPROVE)
        uow.commit()
    return outcome


def gate_status(
    ctx: Context, actor: Actor, request_id: str
) -> tuple[TransitionRequest, GateResult, list[Approval]]:
    """Where a request stands: the gate's verdicts and the decisions taken so far."""
    with ctx.uow().reading() as uow:
        request = require(uow.requests, "transition request", request_id)
        system = require(uow.systems, "system", request.system_id)
        ensure(actor, Action.READ, system.business_unit_id, system.id)
        approvals = uow.approvals.all(request_id=request_id)
        if request.status is not RequestStatus.PENDING:
            return request, GateResult(), approvals
        gate = gate_context(ctx, uow, system, request)
        return request, evaluate_gate(gate, ctx.conditions), approvals


def system_transitions(ctx: Context, actor: Actor, system_id: str) -> list[TransitionRequest]:
    get_system(ctx, actor, system_id)
    with ctx.uow() as uow:
        return uow.requests.find({"system_id": system_id}, order="-requested_at").items


def pending_requests(
    ctx: Context, actor: Actor, system_id: str | None = None
) -> list[TransitionRequest]:
    """Transition requests awaiting decision on systems the actor may read, oldest first."""
    ensure_member(actor)
    with ctx.uow().reading() as uow:
        return pending_in(uow, actor, system_id)[0]


def pending_in(
    uow: UnitOfWork, actor: Actor, system_id: str | None = None
) -> tuple[list[TransitionRequest], dict[str, AISystem]]:
    """`pending_requests` in a unit of work the caller holds, with the requests' systems."""
    by = {"system_id": system_id} if system_id is not None else {}
    found = uow.requests.all(status=RequestStatus.PENDING, **by)
    systems = by_ids(uow.systems, {r.system_id for r in found})
    visible = [
        r
        for r in found
        if allowed(actor, Action.READ, systems[r.system_id].business_unit_id, r.system_id)
    ]
    return sorted(visible, key=lambda r: r.requested_at), systems
