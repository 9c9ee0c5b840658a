"""Use cases for agile delivery: iterations of a use case (opened, then closed with an
outcome, learnings and a pivot / persevere / stop decision; stop also stops the use case,
in the same transaction) and experiments with a hypothesis and a result."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from charter.kernel.access import Action, Actor, ensure, ensure_member
from charter.kernel.context import record, snapshot
from charter.kernel.errors import Conflict, InvalidInput
from charter.kernel.lookups import require
from charter.kernel.names import require_name
from charter.strategy.domain.delivery import (
    Experiment,
    ExperimentResult,
    Iteration,
    IterationDecision,
    check_iteration,
    close,
    conclude,
)
from charter.strategy.domain.strategy import PortfolioDecision, UseCaseStatus
from charter.strategy.ports import Context
from charter.strategy.services import intake as strategy


def open_iteration(
    ctx: Context, actor: Actor, use_case_id: str, goal: str, starts_on: date, ends_on: date
) -> Iteration:
    with ctx.uow() as uow:
        use_case = require(uow.use_cases, "use case", use_case_id)
        ensure(actor, Action.DELIVERY_RECORD, use_case.business_unit_id)
        if use_case.status is not UseCaseStatus.APPROVED:
            raise Conflict(f"iterations are for approved use cases ({use_case.status.value})")
        earlier = uow.iterations.all(use_case_id=use_case_id)
        if any(not i.closed for i in earlier):
            raise Conflict("close the open iteration before starting the next")
        item = check_iteration(
            Iteration(ctx.new_id("itr"), use_case_id, len(earlier) + 1, goal, starts_on, ends_on)
        )
        uow.iterations.add(item)
        record(ctx, uow, actor, "iteration.opened", "use_case", use_case_id, snapshot(item))
        uow.commit()
    return item


def _decided_at(ctx: Context, item: Iteration, decided_on: date | None) -> datetime:
    """When the decision was taken: now, or the day of the review it is recorded after."""
    now = ctx.clock()
    if decided_on is None:
        return now
    if decided_on > now.date() or decided_on < item.starts_on:
        raise InvalidInput(
            f"the decision day {decided_on} must lie between the iteration's start and today",
            details={"field": "decided_on"},
        )
    return datetime.combine(decided_on, time(12), UTC)


def close_iteration(
    ctx: Context,
    actor: Actor,
    iteration_id: str,
    decision: IterationDecision,
    outcome: str,
    learnings: str = "",
    decided_on: date | None = None,
) -> Iteration:
    """Close with the outcome and the decision on record (taken today, or on the day of the
    review given); `stop` stops the use case too."""
    if actor.person_id is None:
        raise InvalidInput("an iteration is closed by a person")
    with ctx.uow() as uow:
        item = require(uow.iterations, "iteration", iteration_id)
        use_case = require(uow.use_cases, "use case", item.use_case_id)
        ensure(actor, Action.DELIVERY_RECORD, use_case.business_unit_id)
        at = _decided_at(ctx, item, decided_on)
        closed = close(item, decision, outcome, learnings, actor.person_id, at)
        uow.iterations.update(closed)
        data = snapshot(closed)
        record(ctx, uow, actor, "iteration.closed", "use_case", use_case.id, data)
        if closed.decision is IterationDecision.STOP and use_case.status is UseCaseStatus.APPROVED:
            ensure(actor, Action.PORTFOLIO_DECIDE, use_case.business_unit_id)
            why = f"iteration {closed.number} decided to stop: {closed.outcome}"
            strategy.apply_decision(
                ctx, uow, actor, use_case, PortfolioDecision.STOP, why, {"iteration": closed.id}
            )
        uow.commit()
    return closed


def start_experiment(
    ctx: Context,
    actor: Actor,
    use_case_id: str,
    hypothesis: str,
    metric: str,
    iteration_id: str | None = None,
) -> Experiment:
    with ctx.uow() as uow:
        use_case = require(uow.use_cases, "use case", use_case_id)
        ensure(actor, Action.DELIVERY_RECORD, use_case.business_unit_id)
        if iteration_id is not None:
            found = require(uow.iterations, "iteration", iteration_id)
            if found.use_case_id != use_case_id:
                raise InvalidInput(f"iteration {iteration_id} belongs to another use case")
        item = Experiment(
            ctx.new_id("exp"), use_case_id, require_name(hypothesis, "hypothesis", 2000),
            require_name(metric, "metric"), iteration_id, recorded_by=actor.ref,
        )  # fmt: skip
        uow.experiments.add(item)
        record(ctx, uow, actor, "experiment.started", "use_case", use_case_id, snapshot(item))
        uow.commit()
    return item


def conclude_experiment(
    ctx: Context, actor: Actor, experiment_id: str, result: ExperimentResult, finding: str
) -> Experiment:
    with ctx.uow() as uow:
        item = require(uow.experiments, "experiment", experiment_id)
        use_case = require(uow.use_cases, "use case", item.use_case_id)
        ensure(actor, Action.DELIVERY_RECORD, use_case.business_unit_id)
        done = conclude(item, result, finding, actor.ref, ctx.clock())
        uow.experiments.update(done)
        record(ctx, uow, actor, "experiment.concluded", "use_case", use_case.id, snapshot(done))
        uow.commit()
    return done


def delivery_of(
    ctx: Context, actor: Actor, use_case_id: str | None = None
) -> tuple[list[Iteration], list[Experiment]]:
    ensure_member(actor)
    filters = {"use_case_id": use_case_id} if use_case_id else {}
    with ctx.uow() as uow:
        iterations = sorted(uow.iterations.all(**filters), key=lambda i: (i.use_case_id, i.number))
        experiments = uow.experiments.all(**filters)
    return iterations, experiments
