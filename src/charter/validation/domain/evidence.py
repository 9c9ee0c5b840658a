"""Evidence: the recorded result of a validation run, and the judging of each check."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from charter.kernel.verdicts import Verdict
from charter.validation.domain.audit import BASIS, RATE, Audit, figures
from charter.validation.domain.metrics import Counts, Regression, disparity
from charter.validation.domain.suite import (
    AUDIT,
    DISPARITY,
    DRIFT,
    QUALITY,
    RANKING,
    REGRESSION,
    SCHEMA,
    CheckSpec,
    Severity,
    Suite,
)

GroupKey = tuple[tuple[str, object], ...]


@dataclass(frozen=True, slots=True)
class GroupRate:
    """One group's rate behind a fairness check (selection rate, TPR or FPR)."""

    group: str  # "sex=female, age_group=65+"
    size: int
    rate: str  # "selection rate", "TPR", "FPR"
    value: float | None  # None: no one to divide by
    compared: bool  # False: below the check's minimum group size, left out


Measured = tuple[float | None, str, tuple[float, float] | None]  # value, note, interval


@dataclass(frozen=True, slots=True)
class Aggregates:
    """What an engine computed for a suite, in one scan per kind, and on which data."""

    counts: dict[GroupKey, Counts]
    regression: Regression | None
    fingerprint: str
    engine: str
    by_check: dict[str, float | None] = field(default_factory=dict)  # ranking and quality
    bounds: dict[str, float] = field(default_factory=dict)  # |value - exact| <= bound
    audits: dict[str, Audit] = field(default_factory=dict)  # bias audits, by basis
    rows: int | None = None  # rows of the data the suite ran on (the current window)


@dataclass(frozen=True, slots=True)
class CheckResult:
    check_id: str
    metric: str
    value: float | None
    minimum: float | None
    maximum: float | None
    severity: Severity
    verdict: Verdict
    note: str = ""
    interval: tuple[float, float] | None = None  # 95% interval, where the metric has one
    bound: float | None = None  # the value is within this of the exact one (binned measures)
    groups: tuple[GroupRate, ...] = ()  # fairness checks: each group's rate


#: where the data evidence was computed from came from: every piece of Evidence is computed
#: by Charter's engines; what an integration reports (MLflow) is kept apart, never Evidence
PROVENANCE = {
    "data_folder": "computed by the server from files in its data folder",
    "upload": "computed by the server from a file uploaded with the run",
    "local": "computed by Charter in the caller's own process (charter validate, the Python "
    "API) over data the caller chose",
}


@dataclass(frozen=True, slots=True)
class Evidence:
    """A run's results as recorded; `provenance` says where the data it was computed from came
    from (PROVENANCE; None: recorded before Charter kept it)."""

    id: str
    system_id: str
    suite_name: str
    suite_digest: str
    data_fingerprint: str
    engine: str
    recorded_at: datetime
    recorded_by: str
    duration_ms: int
    results: tuple[CheckResult, ...]
    model_version_id: str | None = None  # the model version the data was scored by
    rows: int | None = None  # rows of the data the checks ran on; None: not recorded
    #: the suite that was run (its digest is suite_digest): None for evidence recorded before
    #: suites were kept
    suite_source: Mapping[str, Any] | None = None
    provenance: str | None = None

    @property
    def passed(self) -> bool:
        """Fail closed: every blocking check satisfied."""
        return all(
            r.verdict is Verdict.SATISFIED for r in self.results if r.severity is Severity.BLOCKING
        )

    @property
    def quality_breaches(self) -> list[str]:
        """The data-quality and schema checks found not satisfied: a breach of the data the
        suite read (what depends on that data is put under review)."""
        return [r.check_id for r in self.results
                if r.metric in QUALITY | SCHEMA and r.verdict is Verdict.NOT_SATISFIED]  # fmt: skip


def _disparity(spec: CheckSpec, data: Aggregates) -> Measured:
    groups = {k: v for k, v in data.counts.items() if tuple(a for a, _ in k) == spec.over}
    found = disparity(groups, spec.min_group_size)
    note = group_size_note(spec, found.groups_compared, found.groups_too_small)
    if not found.conclusive:
        return None, note, None
    return getattr(found, spec.metric), note, found.intervals.get(spec.metric)


def group_size_note(spec: CheckSpec, compared: int, too_small: int) -> str:
    """How many groups a fairness check compared, and the size rule it used."""
    size = spec.min_group_size
    if size <= 1:
        return f"{compared} groups compared (no minimum group size)"
    rule = f"min_group_size {size}" + (", the default" if spec.default_group_size else "")
    left = f"{too_small} left out as smaller" if too_small else "none smaller"
    return f"{compared} groups of at least {size} rows compared, {left} ({rule})"


