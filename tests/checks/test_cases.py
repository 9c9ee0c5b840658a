"""Data-driven check cases (cases/cases.yaml) on every engine: the same data and checks give
the same values and verdicts on DuckDB and on Spark, and the same refusals."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from charter.domain.errors import InvalidInput
from charter.domain.evidence import judge_suite
from charter.domain.suite import parse_suite
from charter.engines.runner import run_suite

CASES = yaml.safe_load((Path(__file__).parent / "cases" / "cases.yaml").read_text())


def _write(folder: Path, case: dict[str, Any]) -> dict[str, Any]:
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


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_case(case: dict[str, Any], compute: str, tmp_path: Path) -> None:
    suite = parse_suite(_write(tmp_path, case))
    if "error" in case:
        with pytest.raises(InvalidInput, match=case["error"]):
            run_suite(suite, tmp_path, compute)
        return
    results = {r.check_id: r for r in judge_suite(suite, run_suite(suite, tmp_path, compute))}
    assert set(results) == set(case["expect"])
    for check_id, (value, verdict) in case["expect"].items():
        found = results[check_id]
        if value is None:
            assert found.value is None, check_id
        else:
            assert found.value == pytest.approx(value, abs=1e-9), check_id
        assert found.verdict.value == verdict, check_id


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
