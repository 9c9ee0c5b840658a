"""Strategy alignment: strategic objectives and the AI use cases that serve them.

A use case is proposed through intake (objective, business unit, expected value, cost, data
and skills needed, a first EU AI Act screening), scored, decided (approved only with an
executive sponsor), planned on the roadmap by quarter and linked to the AI systems that
deliver it. Money is in whole units of the scoring model's currency; confidence in percent.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum
from typing import Any

from charter.kernel.errors import Conflict, Forbidden, InvalidInput
from charter.kernel.names import require_name
from charter.kernel.roles import RoleAssignment, RoleKind


class ValueKind(StrEnum):
    """What kind of value a use case is expected to bring."""

    REVENUE = "revenue"
    COST = "cost"  # cost saved
    RISK = "risk"  # losses avoided
    CUSTOMER_EXPERIENCE = "customer_experience"


class UseCaseStatus(StrEnum):
    SUBMITTED = "submitted"
    APPROVED = "approved"
    PARKED = "parked"
    REJECTED = "rejected"
    DELIVERED = "delivered"
    STOPPED = "stopped"


class PortfolioDecision(StrEnum):
    APPROVE = "approve"
    PARK = "park"
    REJECT = "reject"
    REOPEN = "reopen"
    DELIVER = "deliver"
    STOP = "stop"


#: decision -> (statuses it may be taken from, status it leads to)
DECISIONS: dict[PortfolioDecision, tuple[frozenset[UseCaseStatus], UseCaseStatus]] = {
    PortfolioDecision.APPROVE: (
        frozenset({UseCaseStatus.SUBMITTED, UseCaseStatus.PARKED}),
        UseCaseStatus.APPROVED,
    ),
    PortfolioDecision.PARK: (frozenset({UseCaseStatus.SUBMITTED}), UseCaseStatus.PARKED),
    PortfolioDecision.REJECT: (
        frozenset({UseCaseStatus.SUBMITTED, UseCaseStatus.PARKED}),
        UseCaseStatus.REJECTED,
    ),
    PortfolioDecision.REOPEN: (frozenset({UseCaseStatus.PARKED}), UseCaseStatus.SUBMITTED),
    PortfolioDecision.DELIVER: (frozenset({UseCaseStatus.APPROVED}), UseCaseStatus.DELIVERED),
    PortfolioDecision.STOP: (frozenset({UseCaseStatus.APPROVED}), UseCaseStatus.STOPPED),
}

#: use cases that still count in the portfolio (awaiting a decision, or being delivered)
LIVE = frozenset({UseCaseStatus.SUBMITTED, UseCaseStatus.PARKED, UseCaseStatus.APPROVED})

#: criteria an assessor rates from 1 (low) to 5 (high); the others are derived
RATED = ("feasibility", "risk", "strategic_fit")
MAX_MONEY = 10**12


@dataclass(frozen=True, slots=True)
class Objective:
    """A strategic objective of the organisation that use cases serve."""

    id: str
    name: str
    description: str = ""
    owner_id: str | None = None


@dataclass(frozen=True, slots=True)
class Estimate:
    kind: ValueKind
    amount: int  # per year
    confidence: int  # percent

    @property
    def expected(self) -> float:
        return self.amount * self.confidence / 100


@dataclass(frozen=True, slots=True)
class UseCase:
    id: str
    title: str
    objective_id: str
    business_unit_id: str
    submitted_by: str
    submitted_at: datetime
    description: str = ""
    sponsor_id: str | None = None
    status: UseCaseStatus = UseCaseStatus.SUBMITTED
    estimates: tuple[Estimate, ...] = ()
    cost_estimate: int | None = None  # per year: build and run
    time_to_value_months: int | None = None
    ratings: Mapping[str, int] = field(default_factory=dict)
    data_needed: str = ""
    skills_needed: tuple[str, ...] = ()
    screening: Mapping[str, Any] = field(default_factory=dict)  # EU AI Act answers
    screening_tier: str | None = None  # the tier those answers indicate
    start_quarter: str | None = None  # "2027-Q1"
    end_quarter: str | None = None
    depends_on: tuple[str, ...] = ()
    system_ids: tuple[str, ...] = ()
    duplicates: tuple[str, ...] = ()  # "use_case:<id>" or "system:<id>" flagged at intake
    decided_by: str | None = None
    decided_at: datetime | None = None
    decision_reason: str = ""

    @property
    def open_duplicates(self) -> tuple[str, ...]:
        """Possible duplicates flagged at intake, but for systems since linked to it."""
        linked = {f"system:{s}" for s in self.system_ids}
        return tuple(d for d in self.duplicates if d not in linked)

    @property
    def planned_value(self) -> int | None:
        """Value per year if every estimate comes true; None without estimates."""
        return sum(e.amount for e in self.estimates) if self.estimates else None

    @property
    def expected_value(self) -> float | None:
        """Value per year weighted by each estimate's confidence; None without estimates."""
        return sum(e.expected for e in self.estimates) if self.estimates else None


