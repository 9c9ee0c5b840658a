"""Drift checks of a suite: each feature's distribution in both windows, then the metrics.

A categorical column is compared value by value. A numeric column is cut into DRIFT_BINS
equal-width bins over the reference's range (the current window's values outside it fall in
further bins of the same width), one query per window; bins that hold one distinct value in
each window stay exact (so a column with few distinct values is exact), the others carry the
error bounds that domain.drift proves, recorded beside KS, Wasserstein, PSI and
Jensen-Shannon. The current window's smallest and largest value per bin, which only an exact
bin needs, are read only for the columns whose reference bins each hold one value.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from charter.kernel.errors import InvalidInput
from charter.validation.domain import drift
from charter.validation.domain.suite import DRIFT, CheckSpec, Suite
from charter.validation.engines.backend import NUMERIC, Backend, Opened, ensure_rows
from charter.validation.engines.measures import (
    Bins,
    binned_counts,
    exact_drift,
    ranges,
    value_counts,
)

DRIFT_BINS = 2048


class StepReporter(Protocol):
    """Says which step of a run starts; an unplanned one adds to the steps in all."""

    def __call__(self, name: str, unplanned: bool = False) -> None: ...


def _quiet(name: str, unplanned: bool = False) -> None:
    """A StepReporter that says nothing."""


@dataclass(frozen=True, slots=True)
class Compared:
    ref: Mapping[Any, int]
    cur: Mapping[Any, int]
    numeric: bool
    ks_bound: float = 0.0
    wasserstein_bound: float = 0.0
    spans: Mapping[float, drift.Span] = field(default_factory=dict)  # inexact bins' centres


def _steps(seen: Compared, steps: dict[str, drift.Steps], column: str) -> drift.Steps:
    """Both windows' steps of a numeric column, once per column for all its checks."""
    if column not in steps:
        steps[column] = drift.cdf_steps(seen.ref, seen.cur)
    return steps[column]


def _measure(metric: str, seen: Compared, steps: dict[str, drift.Steps], column: str) -> float:
    ref, cur = seen.ref, seen.cur
    if metric == "chi_square_p":
        return drift.chi_square_p(ref, cur)
    if not seen.numeric and metric != "psi":
        raise InvalidInput(f"{metric} needs a numeric column")
    if metric in ("ks", "wasserstein"):
        return (drift.ks_of if metric == "ks" else drift.wasserstein_of)(
            _steps(seen, steps, column)
        )
    if seen.numeric:
        both = _steps(seen, steps, column)
        edges = drift.decile_edges_of(both)
        ref_bins, cur_bins = (
            drift.binned_of(both, edges, "ref"),
            drift.binned_of(both, edges, "cur"),
        )
    else:
        categories = sorted(set(ref) | set(cur), key=str)
        ref_bins = [ref.get(c, 0) for c in categories]
        cur_bins = [cur.get(c, 0) for c in categories]
    return (
        drift.psi(ref_bins, cur_bins)
        if metric == "psi"
        else drift.jensen_shannon(ref_bins, cur_bins)
    )


def _bound(
    metric: str, seen: Compared, value: float, steps: dict[str, drift.Steps], column: str
) -> float | None:
    if metric == "ks" and seen.ks_bound:
        return seen.ks_bound
    if metric == "wasserstein" and seen.wasserstein_bound:
        return seen.wasserstein_bound
    if metric in ("psi", "jensen_shannon") and seen.numeric and seen.spans:
        both = _steps(seen, steps, column)
        return drift.decile_bound_of(both, seen.spans, metric, value) or None
    return None


def _grid(column: str, span: tuple[float, float] | None) -> tuple[str, float, float]:
    if span is None:
        raise InvalidInput(
            f"the reference window has no finite values in column {column!r}",
            details={"column": column},
        )
    low, high = span
    return column, low, (high - low) / DRIFT_BINS if high > low else 1.0


def _discrete(bins: Bins) -> bool:
    """Every bin of the reference holds one distinct value: only then can the current
    window's bins be exact, so only then are their smallest and largest values wanted."""
    return all(low == high for _, low, high in bins.values())


@dataclass(frozen=True, slots=True)
class Reference:
    """The reference window read, and what the current window's pass must count for drift:
    the numeric columns' bins (grids, and those whose bins keep min and max) and the other
    columns' value counts."""

    relation: str
    specs: list[CheckSpec]
    grids: list[tuple[str, float, float]]
    spread: frozenset[str]
    others: list[str]
    ref_bins: dict[str, Bins]
    ref_values: dict[str, dict[str, int]]


