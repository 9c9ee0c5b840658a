"""ROC AUC and calibration error from a fine score histogram, with a proven error bound.

A histogram bin holds the positives, the negatives and the score sum of the rows whose score
falls in it; bins are ordered by score. Every pair (positive, negative) in different bins is
ordered exactly; a pair in the same bin is counted as a tie (1/2), whereas its true share is 0,
1/2 or 1. So |AUC - exact AUC| <= 1/2 * sum(pos_b * neg_b) / (P * N), which is the bound we
report; it is 0 when no bin holds both a positive and a negative.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

#: (key, positives, negatives, score sum) of one bin; bins sort by key in score order
ScoreBin = tuple[int, int, int, float]


@dataclass(frozen=True, slots=True)
class Bounded:
    value: float | None
    bound: float  # |value - exact value| <= bound


def auc(bins: Sequence[ScoreBin]) -> Bounded:
    positives = sum(b[1] for b in bins)
    negatives = sum(b[2] for b in bins)
    if not positives or not negatives:
        return Bounded(None, 0.0)
    below = 0  # negatives in earlier bins
    wins = 0.0
    same_bin = 0
    for _, pos, neg, _ in sorted(bins):
        wins += pos * (below + neg / 2)
        same_bin += pos * neg
        below += neg
    pairs = positives * negatives
    return Bounded(wins / pairs, same_bin / 2 / pairs)


def calibration_error(bins: Sequence[ScoreBin], per_coarse_bin: int, last: int) -> float | None:
    """Expected calibration error over coarse bins that each merge `per_coarse_bin` fine
    bins (bins above `last` join it, so a score of exactly 1 falls in the top bin): the
    size-weighted mean of |mean score - share of positives|."""
    size: dict[int, int] = {}
    scores: dict[int, float] = {}
    hits: dict[int, int] = {}
    for key, pos, neg, score_sum in bins:
        c = min(key // per_coarse_bin, last)
        size[c] = size.get(c, 0) + pos + neg
        scores[c] = scores.get(c, 0.0) + score_sum
        hits[c] = hits.get(c, 0) + pos
    total = sum(size.values())
    if not total:
        return None
    return sum(abs(scores[c] - hits[c]) for c in size) / total
