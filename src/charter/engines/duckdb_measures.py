"""Measures that need more than group counts: ranking (ROC AUC, calibration error) and
data quality (null, out-of-range, not-allowed and duplicate rates), in DuckDB."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import duckdb

from charter.domain.errors import InvalidInput
from charter.domain.suite import CheckSpec
from charter.engines.sources import quote


def roc_auc(con: duckdb.DuckDBPyConnection, relation: str, label: str, score: str) -> float | None:
    """Exact ROC AUC from the rank sum of the positives (ties get their average rank)."""
    y, s = quote(label), quote(score)
    sql = (  # quoted identifiers only
        f"WITH r AS (SELECT {y} AS y, rank() OVER (ORDER BY {s}) AS lo, "  # noqa: S608
        f"count(*) OVER (PARTITION BY {s}) AS ties FROM {relation} WHERE {s} IS NOT NULL) "
        "SELECT sum(lo + (ties - 1) / 2.0) FILTER (y = 1), count(*) FILTER (y = 1), "
        "count(*) FILTER (y = 0) FROM r"
    )
    found = con.execute(sql).fetchone() or (None, 0, 0)
    rank_sum, positives, negatives = float(found[0] or 0), int(found[1]), int(found[2])
    if not positives or not negatives:
        return None
    return (rank_sum - positives * (positives + 1) / 2) / (positives * negatives)


def calibration_error(
    con: duckdb.DuckDBPyConnection, relation: str, label: str, score: str, bins: int = 10
) -> float | None:
    """Expected calibration error over equal-width score bins: the bin-size weighted mean of
    |mean score - share of positives|."""
    y, s = quote(label), quote(score)
    sql = (  # quoted identifiers only
        f"SELECT sum(abs(avg_s - avg_y) * n) / sum(n) FROM (SELECT "  # noqa: S608
        f"least(floor(CAST({s} AS DOUBLE) * {bins}), {bins - 1}) AS bin, "
        f"avg(CAST({s} AS DOUBLE)) AS avg_s, avg({y}) AS avg_y, count(*) AS n "
        f"FROM {relation} WHERE {s} IS NOT NULL GROUP BY bin)"
    )
    found = con.execute(sql).fetchone()
    return None if found is None or found[0] is None else float(found[0])


def _quality_sql(spec: CheckSpec) -> str:
    c = quote(spec.column or "")
    present = f"count({c})"
    if spec.metric == "null_rate":
        return f"CAST(count(*) - {present} AS DOUBLE) / nullif(count(*), 0)"
    if spec.metric == "freshness_hours":  # seconds since the epoch of the latest value
        return f"epoch(max(CAST({c} AS TIMESTAMP)))"
    if spec.metric == "duplicate_rate":
        return f"1 - CAST(count(DISTINCT {c}) AS DOUBLE) / nullif({present}, 0)"
    if spec.metric == "out_of_range_rate":
        low, high = spec.allowed_range or (0.0, 0.0)
        return (
            f"CAST(count(*) FILTER (CAST({c} AS DOUBLE) < {low!r} OR CAST({c} AS DOUBLE) "
            f"> {high!r}) AS DOUBLE) / nullif({present}, 0)"
        )
    allowed = ", ".join("'" + v.replace("'", "''") + "'" for v in spec.allowed_values)
    return (
        f"CAST(count(*) FILTER (CAST({c} AS VARCHAR) NOT IN ({allowed})) AS DOUBLE) "
        f"/ nullif({present}, 0)"
    )


def quality(
    con: duckdb.DuckDBPyConnection, relation: str, specs: Sequence[CheckSpec], now: datetime
) -> dict[str, float | None]:
    """Every data-quality check of a suite in one scan; freshness relative to `now`."""
    if not specs:
        return {}
    select = ", ".join(_quality_sql(spec) for spec in specs)
    try:
        row = con.execute(f"SELECT {select} FROM {relation}").fetchone()  # noqa: S608
    except duckdb.Error as exc:
        raise InvalidInput(f"a data-quality check cannot run: {exc}") from exc
    values = row or (None,) * len(specs)
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
    con: duckdb.DuckDBPyConnection, relation: str, columns: Sequence[str]
) -> dict[str, dict[object, int]]:
    """Counts of every distinct non-null value of each column, all columns in one scan."""
    names = list(dict.fromkeys(columns))
    if not names:
        return {}
    quoted = [quote(c) for c in names]
    flags = ", ".join(f"grouping({q})" for q in quoted)
    sets = ", ".join(f"({q})" for q in quoted)
    sql = (
        f"SELECT {', '.join(quoted)}, {flags}, count(*) FROM {relation} "  # noqa: S608
        f"GROUP BY GROUPING SETS ({sets})"
    )
    out: dict[str, dict[object, int]] = {c: {} for c in names}
    width = len(names)
    for row in con.execute(sql).fetchall():
        for i, column in enumerate(names):
            if row[width + i] == 0 and row[i] is not None:
                out[column][row[i]] = row[-1]
    return out
