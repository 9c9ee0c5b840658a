"""Metrics computed from aggregates: confusion counts per group and sums of errors.

Pure arithmetic. A metric whose denominator is zero is undefined (None), never 0: a verdict
built on it is inconclusive.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any


def ratio(numerator: float, denominator: float) -> float | None:
    return None if denominator == 0 else numerator / denominator


@dataclass(frozen=True, slots=True)
class Counts:
    """Binary-classification aggregates of one group (or of everything)."""

    n: int
    tp: int
    fp: int
    tn: int
    fn: int
    scored: int = 0  # rows with a score
    brier_sum: float = 0.0  # sum of (score - label)^2
    log_loss_sum: float = 0.0  # sum of -log(p(label)), scores clipped to [eps, 1 - eps]

    def __add__(self, other: Counts) -> Counts:
        return Counts(
            self.n + other.n,
            self.tp + other.tp,
            self.fp + other.fp,
            self.tn + other.tn,
            self.fn + other.fn,
            self.scored + other.scored,
            self.brier_sum + other.brier_sum,
            self.log_loss_sum + other.log_loss_sum,
        )

    @property
    def accuracy(self) -> float | None:
        return ratio(self.tp + self.tn, self.n)

    @property
    def precision(self) -> float | None:
        return ratio(self.tp, self.tp + self.fp)

    @property
    def recall(self) -> float | None:
        return ratio(self.tp, self.tp + self.fn)

    @property
    def f1(self) -> float | None:
        return ratio(2 * self.tp, 2 * self.tp + self.fp + self.fn)

    @property
    def selection_rate(self) -> float | None:
        return ratio(self.tp + self.fp, self.n)

    @property
    def tpr(self) -> float | None:
        return self.recall

    @property
    def fpr(self) -> float | None:
        return ratio(self.fp, self.fp + self.tn)

    @property
    def fnr(self) -> float | None:
        return ratio(self.fn, self.fn + self.tp)

    @property
    def brier(self) -> float | None:
        return ratio(self.brier_sum, self.scored)

    @property
    def log_loss(self) -> float | None:
        return ratio(self.log_loss_sum, self.scored)


@dataclass(frozen=True, slots=True)
class Regression:
    n: int
    abs_error_sum: float
    sq_error_sum: float
    label_variance: float  # population variance of the label, from a stable algorithm

    @property
    def mae(self) -> float | None:
        return ratio(self.abs_error_sum, self.n)

    @property
    def rmse(self) -> float | None:
        mse = ratio(self.sq_error_sum, self.n)
        return None if mse is None else math.sqrt(mse)

    @property
    def r2(self) -> float | None:
        total = self.label_variance * self.n
        return None if self.n == 0 or total <= 0 else 1 - self.sq_error_sum / total


Z95 = 1.959963984540054  # two-sided 95% normal quantile


def wilson(successes: int, trials: int, z: float = Z95) -> tuple[float, float] | None:
    """Wilson score interval of a proportion; None without trials."""
    if trials == 0:
        return None
    p = successes / trials
    denominator = 1 + z * z / trials
    centre = (p + z * z / (2 * trials)) / denominator
    half = z * math.sqrt(p * (1 - p) / trials + z * z / (4 * trials * trials)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)


def newcombe(a: tuple[int, int], b: tuple[int, int], z: float = Z95) -> tuple[float, float] | None:
    """Newcombe's hybrid score interval (method 10) of p_a - p_b from (successes, trials)."""
    ia, ib = wilson(*a, z=z), wilson(*b, z=z)
    if ia is None or ib is None:
        return None
    pa, pb = a[0] / a[1], b[0] / b[1]
    low = (pa - pb) - math.sqrt((pa - ia[0]) ** 2 + (ib[1] - pb) ** 2)
    high = (pa - pb) + math.sqrt((ia[1] - pa) ** 2 + (pb - ib[0]) ** 2)
    return low, high


@dataclass(frozen=True, slots=True)
class Disparity:
    """Differences between groups of one attribute (or intersection), fairlearn's definitions:
    difference = largest minus smallest group value, ratio = smallest over largest. Each
    difference has a 95% Newcombe interval between the two groups that define it."""

    groups_compared: int
    groups_too_small: int
    demographic_parity_difference: float | None
    demographic_parity_ratio: float | None
    equal_opportunity_difference: float | None
    equalized_odds_difference: float | None
    disparate_impact: float | None  # ratio of selection rates; four-fifths rule: >= 0.8
    intervals: dict[str, tuple[float, float] | None] = field(default_factory=dict)

    @property
    def conclusive(self) -> bool:
        return self.groups_compared >= 2


Rate = tuple[int, int]  # (successes, trials)


def _extremes(rates: list[Rate]) -> tuple[Rate, Rate] | None:
    """The highest and the lowest rate, when every group has one."""
    if len(rates) < 2 or any(trials == 0 for _, trials in rates):
        return None
    ordered = sorted(rates, key=lambda r: r[0] / r[1])
    return ordered[-1], ordered[0]


def _difference(pair: tuple[Rate, Rate] | None) -> float | None:
    return None if pair is None else pair[0][0] / pair[0][1] - pair[1][0] / pair[1][1]


def disparity(groups: Mapping[Any, Counts], min_group_size: int = 0) -> Disparity:
    kept = [c for c in groups.values() if c.n >= min_group_size and c.n > 0]
    selection = _extremes([(c.tp + c.fp, c.n) for c in kept])
    tpr = _extremes([(c.tp, c.tp + c.fn) for c in kept])
    fpr = _extremes([(c.fp, c.fp + c.tn) for c in kept])
    dp, eo, fp_gap = _difference(selection), _difference(tpr), _difference(fpr)
    dp_ratio = (
        None
        if selection is None
        else ratio(selection[1][0] / selection[1][1], selection[0][0] / selection[0][1])
    )
    odds = None if eo is None or fp_gap is None else max(eo, fp_gap)
    odds_pair = tpr if eo is not None and fp_gap is not None and eo >= fp_gap else fpr
    intervals = {
        "demographic_parity_difference": newcombe(*selection) if selection else None,
        "equal_opportunity_difference": newcombe(*tpr) if tpr else None,
        "equalized_odds_difference": newcombe(*odds_pair)
        if odds is not None and odds_pair
        else None,
    }
    return Disparity(
        len(kept), len(groups) - len(kept), dp, dp_ratio, eo, odds, dp_ratio, intervals
    )


def group_sets(protected: Sequence[str]) -> list[tuple[str, ...]]:
    """The groups a fairness check can name: everything, each attribute, each pair."""
    pairs = list(combinations(protected, 2))
    return [(), *((p,) for p in protected), *pairs]


def rollup(
    finest: Mapping[tuple[Any, ...], Counts], protected: Sequence[str]
) -> dict[tuple[tuple[str, Any], ...], Counts]:
    """Counts of every group set from the counts of each combination of all attributes
    (counts add up, so one GROUP BY of the finest groups serves every set)."""
    out: dict[tuple[tuple[str, Any], ...], Counts] = {}
    positions = {name: i for i, name in enumerate(protected)}
    for values, counts in finest.items():
        for names in group_sets(protected):
            key = tuple((name, values[positions[name]]) for name in names)
            found = out.get(key)
            out[key] = counts if found is None else found + counts
    return out
