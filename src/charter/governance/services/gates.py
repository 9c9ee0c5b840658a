"""Dry-run gate checks and the posture of the whole inventory, over what `facts` reads."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from charter.governance.domain.gates import (
    GateFacts,
    PolicyVerdict,
    as_conditions,
    evaluate_policy,
    signed_approvals,
)
from charter.governance.domain.lifecycle import (
    Approval,
    ApprovalsCondition,
    GateContext,
    GateResult,
    RequestStatus,
    TransitionRequest,
    allowed_targets,
    evaluate_gate,
    right_for,
)
from charter.governance.domain.policy import Kind, Policy, system_facts
from charter.governance.domain.risk_view import RiskPosition
from charter.governance.ports import Context, UnitOfWork
from charter.governance.services.facts import (
    Inventory,
    current_versions,
    parsed,
    policies_in_force,
    read_facts,
    withheld,
)
from charter.inventory.domain import AISystem, LifecycleStage
from charter.kernel.access import Action, Actor, ensure, ensure_member
from charter.kernel.lookups import require
from charter.kernel.roles import RoleAssignment
from charter.kernel.verdicts import Verdict

#: what gates read is in `facts`; its names most callers use are offered here too
__all__ = [
    "GateCheck", "GateReading", "Inventory", "SystemPosture", "check_gate", "current_versions",
    "judge_gate", "parsed", "policies_in_force", "posture", "posture_of", "posture_target",
    "read_gate", "read_inventory", "risk_positions", "visible_systems", "withheld",
]  # fmt: skip


@dataclass(frozen=True, slots=True)
class GateCheck:
    system: AISystem
    target: LifecycleStage
    result: GateResult
    policies: tuple[PolicyVerdict, ...]
    request: TransitionRequest | None  # the pending request whose approvals were counted

    @property
    def passed(self) -> bool:
        return self.result.passed


def check_gate(
    ctx: Context, actor: Actor, system_id: str, target: LifecycleStage, with_approvals: bool = True
) -> GateCheck:
    """Would the gate to `target` pass now? Nothing is written. Approvals come from a pending
    request for that transition when there is one; without `with_approvals`, only the
    policies' non-approval requirements decide (for CI pipelines before anyone signs off)."""
    with ctx.uow().reading() as uow:
        system = require(uow.systems, "system", system_id)
        ensure(actor, Action.READ, system.business_unit_id, system.id)
        pending = [
            r
            for r in uow.requests.all(system_id=system.id, status=RequestStatus.PENDING)
            if r.target is target
        ]
        request = pending[0] if pending else None
        read = read_gate(ctx, uow, system, request)
    return judge_gate(ctx, actor, read, target, with_approvals)


@dataclass(frozen=True, slots=True)
class GateReading:
    """What a gate of one system reads, in one transaction: the request whose approvals
    count (None for a dry run), its approvals, every role, the facts (without approvals)
    and the policies in force."""

    system: AISystem
    request: TransitionRequest | None
    approvals: tuple[Approval, ...]
    roles: tuple[RoleAssignment, ...]
    facts: GateFacts
    policies: tuple[Policy, ...]


def read_gate(
    ctx: Context, uow: UnitOfWork, system: AISystem, request: TransitionRequest | None
) -> GateReading:
    """What the gate of one system reads, the approvals of `request` (if any) included."""
    given = tuple(uow.approvals.all(request_id=request.id)) if request else ()
    now = ctx.clock()
    read = read_facts(uow, [system], now, waiver_roles=ctx.rights.waivers)
    facts = read.facts(system, now, ctx.plugins)
    return GateReading(system, request, given, tuple(read.roles), facts, read.policies)


def judge_gate(
    ctx: Context, actor: Actor, read: GateReading, target: LifecycleStage, with_approvals: bool
) -> GateCheck:
    """The dry-run check of what was read: approvals count as signed by their roles."""
    system, request, given, roles = read.system, read.request, read.approvals, read.roles
    approvals = tuple(a for a in given if a.counts_for(system))
    signed = signed_approvals(approvals, roles, system) if with_approvals else ()
    facts = replace(read.facts, approvals=signed)
    probe = request or TransitionRequest(
        "(dry run)", system.id, system.stage, target, actor.ref, "gate check", ctx.clock()
    )
    verdicts = tuple(evaluate_policy(p, facts, system.stage, target) for p in read.policies)
    if not with_approvals:
        verdicts = tuple(_without_approvals(v) for v in verdicts)
    right = right_for(ctx.rights, system, target)
    gate = GateContext(system, probe, right, given, roles, (), facts)
    base = evaluate_gate(gate, [ApprovalsCondition()] if with_approvals else [])
    result = GateResult((*base.results, *as_conditions(verdicts)), base.inputs)
    return GateCheck(system, target, result, verdicts, request)


def _without_approvals(verdict: PolicyVerdict) -> PolicyVerdict:
    kept = tuple(r for r in verdict.requirements if r.kind is not Kind.APPROVAL)
    return replace(verdict, requirements=kept)


