"""Read use cases of the portfolio: use cases, the ranked and balanced portfolio, the
roadmap. A use case is visible to whoever may read in its business unit or one of its
systems; what it names of others (systems, dependencies, near-duplicates flagged at intake)
is shown only where the reader may read that too."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

from charter.kernel.access import Action, Actor, allowed, ensure_member
from charter.kernel.errors import Forbidden, InvalidInput
from charter.kernel.lookups import require
from charter.kernel.visibility import visibility
from charter.strategy.domain.roadmap import RoadmapItem, roadmap
from charter.strategy.domain.scoring import Ranked, ScoringModel, rank, score
from charter.strategy.domain.strategy import LIVE, Objective, UseCase, UseCaseStatus
from charter.strategy.ports import Context, UnitOfWork


def scoring_model(ctx: Context, weights: Mapping[str, float] | None = None) -> ScoringModel:
    if ctx.scoring is None:
        raise InvalidInput("no scoring model is configured")
    return ctx.scoring.with_weights(weights) if weights else ctx.scoring


def visible(actor: Actor, use_case: UseCase) -> bool:
    return allowed(actor, Action.READ, use_case.business_unit_id) or any(
        allowed(actor, Action.READ, None, s) for s in use_case.system_ids
    )


@dataclass(frozen=True, slots=True)
class Readable:
    """The systems and use cases a reader may read (None: all of them)."""

    systems: frozenset[str] | None
    use_cases: frozenset[str] | None

    def as_seen(self, use_case: UseCase) -> UseCase:
        """The use case with only the systems, dependencies and duplicates the reader sees."""
        if self.systems is None or self.use_cases is None:
            return use_case
        refs = {f"system:{s}" for s in self.systems} | {f"use_case:{u}" for u in self.use_cases}
        return replace(
            use_case,
            system_ids=tuple(s for s in use_case.system_ids if s in self.systems),
            depends_on=tuple(u for u in use_case.depends_on if u in self.use_cases),
            duplicates=tuple(d for d in use_case.duplicates if d in refs),
        )


def readable(uow: UnitOfWork, actor: Actor) -> Readable:
    seen = visibility(actor)
    if seen.everything:
        return Readable(None, None)
    cases = frozenset(u.id for u in uow.use_cases.all() if visible(actor, u))
    return Readable(seen.system_ids(uow.systems), cases)


def list_use_cases(
    ctx: Context,
    actor: Actor,
    statuses: frozenset[UseCaseStatus] | None = None,
    business_unit_id: str | None = None,
    search: str | None = None,
) -> list[UseCase]:
    """Visible use cases, newest first, optionally by status, business unit or words."""
    ensure_member(actor)
    with ctx.uow().reading() as uow:
        return use_cases_in(uow, actor, statuses, business_unit_id, search)


def use_cases_in(
    uow: UnitOfWork,
    actor: Actor,
    statuses: frozenset[UseCaseStatus] | None = None,
    business_unit_id: str | None = None,
    search: str | None = None,
) -> list[UseCase]:
    """`list_use_cases` in a unit of work the caller holds."""
    filters: dict[str, object] = {}
    if statuses:
        filters["status"] = frozenset(s.value for s in statuses)
    if business_unit_id:
        filters["business_unit_id"] = business_unit_id
    found = uow.use_cases.find(filters, search=search, limit=None).items
    seen = readable(uow, actor)
    return sorted(
        (seen.as_seen(u) for u in found if visible(actor, u)),
        key=lambda u: u.submitted_at,
        reverse=True,
    )


def get_use_case(ctx: Context, actor: Actor, use_case_id: str) -> UseCase:
    ensure_member(actor)
    with ctx.uow() as uow:
        use_case = require(uow.use_cases, "use case", use_case_id)
        if not visible(actor, use_case):
            raise Forbidden(f"{actor.label} may not read use case {use_case_id}")
        return readable(uow, actor).as_seen(use_case)


def list_objectives(ctx: Context, actor: Actor) -> list[Objective]:
    ensure_member(actor)
    with ctx.uow() as uow:
        return uow.objectives.all()


@dataclass(frozen=True, slots=True)
class Balance:
    """How the portfolio spreads: use cases and expected value per year by a dimension."""

    dimension: str
    rows: tuple[tuple[str, int, float], ...]  # (key, use cases, expected value)
    unestimated: Mapping[str, int] = field(default_factory=dict)  # key -> without estimate


@dataclass(frozen=True, slots=True)
class Portfolio:
    model: ScoringModel
    ranked: tuple[Ranked, ...]
    use_cases: Mapping[str, UseCase]
    balance: tuple[Balance, ...]

    def use_case(self, item: Ranked) -> UseCase:
        return self.use_cases[item.score.use_case_id]


def _balance(dimension: str, keys: Mapping[str, str | None], cases: Sequence[UseCase]) -> Balance:
    counts: dict[str, int] = {}
    values: dict[str, float] = {}
    unestimated: dict[str, int] = {}
    for uc in cases:
        key = keys.get(uc.id) or "unplaced"
        counts[key] = counts.get(key, 0) + 1
        if uc.expected_value is None:
            unestimated[key] = unestimated.get(key, 0) + 1
        else:
            values[key] = values.get(key, 0.0) + uc.expected_value
    rows = tuple((k, counts[k], values.get(k, 0.0)) for k in sorted(counts))
    return Balance(dimension, rows, unestimated)


def portfolio(
    ctx: Context,
    actor: Actor,
    weights: Mapping[str, float] | None = None,
    statuses: frozenset[UseCaseStatus] = LIVE,
) -> Portfolio:
    """Visible use cases scored by the model (or by changed weights), ranked, placed in the
    value/feasibility matrix, and the portfolio's balance by unit, objective and horizon."""
    model = scoring_model(ctx, weights)
    cases = list_use_cases(ctx, actor, statuses)
    with ctx.uow() as uow:
        units = {u.id: u.name for u in uow.units.all()}
        objectives = {o.id: o.name for o in uow.objectives.all()}
    scores = [score(model, uc) for uc in cases]
    ranked = rank(scores, {uc.id: uc.title for uc in cases})
    by_score = {s.use_case_id: s for s in scores}
    balance = (
        _balance("business_unit", {u.id: units.get(u.business_unit_id) for u in cases}, cases),
        _balance("objective", {u.id: objectives.get(u.objective_id) for u in cases}, cases),
        _balance("horizon", {u.id: by_score[u.id].horizon for u in cases}, cases),
        _balance("quadrant", {u.id: by_score[u.id].quadrant for u in cases}, cases),
    )
    return Portfolio(model, tuple(ranked), {u.id: u for u in cases}, balance)


def roadmap_view(ctx: Context, actor: Actor) -> list[RoadmapItem]:
    """Approved and delivered use cases by quarter, with their systems and plan findings."""
    cases = list_use_cases(ctx, actor)
    with ctx.uow() as uow:
        systems = {s.id: s for s in uow.systems.all()}
    readable = {
        k: s for k, s in systems.items() if allowed(actor, Action.READ, s.business_unit_id, s.id)
    }
    return roadmap(cases, readable)


def screenings_of(ctx: Context, actor: Actor, system_id: str) -> list[UseCase]:
    """The visible use cases linked to a system that carry an EU AI Act screening."""
    ensure_member(actor)
    with ctx.uow() as uow:
        linked = [u for u in uow.use_cases.all() if system_id in u.system_ids]
    return [u for u in linked if u.screening and visible(actor, u)]
