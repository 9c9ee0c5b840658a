"""Suites as data and the judging of checks."""

from __future__ import annotations

from typing import Any

import pytest

from charter.kernel.errors import InvalidInput
from charter.kernel.verdicts import Verdict
from charter.validation.domain.evidence import Aggregates, judge
from charter.validation.domain.metrics import Counts
from charter.validation.domain.suite import CheckSpec, Source, parse_suite

BASE: dict[str, Any] = {
    "name": "s",
    "data": "d.csv",
    "columns": {"label": "y", "prediction": "p", "protected": ["sex", "age"]},
    "checks": [{"id": "acc", "metric": "accuracy", "min": 0.7}],
}


def with_check(**check: Any) -> dict[str, Any]:
    return {**BASE, "checks": [{"id": "c", **check}]}


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ([], "a suite is a mapping"),
        ({**BASE, "columns": None}, "'columns'"),
        ({**BASE, "checks": []}, "non-empty list"),
        (with_check(metric="vibes", min=1), "unknown metric 'vibes'"),
        (with_check(metric="accuracy"), "give a threshold"),
        (with_check(metric="accuracy", min="high"), "must be a number"),
        (with_check(metric="demographic_parity_difference", max=0.1), "needs 'over'"),
        (
            with_check(metric="demographic_parity_difference", max=0.1, over=["race"]),
            "not protected: race",
        ),
        (with_check(metric="accuracy", min=0.5, severity="fatal"), "severity"),
        (with_check(metric="accuracy", min=0.5, colour="red"), "unknown key"),
        ({**BASE, "checks": [BASE["checks"][0], BASE["checks"][0]]}, "unique"),
        ({**BASE, "columns": {"prediction": "p"}}, "'label'"),
        ({**BASE, "data": None}, "'data' must be a non-empty string"),
        ({**BASE, "data": 3}, "'data' must be a file name or a mapping with 'table'"),
        ({**BASE, "data": {}}, "give either 'file' or 'table'"),
        ({**BASE, "data": {"file": "a.csv", "table": "t"}}, "give either 'file' or 'table'"),
        ({**BASE, "data": {"table": " "}}, "'table' must be a non-empty string"),
        ({**BASE, "data": {"table": "t", "schema": "s"}}, r"'data': unknown key\(s\) schema"),
        ({**BASE, "data": {"file": "a.csv", "database": "w.duckdb"}}, "goes with 'table'"),
        ({**BASE, "reference": {"table": ""}}, "'reference': 'table' must be"),
        (with_check(metric="ks", column="x", max=0.1), "drift checks need 'reference'"),
        (
            {**BASE, "columns": {**BASE["columns"], "protected": [f"a{i}" for i in range(9)]}},
            r"'protected' names 9 columns, at most 8",
        ),
        (
            {**BASE, "columns": {**BASE["columns"], "protected": ["sex", "sex"]}},
            r"'protected' names sex twice",
        ),
        ({**BASE, "columns": {**BASE["columns"], "protected": "sex"}}, "a list of column names"),
    ],
)
def test_malformed_suites_name_the_problem(raw: Any, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        parse_suite(raw)


def test_the_digest_changes_with_the_rules() -> None:
    one = parse_suite(BASE)
    two = parse_suite({**BASE, "checks": [{"id": "acc", "metric": "accuracy", "min": 0.8}]})
    assert one.digest != two.digest and len(one.digest) == 64


@pytest.mark.parametrize(
    ("data", "source", "shown"),
    [
        ("d.csv", Source(file="d.csv"), "d.csv"),
        ({"file": "d.parquet"}, Source(file="d.parquet"), "d.parquet"),
        ({"table": "scored"}, Source(table="scored"), "table scored"),
        (
            {"table": "sales.scored", "database": "w.duckdb"},
            Source(table="sales.scored", database="w.duckdb"),
            "table sales.scored in w.duckdb",
        ),
    ],
)
def test_a_window_is_a_file_or_a_table(data: Any, source: Source, shown: str) -> None:
    suite = parse_suite({**BASE, "data": data, "reference": data})
    assert suite.data == source == suite.reference and str(source) == shown


def test_the_digest_changes_with_the_data_source() -> None:
    digests = {
        parse_suite({**BASE, "data": data}).digest
        for data in ("d.csv", {"table": "d"}, {"table": "d", "database": "w.duckdb"})
    }
    assert len(digests) == 3


GROUPS = {
    (): Counts(100, 40, 10, 40, 10),
    (("sex", "f"),): Counts(40, 10, 2, 24, 4),
    (("sex", "m"),): Counts(60, 30, 8, 16, 6),
    (("age", "young"),): Counts(5, 2, 1, 1, 1),
    (("age", "old"),): Counts(95, 38, 9, 39, 9),
}


@pytest.mark.parametrize(
    ("spec", "verdict"),
    [
        (CheckSpec("a", "accuracy", minimum=0.7), Verdict.SATISFIED),
        (CheckSpec("a", "accuracy", minimum=0.9), Verdict.NOT_SATISFIED),
        (CheckSpec("r", "row_count", minimum=100), Verdict.SATISFIED),
        (
            CheckSpec("d", "demographic_parity_difference", maximum=0.1, over=("sex",)),
            Verdict.NOT_SATISFIED,
        ),
        (CheckSpec("d", "disparate_impact", minimum=0.8, over=("sex",)), Verdict.NOT_SATISFIED),
        (
            CheckSpec(
                "d", "demographic_parity_difference", maximum=0.5, over=("age",), min_group_size=30
            ),
            Verdict.INCONCLUSIVE,
        ),
        (CheckSpec("m", "mae", maximum=1.0), Verdict.INCONCLUSIVE),
    ],
)
def test_judging(spec: CheckSpec, verdict: Verdict) -> None:
    assert judge(spec, Aggregates(GROUPS, None, "f", "e")).verdict is verdict


def test_no_data_is_inconclusive_never_satisfied() -> None:
    empty = Aggregates({(): Counts(0, 0, 0, 0, 0)}, None, "f", "e")
    result = judge(CheckSpec("a", "accuracy", minimum=0.0), empty)
    assert result.verdict is Verdict.INCONCLUSIVE and result.value is None


@pytest.mark.parametrize(
    ("spec", "value", "verdict"),
    [
        (CheckSpec("k", "ks", maximum=0.1), 0.097, Verdict.SATISFIED),  # 0.099 at most
        (CheckSpec("k", "ks", maximum=0.1), 0.099, Verdict.INCONCLUSIVE),  # 0.097 to 0.101
        (CheckSpec("k", "ks", maximum=0.1), 0.1005, Verdict.NOT_SATISFIED),  # binned KS <= KS
        (CheckSpec("w", "wasserstein", maximum=0.1), 0.1005, Verdict.INCONCLUSIVE),
        (CheckSpec("w", "wasserstein", maximum=0.1), 0.1025, Verdict.NOT_SATISFIED),
        (CheckSpec("k", "ks", minimum=0.1), 0.0995, Verdict.INCONCLUSIVE),  # KS may be 0.1015
        (CheckSpec("k", "ks", minimum=0.1), 0.1, Verdict.SATISFIED),
        (CheckSpec("a", "roc_auc", minimum=0.8), 0.8025, Verdict.SATISFIED),
        (CheckSpec("a", "roc_auc", minimum=0.8), 0.8, Verdict.INCONCLUSIVE),  # may be 0.798
        (CheckSpec("a", "roc_auc", minimum=0.8), 0.7995, Verdict.INCONCLUSIVE),
        (CheckSpec("a", "roc_auc", minimum=0.8), 0.797, Verdict.NOT_SATISFIED),
    ],
)
def test_a_bound_across_the_threshold_leaves_the_verdict_open(
    spec: CheckSpec, value: float, verdict: Verdict
) -> None:
    """A binned value is within its bound of the exact one: when the exact value could lie on
    the other side of the threshold, the verdict is inconclusive, never a guess."""
    data = Aggregates({}, None, "f", "e", {spec.id: value}, {spec.id: 0.002})
    result = judge(spec, data)
    assert result.verdict is verdict, (value, result.verdict)
    assert ("error bound" in result.note) is (verdict is Verdict.INCONCLUSIVE)


def test_a_value_that_is_not_a_number_is_inconclusive_never_satisfied() -> None:
    nan = Aggregates({}, None, "f", "e", {"q": float("nan")})
    result = judge(CheckSpec("q", "null_rate", maximum=0.1), nan)
    assert result.verdict is Verdict.INCONCLUSIVE and result.value is None
