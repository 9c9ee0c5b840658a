"""Gate evaluation: every applicable policy's requirements judged against current facts.

Missing or stale evidence is inconclusive, never satisfied; a requirement that is not
satisfied may be covered by an active waiver (then it is waived, naming the waiver); a
transition passes only when every blocking requirement is satisfied or waived.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime

from charter.accountability.domain.raci import Finding, RaciEntry
from charter.governance.domain.evidence_rules import Judged, judge_evidence
from charter.governance.domain.lifecycle import Approval, ConditionResult, Decision, GateContext
from charter.governance.domain.policy import Kind, Policy, Requirement
from charter.governance.domain.risk_view import RiskPosition, judge_appetite
from charter.governance.domain.waivers import Document, Waiver
from charter.inventory.domain import AISystem, LifecycleStage
from charter.kernel.roles import RoleAssignment, ScopeKind
from charter.kernel.verdicts import Verdict
from charter.people.domain.talent import Completion, Course, literate
from charter.validation.domain.evidence import Evidence

Plugin = Callable[[Requirement, "GateFacts"], tuple[Verdict, str]]


@dataclass(frozen=True, slots=True)
class GateFacts:
    """Everything a gate may rest on for one system, read in one transaction."""

    system: AISystem
    now: datetime
    evidence: Sequence[Evidence] = ()  # newest first
    documents: Sequence[Document] = ()
    waivers: Sequence[Waiver] = ()
    findings: Sequence[Finding] = ()  # RACI findings of this system
    approvals: Sequence[tuple[str, RoleAssignment]] = ()  # (person, role they approved as)
    current_model_version: str | None = None
    plugins: Mapping[str, Plugin] = field(default_factory=dict)
    # for "trained" requirements: who works on the system and their training
    raci: Sequence[RaciEntry] = ()
    roles: Sequence[RoleAssignment] = ()
    training: Mapping[str, Sequence[Completion]] = field(default_factory=dict)  # by person
    courses: Mapping[str, Course] = field(default_factory=dict)
    names: Mapping[str, str] = field(default_factory=dict)  # person id -> name, for reasons
    risks: Sequence[RiskPosition] = ()  # the system's open risks, as the register judges them
    # evidence that needs review (an incident or a data-quality breach upstream): id -> why
    under_review: Mapping[str, str] = field(default_factory=dict)
    # who may confirm a waiver of this system that awaits its second person: id -> name
    # (None: not read, as in a portfolio-wide posture)
    confirmers: Mapping[str, str] | None = None


@dataclass(frozen=True, slots=True)
class RequirementVerdict:
    policy_id: str
    requirement_id: str
    kind: Kind
    verdict: Verdict
    reason: str
    blocking: bool
    cites: tuple[str, ...]
    basis: str | None = None  # evidence, document or waiver id


@dataclass(frozen=True, slots=True)
class PolicyVerdict:
    policy_id: str
    title: str
    verdict: Verdict
    requirements: tuple[RequirementVerdict, ...]
    blocking: bool


def _document(req: Requirement, facts: GateFacts) -> Judged:
    docs = [d for d in facts.documents if d.kind == req.document and d.superseded_by is None]
    if not docs:
        return Verdict.NOT_SATISFIED, f"no {req.document} attached", None
    approved = [d for d in docs if d.approved_role is not None and d.approved_role in req.roles]
    if not req.roles and docs:
        return Verdict.SATISFIED, f"{req.document} attached ({docs[0].id})", docs[0].id
    if approved:
        d = approved[0]
        return Verdict.SATISFIED, f"{req.document} {d.id} approved as {d.approved_role}", d.id
    roles = ", ".join(sorted(r.value for r in req.roles))
    return (
        Verdict.NOT_SATISFIED,
        f"{req.document} {docs[0].id} awaits approval by {roles}",
        docs[0].id,
    )


def _approval(req: Requirement, facts: GateFacts) -> Judged:
    for person, role in facts.approvals:
        if role.role in req.roles:
            return Verdict.SATISFIED, f"signed off by {person} as {role.role.value}", None
    roles = ", ".join(sorted(r.value for r in req.roles))
    return Verdict.NOT_SATISFIED, f"awaiting sign-off by one of: {roles}", None


def _accountability(req: Requirement, facts: GateFacts) -> Judged:
    problems = []
    if req.owner_named and facts.system.owner_id is None:
        problems.append("no owner named")
    if req.raci_complete and facts.findings:
        kinds = sorted({f.kind.value for f in facts.findings})
        problems.append("RACI findings: " + ", ".join(kinds))
    if problems:
        return Verdict.NOT_SATISFIED, "; ".join(problems), None
    return Verdict.SATISFIED, "owner named and RACI complete", None


def _plugin(req: Requirement, facts: GateFacts) -> Judged:
    plugin = facts.plugins.get(req.plugin or "")
    if plugin is None:
        return Verdict.INCONCLUSIVE, f"requirement plugin {req.plugin!r} is not installed", None
    verdict, reason = plugin(req, facts)
    return verdict, reason, None


def _people_on(req: Requirement, facts: GateFacts) -> list[str]:
    system = facts.system
    named = {e.person_id for e in facts.raci if e.letter.value in req.raci_letters}
    scoped = {
        r.person_id for r in facts.roles if r.scope is ScopeKind.SYSTEM and r.scope_id == system.id
    }
    return sorted(named | scoped)


def _current_for(person: str, req: Requirement, facts: GateFacts) -> bool:
    done, on = facts.training.get(person, ()), facts.now.date()
    if req.course not in (None, "literacy"):
        return any(c.course_id == req.course and c.current(on) for c in done)
    system = facts.system
    held = [
        r.role
        for r in facts.roles
        if r.person_id == person and r.covers(system.business_unit_id, system.id)
    ]
    if not held:
        return literate(person, None, done, facts.courses, on)
    return any(literate(person, role, done, facts.courses, on) for role in held)


def _trained(req: Requirement, facts: GateFacts) -> Judged:
    people = _people_on(req, facts)
    what = "AI-literacy training" if req.course in (None, "literacy") else f"course {req.course}"
    if not people:
        letters = "/".join(sorted(req.raci_letters))
        return Verdict.INCONCLUSIVE, f"nobody is {letters} on this system to check for {what}", None
    lacking = [p for p in people if not _current_for(p, req, facts)]
    if lacking:
        names = ", ".join(facts.names.get(p, p) for p in lacking)
        return Verdict.NOT_SATISFIED, f"no current {what}: {names}", None
    return Verdict.SATISFIED, f"all {len(people)} people on the system hold current {what}", None


def _risk_appetite(req: Requirement, facts: GateFacts) -> Judged:
    return judge_appetite(facts.risks, req.risks_assessed)


def _integrity(req: Requirement, facts: GateFacts) -> Judged:
    """A stored policy whose text does not match its recorded version: its title says why."""
    return Verdict.NOT_SATISFIED, req.title, None


_JUDGES: dict[Kind, Callable[[Requirement, GateFacts], Judged]] = {
    Kind.EVIDENCE: judge_evidence,
    Kind.DOCUMENT: _document,
    Kind.APPROVAL: _approval,
    Kind.ACCOUNTABILITY: _accountability,
    Kind.PLUGIN: _plugin,
    Kind.TRAINED: _trained,
    Kind.RISK_APPETITE: _risk_appetite,
    Kind.INTEGRITY: _integrity,
}

#: requirements no waiver covers: a residual risk above appetite is accepted by a body with
#: that remit in a meeting with quorum (the risk register's acceptance), never by one person;
#: a policy whose stored text does not match its recorded version is loaded again, not waived
UNWAIVABLE = frozenset({Kind.RISK_APPETITE, Kind.INTEGRITY})


def judge_requirement(policy: Policy, req: Requirement, facts: GateFacts) -> RequirementVerdict:
    verdict, reason, basis = _JUDGES[req.kind](req, facts)
    if verdict is not Verdict.SATISFIED and req.kind not in UNWAIVABLE:
        waiver = next(
            (
                w
                for w in facts.waivers
                if w.covers(facts.system.id, policy.id, req.id) and w.active(facts.now)
            ),
            None,
        )
        if waiver is not None:
            verdict = Verdict.WAIVED
            reason = f"waived by {waiver.id} until {waiver.expires_at:%Y-%m-%d} ({reason})"
            basis = waiver.id
        elif awaits := _awaiting(policy, req, facts):
            reason = f"{reason}; {awaits}"
    return RequirementVerdict(
        policy.id,
        req.id,
        req.kind,
        verdict,
        reason,
        policy.blocking and req.blocking,
        req.cites,
        basis,
    )


def satisfied_by(req: Requirement, facts: GateFacts) -> tuple[bool, str | None]:
    """Whether `judge_requirement` finds the requirement satisfied on these facts, and its
    basis: a waiver or its reason only ever changes what is not satisfied, so neither is
    looked at (for readiness, which asks this of thousands)."""
    verdict, _, basis = _JUDGES[req.kind](req, facts)
    return verdict is Verdict.SATISFIED, basis


def _awaiting(policy: Policy, req: Requirement, facts: GateFacts) -> str | None:
    """What a requirement's waiver that awaits its second person (four eyes) adds to its
    reason: it counts once someone other than its granter confirms it, and who may."""
    waiver = next(
        (
            w
            for w in facts.waivers
            if w.covers(facts.system.id, policy.id, req.id)
            and w.status(facts.now) == "awaiting confirmation"
        ),
        None,
    )
    if waiver is None:
        return None
    confirmers = facts.confirmers or {}
    granter = confirmers.get(waiver.granted_by) or facts.names.get(
        waiver.granted_by, waiver.granted_by
    )
    others = sorted(n for i, n in confirmers.items() if i != waiver.granted_by)
    who = ", ".join(others[:5]) + (f" and {len(others) - 5} more" if len(others) > 5 else "")
    if facts.confirmers is None:
        by = "by another holder of a waiver right on the system"
    elif others:
        by = f"by {who}"
    else:
        by = "by a holder of a waiver right (none but the granter today)"
    return (
        f"waiver {waiver.id} awaits confirmation by a second person (four eyes): granted by "
        f"{granter}, it may be confirmed {by}"
    )


def _overall(verdicts: Sequence[RequirementVerdict]) -> Verdict:
    for worst in (Verdict.NOT_SATISFIED, Verdict.INCONCLUSIVE, Verdict.WAIVED):
        if any(v.verdict is worst for v in verdicts):
            return worst
    return Verdict.SATISFIED


def evaluate_policy(
    policy: Policy,
    facts: GateFacts,
    source: LifecycleStage | None,
    target: LifecycleStage | None,
    view: Mapping[str, object] | None = None,
) -> PolicyVerdict:
    if not policy.applies_to(facts.system, source, target, view):
        return PolicyVerdict(policy.id, policy.title, Verdict.NOT_APPLICABLE, (), policy.blocking)
    verdicts = tuple(judge_requirement(policy, r, facts) for r in policy.requirements)
    return PolicyVerdict(policy.id, policy.title, _overall(verdicts), verdicts, policy.blocking)


def as_conditions(verdicts: Sequence[PolicyVerdict]) -> list[ConditionResult]:
    return [
        ConditionResult(f"policy:{v.policy_id}/{r.requirement_id}", r.verdict, r.reason, r.blocking)
        for v in verdicts
        for r in v.requirements
    ]


def signed_approvals(
    approvals: Sequence[Approval], roles: Sequence[RoleAssignment], system: AISystem
) -> tuple[tuple[str, RoleAssignment], ...]:
    """Each approving person with every role they hold on the system."""
    return tuple(
        (a.person_id, r)
        for a in approvals
        if a.decision is Decision.APPROVE
        for r in roles
        if r.person_id == a.person_id and r.covers(system.business_unit_id, system.id)
    )


class PolicyCondition:
    """The gate condition that runs the policies in force: plugs into evaluate_gate. The
    request's approvals so far count for approval requirements."""

    def evaluate(self, ctx: GateContext) -> list[ConditionResult]:
        if ctx.facts is None:
            return []
        signed = signed_approvals(ctx.counted, ctx.roles, ctx.system)
        facts = replace(ctx.facts, approvals=signed)
        source, target = ctx.request.source, ctx.request.target
        return as_conditions([evaluate_policy(p, facts, source, target) for p in ctx.policies])
