"""Validation suites as data: where the data is, which column plays which role, which checks.

name: credit-scoring-fairness
data: scored.parquet            # Parquet or CSV, relative to the suite file, or a table:
                                # {table: scored} (a data frame handed over in Python, or
                                # the engine's catalog), {table: scored, database: w.duckdb}
columns: {label: label, prediction: prediction, score: score,
          protected: [sex, age_group]}
checks:
  - {id: accuracy, metric: accuracy, min: 0.7}
  - {id: dp-sex, metric: demographic_parity_difference, over: [sex], max: 0.1,
     min_group_size: 30}
  - {id: rows, metric: row_count, min: 500, severity: warning}
  - {id: ll144-sex, metric: impact_ratio, over: [sex], min: 0.8, exclude_below: 0.02}
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum
from typing import Any, TypeVar

from charter.kernel.errors import InvalidInput, refuse_all

T = TypeVar("T")

OVERALL = frozenset(
    {
        "row_count",
        "accuracy",
        "precision",
        "recall",
        "f1",
        "brier",
        "log_loss",
        "selection_rate",
        "tpr",
        "fpr",
        "fnr",
    }
)
REGRESSION = frozenset({"mae", "rmse", "r2"})
DISPARITY = frozenset(
    {
        "demographic_parity_difference",
        "demographic_parity_ratio",
        "equal_opportunity_difference",
        "equalized_odds_difference",
        "disparate_impact",
    }
)
RANKING = frozenset({"roc_auc", "calibration_error"})  # need the score's order or bins
QUALITY = frozenset(
    {"null_rate", "out_of_range_rate", "not_allowed_rate", "duplicate_rate", "freshness_hours"}
)
SCHEMA = frozenset({"expected_type"})  # 1 when the column has one of the `types`, else 0
DRIFT = frozenset({"psi", "ks", "jensen_shannon", "wasserstein", "chi_square_p"})
#: bias-audit impact ratios (NYC Local Law 144, 6 RCNY § 5-301): the lowest ratio of a
#: category's selection rate (prediction = 1), or scoring rate (score above the full sample's
#: median), to the highest category's
AUDIT = frozenset({"impact_ratio", "scoring_impact_ratio"})
METRICS = OVERALL | REGRESSION | DISPARITY | RANKING | QUALITY | DRIFT | SCHEMA | AUDIT
#: the largest share of the data below which a bias audit may leave a category out of the
#: impact ratios (6 RCNY § 5-301), and the share left out unless a check says otherwise
AUDIT_EXCLUSION = 0.02
#: the fewest rows a group needs to be compared by a fairness check that sets no
#: min_group_size: rates of smaller groups swing too widely to compare (docs/validation.md)
DEFAULT_MIN_GROUP_SIZE = 30


class Severity(StrEnum):
    BLOCKING = "blocking"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class CheckSpec:
    id: str
    metric: str
    minimum: float | None = None
    maximum: float | None = None
    over: tuple[str, ...] = ()
    min_group_size: int = 0
    severity: Severity = Severity.BLOCKING
    column: str | None = None  # data-quality checks look at one column
    allowed_range: tuple[float, float] | None = None
    allowed_values: tuple[str, ...] = ()
    types: tuple[str, ...] = ()
    exclude_below: float = 0.0  # bias audits: categories under this share of the data left out
    default_group_size: bool = False  # min_group_size not given: DEFAULT_MIN_GROUP_SIZE

    def may_flip(self, value: float, bound: float) -> bool:
        """Whether an exact value within `bound` of `value` may fall on the other side of a
        threshold than `value` does (a value equal to a threshold satisfies it). KS from bins
        is never above the exact KS (domain.drift.from_bins), so only higher values count."""
        low, high = (value if self.metric == "ks" else value - bound), value + bound
        return bound > 0 and (
            (self.minimum is not None and low < self.minimum <= high)
            or (self.maximum is not None and low <= self.maximum < high)
        )


@dataclass(frozen=True, slots=True)
class Source:
    """Where a window's rows are: a Parquet or CSV file (relative to the suite), or a table,
    in a DuckDB database file (relative to the suite) or, without one, a data frame handed
    over in Python or a table of the engine's own catalog."""

    file: str | None = None
    table: str | None = None
    database: str | None = None
    #: a table's rows in a time window only: (column, start, end), start <= column < end,
    #: compared as UTC timestamps (a monitor's window)
    window: tuple[str, datetime, datetime] | None = None

    def __str__(self) -> str:
        if self.file is not None:
            return self.file
        return f"table {self.table}" + (f" in {self.database}" if self.database else "")


