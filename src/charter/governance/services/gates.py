"""What gates read: the policies in force and a system's facts; dry-run gate checks and the
posture of the whole inventory."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any

from charter.accountability.domain.raci import RaciEntry, validate_raci
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
from charter.governance.domain.policy import (
    Kind,
    Policy,
    PolicyRecord,
    parse_policy,
    system_facts,
)
from charter.governance.domain.risk_view import RiskPosition
from charter.governance.domain.waivers import Document, Waiver
from charter.governance.ports import Context, UnitOfWork
from charter.inventory.domain import AISystem, LifecycleStage
from charter.kernel.access import Action, Actor, ensure, ensure_member
from charter.kernel.lookups import require
from charter.kernel.roles import RoleAssignment
from charter.kernel.verdicts import Verdict
from charter.people.domain.talent import Completion, Course
from charter.validation.domain.evidence import Evidence


@lru_cache(maxsize=512)
def _parsed(digest: str, source: str) -> Policy:
    return parse_policy(json.loads(source))


def parsed(record: PolicyRecord) -> Policy:
    """A stored policy, parsed from its source (cached by digest)."""
    return _parsed(record.digest, json.dumps(record.source, sort_keys=True))


def policies_in_force(uow: UnitOfWork) -> tuple[Policy, ...]:
    """Enabled policies, parsed from their stored source."""
    return tuple(parsed(r) for r in sorted(uow.policies.all(enabled=True), key=lambda r: r.id))


def current_versions(uow: UnitOfWork, system_id: str | None = None) -> dict[str, str]:
    """Each system's current model version (of one system, or all): the latest registered
    version of its models."""
    models = uow.models.all(**({"system_id": system_id} if system_id else {}))
    model_system = {m.id: m.system_id for m in models if m.system_id}
    if not model_system:
        return {}
    latest: dict[str, tuple[datetime, str]] = {}
    for v in uow.model_versions.all(model_id=frozenset(model_system)):
        system = model_system.get(v.model_id)
        if system is None or v.registered_at is None:
            continue
        if system not in latest or v.registered_at > latest[system][0]:
            latest[system] = (v.registered_at, v.id)
    return {s: vid for s, (_, vid) in latest.items()}


def _training(
    uow: UnitOfWork, people: set[str]
) -> tuple[dict[str, list[Completion]], dict[str, Course], dict[str, str]]:
    """Completions (by person), courses and names, for the people on a system."""
    if not people:
        return {}, {}, {}
    by_person: dict[str, list[Completion]] = {}
    for c in uow.completions.all(person_id=frozenset(people)):
        by_person.setdefault(c.person_id, []).append(c)
    names = {p.id: p.name for p in uow.people.all(id=frozenset(people))}
    return by_person, {c.id: c for c in uow.courses.all()}, names


def base_facts(uow: UnitOfWork, system: AISystem, now: datetime) -> GateFacts:
    """What a gate reads of one system, but the approvals, plugins and risks: the risk
    register judges controls tested by a policy requirement on these."""
    entries = uow.raci.for_system(system.id)
    roles = uow.roles.all()
    on_system = {e.person_id for e in entries} | {
        r.person_id for r in roles if r.scope_id == system.id
    }
    training, courses, names = _training(uow, on_system)
    return GateFacts(
        system=system,
        now=now,
        evidence=uow.evidence.for_system(system.id, limit=50),
        documents=sorted(
            uow.documents.all(system_id=system.id), key=lambda d: d.attached_at, reverse=True
        ),
        waivers=uow.waivers.all(system_id=system.id),
        findings=validate_raci(system, entries, roles),
        current_model_version=current_versions(uow, system.id).get(system.id),
        raci=entries,
        roles=[r for r in roles if r.person_id in on_system],
        training=training,
        courses=courses,
        names=names,
        under_review=under_review(uow, system.id),
    )


def facts_for(
    ctx: Context,
    uow: UnitOfWork,
    system: AISystem,
    approvals: Sequence[tuple[str, RoleAssignment]] = (),
) -> GateFacts:
    facts = base_facts(uow, system, ctx.clock())
    risks = uow.risk_register.positions([system], facts.now).get(system.id, ())
    return replace(
        facts,
        approvals=approvals,
        plugins=ctx.plugins,
        risks=tuple(risks),
        confirmers=_confirmers(ctx, uow, system, facts.waivers),
    )


def _confirmers(
    ctx: Context, uow: UnitOfWork, system: AISystem, waivers: Sequence[Waiver]
) -> dict[str, str]:
    """Who may confirm a waiver of this system (id -> name): the holders of a role the
    decision rights name for waivers on it; read only when a waiver awaits its second."""
    if not any(w.awaiting_second for w in waivers):
        return {}
    holders = {
        r.person_id
        for r in uow.roles.all()
        if r.role in ctx.rights.waivers and r.covers(system.business_unit_id, system.id)
    }
    if not holders:
        return {}
    return {p.id: p.name for p in uow.people.all(id=frozenset(holders)) if p.active}


def under_review(uow: UnitOfWork, system_id: str | None = None) -> dict[str, str]:
    """Evidence that needs review before it counts again (of one system, or all): id -> why."""
    found = uow.reviews.all(resolved_at=None, **({"system_id": system_id} if system_id else {}))
    return {r.evidence_id: r.reason for r in found}


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
    given = tuple(uow.approvals.all(request_id=request.id)) if request else ()
    return GateReading(
        system, request, given, tuple(uow.roles.all()), facts_for(ctx, uow, system),
        policies_in_force(uow),
    )  # fmt: skip


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


@dataclass(frozen=True, slots=True)
class Inventory:
    """Everything gates read for many systems, read in one transaction."""

    systems: list[AISystem]
    policies: tuple[Policy, ...]
    evidence: dict[str, list[Evidence]]
    documents: dict[str, list[Document]]
    waivers: dict[str, list[Waiver]]
    entries: dict[str, list[RaciEntry]]
    roles: list[RoleAssignment]
    versions: dict[str, str]
    training: dict[str, list[Completion]]
    courses: dict[str, Course]
    names: dict[str, str]
    risks: Mapping[str, Sequence[RiskPosition]]  # read when a policy in force asks
    under_review: dict[str, str]

    def facts(
        self, ctx: Context, system: AISystem, now: datetime, with_raci: bool = True
    ) -> GateFacts:
        findings = (
            validate_raci(system, self.entries.get(system.id, []), self.roles) if with_raci else ()
        )
        entries = self.entries.get(system.id, [])
        return GateFacts(
            system,
            now,
            self.evidence.get(system.id, []),
            self.documents.get(system.id, []),
            self.waivers.get(system.id, []),
            findings,
            (),
            self.versions.get(system.id),
            ctx.plugins,
            entries,
            self.roles,
            self.training,
            self.courses,
            self.names,
            self.risks.get(system.id, ()),
            self.under_review,
        )


def _grouped(items: Sequence[Any], key: str) -> dict[str, list[Any]]:
    out: dict[str, list[Any]] = {}
    for item in items:
        out.setdefault(getattr(item, key), []).append(item)
    return out


def _asks_risks(policies: Sequence[Policy]) -> bool:
    return any(r.kind is Kind.RISK_APPETITE for p in policies for r in p.requirements)


def read_inventory(
    uow: UnitOfWork, actor: Actor, now: datetime, system_id: str | None = None
) -> Inventory:
    """The systems the actor may see (or one) and every record gates read about them."""
    systems = [
        s
        for s in uow.systems.all()
        if any(r.covers(s.business_unit_id, s.id) for r in actor.roles)
        and (system_id is None or s.id == system_id)
    ]
    documents = sorted(uow.documents.all(), key=lambda d: d.attached_at, reverse=True)
    policies = policies_in_force(uow)
    risks = uow.risk_register.positions(systems, now) if _asks_risks(policies) else {}
    return Inventory(
        systems,
        policies,
        uow.evidence.latest(),
        _grouped(documents, "system_id"),
        _grouped(uow.waivers.all(), "system_id"),
        _grouped(uow.raci.all(), "system_id"),
        uow.roles.all(),
        current_versions(uow),
        _grouped(uow.completions.all(), "person_id"),
        {c.id: c for c in uow.courses.all()},
        {p.id: p.name for p in uow.people.all()},
        risks,
        under_review(uow),
    )


def posture(ctx: Context, actor: Actor, soon_days: int = 30) -> list[SystemPosture]:
    """Every system the actor may see, against the policies in force, in one read."""
    ensure_member(actor)
    now, soon = ctx.clock(), timedelta(days=soon_days)
    with ctx.uow().reading() as uow:
        inventory = read_inventory(uow, actor, now)
    policies = inventory.policies
    by_gate = {t: [p for p in policies if p.applies.could_apply(t)] for t in LifecycleStage}
    raci_gates = {  # gates with a policy that reads RACI findings: computed for those only
        t
        for t, found in by_gate.items()
        if any(r.raci_complete for p in found for r in p.requirements)
    }
    out = []
    for s in inventory.systems:
        target = posture_target(s)
        facts = inventory.facts(ctx, s, now, target in raci_gates)
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
    with ctx.uow() as uow:
        systems = [
            s
            for s in (uow.systems.all(id=system_id) if system_id else uow.systems.all())
            if any(r.covers(s.business_unit_id, s.id) for r in actor.roles)
        ]
        return dict(uow.risk_register.positions(systems, ctx.clock()))