#: the rates each fairness metric compares across groups
RATES: dict[str, tuple[str, ...]] = {
    "demographic_parity_difference": ("selection rate",),
    "demographic_parity_ratio": ("selection rate",),
    "disparate_impact": ("selection rate",),
    "equal_opportunity_difference": ("TPR",),
    "equalized_odds_difference": ("TPR", "FPR"),
}


def _rate(name: str, c: Counts) -> float | None:
    top, bottom = {
        "selection rate": (c.tp + c.fp, c.n),
        "TPR": (c.tp, c.tp + c.fn),
        "FPR": (c.fp, c.fp + c.tn),
    }[name]
    return top / bottom if bottom else None


def group_rates(spec: CheckSpec, data: Aggregates) -> tuple[GroupRate, ...]:
    """Each group's rates behind a fairness check, largest group first."""
    if spec.metric not in RATES:
        return ()
    groups = [(k, v) for k, v in data.counts.items() if tuple(a for a, _ in k) == spec.over]
    groups.sort(key=lambda kv: (-kv[1].n, str(kv[0])))
    return tuple(
        GroupRate(
            ", ".join(f"{a}={v}" for a, v in key), counts.n, name, _rate(name, counts),
            counts.n >= spec.min_group_size and counts.n > 0,
        )
        for key, counts in groups
        for name in RATES[spec.metric]
    )  # fmt: skip


def _overall(spec: CheckSpec, data: Aggregates) -> Measured:
    overall = data.counts.get(())
    if overall is None:
        return None, "no data", None
    if spec.metric == "row_count":
        return float(overall.n), "", None
    return getattr(overall, spec.metric), "", None


def _audit(spec: CheckSpec, data: Aggregates) -> tuple[Measured, tuple[GroupRate, ...]]:
    """The lowest impact ratio, and each category's rate and impact ratio (a category left
    out of the ratios is marked not compared)."""
    audit = data.audits.get(BASIS[spec.metric])
    if audit is None:
        return (None, "no data", None), ()
    found = figures(spec, audit)
    rows = tuple(
        GroupRate(c.name, c.size, name, value, not c.excluded)
        for c in found.categories
        for name, value in ((RATE[spec.metric], c.rate), ("impact ratio", c.ratio))
    )
    return (found.lowest, found.note, None), rows


def _value(spec: CheckSpec, data: Aggregates) -> Measured:
    if spec.metric in RANKING | QUALITY | DRIFT | SCHEMA:
        return data.by_check.get(spec.id), "", None
    if spec.metric in REGRESSION:
        regression = data.regression
        if regression is None:
            return None, "no regression data", None
        return getattr(regression, spec.metric), "", None
    if spec.metric in DISPARITY:
        return _disparity(spec, data)
    return _overall(spec, data)


def judge(spec: CheckSpec, data: Aggregates) -> CheckResult:
    """A value outside the bounds is not satisfied; no value (no data, an undefined metric,
    groups too small) is inconclusive, never satisfied."""
    if spec.metric in AUDIT:
        (value, note, interval), groups = _audit(spec, data)
    else:
        (value, note, interval), groups = _value(spec, data), group_rates(spec, data)
    bound = data.bounds.get(spec.id)
    if value is None or math.isnan(value):  # fail closed: no number, no verdict
        value = None
        verdict = Verdict.INCONCLUSIVE
    elif bound is not None and spec.may_flip(value, bound):  # engines compute these exactly
        verdict = Verdict.INCONCLUSIVE
        note = (
            f"within its error bound (±{bound:.2g}) of the threshold: the exact value may "
            "lie on either side"
        )
    elif (spec.minimum is not None and value < spec.minimum) or (
        spec.maximum is not None and value > spec.maximum
    ):
        verdict = Verdict.NOT_SATISFIED
    else:
        verdict = Verdict.SATISFIED
    return CheckResult(
        spec.id,
        spec.metric,
        value,
        spec.minimum,
        spec.maximum,
        spec.severity,
        verdict,
        note,
        interval,
        bound,
        groups,
    )


def judge_suite(suite: Suite, data: Aggregates) -> tuple[CheckResult, ...]:
    return tuple(judge(spec, data) for spec in suite.checks)


@dataclass(frozen=True, slots=True)
class EvidenceReview:
    """Evidence that needs a person's review before it counts again: the data it rests on had
    an incident or a data-quality breach upstream. Open (not resolved), a gate judges the
    evidence inconclusive."""

    id: str
    evidence_id: str
    system_id: str
    reason: str
    flagged_at: datetime
    flagged_by: str
    dataset_id: str | None = None  # the dataset whose breach or incident it follows
    resolved_at: datetime | None = None
    resolved_by: str | None = None
    resolution: str = ""

    @property
    def open(self) -> bool:
        return self.resolved_at is None
