"""The error bounds of binned measures hold for any data and any bin width."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping
from itertools import accumulate

from hypothesis import given, settings
from hypothesis import strategies as st

from charter.validation.domain import drift
from charter.validation.domain.roc import auc

scores = st.lists(
    st.tuples(st.floats(0, 1, allow_nan=False), st.booleans()), min_size=2, max_size=60
)


def _exact_auc(rows: list[tuple[float, bool]]) -> float | None:
    pos = [s for s, y in rows if y]
    neg = [s for s, y in rows if not y]
    if not pos or not neg:
        return None
    wins = sum(1.0 if p > n else 0.5 if p == n else 0.0 for p in pos for n in neg)
    return wins / (len(pos) * len(neg))


@settings(max_examples=300, deadline=None)
@given(scores, st.integers(1, 200))
def test_auc_from_bins_is_within_its_bound(rows: list[tuple[float, bool]], bins: int) -> None:
    grouped: dict[int, list[int]] = {}
    for s, y in rows:
        acc = grouped.setdefault(math.floor(s * bins), [0, 0])
        acc[0 if y else 1] += 1
    found = auc([(k, p, n, 0.0) for k, (p, n) in grouped.items()])
    exact = _exact_auc(rows)
    if exact is None:
        assert found.value is None
        return
    assert found.value is not None
    assert abs(found.value - exact) <= found.bound + 1e-12


samples = st.lists(
    st.one_of(st.floats(-100, 100, allow_nan=False), st.integers(-5, 5).map(float)),
    min_size=1,
    max_size=80,
)


def _bins(values: list[float], low: float, width: float) -> dict[int, tuple[int, float, float]]:
    out: dict[int, tuple[int, float, float]] = {}
    for x in values:
        k = math.floor((x - low) / width)
        n, lo, hi = out.get(k, (0, x, x))
        out[k] = (n + 1, min(lo, x), max(hi, x))
    return out


@settings(max_examples=400, deadline=None)
@given(samples, samples, st.floats(0.01, 20))
def test_binned_ks_and_wasserstein_are_within_their_bounds(
    ref: list[float], cur: list[float], width: float
) -> None:
    low = min(ref)
    binned = drift.from_bins(_bins(ref, low, width), _bins(cur, low, width), low, width)
    exact_ks = drift.ks(Counter(ref), Counter(cur))
    binned_ks = drift.ks(binned.ref, binned.cur)
    assert binned_ks <= exact_ks + 1e-12
    assert exact_ks <= binned_ks + binned.ks_bound + 1e-12
    exact_w = drift.wasserstein(Counter(ref), Counter(cur))
    binned_w = drift.wasserstein(binned.ref, binned.cur)
    assert abs(binned_w - exact_w) <= binned.wasserstein_bound * (1 + 1e-9) + 1e-9
    assert binned.wasserstein_bound <= 2 * width * (1 + 1e-9)


@given(
    st.lists(st.integers(0, 50).map(float), min_size=1),
    st.lists(st.integers(0, 50).map(float), min_size=1),
)
def test_bins_of_one_value_each_are_exact(ref: list[float], cur: list[float]) -> None:
    low, width = 0.0, 0.5  # every whole number in a bin of its own
    binned = drift.from_bins(_bins(ref, low, width), _bins(cur, low, width), low, width)
    assert binned.ks_bound == 0 and binned.wasserstein_bound == 0
    assert drift.ks(binned.ref, binned.cur) == drift.ks(Counter(ref), Counter(cur))


def _decile_metric(metric: str, ref: Mapping[float, int], cur: Mapping[float, int]) -> float:
    edges = drift.decile_edges(ref)
    measure = drift.psi if metric == "psi" else drift.jensen_shannon
    return measure(drift.binned(ref, edges), drift.binned(cur, edges))


@settings(max_examples=600, deadline=None)
@given(samples, samples, st.floats(0.01, 20), st.sampled_from(["psi", "jensen_shannon"]))
def test_binned_psi_and_jensen_shannon_are_within_their_bounds(
    ref: list[float], cur: list[float], width: float, metric: str
) -> None:
    """Over the deciles of the binned reference, PSI and Jensen-Shannon are within their
    bound of the same metric over the exact deciles of the unbinned windows."""
    low = min(ref)
    binned = drift.from_bins(_bins(ref, low, width), _bins(cur, low, width), low, width)
    value = _decile_metric(metric, binned.ref, binned.cur)
    exact = _decile_metric(metric, Counter(ref), Counter(cur))
    bound = drift.decile_bound(binned.ref, binned.cur, binned.spans, metric, value)
    assert abs(value - exact) <= bound + 1e-9


@given(
    st.lists(st.integers(0, 50).map(float), min_size=1),
    st.lists(st.integers(0, 50).map(float), min_size=1),
    st.sampled_from(["psi", "jensen_shannon"]),
)
def test_psi_and_jensen_shannon_of_bins_of_one_value_each_are_exact(
    ref: list[float], cur: list[float], metric: str
) -> None:
    low, width = 0.0, 0.5
    binned = drift.from_bins(_bins(ref, low, width), _bins(cur, low, width), low, width)
    value = _decile_metric(metric, binned.ref, binned.cur)
    assert drift.decile_bound(binned.ref, binned.cur, binned.spans, metric, value) == 0
    assert value == _decile_metric(metric, Counter(ref), Counter(cur))


@given(samples, samples)
def test_the_steps_give_each_windows_deciles_and_buckets(
    ref: list[float], cur: list[float]
) -> None:
    """The deciles and bucket counts found by bisection on both windows' steps are those
    found by walking each distribution on its own."""
    r, c = Counter(ref), Counter(cur)
    steps = drift.cdf_steps(r, c)
    values = sorted(r)
    walked = drift.edges_of(
        zip(values, accumulate(r[v] for v in values), strict=True), len(ref), values[-1]
    )
    edges = drift.decile_edges_of(steps)
    assert edges == walked == drift.decile_edges(r)
    assert drift.binned_of(steps, edges, "ref") == drift.binned(r, edges)
    assert drift.binned_of(steps, edges, "cur") == drift.binned(c, edges)


@given(st.floats(-1e6, 1e6), st.floats(1e-6, 1e3), st.sets(st.integers(-5000, 5000), max_size=30))
def test_the_centres_of_inexact_bins_are_found_by_arithmetic(
    low: float, width: float, inexact: set[int]
) -> None:
    """Centres maps each inexact bin's centre to its span, and nothing else."""
    centres = drift.Centres(low, width, frozenset(inexact))
    stored = {low + (k + 0.5) * width: (low + k * width, low + (k + 1) * width) for k in inexact}
    assert dict(centres) == stored and len(centres) == len(stored)
    for k in range(-3, 4):
        edge = low + k * width
        assert (edge in centres) == (edge in stored)
