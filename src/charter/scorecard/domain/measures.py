"""The scorecard's measures, pillar by pillar: each a small pure function of the facts and a
day. `CATALOGUE` is the list the scorecard computes; docs/scorecard.md describes each."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from typing import TypeVar

from charter.bodies.domain import Meeting, MeetingStatus, members_at, standing
from charter.inventory.domain import AISystem, LifecycleStage, RiskTier
from charter.kernel.roles import RoleAssignment, RoleKind
from charter.people.domain.adoption import latest_share
from charter.people.domain.talent import PersonSkill, literate, person_gaps, portfolio_demand
from charter.scorecard.domain.scorecard import Measure, MeasureFn, OrgSnapshot, Pillar
from charter.strategy.domain.delivery import Iteration
from charter.strategy.domain.kpis import Tracks, misses
from charter.strategy.domain.scoring import score
from charter.strategy.domain.strategy import LIVE, UseCaseStatus
from charter.validation.domain.evidence import Evidence

RECENT = timedelta(days=90)
YEAR = timedelta(days=365)
BUILT = frozenset({
    LifecycleStage.IN_DEVELOPMENT, LifecycleStage.IN_VALIDATION,
    LifecycleStage.APPROVED_FOR_DEPLOYMENT, LifecycleStage.DEPLOYED,
})  # fmt: skip
TESTED = BUILT - {LifecycleStage.IN_DEVELOPMENT}
_Held = TypeVar("_Held", RoleAssignment, PersonSkill)


def _live(facts: OrgSnapshot) -> Sequence[AISystem]:
    return facts.live


def grouped(items: Iterable[_Held]) -> dict[str, list[_Held]]:
    """Records by the person they belong to."""
    out: dict[str, list[_Held]] = {}
    for item in items:
        out.setdefault(item.person_id, []).append(item)
    return out


def _share(
    ident: str, title: str, items: Sequence[tuple[str, bool]], action: str, historical: bool
) -> Measure:
    """A share of named items that meet the measure."""
    short = tuple(name for name, ok in items if not ok)
    return Measure(ident, title, len(items) - len(short), len(items), short, action, historical)


# roles and accountability -------------------------------------------------------------


def raci_complete(facts: OrgSnapshot, on: date) -> Measure:
    items = [(s.name, s.id not in facts.findings) for s in _live(facts)]
    return _share("raci_complete", "Systems with a complete RACI", items,
                  "Resolve the RACI findings of", False)  # fmt: skip


def owner_named(facts: OrgSnapshot, on: date) -> Measure:
    items = [(s.name, s.owner_id is not None) for s in _live(facts)]
    return _share("owner_named", "Systems with a named owner", items, "Name an owner for", False)


def roles_held(facts: OrgSnapshot, on: date) -> Measure:
    active = {p.id for p in facts.people if p.active}
    held = {r.role for r in facts.roles if r.person_id in active}
    items = [
        (r.value.replace("_", " "), r in held) for r in RoleKind if r is not RoleKind.ADMINISTRATOR
    ]
    return _share("roles_held", "AI roles held by someone", items, "Appoint someone as", False)


# leadership bodies --------------------------------------------------------------------


def _held(facts: OrgSnapshot, on: date, since: timedelta) -> list[Meeting]:
    return [
        m for m in facts.meetings
        if m.status is MeetingStatus.HELD and on - since < m.scheduled_for.date() <= on
    ]  # fmt: skip


def quorate_meetings(facts: OrgSnapshot, on: date) -> Measure:
    bodies = {b.id: b for b in facts.bodies}
    items = []
    for m in _held(facts, on, YEAR):
        body = bodies[m.body_id]
        members = members_at([x for x in facts.members if x.body_id == body.id], m.scheduled_for)
        ok = standing(body, members, m.attendees).may_decide
        items.append((f"{body.name} {m.scheduled_for:%Y-%m-%d}", ok))
    return _share("quorate_meetings", "Meetings held with quorum and every required function",
                  items, "Secure quorum and the missing functions for", True)  # fmt: skip


def on_cadence(facts: OrgSnapshot, on: date) -> Measure:
    held, expected, short = 0, 0, []
    for body in facts.bodies:
        count = sum(1 for m in _held(facts, on, YEAR) if m.body_id == body.id)
        due = 365 // body.cadence_days
        held, expected = held + min(count, due), expected + due
        if count < due:
            short.append(f"{body.name} ({count} of {due})")
    title = "Meetings held against each body's cadence (12 months)"
    action = "Hold the meetings the cadence asks of"
    return Measure("on_cadence", title, held, expected, tuple(short), action, True)


def functions_represented(facts: OrgSnapshot, on: date) -> Measure:
    items = []
    for body in facts.bodies:
        present = {m.function for m in facts.members if m.body_id == body.id and m.current}
        items.append((body.name, set(body.required_functions) <= present))
    return _share("functions_represented", "Bodies whose members cover the required functions",
                  items, "Appoint members for the missing functions of", False)  # fmt: skip


# governance framework -----------------------------------------------------------------


def high_risk_gates(facts: OrgSnapshot, on: date) -> Measure:
    items = [
        (s.name, s.id not in facts.blocked) for s in _live(facts) if s.risk_tier is RiskTier.HIGH
    ]
    return _share("high_risk_gates", "High-risk systems whose next gate passes", items,
                  "Clear what blocks the gate of", False)  # fmt: skip


def classified(facts: OrgSnapshot, on: date) -> Measure:
    items = [(s.name, s.risk_tier is not RiskTier.UNCLASSIFIED) for s in _live(facts)]
    return _share("classified", "Systems classified under the EU AI Act", items, "Classify", False)


def high_risks_in_hand(facts: OrgSnapshot, on: date) -> Measure:
    """Open high risks (inherent band high or critical) within appetite, not merely accepted,
    with every control effective (current state: the register's judgement now)."""
    return _share("high_risks_in_hand", "High risks within appetite with effective controls",
                  facts.high_risks, "Test or fix the controls, or treat the risk,",
                  False)  # fmt: skip


def _evidence_by(facts: OrgSnapshot, on: date) -> dict[str, list[Evidence]]:
    out: dict[str, list[Evidence]] = {}
    for e in facts.evidence:
        if on - RECENT < e.recorded_at.date() <= on:
            out.setdefault(e.system_id, []).append(e)
    return out


def fresh_evidence(facts: OrgSnapshot, on: date) -> Measure:
    recent = _evidence_by(facts, on)
    items = [(s.name, s.id in recent) for s in _live(facts) if s.stage in TESTED]
    return _share("fresh_evidence", "Systems in validation or beyond with evidence of the last "
                  "90 days", items, "Run the validation suite of", True)  # fmt: skip


# talent and capabilities --------------------------------------------------------------


def literacy(facts: OrgSnapshot, on: date) -> Measure:
    active = {p.id for p in facts.people if p.active}
    holders = sorted({
        r.person_id for r in facts.roles
        if r.person_id in active and r.role is not RoleKind.ADMINISTRATOR
    })  # fmt: skip
    items = [
        (facts.names.get(p, p), literate(p, None, facts.completions, facts.courses, on))
        for p in holders
    ]
    return _share("literacy", "People in AI roles with current AI-literacy training", items,
                  "Train (or renew the training of)", True)  # fmt: skip


def role_skills(facts: OrgSnapshot, on: date) -> Measure:
    active = [p for p in facts.people if p.active]
    held: dict[str, set[RoleKind]] = {}
    for r in facts.roles:
        held.setdefault(r.person_id, set()).add(r.role)
    needed: dict[RoleKind, set[str]] = {}
    for n in facts.needs:
        needed.setdefault(n.role, set()).add(n.skill_id)
    wanted = sum(len(set().union(*(needed.get(r, ()) for r in held.get(p.id, ())))) for p in active)
    roles, skills = grouped(facts.roles), grouped(facts.held)  # what person_gaps reads of each
    gaps = [
        g
        for p in active
        for g in person_gaps(p.id, roles.get(p.id, ()), facts.needs, skills.get(p.id, ()))
    ]
    short = tuple(sorted({facts.names.get(g.person_id, g.person_id) for g in gaps}))
    return Measure("role_skills", "Skills their roles need that people hold", wanted - len(gaps),
                   wanted, short, "Close the skill gaps of", False)  # fmt: skip


def portfolio_skills(facts: OrgSnapshot, on: date) -> Measure:
    live = {u.id: u.skills_needed for u in facts.use_cases if u.status in LIVE}
    demand = portfolio_demand(live, facts.skills, facts.held)
    items = [(d.skill, not d.short) for d in demand]
    return _share("portfolio_skills", "Skills the live portfolio needs that someone holds",
                  items, "Hire, train or partner for", False)  # fmt: skip


# strategy alignment -------------------------------------------------------------------


def sponsored(facts: OrgSnapshot, on: date) -> Measure:
    items = [(u.title, u.sponsor_id is not None) for u in facts.use_cases if u.status in LIVE]
    return _share("sponsored", "Live use cases with an executive sponsor", items,
                  "Find an executive sponsor for", False)  # fmt: skip


def scored(facts: OrgSnapshot, on: date) -> Measure:
    model = facts.scoring
    items = [
        (u.title, model is not None and score(model, u).total is not None)
        for u in facts.use_cases if u.status in LIVE
    ]  # fmt: skip
    return _share("scored", "Live use cases scored on every criterion", items,
                  "Complete the estimates and ratings of", False)  # fmt: skip


def kpis_on_target(facts: OrgSnapshot, on: date) -> Measure:
    items = []
    for kpi in facts.kpis:
        series = sorted(
            (m for m in facts.measurements if m.kpi_id == kpi.id and m.period <= on),
            key=lambda m: m.period,
        )
        if kpi.active and series:
            items.append((kpi.name, not misses(kpi, series[-1].value)))
    return _share("kpis_on_target", "KPIs meeting their target in their latest period", items,
                  "Recover the KPIs", True)  # fmt: skip


def value_realised(facts: OrgSnapshot, on: date) -> Measure:
    kinds = {k.id: k for k in facts.kpis if k.tracks is Tracks.VALUE}
    cases = {u.id: u for u in facts.use_cases}
    realised: dict[str, float] = {}
    months: dict[str, set[date]] = {}
    for m in facts.measurements:
        kpi = kinds.get(m.kpi_id)
        if kpi is not None and kpi.use_case_id in cases and m.period <= on:
            realised[kpi.use_case_id] = realised.get(kpi.use_case_id, 0.0) + m.value
            months.setdefault(kpi.use_case_id, set()).add(m.period)
    planned = {
        uc: (cases[uc].planned_value or 0) * len(months[uc]) / 12
        for uc in realised if cases[uc].planned_value
    }  # fmt: skip
    got = sum(min(realised[uc], plan) for uc, plan in planned.items())
    short = tuple(cases[uc].title for uc, plan in planned.items() if realised[uc] < plan)
    return Measure("value_realised", "Value realised against value planned (each capped at "
                   "its plan)", got, sum(planned.values()), short,
                   "Close the value gap of", True)  # fmt: skip


# change management and adoption -------------------------------------------------------


def adoption_share(facts: OrgSnapshot, on: date) -> Measure:
    shares = latest_share(facts.adoption, on)
    short = tuple(facts.names.get(u, u) for u, v in sorted(shares.items()) if v < 0.5)
    return Measure("adoption_share", "Adoption: active among eligible users, latest month, "
                   "mean of business units", sum(shares.values()), len(shares), short,
                   "Lift adoption (under half of eligible staff) in", True)  # fmt: skip


def sentiment(facts: OrgSnapshot, on: date) -> Measure:
    found = sorted((s for s in facts.surveys if s.period <= on), key=lambda s: s.period)
    if not found:
        return Measure("sentiment", "Staff sentiment on AI (latest survey)", 0, 0, (), "", True)
    latest = found[-1]
    concerns = tuple(k for k, _ in sorted(latest.concerns.items(), key=lambda kv: -kv[1]))
    return Measure("sentiment", "Staff sentiment on AI (latest survey, 1-5 as 0-1)",
                   latest.sentiment - 1, 4, concerns[:3],
                   "Answer the concerns staff named most", True)  # fmt: skip


def communicated(facts: OrgSnapshot, on: date) -> Measure:
    units = sorted({a.business_unit_id for a in facts.adoption})
    reached = {c.audience for c in facts.communications if on - RECENT < c.sent_on <= on}
    items = [(facts.names.get(u, u), u in reached or "all" in reached) for u in units]
    return _share("communicated", "Business units using AI reached by a communication in the "
                  "last 90 days", items, "Tell staff what is changing in", True)  # fmt: skip


# agile delivery -----------------------------------------------------------------------


def iterating(facts: OrgSnapshot, on: date) -> Measure:
    approved = [u for u in facts.use_cases if u.status is UseCaseStatus.APPROVED]
    active = {
        i.use_case_id for i in facts.iterations if i.starts_on <= on and i.ends_on > on - RECENT
    }
    items = [(u.title, u.id in active) for u in approved]
    return _share("iterating", "Approved use cases with an iteration in the last 90 days",
                  items, "Start an iteration for", True)  # fmt: skip


def _decided_by(item: Iteration, on: date) -> bool:
    return (
        item.decision is not None and item.decided_at is not None and item.decided_at.date() <= on
    )


def decided(facts: OrgSnapshot, on: date) -> Measure:
    ended = [i for i in facts.iterations if i.ends_on <= on]
    titles = {u.id: u.title for u in facts.use_cases}
    items = [
        (f"{titles.get(i.use_case_id, i.use_case_id)} #{i.number}", _decided_by(i, on))
        for i in ended
    ]
    return _share("decided", "Ended iterations with a pivot / persevere / stop decision",
                  items, "Decide on the outcome of", True)  # fmt: skip


# scalable infrastructure --------------------------------------------------------------


def in_platform_evidence(facts: OrgSnapshot, on: date) -> Measure:
    recent = _evidence_by(facts, on)
    items = [
        (s.name, any(e.engine.startswith(("duckdb", "spark")) for e in recent.get(s.id, [])))
        for s in facts.systems if s.stage is LifecycleStage.DEPLOYED
    ]  # fmt: skip
    return _share("in_platform_evidence", "Deployed systems validated in Charter in the last "
                  "90 days", items, "Validate in the pipeline", True)  # fmt: skip


def checkpoint_recent(facts: OrgSnapshot, on: date) -> Measure:
    signed = any(on - timedelta(days=7) < c.date() <= on for c in facts.checkpoints)
    return Measure("checkpoint_recent", "A signed audit checkpoint in the last 7 days",
                   int(signed), 1, () if signed else ("the audit log",),
                   "Sign a checkpoint of", True)  # fmt: skip


def model_registered(facts: OrgSnapshot, on: date) -> Measure:
    versioned = {v.model_id for v in facts.versions}
    with_models = {m.system_id for m in facts.models if m.id in versioned}
    items = [(s.name, s.id in with_models) for s in _live(facts) if s.stage in BUILT]
    return _share("model_registered", "Systems being built or run with a registered model "
                  "version", items, "Register the model versions of", False)  # fmt: skip


CATALOGUE: dict[Pillar, tuple[MeasureFn, ...]] = {
    Pillar.ROLES: (raci_complete, owner_named, roles_held),
    Pillar.BODIES: (quorate_meetings, on_cadence, functions_represented),
    Pillar.GOVERNANCE: (high_risk_gates, classified, fresh_evidence, high_risks_in_hand),
    Pillar.TALENT: (literacy, role_skills, portfolio_skills),
    Pillar.STRATEGY: (sponsored, scored, kpis_on_target, value_realised),
    Pillar.ADOPTION: (adoption_share, sentiment, communicated),
    Pillar.DELIVERY: (iterating, decided),
    Pillar.INFRASTRUCTURE: (in_platform_evidence, checkpoint_recent, model_registered),
}
