"""The checks' aggregates as SQL over a Backend: each function is one scan of the data
(exact_drift, run only where a verdict needs it, one query per kind of metric).

Identifiers are quoted by the backend and relations come from Backend.open: no value from a
suite is spliced into SQL except numbers (formatted here) and quoted string literals.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from datetime import datetime
from itertools import pairwise
from typing import Any

from charter.kernel.errors import InvalidInput
from charter.validation.domain import drift
from charter.validation.domain.metrics import Counts, Regression, rollup
from charter.validation.domain.roc import ScoreBin
from charter.validation.domain.suite import CheckSpec
from charter.validation.engines.backend import Backend, number
from charter.validation.engines.groups import read_cells

EPS = 2.220446049250313e-16  # float64 machine epsilon, as scikit-learn clips log-loss scores
SCORE_BINS = 20_000  # fine score bins over [0, 1]: ten calibration bins of 2,000 each

GroupKey = tuple[tuple[str, Any], ...]  # () for the whole dataset


def as_double(b: Backend, column: str) -> str:
    return f"CAST({b.quote(column)} AS DOUBLE)"


def _count_if(condition: str) -> str:
    return f"count(*) FILTER (WHERE {condition})"


def _score_aggregates(b: Backend, label: str, score: str | None) -> list[str]:
    if not score:
        return []
    y, given = as_double(b, label), as_double(b, score)
    finite = finite_sql(given)  # NaN and infinite scores count as missing
    raw = f"CASE WHEN {finite} THEN {given} END"
    likelihood = f"CASE WHEN {y} = 1 THEN {given} ELSE 1 - {given} END"  # p(label)
    clipped = f"least(greatest({likelihood}, {number(EPS)}), {number(1 - EPS)})"
    return [
        f"count({raw})",
        f"sum(({raw} - {y}) * ({raw} - {y}))",
        f"sum(CASE WHEN {finite} THEN -ln({clipped}) END)",  # greatest() would skip a NULL
    ]


def _outcome(value: Any) -> int | None:
    """0 or 1 (0.0/1.0 included); anything else, booleans too, is None."""
    ok = value is not None and not isinstance(value, bool) and value in (0, 1)
    return int(value) if ok else None


def group_counts(
    b: Backend,
    relation: str,
    label: str,
    prediction: str,
    score: str | None,
    protected: Sequence[str],
) -> dict[GroupKey, Counts]:
    """Confusion counts and score sums of the whole data, each protected attribute and each
    pair, from one GROUP BY over every attribute, the label and the prediction (the
    confusion cell is the group: no per-row filters); coarser groups are summed from it.
    Labels and predictions must be 0 or 1: a group with any other value is refused."""
    keys = [b.quote(c) for c in (*protected, label, prediction)]
    select = ", ".join([*keys, "count(*)", *_score_aggregates(b, label, score)])
    sql = f"SELECT {select} FROM {relation} GROUP BY {', '.join(keys)}"  # noqa: S608
    rows = read_cells(b, sql, "the data cannot be aggregated", protected)
    width = len(protected)
    finest: dict[tuple[Any, ...], Counts] = {}
    bad: dict[str, dict[Any, int]] = {label: {}, prediction: {}}
    for row in rows:
        values, (y_raw, p_raw, n, *scored) = row[:width], row[width:]
        y, p = _outcome(y_raw), _outcome(p_raw)
        for column, raw, good in ((label, y_raw, y), (prediction, p_raw, p)):
            if good is None:
                bad[column][raw] = bad[column].get(raw, 0) + n
        if y is None or p is None:
            continue
        cell = Counts(
            n,
            n if y == p == 1 else 0,
            n if (y, p) == (0, 1) else 0,
            n if y == p == 0 else 0,
            n if (y, p) == (1, 0) else 0,
            *((scored[0], scored[1] or 0.0, scored[2] or 0.0) if scored else ()),
        )
        found = finest.get(values)
        finest[values] = cell if found is None else found + cell
    for column, found_bad in bad.items():
        if found_bad:
            shown = ", ".join(repr(v) for v in sorted(found_bad, key=repr)[:5])
            raise InvalidInput(
                f"column {column!r} holds {sum(found_bad.values())} value(s) other than 0 and 1 "
                f"({shown})",
                details={"column": column},
            )
    return rollup(finest, protected)


def regression_sums(b: Backend, relation: str, label: str, prediction: str) -> Regression:
    """Error sums and the label's population variance, one scan."""
    y, p = as_double(b, label), as_double(b, prediction)
    sql = (
        f"SELECT count(*), sum(abs({y} - {p})), sum(({y} - {p}) * ({y} - {p})), "  # noqa: S608
        f"var_pop({y}) FROM {relation}"
    )
    found = b.rows(sql, "the data cannot be aggregated")
    n, abs_sum, sq_sum, variance = found[0] if found else (0, 0, 0, 0)
    return Regression(n, abs_sum or 0.0, sq_sum or 0.0, variance or 0.0)