def read_reference(
    b: Backend,
    opened: Opened | None,
    suite: Suite,
    step: StepReporter = _quiet,
) -> Reference | None:
    """The reference window's ranges (one query), then its bins and value counts of every
    drift column (one query each), or None when the suite has no drift checks."""
    specs = [c for c in suite.checks if c.metric in DRIFT]
    if not specs or opened is None:
        return None
    ensure_rows(b, opened, "reference")
    reference = opened.relation
    types = b.columns(reference, opened.name)
    columns = list(dict.fromkeys(c.column or "" for c in specs))
    missing = [c for c in columns if c not in types]
    if missing:
        raise InvalidInput(
            f"{opened.name}: missing column(s) {', '.join(missing)}",
            details={**opened.details, "column": missing[0]},
        )
    numeric = {c: types[c].startswith(NUMERIC) for c in columns}
    step("reference ranges")
    spans = ranges(b, reference, [c for c in columns if numeric[c]])
    grids = [_grid(c, spans.get(c)) for c, is_number in numeric.items() if is_number]
    others = [c for c, is_number in numeric.items() if not is_number]
    step("drift: reference window")
    ref_bins = binned_counts(b, reference, grids, None)
    spread = frozenset(c for c, _, _ in grids if _discrete(ref_bins[c]))
    ref_values = value_counts(b, reference, others)
    return Reference(reference, specs, grids, spread, others, ref_bins, ref_values)


def _compare_all(
    b: Backend, current: str, ref: Reference, step: StepReporter
) -> dict[str, Compared]:
    """Every drift column of both windows: the current window's numeric bins and other
    columns' value counts in one query each."""
    step("drift: current window")
    cur_bins = binned_counts(b, current, ref.grids, ref.spread)
    cur_values = value_counts(b, current, ref.others)
    seen: dict[str, Compared] = {}
    for column, low, width in ref.grids:
        binned = drift.from_bins(ref.ref_bins[column], cur_bins[column], low, width)
        seen[column] = Compared(
            binned.ref, binned.cur, True, binned.ks_bound, binned.wasserstein_bound, binned.spans
        )
    for column in ref.others:
        seen[column] = Compared(ref.ref_values[column], cur_values[column], False)
    for column, compared in seen.items():
        for window, counts in (("reference", compared.ref), ("current", compared.cur)):
            if not counts:
                raise InvalidInput(
                    f"the {window} window has no values in column {column!r}",
                    details={"column": column},
                )
    return seen


def drift_values(
    b: Backend,
    current: str,
    ref: Reference | None,
    step: StepReporter = _quiet,
) -> tuple[dict[str, float | None], dict[str, float]]:
    """Each drift check's value, and the error bound of those computed from bins, against
    the reference window read."""
    if ref is None:
        return {}, {}
    seen = _compare_all(b, current, ref, step)
    values: dict[str, float | None] = {}
    bounds: dict[str, float] = {}
    steps: dict[str, drift.Steps] = {}
    for spec in ref.specs:
        column = spec.column or ""
        try:
            value = values[spec.id] = _measure(spec.metric, seen[column], steps, column)
        except InvalidInput as exc:
            raise InvalidInput(
                f"check {spec.id!r}, column {column!r}: {exc.message}", details={"column": column}
            ) from exc
        bound = _bound(spec.metric, seen[column], value, steps, column)
        if bound is not None:
            bounds[spec.id] = bound
    _settle(b, (ref.relation, current), ref.specs, values, bounds, step)
    return values, bounds


def _settle(
    b: Backend,
    windows: tuple[str, str],
    specs: list[CheckSpec],
    values: dict[str, float | None],
    bounds: dict[str, float],
    step: StepReporter,
) -> None:
    """A binned value whose bound reaches across its check's threshold cannot decide the
    verdict: such checks get the exact value instead (one query per column they name)."""
    near: dict[str, list[CheckSpec]] = {}  # column -> its checks near their thresholds
    for spec in specs:
        value, bound = values[spec.id], bounds.get(spec.id)
        if value is not None and bound is not None and spec.may_flip(value, bound):
            near.setdefault(spec.column or "", []).append(spec)
    for column, close in near.items():
        step(f"drift: exact values of {column} (near a threshold)", unplanned=True)
        exact = exact_drift(b, windows, column, {c.metric for c in close})
        for spec in close:
            values[spec.id] = exact[spec.metric]
            del bounds[spec.id]
