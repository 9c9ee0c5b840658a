"""The embedded DuckDB engine: every aggregate of a run over one dataset in one scan.

Binary-classification counts, score sums for every protected attribute, every intersection
and the whole dataset come from one GROUP BY GROUPING SETS query.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import combinations
from pathlib import Path
from typing import Any

import duckdb

from charter.domain.errors import InvalidInput
from charter.domain.evidence import Aggregates
from charter.domain.metrics import Counts, Regression
from charter.domain.suite import DRIFT, QUALITY, RANKING, REGRESSION, SCHEMA, Suite
from charter.engines.drift_checks import drift_values
from charter.engines.duckdb_measures import calibration_error, quality, roc_auc
from charter.engines.sources import NUMERIC, ensure_rows, quote, source_sql

EPS = 2.220446049250313e-16  # float64 machine epsilon, as scikit-learn clips log-loss scores

GroupKey = tuple[tuple[str, Any], ...]  # () for the whole dataset


@dataclass(frozen=True, slots=True)
class Roles:
    label: str
    prediction: str
    score: str | None = None
    protected: tuple[str, ...] = ()


def _sets(protected: Sequence[str]) -> list[tuple[str, ...]]:
    singles = [(p,) for p in protected]
    pairs = list(combinations(protected, 2)) if len(protected) > 1 else []
    return [(), *singles, *pairs]


def _aggregates(roles: Roles) -> str:
    y, p = quote(roles.label), quote(roles.prediction)
    parts = [
        "count(*) AS n",
        f"count(*) FILTER ({y} = 1 AND {p} = 1) AS tp",
        f"count(*) FILTER ({y} = 0 AND {p} = 1) AS fp",
        f"count(*) FILTER ({y} = 0 AND {p} = 0) AS tn",
        f"count(*) FILTER ({y} = 1 AND {p} = 0) AS fn",
    ]
    if roles.score:
        s = f"least(greatest(CAST({quote(roles.score)} AS DOUBLE), {EPS}), {1 - EPS})"
        raw = f"CAST({quote(roles.score)} AS DOUBLE)"
        parts += [
            f"count({quote(roles.score)}) AS scored",
            f"sum(({raw} - {y}) * ({raw} - {y})) AS brier_sum",
            f"sum(-({y} * ln({s}) + (1 - {y}) * ln(1 - {s}))) AS log_loss_sum",
        ]
    return ", ".join(parts)


def group_counts(
    con: duckdb.DuckDBPyConnection, relation: str, roles: Roles
) -> dict[GroupKey, Counts]:
    """Counts for the whole dataset, each protected attribute and each pair, in one scan."""
    sets = _sets(roles.protected)
    columns = ", ".join(quote(c) for c in roles.protected)
    flags = ", ".join(f"grouping({quote(c)}) AS {quote('g_' + c)}" for c in roles.protected)
    grouping = ", ".join("(" + ", ".join(quote(c) for c in s) + ")" for s in sets)
    select = ", ".join(x for x in (columns, flags, _aggregates(roles)) if x)
    # identifiers are quoted and the relation is built by source_sql: no value is spliced in
    sql = f"SELECT {select} FROM {relation} GROUP BY GROUPING SETS ({grouping})"  # noqa: S608
    try:
        result = con.execute(sql)
    except duckdb.Error as exc:
        raise InvalidInput(f"the data cannot be aggregated: {exc}") from exc
    names = [d[0] for d in result.description]
    out: dict[GroupKey, Counts] = {}
    for row in result.fetchall():
        record = dict(zip(names, row, strict=True))
        key = tuple((c, record[c]) for c in roles.protected if record["g_" + c] == 0)
        out[key] = Counts(
            n=record["n"],
            tp=record["tp"],
            fp=record["fp"],
            tn=record["tn"],
            fn=record["fn"],
            scored=record.get("scored") or 0,
            brier_sum=record.get("brier_sum") or 0.0,
            log_loss_sum=record.get("log_loss_sum") or 0.0,
        )
    return out


def regression_sums(
    con: duckdb.DuckDBPyConnection, relation: str, label: str, prediction: str
) -> Regression:
    """Error sums and the label's variance (DuckDB's numerically stable var_pop), one scan."""
    y, p = f"CAST({quote(label)} AS DOUBLE)", f"CAST({quote(prediction)} AS DOUBLE)"
    sql = (
        f"SELECT count(*), sum(abs({y} - {p})), sum(({y} - {p}) * ({y} - {p})), "  # noqa: S608
        f"var_pop({y}) FROM {relation}"
    )
    try:
        n, abs_sum, sq_sum, variance = con.execute(sql).fetchone() or (0, 0, 0, 0)
    except duckdb.Error as exc:
        raise InvalidInput(f"the data cannot be aggregated: {exc}") from exc
    return Regression(n, abs_sum or 0.0, sq_sum or 0.0, variance or 0.0)


def fingerprint(path: Path) -> str:
    """SHA-256 of the file's bytes and its size: which data the evidence was computed on."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return f"sha256:{digest.hexdigest()}:{path.stat().st_size}"


