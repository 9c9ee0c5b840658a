"""The leadership scorecard: for each of the eight pillars a score from live data, the
measures behind it, a trend, and the actions that would raise it most.

A measure is a share in [0, 1] with its numerator, denominator and the items that fall
short (named, so that an action can name them). A measure with nothing to count (a
denominator of 0) is *not measurable* and left out of its pillar's score, never counted as
0 or 1. A pillar's score is the mean of its measurable measures, on 0-100. Measures read
records as they stood on a day (`on`) where the records carry dates (training, meetings,
evidence, measurements, adoption, iterations); the others read the current state and say so
(`historical` is False), so a trend moves only with what has history.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from charter.accountability.domain.org import Person
from charter.accountability.domain.raci import RaciEntry
from charter.bodies.domain import Body, BodyDecision, Meeting, Member
from charter.inventory.domain import AISystem, LifecycleStage, Model, ModelVersion
from charter.kernel.roles import RoleAssignment
from charter.people.domain.adoption import Adoption, Communication, Survey
from charter.people.domain.talent import Completion, Course, PersonSkill, RoleSkill, Skill
from charter.strategy.domain.delivery import Experiment, Iteration
from charter.strategy.domain.kpis import Kpi, Measurement
from charter.strategy.domain.scoring import ScoringModel
from charter.strategy.domain.strategy import UseCase
from charter.validation.domain.evidence import Evidence


class Pillar(StrEnum):
    ROLES = "roles"
    BODIES = "bodies"
    GOVERNANCE = "governance"
    TALENT = "talent"
    STRATEGY = "strategy"
    ADOPTION = "adoption"
    DELIVERY = "delivery"
    INFRASTRUCTURE = "infrastructure"


TITLES = {
    Pillar.ROLES: "Roles and accountability",
    Pillar.BODIES: "Cross-functional leadership bodies",
    Pillar.GOVERNANCE: "Governance framework",
    Pillar.TALENT: "Talent and capabilities",
    Pillar.STRATEGY: "Strategy alignment",
    Pillar.ADOPTION: "Change management and adoption",
    Pillar.DELIVERY: "Agile delivery",
    Pillar.INFRASTRUCTURE: "Scalable infrastructure",
}


@dataclass(frozen=True, slots=True)
class OrgSnapshot:
    """Every record the scorecard reads, read at once; `blocked` and `findings` are the
    systems whose next gate is blocked and those with RACI findings, now."""

    now: datetime
    people: Sequence[Person] = ()
    roles: Sequence[RoleAssignment] = ()
    systems: Sequence[AISystem] = ()
    raci: Sequence[RaciEntry] = ()
    findings: frozenset[str] = frozenset()
    blocked: frozenset[str] = frozenset()
    evidence: Sequence[Evidence] = ()
    models: Sequence[Model] = ()
    versions: Sequence[ModelVersion] = ()
    checkpoints: Sequence[datetime] = ()  # when each signed checkpoint was made
    bodies: Sequence[Body] = ()
    members: Sequence[Member] = ()
    meetings: Sequence[Meeting] = ()
    decisions: Sequence[BodyDecision] = ()
    skills: Sequence[Skill] = ()
    needs: Sequence[RoleSkill] = ()
    held: Sequence[PersonSkill] = ()
    courses: Mapping[str, Course] = field(default_factory=dict)
    completions: Sequence[Completion] = ()
    use_cases: Sequence[UseCase] = ()
    kpis: Sequence[Kpi] = ()
    measurements: Sequence[Measurement] = ()
    scoring: ScoringModel | None = None
    adoption: Sequence[Adoption] = ()
    surveys: Sequence[Survey] = ()
    communications: Sequence[Communication] = ()
    iterations: Sequence[Iteration] = ()
    experiments: Sequence[Experiment] = ()
    names: Mapping[str, str] = field(default_factory=dict)  # ids -> names, for actions
    # open high risks of the register, now: (title, within appetite with effective controls)
    high_risks: Sequence[tuple[str, bool]] = ()
    #: the systems not retired, which most measures read (derived once, not given)
    live: tuple[AISystem, ...] = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        live = tuple(s for s in self.systems if s.stage is not LifecycleStage.RETIRED)
        object.__setattr__(self, "live", live)


@dataclass(frozen=True, slots=True)
class Measure:
    id: str
    title: str
    numerator: int | float
    denominator: int | float
    short: tuple[str, ...]  # the items that fall short, by name
    action: str  # what raises it, for `short`
    historical: bool  # whether it reads records as of the day (else: the current state)

    @property
    def value(self) -> float | None:
        if not self.denominator:
            return None
        return min(max(self.numerator / self.denominator, 0.0), 1.0)


MeasureFn = Callable[[OrgSnapshot, date], Measure]


@dataclass(frozen=True, slots=True)
class Action:
    measure: str
    text: str
    gain: float  # points the pillar would gain if the measure were complete


@dataclass(frozen=True, slots=True)
class PillarScore:
    pillar: Pillar
    title: str
    score: float | None  # 0-100; None when no measure is measurable
    measures: tuple[Measure, ...]
    trend: tuple[tuple[date, float | None], ...] = ()  # oldest first, ending today
    actions: tuple[Action, ...] = ()


def pillar_score(measures: Sequence[Measure]) -> float | None:
    values = [m.value for m in measures if m.value is not None]
    return 100 * sum(values) / len(values) if values else None


def top_actions(measures: Sequence[Measure], limit: int = 3) -> tuple[Action, ...]:
    """The actions of the measures short of complete, by the points they would add."""
    measurable = [m for m in measures if m.value is not None]
    out = []
    for m in measurable:
        if m.value is not None and m.value < 1 and m.short:
            gain = 100 * (1 - m.value) / len(measurable)
            named = ", ".join(m.short[:3]) + (
                f" and {len(m.short) - 3} more" if len(m.short) > 3 else ""
            )
            out.append(Action(m.id, f"{m.action}: {named}", gain))
    return tuple(sorted(out, key=lambda a: (-a.gain, a.measure))[:limit])


def month_ends(today: date, months: int) -> list[date]:
    """The last day of each of the `months` months before today's, then today."""
    out = []
    year, month = today.year, today.month
    for _ in range(months):
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
        nxt = date(year + (month == 12), month % 12 + 1, 1)
        out.append(date.fromordinal(nxt.toordinal() - 1))
    return [*reversed(out), today]