def parse_estimates(raw: object) -> tuple[Estimate, ...]:
    """[{kind, amount, confidence}] with known kinds, amounts >= 0 and confidence 0-100."""
    if not isinstance(raw, list | tuple):
        raise InvalidInput("estimates must be a list", details={"field": "estimates"})
    out: dict[ValueKind, Estimate] = {}
    for item in raw:
        if isinstance(item, Estimate):
            out[item.kind] = item
            continue
        if not isinstance(item, Mapping) or set(item) - {"kind", "amount", "confidence"}:
            raise InvalidInput(
                "each estimate is {kind, amount, confidence}", details={"field": "estimates"}
            )
        kind = _kind(item.get("kind"))
        if kind in out:
            raise InvalidInput(f"two estimates of {kind.value}", details={"field": "estimates"})
        amount = _whole(item.get("amount"), "estimate amount", MAX_MONEY)
        confidence = _whole(item.get("confidence", 50), "estimate confidence", 100)
        out[kind] = Estimate(kind, amount, confidence)
    return tuple(out[k] for k in ValueKind if k in out)


def _kind(value: object) -> ValueKind:
    try:
        return ValueKind(str(value))
    except ValueError:
        known = ", ".join(k.value for k in ValueKind)
        raise InvalidInput(
            f"unknown value kind {value!r}; known: {known}", details={"field": "estimates"}
        ) from None


def _whole(value: object, what: str, highest: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int | float) or value != int(value):
        raise InvalidInput(f"{what} must be a whole number", details={"field": what})
    if not 0 <= value <= highest:
        raise InvalidInput(f"{what} must be between 0 and {highest}", details={"field": what})
    return int(value)


def check_money(value: int | None, what: str) -> int | None:
    return None if value is None else _whole(value, what, MAX_MONEY)


def check_months(value: int | None) -> int | None:
    if value is None:
        return None
    return _whole(value, "time_to_value_months", 240)


def parse_ratings(raw: Mapping[str, object]) -> dict[str, int]:
    """Assessor ratings 1-5 of the rated criteria."""
    unknown = sorted(set(raw) - set(RATED))
    if unknown:
        raise InvalidInput(
            f"unknown rating(s) {', '.join(unknown)}; rated criteria: {', '.join(RATED)}",
            details={"field": "ratings"},
        )
    out = {}
    for key, value in raw.items():
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
            raise InvalidInput(
                f"rating {key} must be a whole number from 1 to 5", details={"field": key}
            )
        out[key] = value
    return dict(sorted(out.items()))


