"""The compute engines the checks run on: DuckDB always, Spark (local mode) when PySpark and
Java are there; under CI=true a missing Spark is an error, not a skip."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator

import pytest

from charter.kernel.errors import InvalidInput
from charter.validation.engines.backend import Backend, open_backend

UNDER_CI = os.environ.get("CI", "").lower() == "true"


@pytest.fixture(scope="session")
def spark_ready() -> None:
    """Start the process's Spark session once (the JVM takes seconds to start)."""
    problem = None
    if shutil.which("java") is None:
        problem = "Java is not installed (the Spark engine needs Java 17+)"
    else:
        try:
            with open_backend("spark"):
                pass
        except InvalidInput as exc:
            problem = exc.message
    if problem:
        if UNDER_CI:
            pytest.fail(f"Spark engine unavailable: {problem} (CI=true: may not be skipped)")
        pytest.skip(f"Spark engine unavailable: {problem}")


@pytest.fixture(params=["duckdb", pytest.param("spark", marks=pytest.mark.spark)])
def compute(request: pytest.FixtureRequest) -> str:
    """The name of each engine, for run_suite."""
    if request.param == "spark":
        request.getfixturevalue("spark_ready")
    return str(request.param)


@pytest.fixture
def backend(compute: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Backend]:
    """The engine, reading the files of this test run (and, DuckDB, nothing else)."""
    with open_backend(compute, [tmp_path_factory.getbasetemp()]) as b:
        yield b
