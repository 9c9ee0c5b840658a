"""Risks: what could go wrong, why, and what it would do; who owns it; how likely and how bad
before controls (inherent) and with every control working (the target residual); how it is
treated; the framework requirements it bears on; when it is next reviewed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from charter.kernel.errors import InvalidInput
from charter.risks.domain.model import Rating, RiskModel


class Treatment(StrEnum):
    MITIGATE = "mitigate"  # controls lower it
    ACCEPT = "accept"  # kept as it is: above appetite, a body must accept it
    TRANSFER = "transfer"  # to a vendor or an insurer (tested by a contract, say)
    AVOID = "avoid"  # the activity that causes it stops; the risk is then closed


class RiskStatus(StrEnum):
    OPEN = "open"
    CLOSED = "closed"


@dataclass(frozen=True, slots=True)
class Risk:
    id: str
    title: str
    category: str  # a catalogue category id
    cause: str
    consequence: str
    owner_id: str
    inherent_likelihood: int
    inherent_impact: int
    target_likelihood: int  # assessed with every control working
    target_impact: int
    treatment: Treatment
    created_at: datetime
    created_by: str
    system_id: str | None = None  # None: the organisation's (or a use case's) risk
    # found at intake, before a system exists; kept once the use case is promoted and the
    # risk moves to its system (which then holds it)
    use_case_id: str | None = None
    body_id: str | None = None  # the body that oversees it and would accept it
    requirements: tuple[str, ...] = ()  # framework requirement ids of the packs
    review_by: date | None = None
    status: RiskStatus = RiskStatus.OPEN
    origin: str = "manual"  # or "assessment:<rule id>"
    reviewed_at: datetime | None = None
    reviewed_by: str | None = None
    closed_at: datetime | None = None
    closure_reason: str = ""

    @property
    def inherent(self) -> Rating:
        return Rating(self.inherent_likelihood, self.inherent_impact)

    @property
    def target(self) -> Rating:
        return Rating(self.target_likelihood, self.target_impact)

    def overdue(self, today: date) -> bool:
        return (
            self.status is RiskStatus.OPEN and self.review_by is not None and self.review_by < today
        )


#: the fields a person sets on a risk (the rest are the register's)
EDITABLE = (
    "title", "category", "cause", "consequence", "owner_id", "inherent_likelihood",
    "inherent_impact", "target_likelihood", "target_impact", "treatment", "body_id",
    "requirements", "review_by",
)  # fmt: skip
TEXTS = {"title": 300, "cause": 4000, "consequence": 4000}


def risk_problems(model: RiskModel, risk: Risk) -> list[str]:
    """Everything wrong with a risk's fields, all at once."""
    problems = [
        f"{name} must not be empty"
        for name in ("title", "cause", "consequence")
        if not getattr(risk, name).strip()
    ]
    problems += [
        f"{name} is longer than {most} characters"
        for name, most in TEXTS.items()
        if len(getattr(risk, name)) > most
    ]
    if risk.category not in model.catalogue:
        problems.append(f"unknown category {risk.category!r} (see the risk catalogue)")
    problems += model.rating_problems(risk.inherent, "inherent")
    problems += model.rating_problems(risk.target, "residual")
    if (
        risk.target_likelihood > risk.inherent_likelihood
        or risk.target_impact > risk.inherent_impact
    ):
        problems.append("the residual rating may not exceed the inherent one on either axis")
    return problems


def check_risk(model: RiskModel, risk: Risk) -> Risk:
    problems = risk_problems(model, risk)
    if problems:
        raise InvalidInput("; ".join(problems), details={"errors": problems})
    return risk