def normalise_skills(skills: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    cleaned = {s.strip().lower() for s in skills}
    if "" in cleaned or any(len(s) > 100 for s in cleaned) or len(cleaned) > 50:
        raise InvalidInput(
            "skills are up to 50 non-empty names of at most 100 characters",
            details={"field": "skills_needed"},
        )
    return tuple(sorted(cleaned))


_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")


def quarter_index(text: str) -> int:
    """'2027-Q1' -> a number that orders quarters (year * 4 + quarter - 1)."""
    found = _QUARTER.match(text)
    if not found:
        raise InvalidInput(
            f"quarter {text!r} is not of the form YYYY-Qn (2027-Q1)", details={"field": "quarter"}
        )
    return int(found.group(1)) * 4 + int(found.group(2)) - 1


def quarter_name(index: int) -> str:
    return f"{index // 4}-Q{index % 4 + 1}"


def check_plan(start: str | None, end: str | None) -> None:
    if (start is None) != (end is None):
        raise InvalidInput("a plan needs both a start and an end quarter")
    if start and end and quarter_index(end) < quarter_index(start):
        raise InvalidInput(f"the plan ends ({end}) before it starts ({start})")


def check_dependencies(
    use_case_id: str, depends_on: tuple[str, ...], graph: Mapping[str, tuple[str, ...]]
) -> None:
    """Dependencies name other existing use cases and make no cycle."""
    if use_case_id in depends_on:
        raise InvalidInput("a use case cannot depend on itself", details={"field": "depends_on"})
    unknown = [d for d in depends_on if d not in graph]
    if unknown:
        raise InvalidInput(
            f"unknown use case(s) in depends_on: {', '.join(unknown)}",
            details={"field": "depends_on"},
        )
    edges = {**graph, use_case_id: depends_on}
    seen: set[str] = set()
    stack = list(depends_on)
    while stack:
        current = stack.pop()
        if current == use_case_id:
            raise InvalidInput(
                "those dependencies make a cycle back to this use case",
                details={"field": "depends_on"},
            )
        if current not in seen:
            seen.add(current)
            stack.extend(edges.get(current, ()))


def is_sponsor(person_id: str, roles: tuple[RoleAssignment, ...], unit_id: str) -> bool:
    """Whether the person holds the executive sponsor role for that business unit."""
    return any(
        r.person_id == person_id
        and r.role is RoleKind.EXECUTIVE_SPONSOR
        and r.covers(unit_id, None)
        for r in roles
    )


def decide(
    use_case: UseCase,
    decision: PortfolioDecision,
    person_id: str,
    reason: str,
    at: datetime,
    sponsor_ok: bool,
) -> UseCase:
    """The use case after a portfolio decision, or the reason it cannot be taken."""
    sources, target = DECISIONS[decision]
    if use_case.status not in sources:
        allowed = ", ".join(sorted(s.value for s in sources))
        raise Conflict(
            f"cannot {decision.value} a use case that is {use_case.status.value} "
            f"(only from: {allowed})"
        )
    deciding = (PortfolioDecision.APPROVE, PortfolioDecision.REJECT, PortfolioDecision.PARK)
    if decision in deciding and person_id == use_case.submitted_by:
        raise Forbidden("segregation of duties: the submitter may not decide on their own use case")
    if decision is PortfolioDecision.APPROVE:
        _check_approvable(use_case, sponsor_ok)
    why = require_name(reason, "reason", 4000)
    return replace(
        use_case, status=target, decided_by=person_id, decided_at=at, decision_reason=why
    )


def _check_approvable(use_case: UseCase, sponsor_ok: bool) -> None:
    if use_case.sponsor_id is None:
        raise Conflict("an executive sponsor must be named before the use case is approved")
    if not sponsor_ok:
        raise Conflict(
            f"the named sponsor {use_case.sponsor_id} does not hold the executive sponsor "
            "role for this business unit, or has left the organisation"
        )
    if use_case.screening_tier == "prohibited":
        raise Conflict(
            "the risk screening indicates a prohibited practice (EU AI Act Art. 5): "
            "it cannot be approved"
        )


#: fields given at intake and changed by an assessment
INTAKE_FIELDS = (
    "title",
    "objective_id",
    "business_unit_id",
    "description",
    "sponsor_id",
    "estimates",
    "cost_estimate",
    "time_to_value_months",
    "ratings",
    "data_needed",
    "skills_needed",
    "screening",
)


def clean(use_case: UseCase) -> UseCase:
    """A use case with its intake fields checked and normalised."""
    if not isinstance(use_case.screening, Mapping):
        raise InvalidInput("screening must be an object of EU AI Act answers")
    if not isinstance(use_case.ratings, Mapping):
        raise InvalidInput("ratings must be an object {criterion: 1-5}")
    return replace(
        use_case,
        title=require_name(use_case.title, "title"),
        description=use_case.description.strip()[:8000],
        estimates=parse_estimates(list(use_case.estimates)),
        cost_estimate=check_money(use_case.cost_estimate, "cost_estimate"),
        time_to_value_months=check_months(use_case.time_to_value_months),
        ratings=parse_ratings(use_case.ratings),
        data_needed=use_case.data_needed.strip()[:4000],
        skills_needed=normalise_skills(list(use_case.skills_needed)),
        screening=dict(use_case.screening),
    )


def intake_text(use_case: UseCase) -> str:
    """What duplicate detection compares."""
    return f"{use_case.title} {use_case.description}"
