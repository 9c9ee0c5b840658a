"""The risk model: the scales risks are rated on, the bands of likelihood x impact, the rule
that moves a residual rating back toward the inherent one when controls fail or go stale,
the default appetite, who may own a risk, and how often risks and controls are reviewed.
Data (data/model.json), replaceable as a whole; docs/risks.md explains each part."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from charter.kernel.errors import InvalidInput
from charter.kernel.roles import RoleKind
from charter.risks.domain.catalogue import Category


class ControlState(StrEnum):
    """How a control stands on its latest test."""

    EFFECTIVE = "effective"  # passed, and fresh
    STALE = "stale"  # passed, but longer ago than the control's test interval
    FAILING = "failing"  # failed, or not in place
    UNTESTED = "untested"  # no test yet, or an inconclusive one


@dataclass(frozen=True, slots=True)
class Level:
    value: int
    name: str
    meaning: str


@dataclass(frozen=True, slots=True)
class Band:
    name: str
    up_to: int  # the highest likelihood x impact in the band


@dataclass(frozen=True, slots=True)
class Rating:
    likelihood: int
    impact: int

    @property
    def score(self) -> int:
        return self.likelihood * self.impact


@dataclass(frozen=True, slots=True)
class ResidualRule:
    """How much of the mitigation a control in each state keeps (percent), and how several
    controls' credits combine: their mean, or the weakest."""

    credit: Mapping[ControlState, int]
    combine: str = "mean"

    def kept(self, states: Sequence[ControlState]) -> int:
        """The share of the assessed mitigation the controls keep now (0 without controls)."""
        credits = [self.credit[s] for s in states]
        if not credits:
            return 0
        if self.combine == "weakest":
            return min(credits)
        return sum(credits) // len(credits)


@dataclass(frozen=True, slots=True)
class RiskModel:
    likelihood: tuple[Level, ...]
    impact: tuple[Level, ...]
    bands: tuple[Band, ...]  # ascending
    high_bands: frozenset[str]
    rule: ResidualRule
    appetite: Mapping[str, str]  # EU AI Act tier, or "*", -> the highest band accepted
    owner_roles: frozenset[RoleKind]
    review_days: int
    control_max_age_days: int
    catalogue: Mapping[str, Category] = field(default_factory=dict)
    version: str = ""

    def band(self, score: int) -> Band:
        return next((b for b in self.bands if score <= b.up_to), self.bands[-1])

    def rank(self, band: str) -> int | None:
        """The band's place, lowest first; None for a band the model does not know."""
        return next((i for i, b in enumerate(self.bands) if b.name == band), None)

    def rating_problems(self, rating: Rating, what: str) -> list[str]:
        problems = []
        for axis, scale, value in (
            ("likelihood", self.likelihood, rating.likelihood),
            ("impact", self.impact, rating.impact),
        ):
            values = [level.value for level in scale]
            if value not in values:
                problems.append(f"{what} {axis} must be one of {values[0]}-{values[-1]}")
        return problems


def residual(inherent: Rating, target: Rating, kept: int) -> Rating:
    """The residual rating now: the target (the rating the owner assessed with every control
    working) when the controls keep all of the mitigation, the inherent one when they keep
    none, and in between proportionally, rounded toward the inherent rating (fail closed)."""

    def axis(high: int, low: int) -> int:
        return low + -(-(100 - kept) * (high - low) // 100)  # ceiling, in whole numbers

    return Rating(
        axis(inherent.likelihood, target.likelihood), axis(inherent.impact, target.impact)
    )


def _levels(raw: Sequence[Mapping[str, Any]], what: str) -> tuple[Level, ...]:
    levels = tuple(Level(int(x["value"]), str(x["name"]), str(x["meaning"])) for x in raw)
    if [lv.value for lv in levels] != list(range(1, len(levels) + 1)):
        raise InvalidInput(f"risk model: the {what} scale counts 1, 2, 3 ... in order")
    return levels


def _bands(raw: Sequence[Mapping[str, Any]], top: int) -> tuple[Band, ...]:
    bands = tuple(Band(str(b["name"]), int(b["up_to"])) for b in raw)
    limits = [b.up_to for b in bands]
    if limits != sorted(set(limits)) or limits[-1] < top:
        raise InvalidInput(f"risk model: bands rise strictly and the last reaches {top}")
    return bands


def parse_model(raw: Mapping[str, Any], catalogue: Mapping[str, Category]) -> RiskModel:
    """A model from a mapping that passed its schema; the checks a schema cannot make."""
    likelihood, impact = _levels(raw["likelihood"], "likelihood"), _levels(raw["impact"], "impact")
    bands = _bands(raw["bands"], len(likelihood) * len(impact))
    names = {b.name for b in bands}
    named = {str(x) for x in raw["high_bands"]} | {str(v) for v in raw["appetite"].values()}
    if named - names:
        raise InvalidInput(f"risk model: unknown band(s) {', '.join(sorted(named - names))}")
    rule = raw["residual"]
    return RiskModel(
        likelihood, impact, bands, frozenset(str(x) for x in raw["high_bands"]),
        ResidualRule({ControlState(k): int(v) for k, v in rule["credit"].items()},
                     str(rule["combine"])),
        {str(k): str(v) for k, v in raw["appetite"].items()},
        frozenset(RoleKind(r) for r in raw["owner_roles"]), int(raw["review_days"]),
        int(raw["control_max_age_days"]), dict(catalogue), str(raw.get("version", "")),
    )  # fmt: skip
