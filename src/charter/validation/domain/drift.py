"""Drift between a reference and a current distribution, from value counts.

Exact where the definition allows: Kolmogorov-Smirnov and Wasserstein-1 from the full
distributions of distinct values; PSI and Jensen-Shannon over ten bins cut at the
reference's deciles (categories for categorical columns); Pearson's chi-square with its
p-value for categorical columns. Empty bins count as a share of 0.0001 in PSI. From
equal-width bins (from_bins), each carries a proven bound of its distance from the exact.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import accumulate, pairwise, repeat
from operator import mul, sub, truediv
from typing import Any

EMPTY_SHARE = 1e-4
NUMERIC_METRICS = frozenset({"psi", "ks", "jensen_shannon", "wasserstein"})
CATEGORICAL_METRICS = frozenset({"psi", "chi_square_p"})

Distribution = Mapping[Any, int]  # value -> count
Span = tuple[float, float]  # [low, high) of a bin whose values all stand at its centre
Interval = tuple[float, float]


@dataclass(frozen=True, slots=True)
class Steps:
    """Both windows at every distinct value of either, in increasing order: the rows of
    each up to and including the value, and so both empirical CDFs."""

    values: list[float]
    ref: list[float]
    cur: list[float]
    ref_rows: list[int]
    cur_rows: list[int]


def cdf_steps(ref: Distribution, cur: Distribution) -> Steps:
    """Both windows' steps. Numbers of any type compare and hash alike (an int key and a
    float key of the same number are one value), so their keys sort as they are."""
    values = sorted(ref.keys() | cur.keys())
    ref_rows = list(accumulate(map(ref.get, values, repeat(0))))
    cur_rows = list(accumulate(map(cur.get, values, repeat(0))))
    n_ref, n_cur = ref_rows[-1] if values else 0, cur_rows[-1] if values else 0
    return Steps(
        list(map(float, values)),
        list(map(truediv, ref_rows, repeat(n_ref))),
        list(map(truediv, cur_rows, repeat(n_cur))),
        ref_rows,
        cur_rows,
    )


def _gaps(steps: Steps) -> Iterator[float]:
    """|F - G| at each value (map: the loops run in C, thousands of values per column)."""
    return map(abs, map(sub, steps.ref, steps.cur))


def ks_of(steps: Steps) -> float:
    return float(max(_gaps(steps)))


def wasserstein_of(steps: Steps) -> float:
    """The gaps integrated: each from its value to the next (the last has none)."""
    x = steps.values
    return float(sum(map(mul, _gaps(steps), map(sub, x[1:], x))))


def ks(ref: Distribution, cur: Distribution) -> float:
    return ks_of(cdf_steps(ref, cur))


def wasserstein(ref: Distribution, cur: Distribution) -> float:
    return wasserstein_of(cdf_steps(ref, cur))


def decile_edges(ref: Distribution) -> list[float]:
    """Inner bin edges at the reference's deciles (duplicates dropped)."""
    return decile_edges_of(cdf_steps(ref, ref))  # the second window unused: any non-empty one


def _reaching(steps: Steps, k: int) -> int:
    """Where the reference's rows first reach k tenths of them (a value of the reference:
    its rows rise only there)."""
    return bisect_left(steps.ref_rows, steps.ref_rows[-1] * k / 10)


def decile_edges_of(steps: Steps) -> list[float]:
    """decile_edges of the steps' reference: each decile's value, found by bisection."""
    if not steps.values:
        return []
    found = [steps.values[_reaching(steps, k)] for k in range(1, 10)]
    edges = [v for i, v in enumerate(found) if i == 0 or found[i - 1] != v]
    largest = steps.values[_reaching(steps, 10)]
    return edges[:-1] if edges[-1] == largest else edges