def _check_binary(con: duckdb.DuckDBPyConnection, relation: str, roles: Roles) -> None:
    for column in (roles.label, roles.prediction):
        sql = (
            f"SELECT count(*) FILTER ({quote(column)} IS NULL OR "  # noqa: S608
            f"{quote(column)} NOT IN (0, 1)) FROM {relation}"
        )
        try:
            bad = con.execute(sql).fetchone()
        except duckdb.Error as exc:
            raise InvalidInput(f"column {column!r}: {exc}", details={"column": column}) from exc
        if bad and bad[0]:
            raise InvalidInput(
                f"column {column!r} holds {bad[0]} value(s) other than 0 and 1",
                details={"column": column},
            )


def _check_columns(
    con: duckdb.DuckDBPyConnection, relation: str, path: Path, suite: Suite
) -> dict[str, str]:
    """Every column the suite names exists; label, prediction and score are numeric."""
    try:
        described = con.execute(f"DESCRIBE SELECT * FROM {relation}").fetchall()  # noqa: S608
    except duckdb.Error as exc:
        raise InvalidInput(
            f"{path.name}: cannot be read: {exc}", details={"file": str(path)}
        ) from exc
    types = {name: str(kind) for name, kind, *_ in described}
    wanted = [
        suite.label,
        suite.prediction,
        *([suite.score] if suite.score else []),
        *suite.protected,
    ]
    missing = [c for c in wanted if c not in types]
    if missing:
        raise InvalidInput(
            f"{path.name}: missing column(s) {', '.join(missing)}; it has {', '.join(types)}",
            details={"file": str(path), "column": missing[0]},
        )
    for column in wanted[: 3 if suite.score else 2]:
        if not types[column].startswith(NUMERIC):
            raise InvalidInput(
                f"{path.name}: column {column!r} is {types[column]}, not a number",
                details={"file": str(path), "column": column},
            )
    return types


def run_suite(suite: Suite, folder: Path, now: datetime | None = None) -> Aggregates:
    """Every aggregate the suite's checks need, from its data file, without loading it."""
    path = (folder / suite.data).resolve()
    if not path.is_file():
        raise InvalidInput(f"data file {path} does not exist", details={"file": str(path)})
    relation = source_sql(path)
    roles = Roles(suite.label, suite.prediction, suite.score, suite.protected)
    metrics = {c.metric for c in suite.checks}
    with duckdb.connect() as con:
        ensure_rows(con, relation, path, "current")
        types = _check_columns(con, relation, path, suite)
        counts: dict[GroupKey, Counts] = {}
        if metrics - REGRESSION - QUALITY - DRIFT:
            _check_binary(con, relation, roles)
            counts = group_counts(con, relation, roles)
        regression = (
            regression_sums(con, relation, suite.label, suite.prediction)
            if metrics & REGRESSION
            else None
        )
        moment = now or datetime.now(UTC)
        by_check = quality(con, relation, [c for c in suite.checks if c.metric in QUALITY], moment)
        by_check |= {
            c.id: float(types[c.column or ""].startswith(c.types))
            for c in suite.checks
            if c.metric in SCHEMA
        }
        by_check |= _ranking(con, relation, suite)
        by_check |= drift_values(con, relation, folder, suite)
    engine = f"duckdb {duckdb.__version__}"
    return Aggregates(counts, regression, fingerprint(path), engine, by_check)


def _ranking(
    con: duckdb.DuckDBPyConnection, relation: str, suite: Suite
) -> dict[str, float | None]:
    specs = [c for c in suite.checks if c.metric in RANKING]
    if specs and not suite.score:
        raise InvalidInput(f"check {specs[0].id!r} needs a score column (columns.score)")
    measure = {"roc_auc": roc_auc, "calibration_error": calibration_error}
    return {c.id: measure[c.metric](con, relation, suite.label, suite.score or "") for c in specs}