SOURCE_KEYS = frozenset({"file", "table", "database"})


def parse_source(raw: Any, key: str) -> Source:
    """A file name, {file: NAME}, or {table: NAME} with an optional database file."""
    if raw is None or isinstance(raw, str):
        return Source(file=_text({key: raw}, key, "suite"))
    if not isinstance(raw, Mapping):
        raise InvalidInput(f"suite: '{key}' must be a file name or a mapping with 'table'")
    where = f"suite: '{key}'"
    unknown = set(raw) - SOURCE_KEYS
    if unknown:
        raise InvalidInput(f"{where}: unknown key(s) {', '.join(sorted(map(str, unknown)))}")
    if ("file" in raw) == ("table" in raw):
        raise InvalidInput(f"{where}: give either 'file' or 'table'")
    if "file" in raw:
        if "database" in raw:
            raise InvalidInput(f"{where}: 'database' goes with 'table', not with 'file'")
        return Source(file=_text(raw, "file", where))
    database = _text(raw, "database", where) if "database" in raw else None
    return Source(table=_text(raw, "table", where), database=database)


@dataclass(frozen=True, slots=True)
class Suite:
    name: str
    data: Source
    label: str
    prediction: str
    score: str | None
    protected: tuple[str, ...]
    checks: tuple[CheckSpec, ...]
    digest: str  # SHA-256 of the suite's canonical JSON: which rules the evidence used
    reference: Source | None = None  # the reference window's data, for drift checks
    #: the suite as given (JSON-ready): kept with its evidence so that it can be run again
    source: Mapping[str, Any] | None = field(default=None, compare=False, repr=False)


def _text(raw: Mapping[str, Any], key: str, where: str) -> str:
    value = raw.get(key)
    if not isinstance(value, str) or not value.strip():
        raise InvalidInput(f"{where}: '{key}' must be a non-empty string")
    if "\x00" in value:  # no file system takes it: refused here, not failed on later
        raise InvalidInput(f"{where}: '{key}' holds a NUL character")
    return value.strip()


def _bound(raw: Mapping[str, Any], key: str, where: str) -> float | None:
    value = raw.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidInput(f"{where}: '{key}' must be a number, not {value!r}")
    return float(value)


KEYS = frozenset(
    {
        "id",
        "metric",
        "min",
        "max",
        "over",
        "min_group_size",
        "severity",
        "column",
        "range",
        "allowed",
        "types",
        "exclude_below",
    }
)


def _metric(
    raw: Mapping[str, Any], where: str, protected: tuple[str, ...]
) -> tuple[str, tuple[str, ...]]:
    unknown = set(raw) - KEYS
    if unknown:
        raise InvalidInput(f"{where}: unknown key(s) {', '.join(sorted(unknown))}")
    metric = _text(raw, "metric", where)
    if metric not in METRICS:
        raise InvalidInput(
            f"{where}: unknown metric {metric!r}; known: " + ", ".join(sorted(METRICS))
        )
    over = tuple(raw.get("over") or ())
    if metric in DISPARITY | AUDIT and not 1 <= len(over) <= 2:
        raise InvalidInput(f"{where}: {metric} needs 'over': one or two protected columns")
    if set(over) - set(protected):
        raise InvalidInput(
            f"{where}: 'over' names columns that are not protected: "
            + ", ".join(sorted(set(over) - set(protected)))
        )
    return metric, over


