"""Data-driven check cases (cases/cases.yaml) on every engine: the same data and checks give
the same values and verdicts on DuckDB and on Spark, and the same refusals."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from charter.kernel.errors import InvalidInput
from charter.validation.domain.evidence import Aggregates, judge_suite
from charter.validation.domain.suite import Suite, parse_suite
from charter.validation.engines.runner import run_suite

CASES = yaml.safe_load((Path(__file__).parent / "cases" / "cases.yaml").read_text())


def write_case(folder: Path, case: dict[str, Any]) -> dict[str, Any]:
    (folder / "current.csv").write_text(case["data"])
    raw = {
        "name": "case",
        "data": "current.csv",
        "columns": {"label": "label", "prediction": "prediction"},
        "checks": case["checks"],
    }
    header = case["data"].splitlines()[0].split(",")
    if "score" in header:
        raw["columns"]["score"] = "score"
    raw["columns"]["protected"] = [c for c in ("sex", "age") if c in header and _protected(case)]
    if "reference" in case:
        (folder / "reference.csv").write_text(case["reference"])
        raw["reference"] = "reference.csv"
    return raw


def _protected(case: dict[str, Any]) -> bool:
    return any(check.get("over") for check in case["checks"])


def expect_outcome(case: dict[str, Any], suite: Suite, run: Callable[[], Aggregates]) -> None:
    """The case's expected values and verdicts, or its expected refusal."""
    if "error" in case:
        with pytest.raises(InvalidInput, match=case["error"]):
            run()
        return
    results = {r.check_id: r for r in judge_suite(suite, run())}
    assert set(results) == set(case["expect"])
    for check_id, (value, verdict) in case["expect"].items():
        found = results[check_id]
        if value is None:
            assert found.value is None, check_id
        else:
            assert found.value == pytest.approx(value, abs=1e-9), check_id
        assert found.verdict.value == verdict, check_id


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_case(case: dict[str, Any], compute: str, tmp_path: Path) -> None:
    suite = parse_suite(write_case(tmp_path, case))
    expect_outcome(case, suite, lambda: run_suite(suite, tmp_path, compute))


def test_a_corrupt_parquet_file_is_named(compute: str, tmp_path: Path) -> None:
    (tmp_path / "scored.parquet").write_bytes(b"PAR1 this is not a parquet file PAR1")
    suite = parse_suite(
        {
            "name": "corrupt",
            "data": "scored.parquet",
            "columns": {"label": "label", "prediction": "prediction"},
            "checks": [{"id": "acc", "metric": "accuracy", "min": 0.5}],
        }
    )
    with pytest.raises(InvalidInput, match=r"scored\.parquet"):
        run_suite(suite, tmp_path, compute)