@dataclass(frozen=True, slots=True)
class SystemPosture:
    system: AISystem
    target: LifecycleStage  # the gate evaluated: the next stage, or where a deployed one is
    policies: tuple[PolicyVerdict, ...]  # those that apply (not-applicable ones left out)
    expiring: tuple[str, ...]  # waivers and evidence that lapse soon

    @property
    def blocking(self) -> list[str]:
        return [
            f"{v.policy_id}/{r.requirement_id}: {r.reason}"
            for v in self.policies
            for r in v.requirements
            if r.blocking and r.verdict.value in ("not_satisfied", "inconclusive")
        ]


_NEXT = {
    LifecycleStage.PROPOSED: LifecycleStage.ASSESSED,
    LifecycleStage.ASSESSED: LifecycleStage.APPROVED_FOR_DEVELOPMENT,
    LifecycleStage.APPROVED_FOR_DEVELOPMENT: LifecycleStage.IN_DEVELOPMENT,
    LifecycleStage.IN_DEVELOPMENT: LifecycleStage.IN_VALIDATION,
    LifecycleStage.IN_VALIDATION: LifecycleStage.APPROVED_FOR_DEPLOYMENT,
    LifecycleStage.APPROVED_FOR_DEPLOYMENT: LifecycleStage.DEPLOYED,
}


def posture_target(system: AISystem) -> LifecycleStage:
    """The next forward gate, or, for a system with none ahead, the stage it stands in."""
    nxt = _NEXT.get(system.stage)
    return nxt if nxt is not None and nxt in allowed_targets(system) else system.stage


def _expiring(
    facts: GateFacts, policies: Sequence[Policy], verdicts: Sequence[PolicyVerdict], soon: timedelta
) -> tuple[str, ...]:
    out = [
        f"waiver {w.id} ({w.policy_id}/{w.requirement_id}) expires {w.expires_at:%Y-%m-%d}"
        for w in facts.waivers
        if w.active(facts.now) and w.expires_at - facts.now <= soon
    ]
    ages = {
        (p.id, r.id): r.max_age_days for p in policies for r in p.requirements if r.max_age_days
    }
    by_id = {e.id: e for e in facts.evidence}
    for v in verdicts:
        for r in v.requirements:
            days = ages.get((v.policy_id, r.requirement_id))
            ev = by_id.get(r.basis or "")
            if days and ev and r.verdict.value == "satisfied":
                lapses = ev.recorded_at + timedelta(days=days)
                if lapses - facts.now <= soon:
                    out.append(
                        f"evidence {ev.id} for {v.policy_id}/{r.requirement_id} "
                        f"lapses {lapses:%Y-%m-%d}"
                    )
    return tuple(out)


def visible_systems(uow: UnitOfWork, actor: Actor, system_id: str | None = None) -> list[AISystem]:
    """The systems the actor may see (or that one, if they may)."""
    found = uow.systems.all(id=system_id) if system_id else uow.systems.all()
    return [s for s in found if any(r.covers(s.business_unit_id, s.id) for r in actor.roles)]


def read_inventory(
    uow: UnitOfWork,
    actor: Actor,
    now: datetime,
    system_id: str | None = None,
    risks: bool | None = None,
) -> Inventory:
    """The systems the actor may see (or one) and every record gates read about them; their
    risks when `risks` (None: when a policy in force asks)."""
    systems = visible_systems(uow, actor, system_id)
    return read_facts(uow, systems, now, whole=system_id is None, risks=risks)


def posture(
    ctx: Context, actor: Actor, soon_days: int = 30, policy_id: str | None = None
) -> list[SystemPosture]:
    """Every system the actor may see, against the policies in force (or that one of them),
    in one read."""
    ensure_member(actor)
    now = ctx.clock()
    with ctx.uow().reading() as uow:
        inventory = read_inventory(uow, actor, now)
    return posture_of(ctx, inventory, now, soon_days, policy_id)


def posture_of(
    ctx: Context,
    inventory: Inventory,
    now: datetime,
    soon_days: int = 30,
    policy_id: str | None = None,
) -> list[SystemPosture]:
    """The posture of the systems read, each at its next gate, against the policies in
    force (or that one of them)."""
    policies, soon = inventory.policies, timedelta(days=soon_days)
    chosen = [p for p in policies if policy_id is None or p.id == policy_id]
    by_gate = {t: [p for p in chosen if p.applies.could_apply(t)] for t in LifecycleStage}
    raci_gates = {  # gates with a policy that reads RACI findings: computed for those only
        t
        for t, found in by_gate.items()
        if any(r.raci_complete for p in found for r in p.requirements)
    }
    out = []
    for s in inventory.systems:
        target = posture_target(s)
        facts = inventory.facts(s, now, ctx.plugins, target in raci_gates)
        view = system_facts(s)
        judged = (evaluate_policy(p, facts, s.stage, target, view) for p in by_gate[target])
        verdicts = tuple(v for v in judged if v.verdict is not Verdict.NOT_APPLICABLE)
        out.append(SystemPosture(s, target, verdicts, _expiring(facts, policies, verdicts, soon)))
    return out


def risk_positions(
    ctx: Context, actor: Actor, system_id: str | None = None
) -> dict[str, Sequence[RiskPosition]]:
    """The open risks of every system the actor may see (or of one), as the risk register
    judges them now: for the system page and the dashboard."""
    ensure_member(actor)
    with ctx.uow().reading() as uow:
        systems = visible_systems(uow, actor, system_id)
        return dict(uow.risk_register.positions(systems, ctx.clock()))