def edges_of(cumulative: Iterable[tuple[float, int]], total: int, largest: float) -> list[float]:
    """The inner decile edges from (value, reference rows up to and including it), in
    increasing order; `largest` is the reference's largest value. Any part of the values
    that keeps each one where a decile is reached gives the same edges."""
    edges: list[float] = []
    targets = [total * k / 10 for k in range(1, 10)]
    for value, seen in cumulative:
        while targets and seen >= targets[0]:
            targets.pop(0)
            if not edges or edges[-1] != value:
                edges.append(value)
    return edges[:-1] if edges and edges[-1] == largest else edges


def binned(dist: Distribution, edges: Sequence[float]) -> list[int]:
    """Counts per bin: (-inf, e1], (e1, e2], ..., (ek, inf)."""
    counts = [0] * (len(edges) + 1)
    for value, n in dist.items():
        counts[bisect_left(edges, float(value))] += n
    return counts


def binned_of(steps: Steps, edges: Sequence[float], window: str) -> list[int]:
    """binned() of one window of the steps ("ref" or "cur"), from its rows at each edge."""
    rows = steps.ref_rows if window == "ref" else steps.cur_rows
    through = [rows[i - 1] if i else 0 for i in (bisect_right(steps.values, e) for e in edges)]
    bounds = [0, *through, rows[-1] if rows else 0]
    return [b - a for a, b in pairwise(bounds)]


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
    spans: Mapping[float, Span] = field(default_factory=dict)  # centre -> its bin, if inexact


BinStats = tuple[int, float, float]  # rows, smallest value, largest value of one bin


class Centres(Mapping[float, Span]):
    """The centres of the inexact bins, each to its bin's span, found by arithmetic when
    asked (a few lookups per column) rather than stored for thousands of bins."""

    def __init__(self, low: float, width: float, inexact: frozenset[int]) -> None:
        self.low, self.width, self.inexact = low, width, inexact

    def _centre(self, k: int) -> float:
        return self.low + (k + 0.5) * self.width

    def __getitem__(self, centre: float) -> Span:
        k = math.floor((centre - self.low) / self.width)  # a centre is half a bin from edges
        if k not in self.inexact or self._centre(k) != centre:
            raise KeyError(centre)
        return self.low + k * self.width, self.low + (k + 1) * self.width

    def __iter__(self) -> Iterator[float]:
        return map(self._centre, sorted(self.inexact))

    def __len__(self) -> int:
        return len(self.inexact)


def from_bins(
    ref: Mapping[int, BinStats], cur: Mapping[int, BinStats], low: float, width: float
) -> Binned:
    """Bin k is [low + k*width, low + (k+1)*width). A bin that holds a single distinct value
    in each window keeps that value: exact. Any other bin stands, in both windows, at its
    centre; inside it each CDF moves by the bin's share, so KS from the edges is at most the
    true KS and below it by at most the largest such share, and |F - G| is off by at most
    p_k + q_k there, which integrated gives width * (p_k + q_k) for Wasserstein."""
    inexact = {k for k, (_, lo, hi) in ref.items() if lo != hi}
    inexact.update(k for k, (_, lo, hi) in cur.items() if lo != hi)
    spans = Centres(low, width, frozenset(inexact))
    ref_out, ref_spread, ref_top, n_ref = _placed(ref, inexact, low, width)
    cur_out, cur_spread, cur_top, n_cur = _placed(cur, inexact, low, width)
    ks_bound = max(ref_top / n_ref, cur_top / n_cur)
    w_bound = width * (ref_spread / n_ref + cur_spread / n_cur)
    return Binned(ref_out, cur_out, ks_bound, w_bound, spans)


def _placed(
    bins: Mapping[int, BinStats], inexact: set[int], low: float, width: float
) -> tuple[dict[float, int], int, int, int]:
    """One window's rows at their bins' single values, or at the centres of the inexact
    bins; the rows in inexact bins, the most in one, and all rows (1 when none: no rows, so
    no inexact bin either). No two bins share a place: a bin's value and its centre lie
    inside it, and bins do not overlap."""
    out = {(low + (k + 0.5) * width if k in inexact else lo): n for k, (n, lo, _) in bins.items()}
    spread = [n for k, (n, _, _) in bins.items() if k in inexact]
    return out, sum(spread), max(spread, default=0), sum(out.values()) or 1


