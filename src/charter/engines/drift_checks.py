"""Drift checks of a suite: value counts of both windows (one scan each), then the metrics."""

from __future__ import annotations

from pathlib import Path

import duckdb

from charter.domain import drift
from charter.domain.errors import InvalidInput
from charter.domain.suite import DRIFT, Suite
from charter.engines.duckdb_measures import value_counts
from charter.engines.sources import NUMERIC, ensure_rows, source_sql


def _numeric(con: duckdb.DuckDBPyConnection, relation: str) -> dict[str, bool]:
    described = con.execute(f"DESCRIBE SELECT * FROM {relation}").fetchall()  # noqa: S608
    return {
        name: str(kind).startswith(NUMERIC) and str(kind) != "BOOLEAN"
        for name, kind, *_ in described
    }


def _measure(metric: str, numeric: bool, ref: drift.Distribution, cur: drift.Distribution) -> float:
    if metric == "chi_square_p":
        return drift.chi_square_p(ref, cur)
    if not numeric and metric != "psi":
        raise InvalidInput(f"{metric} needs a numeric column")
    if metric == "ks":
        return drift.ks(ref, cur)
    if metric == "wasserstein":
        return drift.wasserstein(ref, cur)
    if numeric:
        edges = drift.decile_edges(ref)
        ref_bins, cur_bins = drift.binned(ref, edges), drift.binned(cur, edges)
    else:
        categories = sorted(set(ref) | set(cur), key=str)
        ref_bins = [ref.get(c, 0) for c in categories]
        cur_bins = [cur.get(c, 0) for c in categories]
    return (
        drift.psi(ref_bins, cur_bins)
        if metric == "psi"
        else drift.jensen_shannon(ref_bins, cur_bins)
    )


def drift_values(
    con: duckdb.DuckDBPyConnection, current: str, folder: Path, suite: Suite
) -> dict[str, float | None]:
    specs = [c for c in suite.checks if c.metric in DRIFT]
    if not specs:
        return {}
    path = (folder / (suite.reference or "")).resolve()
    if not path.is_file():
        raise InvalidInput(f"reference file {path} does not exist", details={"file": str(path)})
    reference = source_sql(path)
    ensure_rows(con, reference, path, "reference")
    columns = [c.column or "" for c in specs]
    types = _numeric(con, reference)
    missing = [c for c in columns if c not in types]
    if missing:
        raise InvalidInput(
            f"{path.name}: missing column(s) {', '.join(missing)}",
            details={"file": str(path), "column": missing[0]},
        )
    ref_counts = value_counts(con, reference, columns)
    cur_counts = value_counts(con, current, columns)
    out: dict[str, float | None] = {}
    for spec in specs:
        column = spec.column or ""
        for window, counts in (("reference", ref_counts), ("current", cur_counts)):
            if not counts[column]:
                raise InvalidInput(
                    f"the {window} window has no values in column {column!r}",
                    details={"column": column},
                )
        try:
            out[spec.id] = _measure(
                spec.metric, types[column], ref_counts[column], cur_counts[column]
            )
        except InvalidInput as exc:
            raise InvalidInput(
                f"check {spec.id!r}, column {column!r}: {exc.message}", details={"column": column}
            ) from exc
    return out