def data_since(facts: OrgSnapshot) -> date | None:
    """The first day the organisation's dated records speak of (evidence, meetings and
    decisions, training, KPI measurements, adoption, surveys, communications, use cases,
    checkpoints), or None when it has none: a trend before it would be invented history."""
    moments: list[date | datetime] = [
        *(e.recorded_at for e in facts.evidence),
        *(m.scheduled_for for m in facts.meetings),
        *(d.decided_at for d in facts.decisions),
        *(c.completed_on for c in facts.completions),
        *(m.period for m in facts.measurements),
        *(a.period for a in facts.adoption),
        *(s.period for s in facts.surveys),
        *(c.sent_on for c in facts.communications),
        *(u.submitted_at for u in facts.use_cases),
        *facts.checkpoints,
    ]
    days = [m.date() if isinstance(m, datetime) else m for m in moments]
    return min(days) if days else None


def scorecard(
    facts: OrgSnapshot, catalogue: Mapping[Pillar, Sequence[MeasureFn]], months: int = 6
) -> list[PillarScore]:
    today = facts.now.date()
    since = data_since(facts)
    days = [d for d in month_ends(today, months)[:-1] if since is not None and d >= since]
    out = []
    for pillar in Pillar:
        fns = catalogue.get(pillar, ())
        measures = tuple(fn(facts, today) for fn in fns)
        trend = tuple((d, pillar_score([fn(facts, d) for fn in fns])) for d in days)
        out.append(
            PillarScore(
                pillar, TITLES[pillar], pillar_score(measures), measures,
                (*trend, (today, pillar_score(measures))), top_actions(measures),
            )
        )  # fmt: skip
    return out
