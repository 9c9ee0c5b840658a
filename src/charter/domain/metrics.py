"""Metrics computed from aggregates: confusion counts per group and sums of errors.

Pure arithmetic. A metric whose denominator is zero is undefined (None), never 0: a verdict
built on it is inconclusive.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
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


@dataclass(frozen=True, slots=True)
class Disparity:
    """Differences between groups of one attribute (or intersection), fairlearn's definitions:
    difference = largest minus smallest group value, ratio = smallest over largest."""

    groups_compared: int
    groups_too_small: int
    demographic_parity_difference: float | None
    demographic_parity_ratio: float | None
    equal_opportunity_difference: float | None
    equalized_odds_difference: float | None
    disparate_impact: float | None  # ratio of selection rates; four-fifths rule: >= 0.8

    @property
    def conclusive(self) -> bool:
        return self.groups_compared >= 2


def _spread(values: list[float | None]) -> tuple[float, float] | None:
    known = [v for v in values if v is not None]
    if len(known) < 2 or len(known) != len(values):
        return None
    return min(known), max(known)


def disparity(groups: Mapping[Any, Counts], min_group_size: int = 0) -> Disparity:
    kept = [c for c in groups.values() if c.n >= min_group_size and c.n > 0]
    selection = _spread([c.selection_rate for c in kept])
    tpr = _spread([c.tpr for c in kept])
    fpr = _spread([c.fpr for c in kept])
    dp_diff = None if selection is None else selection[1] - selection[0]
    dp_ratio = None if selection is None else ratio(selection[0], selection[1])
    eo_diff = None if tpr is None else tpr[1] - tpr[0]
    odds = None if tpr is None or fpr is None else max(tpr[1] - tpr[0], fpr[1] - fpr[0])
    return Disparity(len(kept), len(groups) - len(kept), dp_diff, dp_ratio, eo_diff, odds, dp_ratio)
