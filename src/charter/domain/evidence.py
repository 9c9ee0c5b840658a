"""Evidence: the recorded result of a validation run, and the judging of each check."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from charter.domain.lifecycle import Verdict
from charter.domain.metrics import Counts, Regression, disparity
from charter.domain.suite import DISPARITY, REGRESSION, CheckSpec, Severity, Suite

GroupKey = tuple[tuple[str, object], ...]


@dataclass(frozen=True, slots=True)
class Aggregates:
    """What an engine computed for a suite, in one scan per kind, and on which data."""

    counts: dict[GroupKey, Counts]
    regression: Regression | None
    fingerprint: str
    engine: str


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


@dataclass(frozen=True, slots=True)
class Evidence:
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

    @property
    def passed(self) -> bool:
        """Fail closed: every blocking check satisfied."""
        return all(
            r.verdict is Verdict.SATISFIED for r in self.results if r.severity is Severity.BLOCKING
        )


def _value(
    spec: CheckSpec, counts: Mapping[GroupKey, Counts], regression: Regression | None
) -> tuple[float | None, str]:
    if spec.metric in REGRESSION:
        if regression is None:
            return None, "no regression data"
        return getattr(regression, spec.metric), ""
    if spec.metric in DISPARITY:
        groups = {k: v for k, v in counts.items() if tuple(a for a, _ in k) == spec.over}
        found = disparity(groups, spec.min_group_size)
        note = (
            f"{found.groups_compared} groups compared, {found.groups_too_small} below "
            f"{spec.min_group_size} rows"
        )
        return (getattr(found, spec.metric) if found.conclusive else None), note
    overall = counts.get(())
    if overall is None:
        return None, "no data"
    if spec.metric == "row_count":
        return float(overall.n), ""
    return getattr(overall, spec.metric), ""


def judge(
    spec: CheckSpec, counts: Mapping[GroupKey, Counts], regression: Regression | None = None
) -> CheckResult:
    """A value outside the bounds is not satisfied; no value (no data, an undefined metric,
    groups too small) is inconclusive, never satisfied."""
    value, note = _value(spec, counts, regression)
    if value is None:
        verdict = Verdict.INCONCLUSIVE
    elif (spec.minimum is not None and value < spec.minimum) or (
        spec.maximum is not None and value > spec.maximum
    ):
        verdict = Verdict.NOT_SATISFIED
    else:
        verdict = Verdict.SATISFIED
    return CheckResult(
        spec.id, spec.metric, value, spec.minimum, spec.maximum, spec.severity, verdict, note
    )


def judge_suite(
    suite: Suite, counts: Mapping[GroupKey, Counts], regression: Regression | None = None
) -> tuple[CheckResult, ...]:
    return tuple(judge(spec, counts, regression) for spec in suite.checks)
