"""Agile delivery of use cases: time-boxed iterations with a goal, an outcome, learnings and
a pivot / persevere / stop decision on record; experiments with a hypothesis and a result."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from enum import StrEnum

from charter.kernel.errors import Conflict, InvalidInput
from charter.kernel.names import require_name


class IterationDecision(StrEnum):
    PERSEVERE = "persevere"
    PIVOT = "pivot"
    STOP = "stop"  # also stops the use case


class ExperimentResult(StrEnum):
    SUPPORTED = "supported"
    REFUTED = "refuted"
    INCONCLUSIVE = "inconclusive"


@dataclass(frozen=True, slots=True)
class Iteration:
    id: str
    use_case_id: str
    number: int
    goal: str
    starts_on: date
    ends_on: date
    outcome: str = ""
    learnings: str = ""
    decision: IterationDecision | None = None  # None while the iteration is open
    decided_by: str | None = None
    decided_at: datetime | None = None

    @property
    def closed(self) -> bool:
        return self.decision is not None


@dataclass(frozen=True, slots=True)
class Experiment:
    id: str
    use_case_id: str
    hypothesis: str
    metric: str
    iteration_id: str | None = None
    result: ExperimentResult | None = None  # None: still running
    finding: str = ""
    recorded_by: str = ""
    concluded_at: datetime | None = None


def check_iteration(item: Iteration) -> Iteration:
    if item.ends_on < item.starts_on:
        raise InvalidInput("an iteration ends after it starts", details={"field": "ends_on"})
    if (item.ends_on - item.starts_on).days > 92:
        raise InvalidInput("an iteration lasts at most a quarter (92 days)")
    return replace(item, goal=require_name(item.goal, "goal", 2000))


def close(
    item: Iteration,
    decision: IterationDecision,
    outcome: str,
    learnings: str,
    person_id: str,
    at: datetime,
) -> Iteration:
    """The iteration closed with its outcome, learnings and decision."""
    if item.closed:
        raise Conflict(f"iteration {item.number} is already closed ({item.decision})")
    return replace(
        item,
        decision=IterationDecision(decision),
        outcome=require_name(outcome, "outcome", 4000),
        learnings=learnings.strip()[:4000],
        decided_by=person_id,
        decided_at=at,
    )


def conclude(
    item: Experiment, result: ExperimentResult, finding: str, person_id: str, at: datetime
) -> Experiment:
    if item.result is not None:
        raise Conflict("the experiment is already concluded")
    return replace(
        item,
        result=ExperimentResult(result),
        finding=require_name(finding, "finding", 4000),
        recorded_by=person_id,
        concluded_at=at,
    )