def _limits(
    raw: Mapping[str, Any], where: str, metric: str
) -> tuple[float | None, float | None, Severity, int]:
    low, high = _bound(raw, "min", where), _bound(raw, "max", where)
    if metric in SCHEMA and low is None and high is None:
        low = 1.0  # the column must have one of the types
    if low is None and high is None:
        raise InvalidInput(f"{where}: give a threshold, 'min' or 'max'")
    try:
        severity = Severity(raw.get("severity", "blocking"))
    except ValueError as exc:
        raise InvalidInput(f"{where}: severity is 'blocking' or 'warning'") from exc
    size = raw.get("min_group_size", DEFAULT_MIN_GROUP_SIZE if metric in DISPARITY else 0)
    if not isinstance(size, int) or isinstance(size, bool) or size < 0:
        raise InvalidInput(f"{where}: min_group_size must be a whole number >= 0")
    return low, high, severity, size


def _check(raw: Any, index: int, protected: tuple[str, ...]) -> CheckSpec:
    where = f"check #{index + 1}"
    if not isinstance(raw, Mapping):
        raise InvalidInput(f"{where}: expected a mapping")
    metric, over = _metric(raw, where, protected)
    low, high, severity, size = _limits(raw, where, metric)
    spec = CheckSpec(_text(raw, "id", where), metric, low, high, over, size, severity)
    if metric in DISPARITY and "min_group_size" not in raw:
        spec = replace(spec, default_group_size=True)
    if metric in DRIFT:
        return replace(spec, column=_text(raw, "column", where))
    if metric in AUDIT:
        return replace(spec, exclude_below=_exclusion(raw, where))
    if metric in SCHEMA:
        types = raw.get("types")
        if not isinstance(types, list) or not types or not all(isinstance(t, str) for t in types):
            raise InvalidInput(f"{where}: expected_type needs 'types': [DuckDB type names]")
        return replace(
            spec, column=_text(raw, "column", where), types=tuple(t.upper() for t in types)
        )
    return _quality(spec, raw, where) if metric in QUALITY else spec


def _exclusion(raw: Mapping[str, Any], where: str) -> float:
    share = _bound(raw, "exclude_below", where)
    if share is None:
        return AUDIT_EXCLUSION
    if not 0 <= share <= AUDIT_EXCLUSION:
        raise InvalidInput(
            f"{where}: exclude_below is a share from 0 to {AUDIT_EXCLUSION}: a bias audit may "
            "leave out categories under 2% of its data (6 RCNY § 5-301)"
        )
    return share


def _quality(spec: CheckSpec, raw: Mapping[str, Any], where: str) -> CheckSpec:
    column = _text(raw, "column", where)
    span, allowed = raw.get("range"), raw.get("allowed")
    if spec.metric == "out_of_range_rate":
        if not (
            isinstance(span, list)
            and len(span) == 2
            and all(isinstance(v, int | float) and not isinstance(v, bool) for v in span)
        ):
            raise InvalidInput(f"{where}: out_of_range_rate needs 'range': [low, high]")
        return replace(spec, column=column, allowed_range=(float(span[0]), float(span[1])))
    if spec.metric == "not_allowed_rate":
        if not isinstance(allowed, list) or not allowed:
            raise InvalidInput(f"{where}: not_allowed_rate needs 'allowed': [values]")
        return replace(spec, column=column, allowed_values=tuple(str(v) for v in allowed))
    return replace(spec, column=column)


class _Problems:
    """The problems found so far in a suite: each part is read on its own, so that one
    refusal names all of them."""

    def __init__(self) -> None:
        self.found: list[tuple[str, str]] = []

    def note(self, message: str) -> None:
        self.found.append(("", message))

    def attempt(self, read: Callable[..., T], *args: Any) -> T | None:
        try:
            return read(*args)
        except InvalidInput as exc:
            self.note(exc.message)
            return None