def score_bins(
    b: Backend,
    relation: str,
    label: str,
    score: str,
) -> list[ScoreBin]:
    """Positives, negatives and the score sum per fine score bin (NaN scores left out), from
    rows grouped by bin, the positives as the sum of the labels: the confusion counts' scan
    has refused labels other than 0 and 1 (a third faster here than grouping by bin and
    label, and half the rows to read back)."""
    y, s = as_double(b, label), as_double(b, score)
    sql = (
        f"SELECT k, sum(y), count(*), sum(s) FROM ("  # noqa: S608
        f"SELECT CAST(floor({s} * {SCORE_BINS}) AS BIGINT) AS k, {y} AS y, {s} AS s "
        f"FROM {relation} WHERE {finite_sql(s)}) AS scored GROUP BY k ORDER BY k"
    )
    rows = b.rows(sql, "score")
    return [(k, int(pos), n - int(pos), float(total)) for k, pos, n, total in rows]


def exact_auc(b: Backend, relation: str, label: str, score: str) -> float | None:
    """Exact ROC AUC from the rank sum of the positives (ties get their average rank)."""
    y, s = as_double(b, label), as_double(b, score)
    sql = (
        f"SELECT sum(lo + (ties - 1) / 2.0e0) FILTER (WHERE y = 1), "  # noqa: S608
        f"{_count_if('y = 1')}, {_count_if('y = 0')} FROM (SELECT {y} AS y, "
        f"rank() OVER (ORDER BY {s}) AS lo, count(*) OVER (PARTITION BY {s}) AS ties "
        f"FROM {relation} WHERE {finite_sql(s)}) AS ranked"
    )
    found = b.rows(sql, "ROC AUC")
    rank_sum, positives, negatives = found[0] if found else (None, 0, 0)
    if not positives or not negatives:
        return None
    pairs = int(positives) * int(negatives)
    return (float(rank_sum or 0) - int(positives) * (int(positives) + 1) / 2) / pairs


def _quality_sql(b: Backend, spec: CheckSpec) -> str:
    c = b.quote(spec.column or "")
    present = f"count({c})"
    if spec.metric == "null_rate":
        return f"CAST(count(*) - {present} AS DOUBLE) / nullif(count(*), 0)"
    if spec.metric == "freshness_hours":  # seconds since the epoch of the latest value
        return b.epoch(f"max(CAST({c} AS TIMESTAMP))")
    if spec.metric == "duplicate_rate":
        return f"1 - CAST(count(DISTINCT {c}) AS DOUBLE) / nullif({present}, 0)"
    if spec.metric == "out_of_range_rate":
        low, high = spec.allowed_range or (0.0, 0.0)
        x = f"CAST({c} AS DOUBLE)"
        outside = _count_if(f"{x} < {number(low)} OR {x} > {number(high)}")
        return f"CAST({outside} AS DOUBLE) / nullif({present}, 0)"
    allowed = ", ".join(b.text(v) for v in spec.allowed_values)
    outside = _count_if(f"CAST({c} AS STRING) NOT IN ({allowed})")
    return f"CAST({outside} AS DOUBLE) / nullif({present}, 0)"


def quality(
    b: Backend,
    relation: str,
    specs: Sequence[CheckSpec],
    now: datetime,
) -> dict[str, float | None]:
    """Every data-quality check of a suite in one scan; freshness relative to `now`."""
    select = ", ".join(_quality_sql(b, spec) for spec in specs)
    found = b.rows(f"SELECT {select} FROM {relation}", "a data-quality check")  # noqa: S608
    values = found[0] if found else (None,) * len(specs)
    out: dict[str, float | None] = {}
    for spec, value in zip(specs, values, strict=True):
        if value is None:
            out[spec.id] = None
        elif spec.metric == "freshness_hours":
            out[spec.id] = (now.timestamp() - float(value)) / 3600
        else:
            out[spec.id] = float(value)
    return out


