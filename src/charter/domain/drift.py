"""Drift between a reference and a current distribution, from value counts.

Exact where the definition allows: Kolmogorov-Smirnov and Wasserstein-1 from the full
distributions of distinct values; PSI and Jensen-Shannon over ten bins cut at the
reference's deciles (categories for categorical columns); Pearson's chi-square with its
p-value for categorical columns. Empty bins count as a share of 0.0001 in PSI.
"""

from __future__ import annotations

import math
from bisect import bisect_left
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import accumulate
from typing import Any

EMPTY_SHARE = 1e-4
NUMERIC_METRICS = frozenset({"psi", "ks", "jensen_shannon", "wasserstein"})
CATEGORICAL_METRICS = frozenset({"psi", "chi_square_p"})

Distribution = Mapping[Any, int]  # value -> count


@dataclass(frozen=True, slots=True)
class Steps:
    """Both empirical CDFs at every distinct value of either window, in increasing order."""

    values: list[float]
    ref: list[float]
    cur: list[float]


def cdf_steps(ref: Distribution, cur: Distribution) -> Steps:
    values = sorted(ref.keys() | cur.keys(), key=float)
    n_ref, n_cur = sum(ref.values()), sum(cur.values())
    ref_cdf = [c / n_ref for c in accumulate(ref.get(v, 0) for v in values)]
    cur_cdf = [c / n_cur for c in accumulate(cur.get(v, 0) for v in values)]
    return Steps([float(v) for v in values], ref_cdf, cur_cdf)


def ks_of(steps: Steps) -> float:
    return max(abs(a - b) for a, b in zip(steps.ref, steps.cur, strict=True))


def wasserstein_of(steps: Steps) -> float:
    x = steps.values
    return sum(abs(steps.ref[i] - steps.cur[i]) * (x[i + 1] - x[i]) for i in range(len(x) - 1))


def ks(ref: Distribution, cur: Distribution) -> float:
    return ks_of(cdf_steps(ref, cur))


def wasserstein(ref: Distribution, cur: Distribution) -> float:
    return wasserstein_of(cdf_steps(ref, cur))


def decile_edges(ref: Distribution) -> list[float]:
    """Inner bin edges at the reference's deciles (duplicates dropped)."""
    total, seen = sum(ref.values()), 0
    edges: list[float] = []
    targets = [total * k / 10 for k in range(1, 10)]
    for value in sorted(ref, key=float):
        seen += ref[value]
        while targets and seen >= targets[0]:
            targets.pop(0)
            if not edges or edges[-1] != float(value):
                edges.append(float(value))
    return edges[:-1] if edges and edges[-1] == float(max(ref, key=float)) else edges


def binned(dist: Distribution, edges: Sequence[float]) -> list[int]:
    """Counts per bin: (-inf, e1], (e1, e2], ..., (ek, inf)."""
    counts = [0] * (len(edges) + 1)
    for value, n in dist.items():
        counts[bisect_left(edges, float(value))] += n
    return counts


def _shares(counts: Sequence[int]) -> list[float]:
    total = sum(counts)
    return [c / total for c in counts]


def psi(ref_counts: Sequence[int], cur_counts: Sequence[int]) -> float:
    total = 0.0
    for ref_share, cur_share in zip(_shares(ref_counts), _shares(cur_counts), strict=True):
        r, c = max(ref_share, EMPTY_SHARE), max(cur_share, EMPTY_SHARE)
        total += (c - r) * math.log(c / r)
    return total


def jensen_shannon(ref_counts: Sequence[int], cur_counts: Sequence[int]) -> float:
    """Jensen-Shannon distance in base 2 (0 identical, 1 disjoint)."""
    p, q = _shares(ref_counts), _shares(cur_counts)
    m = [(a + b) / 2 for a, b in zip(p, q, strict=True)]

    def kl(x: list[float]) -> float:
        return sum(a * math.log2(a / b) for a, b in zip(x, m, strict=True) if a > 0)

    return math.sqrt(max((kl(p) + kl(q)) / 2, 0.0))


