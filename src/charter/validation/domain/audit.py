"""Bias-audit figures (NYC Local Law 144, 6 RCNY §§ 5-300, 5-301): per category of one
attribute or of an intersection of two, the selection rate (the share selected) or the
scoring rate (the share scoring above the median score of the full sample), and the impact
ratio: the category's rate over the rate of the most selected or highest-scoring category.

A category under the check's share of the audited data (at most 2%) may be left out of the
impact ratios; it is said so, with its size and rate. Individuals whose category is unknown
are left out of the calculations and counted. Pure arithmetic over the engine's counts."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from charter.validation.domain.suite import CheckSpec

GroupKey = tuple[tuple[str, Any], ...]
RATE = {"impact_ratio": "selection rate", "scoring_impact_ratio": "scoring rate"}
BASIS = {"impact_ratio": "selection", "scoring_impact_ratio": "scoring"}


@dataclass(frozen=True, slots=True)
class Audit:
    """What an engine counted for one basis: per group of each set of attributes the checks
    compare, the individuals and those selected (or scoring above the median)."""

    basis: str  # selection, scoring
    cells: Mapping[GroupKey, tuple[int, int]] = field(default_factory=dict)
    median: float | None = None  # scoring: the full sample's median score
    unscored: int = 0  # scoring: rows left out for want of a finite score


@dataclass(frozen=True, slots=True)
class Category:
    name: str  # "sex=female, race=Asian"
    size: int
    rate: float
    ratio: float | None  # None: left out of the impact ratios
    excluded: bool


@dataclass(frozen=True, slots=True)
class Figures:
    categories: tuple[Category, ...]  # largest first
    unknown: int  # individuals in no known category of the attributes compared
    lowest: float | None  # the lowest impact ratio; None: fewer than two categories compared
    note: str


def _label(key: GroupKey) -> str:
    return ", ".join(f"{a}={v}" for a, v in key)


def _rates(spec: CheckSpec, audit: Audit) -> tuple[list[tuple[str, int, float]], int, int]:
    """The known categories (name, size, rate), the unknown count and the total."""
    known, unknown, total = [], 0, 0
    for key, (n, hits) in audit.cells.items():
        if tuple(a for a, _ in key) != spec.over:
            continue
        total += n
        if any(v is None for _, v in key):
            unknown += n
        elif n:
            known.append((_label(key), n, hits / n))
    known.sort(key=lambda c: (-c[1], c[0]))
    return known, unknown, total


def figures(spec: CheckSpec, audit: Audit) -> Figures:
    known, unknown, total = _rates(spec, audit)
    small = {name for name, n, _ in known if n < spec.exclude_below * total}
    compared = [rate for name, _, rate in known if name not in small]
    best = max(compared, default=0.0)
    ratio_ok = len(compared) >= 2 and best > 0
    categories = tuple(
        Category(name, n, rate, rate / best if ratio_ok and name not in small else None,
                 name in small)
        for name, n, rate in known
    )  # fmt: skip
    lowest = min(c.ratio for c in categories if c.ratio is not None) if ratio_ok else None
    return Figures(categories, unknown, lowest, _note(spec, audit, categories, unknown))


def _note(spec: CheckSpec, audit: Audit, categories: tuple[Category, ...], unknown: int) -> str:
    compared = sum(1 for c in categories if not c.excluded)
    parts = [f"{compared} categories compared"]
    left = [c for c in categories if c.excluded]
    if left:
        shown = "; ".join(f"{c.name} (n={c.size}, {RATE[spec.metric]} {c.rate:.4f})" for c in left)
        parts.append(
            f"left out of the impact ratios as under {spec.exclude_below:.0%} of the data "
            f"(6 RCNY § 5-301): {shown}"
        )
    parts.append(f"{unknown} individuals of unknown category not included")
    if audit.median is not None:
        parts.append(f"median score of the full sample {audit.median:.6g}")
    if audit.unscored:
        parts.append(f"{audit.unscored} rows without a score left out")
    return "; ".join(parts)
