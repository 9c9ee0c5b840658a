"""Where a risk stands now: its residual rating after its controls' latest tests, the appetite
for its category and tier, and whether a body's acceptance covers it.

The residual rule is data (the model's `residual`): each control keeps a share of the
mitigation by its state (effective 100%, stale 50%, failing or untested 0% by default); the
shares combine (their mean, or the weakest); the residual rating lies between the target (all
kept) and the inherent rating (none kept), rounded toward the inherent one. A risk without
controls keeps none: an untested claim of mitigation counts for nothing."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from charter.kernel.errors import InvalidInput
from charter.risks.domain.controls import Control, Effectiveness
from charter.risks.domain.model import ControlState, Rating, RiskModel, residual
from charter.risks.domain.register import Risk

MAX_ACCEPTANCE_DAYS = 366
ANY = "*"


class Standing(StrEnum):
    WITHIN = "within"  # residual within appetite
    ACCEPTED = "accepted"  # above appetite, accepted by a body until a date
    ABOVE = "above"  # above appetite, not accepted: blocks gates that ask
    UNRATED = "unrated"  # cannot be judged (an appetite band the model does not know)


@dataclass(frozen=True, slots=True)
class Acceptance:
    """A body's acceptance of a risk's residual rating, in a meeting with quorum: time-limited,
    with conditions; it covers the residual score it accepted, not a worse one."""

    id: str
    risk_id: str
    body_id: str
    body_decision_id: str
    conditions: str
    accepted_score: int
    accepted_band: str
    accepted_at: datetime
    expires_at: datetime
    recorded_by: str
    system_id: str | None = None
    revoked_at: datetime | None = None
    revoked_by_decision: str | None = None

    def active(self, now: datetime) -> bool:
        return self.revoked_at is None and self.accepted_at <= now < self.expires_at

    def covers(self, score: int, now: datetime) -> bool:
        return self.active(now) and score <= self.accepted_score


@dataclass(frozen=True, slots=True)
class AppetiteStatement:
    """The highest residual band the organisation accepts for a category (or a domain, or
    every category: "*") on systems of an EU AI Act tier (or "*")."""

    id: str
    category: str
    tier: str
    max_band: str
    rationale: str
    set_by: str
    set_at: datetime


def check_acceptance_terms(conditions: str, now: datetime, expires_at: datetime) -> None:
    problems = [] if conditions.strip() else ["an acceptance states its conditions"]
    if expires_at <= now:
        problems.append("an acceptance must expire after it is given")
    elif expires_at - now > timedelta(days=MAX_ACCEPTANCE_DAYS):
        problems.append(f"an acceptance lasts at most {MAX_ACCEPTANCE_DAYS} days")
    if problems:
        raise InvalidInput("; ".join(problems), details={"errors": problems})


@dataclass(frozen=True, slots=True)
class AppetiteSource:
    """The band a risk's appetite accepts and where it comes from: a statement (its id) or
    the model's default; `source` names it for machines, `label` for people."""

    band: str
    source: str
    label: str
    statement_id: str | None = None


def appetite_for(
    model: RiskModel, statements: Sequence[AppetiteStatement], category: str, tier: str
) -> AppetiteSource:
    """The band accepted and where it comes from: the most specific statement (category, then
    its domain, then every category; an exact tier before "*"), else the model's default."""
    found = model.catalogue.get(category)
    keys = [category, *([found.domain] if found else []), ANY]
    for key in keys:
        for on in (tier, ANY):
            match = next((s for s in statements if s.category == key and s.tier == on), None)
            if match is not None:
                what = (found.title if found and key == category
                        else f"{found.domain_title} (its domain)" if found and key != ANY
                        else key if key != ANY else "every category")  # fmt: skip
                label = f"Appetite for {what}, {_tier(on)}"
                source = f"appetite {match.id} ({key}, {on})"
                return AppetiteSource(match.max_band, source, label, match.id)
    default = tier if tier in model.appetite else ANY
    band = model.appetite[default]
    source = f"the model's default for {tier if default != ANY else 'any tier'}"
    return AppetiteSource(band, source, f"The risk model's default, {_tier(default)}")


def _tier(tier: str) -> str:
    return "systems of any tier" if tier == ANY else f"{tier}-tier systems"


@dataclass(frozen=True, slots=True)
class Position:
    risk: Risk
    tier: str
    residual: Rating
    kept: int  # percent of the assessed mitigation the controls keep now
    inherent_band: str
    residual_band: str
    appetite_band: str
    appetite_source: str  # for machines: "appetite app_… (category, tier)", or the default
    standing: Standing
    controls: tuple[tuple[Control, Effectiveness], ...]
    acceptance: Acceptance | None  # the active acceptance covering it, if any
    overdue: bool
    owner_name: str = ""  # the owner as people read it (the id when no person has it)
    appetite_label: str = ""  # where the appetite comes from, as people read it
    appetite_statement: str | None = None  # the appetite statement's id (None: the default)

    @property
    def failing(self) -> tuple[Control, ...]:
        return tuple(c for c, e in self.controls if e.state is ControlState.FAILING)


def _standing(model: RiskModel, band: str, appetite: str, covered: bool) -> Standing:
    here, limit = model.rank(band), model.rank(appetite)
    if here is None or limit is None:
        return Standing.UNRATED
    if here <= limit:
        return Standing.WITHIN
    return Standing.ACCEPTED if covered else Standing.ABOVE


def position(
    model: RiskModel,
    risk: Risk,
    tier: str,
    controls: Sequence[tuple[Control, Effectiveness]],
    statements: Sequence[AppetiteStatement],
    acceptances: Sequence[Acceptance],
    now: datetime,
    owner_name: str = "",
) -> Position:
    kept = model.rule.kept([e.state for _, e in controls])
    now_rating = residual(risk.inherent, risk.target, kept)
    band = model.band(now_rating.score).name
    appetite = appetite_for(model, statements, risk.category, tier)
    cover = next(
        (a for a in acceptances if a.risk_id == risk.id and a.covers(now_rating.score, now)), None
    )
    standing = _standing(model, band, appetite.band, cover is not None)
    return Position(
        risk, tier, now_rating, kept, model.band(risk.inherent.score).name, band, appetite.band,
        appetite.source, standing, tuple(controls),
        cover if standing is Standing.ACCEPTED else None, risk.overdue(now.date()),
        owner_name or risk.owner_id, appetite.label, appetite.statement_id,
    )  # fmt: skip


def next_review(model: RiskModel, on: date) -> date:
    return on + timedelta(days=model.review_days)