def chi_square_p(ref: Distribution, cur: Distribution) -> float:
    """p-value of Pearson's chi-square test that both samples share one distribution."""
    categories = sorted(set(ref) | set(cur), key=str)
    rows = [[ref.get(c, 0) for c in categories], [cur.get(c, 0) for c in categories]]
    total = sum(map(sum, rows))
    column_totals = [a + b for a, b in zip(*rows, strict=True)]
    stat = 0.0
    for row in rows:
        row_total = sum(row)
        for observed, column_total in zip(row, column_totals, strict=True):
            expected = row_total * column_total / total
            stat += (observed - expected) ** 2 / expected if expected else 0.0
    return chi2_sf(stat, len(categories) - 1)


def chi2_sf(x: float, dof: int) -> float:
    """Survival function of the chi-square distribution: Q(dof/2, x/2)."""
    if dof <= 0:
        return 1.0
    return _gamma_q(dof / 2, x / 2)


def _gamma_q(a: float, x: float) -> float:
    """Regularised upper incomplete gamma (series below a + 1, continued fraction above)."""
    if x <= 0:
        return 1.0
    log_front = a * math.log(x) - x - math.lgamma(a)
    if x < a + 1:
        term = total = 1.0 / a
        k = a
        for _ in range(10_000):
            k += 1
            term *= x / k
            total += term
            if abs(term) < abs(total) * 1e-16:
                break
        return max(0.0, 1.0 - total * math.exp(log_front))
    tiny = 1e-300
    b, c, d = x + 1 - a, 1 / tiny, 1 / (x + 1 - a)
    h = d
    for i in range(1, 10_000):
        an = -i * (i - a)
        b += 2
        d = an * d + b
        d = tiny if abs(d) < tiny else d
        c = b + an / c
        c = tiny if abs(c) < tiny else c
        d = 1 / d
        h *= d * c
        if abs(d * c - 1) < 1e-16:
            break
    return math.exp(log_front) * h


@dataclass(frozen=True, slots=True)
class Binned:
    """Both windows of a numeric column from equal-width bins, and how far from exact."""

    ref: dict[float, int]
    cur: dict[float, int]
    ks_bound: float  # ks(ref, cur) <= true KS <= ks(ref, cur) + ks_bound
    wasserstein_bound: float  # |wasserstein(ref, cur) - true Wasserstein| <= this


BinStats = tuple[int, float, float]  # rows, smallest value, largest value of one bin


def from_bins(
    ref: Mapping[int, BinStats], cur: Mapping[int, BinStats], low: float, width: float
) -> Binned:
    """Bin k is [low + k*width, low + (k+1)*width). A bin that holds a single distinct value
    in each window keeps that value: exact. Any other bin stands, in both windows, at its
    centre; inside it each CDF moves by the bin's share, so KS from the edges is at most the
    true KS and below it by at most the largest such share, and |F - G| is off by at most
    p_k + q_k there, which integrated gives width * (p_k + q_k) for Wasserstein."""
    n_ref = sum(v[0] for v in ref.values())
    n_cur = sum(v[0] for v in cur.values())
    ref_out: dict[float, int] = {}
    cur_out: dict[float, int] = {}
    ks_bound = w_bound = 0.0
    for k in ref.keys() | cur.keys():
        a, b = ref.get(k), cur.get(k)
        if (a is None or a[1] == a[2]) and (b is None or b[1] == b[2]):
            for stats, out in ((a, ref_out), (b, cur_out)):
                if stats is not None:
                    out[stats[1]] = out.get(stats[1], 0) + stats[0]
            continue
        centre = low + (k + 0.5) * width
        p = a[0] / n_ref if a else 0.0
        q = b[0] / n_cur if b else 0.0
        if a:
            ref_out[centre] = ref_out.get(centre, 0) + a[0]
        if b:
            cur_out[centre] = cur_out.get(centre, 0) + b[0]
        ks_bound = max(ks_bound, p, q)
        w_bound += width * (p + q)
    return Binned(ref_out, cur_out, ks_bound, w_bound)