def value_counts(
    b: Backend,
    relation: str,
    columns: Sequence[str],
) -> dict[str, dict[str, int]]:
    """Count of every distinct non-null value (as text) of each column, in one query."""
    if not columns:
        return {}
    out: dict[str, dict[str, int]] = {c: {} for c in columns}
    for i, value, n in b.rows(_value_counts_sql(b, relation, columns), "drift"):
        out[columns[i]][value] = int(n)
    return out


def _value_counts_sql(b: Backend, relation: str, columns: Sequence[str]) -> str:
    parts = []
    for i, column in enumerate(columns):
        c = b.quote(column)
        parts.append(
            f"SELECT {i} AS i, CAST({c} AS STRING) AS v, count(*) AS n "  # noqa: S608
            f"FROM {relation} WHERE {c} IS NOT NULL GROUP BY {c}"
        )
    return " UNION ALL ".join(parts)


def finite_sql(expr: str) -> str:
    """True for a finite number of a DOUBLE expression (NULL, NaN and infinities fail: NaN
    sorts above all numbers on both engines). One comparison of its absolute value rather
    than two bounds: the same rows (abs of a double is exact), and the 1M-row benchmark's
    drift bins took 15 % less CPU on DuckDB (benchmarks/README.md)."""
    return f"abs({expr}) < 1.7e308"


Bins = dict[int, tuple[int, float, float]]  # bin -> rows, smallest, largest value


def binned_counts(
    b: Backend,
    relation: str,
    grids: Sequence[tuple[str, float, float]],
    spread: frozenset[str] | None = None,
) -> dict[str, Bins]:
    """For each (column, low, width): rows per equal-width bin k = floor((x - low) / width),
    NULL, NaN and infinite values left out; one query.
    The smallest and largest value of each bin too for the columns in `spread` (all when
    None); a bin of another column says only that its values lie in it (-inf and inf)."""
    if not grids:
        return {}
    out: dict[str, Bins] = {g[0]: {} for g in grids}
    tables = [out[g[0]] for g in grids]
    rows = b.rows(_binned_sql(b, relation, grids, spread), "drift")
    for i, k, n, lo, hi in rows:  # BIGINT, DOUBLE
        tables[i][k] = (n, -math.inf, math.inf) if lo is None else (n, lo, hi)
    return out


def _binned_sql(
    b: Backend,
    relation: str,
    grids: Sequence[tuple[str, float, float]],
    spread: frozenset[str] | None,
) -> str:
    parts = []
    for i, (column, low, width) in enumerate(grids):
        x = as_double(b, column)
        key = f"CAST(floor(({x} - {number(low)}) / {number(width)}) AS BIGINT)"
        wide = spread is None or column in spread
        values = "min(x), max(x)" if wide else "CAST(NULL AS DOUBLE), CAST(NULL AS DOUBLE)"
        kept = f", {x} AS x" if wide else ""
        parts.append(
            f"SELECT {i} AS i, k, count(*), {values} FROM (SELECT {key} AS k{kept} "  # noqa: S608
            f"FROM {relation} WHERE {finite_sql(x)}) AS binned_{i} GROUP BY k"
        )
    return " UNION ALL ".join(parts)


def ranges(
    b: Backend, relation: str, columns: Sequence[str]
) -> dict[str, tuple[float, float] | None]:
    """Smallest and largest finite value of numeric columns (None: no finite value): plain
    min and max first (NaN sorts above every number on both engines, so a column holding
    NaN or an infinity shows it), then, for such columns only, with those values left out
    (a tenth of the time of the filtered scan here, on a reference of 100,000 rows)."""
    if not columns:
        return {}
    out = _extremes(b, relation, columns, lambda x: x)
    unclear = [c for c, span in out.items() if span is not None and not _all_finite(span)]
    if unclear:  # CASE: half the time of FILTER here
        out |= _extremes(b, relation, unclear, lambda x: f"CASE WHEN {finite_sql(x)} THEN {x} END")
    return out


def _all_finite(span: tuple[float, float]) -> bool:
    return all(math.isfinite(v) for v in span)


def _extremes(
    b: Backend, relation: str, columns: Sequence[str], kept: Callable[[str], str]
) -> dict[str, tuple[float, float] | None]:
    parts = []
    for column in columns:
        x = kept(as_double(b, column))
        parts += [f"min({x})", f"max({x})"]
    row = b.rows(f"SELECT {', '.join(parts)} FROM {relation}", "drift")[0]  # noqa: S608
    out: dict[str, tuple[float, float] | None] = {}
    for i, column in enumerate(columns):
        low, high = row[2 * i], row[2 * i + 1]
        out[column] = None if low is None else (float(low), float(high))
    return out


