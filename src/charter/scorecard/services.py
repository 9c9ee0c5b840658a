"""The leadership scorecard of the whole organisation, read in one go and computed by the
pure measures of charter.domain.scorecard_measures."""

from __future__ import annotations

from charter.governance.services import gates as governance
from charter.kernel.access import Action, Actor, ensure
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
    ensure(actor, Action.READ)
    now = ctx.clock()
    with ctx.uow().reading() as uow:
        read = governance.read_inventory(uow, actor, now)  # the posture's read, shared
        # as `raci.all_findings` finds them, each system validated once for both uses
        findings = frozenset(s.id for s in read.systems if read.raci_findings(s))
        blocked = frozenset(
            p.system.id for p in governance.posture_of(ctx, read, now) if p.blocking
        )
        people, units, systems = uow.people.all(), uow.units.all(), uow.systems.all()
        cases = uow.use_cases.all()
        names = (
            {p.id: p.name for p in people}
            | {u.id: u.name for u in units}
            | {s.id: s.name for s in systems}
            | {c.id: c.title for c in cases}
        )
        facts = OrgSnapshot(
            now=now, people=people, roles=list(read.roles), systems=systems,
            raci=[e for found in read.entries.values() for e in found], findings=findings,
            blocked=blocked, evidence=[e for found in read.evidence.values() for e in found],
            models=uow.models.all(), versions=uow.model_versions.all(),
            checkpoints=[c.created_at for c in uow.audit.checkpoints()],
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
    return scorecard(facts, CATALOGUE, months)