# --- PSI and Jensen-Shannon from bins: how far from the reference's exact deciles --------


def _edge_cdfs(steps: Steps, spans: Mapping[float, Span]) -> list[tuple[Interval, Interval]]:
    """Both CDFs at -inf, the reference's nine exact decile edges, +inf: each an interval.
    An edge found at an exact value is that value (an edge at the reference's largest value
    counts as +inf, as decile_edges drops it); one found at a bin's centre lies somewhere in
    the bin, where the reference's CDF is at least the decile's share and at most its share
    through the bin, and the current's between its shares below and through the bin (up to
    1 in the reference's top bin, whose edge may be the largest value)."""
    rows, cur = steps.ref_rows, steps.cur_rows
    n_ref, n_cur = rows[-1], cur[-1]
    edges: list[tuple[Interval, Interval]] = [((0.0, 0.0), (0.0, 0.0))]
    for k in range(1, 10):
        i = _reaching(steps, k)
        v, top, through, cur_through = (
            steps.values[i],
            rows[i] == n_ref,
            rows[i] / n_ref,
            cur[i] / n_cur,
        )
        if v not in spans:
            at = ((1.0, 1.0), (1.0, 1.0)) if top else ((through, through), (cur_through,) * 2)
            edges.append(at)
            continue
        cur_below = cur[i - 1] / n_cur if i else 0.0
        cur_high = 1.0 if top else cur_through
        edges.append(((min(k / 10, through), through), (cur_below, cur_high)))
    edges.append(((1.0, 1.0), (1.0, 1.0)))
    return edges


def _psi_term(p: float, q: float) -> float:
    r, c = max(p, EMPTY_SHARE), max(q, EMPTY_SHARE)
    return (c - r) * math.log(c / r)


def _js_term(p: float, q: float) -> float:
    m = (p + q) / 2
    return sum(x * math.log2(x / m) for x in (p, q) if x > 0) / 2


def _term_range(term: Callable[[float, float], float], p: Interval, q: Interval) -> Interval:
    """Least and greatest of a term over shares in p and q: the term is jointly convex and
    0 where p = q, so its greatest is at a corner and its least 0 when the intervals meet,
    else at their nearest ends."""
    high = max(term(a, b) for a in p for b in q)
    if p[0] <= q[1] and q[0] <= p[1]:
        return 0.0, high
    return (term(p[1], q[0]) if p[1] < q[0] else term(p[0], q[1])), high


def decile_bound(
    ref: Distribution, cur: Distribution, spans: Mapping[float, Span], metric: str, value: float
) -> float:
    """decile_bound_of both windows' steps."""
    return decile_bound_of(cdf_steps(ref, cur), spans, metric, value)


def decile_bound_of(steps: Steps, spans: Mapping[float, Span], metric: str, value: float) -> float:
    """How far `value`, PSI or Jensen-Shannon over the deciles of the binned reference, can
    be from the same metric over the exact deciles of the unbinned windows: each bucket's
    shares lie in intervals from the CDF intervals at its edges, and the metric's range over
    those (the terms taken apart, so a little wide) contains both. 0 when no edge is a bin's
    centre."""
    edges = _edge_cdfs(steps, spans)
    if all(lo == hi for cdfs in edges for lo, hi in cdfs):
        return 0.0
    term = _psi_term if metric == "psi" else _js_term
    low = high = 0.0
    for (r0, c0), (r1, c1) in pairwise(edges):
        p = (max(0.0, r1[0] - r0[1]), max(0.0, r1[1] - r0[0]))
        q = (max(0.0, c1[0] - c0[1]), max(0.0, c1[1] - c0[0]))
        a, b = _term_range(term, p, q)
        low, high = low + a, high + b
    if metric != "psi":  # the distance is the root of the divergence
        low, high = math.sqrt(low), math.sqrt(high)
    return max(high - value, value - low, 0.0)