#: protected columns a suite may name: every fairness group set (each column and each pair,
#: 8 + 28) is summed in Python from one grouped scan, so their number bounds that work
MAX_PROTECTED = 8


def _protected(raw: Any) -> tuple[str, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list | tuple) or not all(isinstance(c, str) and c for c in raw):
        raise InvalidInput("suite: 'protected' must be a list of column names")
    if len(raw) > MAX_PROTECTED:
        raise InvalidInput(
            f"suite: 'protected' names {len(raw)} columns, at most {MAX_PROTECTED} "
            "(each column and each pair of them is compared)"
        )
    twice = sorted({c for c in raw if raw.count(c) > 1})
    if twice:
        raise InvalidInput(f"suite: 'protected' names {', '.join(twice)} twice")
    return tuple(raw)


def parse_suite(raw: Any) -> Suite:
    """A suite from its mapping; every problem in it refused at once."""
    if not isinstance(raw, Mapping):
        raise InvalidInput("a suite is a mapping with name, data, columns and checks")
    problems = _Problems()
    columns = raw.get("columns")
    if not isinstance(columns, Mapping):
        problems.note("suite: 'columns' must map roles (label, prediction, ...) to columns")
        columns = {}
    protected = problems.attempt(_protected, columns.get("protected")) or ()
    checks = _checks(raw.get("checks"), protected, problems)
    reference = raw.get("reference")
    if any(c.metric in DRIFT for c in checks) and reference is None:
        problems.note("suite: drift checks need 'reference': the reference window's data")
    score = columns.get("score")
    outcome = problems.attempt(_outcome_columns, columns, checks, bool(score)) if checks else None
    name = problems.attempt(_text, raw, "name", "suite")
    data = problems.attempt(parse_source, raw.get("data"), "data")
    ref = None if reference is None else problems.attempt(parse_source, reference, "reference")
    refuse_all("the suite", problems.found)
    assert name is not None and data is not None and outcome is not None
    text = json.dumps(raw, sort_keys=True, default=str)
    digest = hashlib.sha256(text.encode()).hexdigest()
    label, prediction = outcome
    scored = str(score) if score else None
    return Suite(
        name, data, label, prediction, scored, protected, checks, digest, ref, json.loads(text)
    )


def _checks(raw: Any, protected: tuple[str, ...], problems: _Problems) -> tuple[CheckSpec, ...]:
    if not isinstance(raw, list) or not raw:
        problems.note("suite: 'checks' must be a non-empty list")
        return ()
    read = [problems.attempt(_check, c, i, protected) for i, c in enumerate(raw)]
    checks = tuple(c for c in read if c is not None)
    ids = [c.id for c in checks]
    twice = sorted({i for i in ids if ids.count(i) > 1})
    if twice:
        problems.note(f"suite: check ids must be unique ({', '.join(twice)} used twice)")
    return checks


def _outcome_columns(
    columns: Mapping[str, Any], checks: tuple[CheckSpec, ...], scored: bool
) -> tuple[str, str]:
    """The label and prediction columns; a suite of bias-audit checks only needs no label,
    and no prediction when it compares scoring rates only ('' for a column not named)."""
    audit_only = all(c.metric in AUDIT for c in checks)
    selects = any(c.metric != "scoring_impact_ratio" for c in checks)
    if not scored and any(c.metric == "scoring_impact_ratio" for c in checks):
        raise InvalidInput("suite: scoring_impact_ratio needs a score column (columns.score)")
    label = "" if audit_only and not columns.get("label") else _text(columns, "label", "columns")
    if not selects and not columns.get("prediction"):
        return label, ""
    return label, _text(columns, "prediction", "columns")


#: the engines a suite runs on; the same SQL on each
ENGINES = ("duckdb", "spark")


#: names still accepted for one release: duckdb-sql was DuckDB without the retired one-pass
#: C extension, and is now what duckdb is
ALIASES = {"duckdb-sql": "duckdb"}