def exact_drift(
    b: Backend, windows: tuple[str, str], column: str, metrics: set[str]
) -> dict[str, float]:
    """The drift `metrics` of one numeric column computed without bins. Far dearer than the
    binned scans: KS and Wasserstein sort both windows, PSI and Jensen-Shannon the
    reference (and scan the current window once)."""
    exact: dict[str, float] = {}
    if metrics & {"ks", "wasserstein"}:
        exact["ks"], exact["wasserstein"] = _exact_cdfs(b, windows, column)
    if metrics & {"psi", "jensen_shannon"}:
        ref_bins, cur_bins = _exact_deciles(b, windows, column)
        exact["psi"] = drift.psi(ref_bins, cur_bins)
        exact["jensen_shannon"] = drift.jensen_shannon(ref_bins, cur_bins)
    return exact


_UPTO = "ORDER BY x RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW"  # ties included


def _exact_cdfs(b: Backend, windows: tuple[str, str], column: str) -> tuple[float, float]:
    """KS and Wasserstein-1 from both windows' finite values sorted together: both CDFs at
    every value, their largest gap, and the gaps integrated between neighbouring values."""
    x = as_double(b, column)
    pooled = " UNION ALL ".join(
        f"SELECT {x} AS x, {r} AS r, {1 - r} AS c FROM {w} WHERE {finite_sql(x)}"  # noqa: S608
        for r, w in ((1, windows[0]), (0, windows[1]))
    )
    sql = (
        f"SELECT max(d), sum(d * (nx - x)) FROM (SELECT x, nx, abs(CAST(cr AS DOUBLE) / nr "  # noqa: S608
        f"- CAST(cc AS DOUBLE) / nc) AS d FROM (SELECT x, sum(r) OVER ({_UPTO}) AS cr, "
        f"sum(c) OVER ({_UPTO}) AS cc, lead(x) OVER (ORDER BY x) AS nx, sum(r) OVER () AS nr, "
        f"sum(c) OVER () AS nc FROM ({pooled}) AS pooled) AS walked) AS gaps"
    )
    ks, wasserstein = b.rows(sql, "exact drift")[0]
    return float(ks), float(wasserstein or 0.0)


def _exact_deciles(
    b: Backend, windows: tuple[str, str], column: str
) -> tuple[list[int], list[int]]:
    """Both windows' rows in the ten buckets cut at the reference's exact deciles: the
    reference sorted, keeping the values where a decile is reached (on the first row of
    their ties, the row before holds the count below them); then one scan of the current
    window counting the rows up to each edge."""
    x = as_double(b, column)
    reference, current = windows
    sql = (
        f"SELECT x, cr, nr, top FROM (SELECT x, cr, nr, top, "  # noqa: S608
        "floor(CAST(10 * coalesce(lag(cr) OVER (ORDER BY x), 0) AS DOUBLE) / nr) AS before, "
        "floor(CAST(10 * cr AS DOUBLE) / nr) AS after FROM (SELECT x, "
        f"count(*) OVER ({_UPTO}) AS cr, count(*) OVER () AS nr, max(x) OVER () AS top "
        f"FROM (SELECT {x} AS x FROM {reference} WHERE {finite_sql(x)}) AS finite) AS walked) "
        "AS steps WHERE after > before AND before < 9 ORDER BY x"
    )
    reached = b.rows(sql, "exact drift")
    n_ref, top = int(reached[0][2]), float(reached[0][3])
    below = {float(v): int(cr) for v, cr, _, _ in reached}
    edges = drift.edges_of(below.items(), n_ref, top)
    counts = [f"count(CASE WHEN {x} <= {number(e)} THEN 1 END)" for e in edges] + ["count(*)"]
    scanned = f"SELECT {', '.join(counts)} FROM {current} WHERE {finite_sql(x)}"  # noqa: S608
    cur_cum = [0, *(int(n) for n in b.rows(scanned, "exact drift")[0])]
    ref_cum = [0, *(below[e] for e in edges), n_ref]
    return (
        [high - low for low, high in pairwise(ref_cum)],
        [high - low for low, high in pairwise(cur_cum)],
    )
