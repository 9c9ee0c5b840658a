"""The leadership scorecard of the whole organisation, read in one go and computed by the
pure measures of charter.domain.scorecard_measures."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from charter.governance.services import gates as governance
from charter.inventory.domain import LifecycleStage, RiskTier
from charter.kernel.access import Action, Actor, ensure
from charter.kernel.kept import Kept
from charter.risks.domain.views import high, in_hand
from charter.risks.services import views
from charter.scorecard.domain.measures import CATALOGUE
from charter.scorecard.domain.scorecard import OrgSnapshot, PillarScore, scorecard
from charter.scorecard.ports import Context, UnitOfWork


def _high_risks(ctx: Context, uow: UnitOfWork, actor: Actor) -> list[tuple[str, bool]]:
    """Open high risks of the register as it judges them now, each in hand or not."""
    found = views.read_positions(ctx, uow, actor)
    return [(p.risk.title, in_hand(p)) for p in found if high(ctx.risk_model, p)]


def leadership_scorecard(ctx: Context, actor: Actor, months: int = 6) -> list[PillarScore]:
    """Each pillar's score with its measures, its trend over `months` month-ends and the
    actions that would raise it. It covers the whole organisation: organisation-wide roles
    only."""
    return scorecard_as_of(ctx, actor, months)[0]


def scorecard_as_of(
    ctx: Context,
    actor: Actor,
    months: int = 6,
    kept: Kept[tuple[PillarScore, ...]] | None = None,
) -> tuple[list[PillarScore], datetime]:
    """The leadership scorecard and when it was computed: with `kept`, the one computed for
    the same reader, months and day while no write has moved the audit log's head and no
    checkpoint was signed since, if it is under a minute old. What is kept is immutable (a
    tuple of frozen records); each caller gets its own list of them."""
    ensure(actor, Action.READ)
    now = ctx.clock()
    with ctx.uow().reading() as uow:
        checkpoints = [c.created_at for c in uow.audit.checkpoints()]
        key = (uow.audit.head(), len(checkpoints), actor.person_id, actor.roles, months,
               now.date())  # fmt: skip
        found = kept.get(key, now) if kept is not None else None
        if found is not None:
            return list(found[0]), found[1]
        facts = _snapshot(ctx, uow, actor, now, checkpoints)
    pillars = scorecard(facts, CATALOGUE, months)
    if kept is not None:
        kept.put(key, tuple(pillars), now)
    return pillars, now


def _snapshot(
    ctx: Context, uow: UnitOfWork, actor: Actor, now: datetime, checkpoints: list[datetime]
) -> OrgSnapshot:
    """Every record the scorecard reads, in the reading unit of work given."""
    read = governance.read_inventory(uow, actor, now)  # the posture's read, shared
    systems = read.systems  # every system: the actor's roles are organisation-wide
    live = [s for s in systems if s.stage is not LifecycleStage.RETIRED]
    # what the measures read of RACI and gates: the findings of the systems not retired
    # (as `raci.all_findings` finds them) and the posture of those of high risk
    findings = frozenset(s.id for s in live if read.raci_findings(s))
    gated = replace(read, systems=[s for s in live if s.risk_tier is RiskTier.HIGH])
    blocked = frozenset(p.system.id for p in governance.posture_of(ctx, gated, now) if p.blocking)
    people, units, cases = uow.people.all(), uow.units.all(), uow.use_cases.all()
    names = (
        {p.id: p.name for p in people}
        | {u.id: u.name for u in units}
        | {s.id: s.name for s in systems}
        | {c.id: c.title for c in cases}
    )
    return OrgSnapshot(
        now=now, people=people, roles=list(read.roles), systems=systems,
        raci=[e for found in read.entries.values() for e in found], findings=findings,
        blocked=blocked, evidence=[e for found in read.evidence.values() for e in found],
        models=uow.models.all(), versions=uow.model_versions.all(), checkpoints=checkpoints,
        bodies=uow.bodies.all(), members=uow.members.all(), meetings=uow.meetings.all(),
        decisions=uow.body_decisions.all(), skills=uow.skills.all(),
        needs=uow.role_skills.all(), held=uow.person_skills.all(),
        courses=dict(read.courses), completions=uow.completions.all(),
        use_cases=cases, kpis=uow.kpis.all(), measurements=uow.measurements.all(),
        scoring=ctx.scoring, adoption=uow.adoption.all(), surveys=uow.surveys.all(),
        communications=uow.communications.all(), iterations=uow.iterations.all(),
        experiments=uow.experiments.all(), names=names,
        high_risks=_high_risks(ctx, uow, actor),
    )  # fmt: skip
