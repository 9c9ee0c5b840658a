"""A validation run on Spark (local mode) is bounded as a DuckDB run is: its session holds at
most the memory and cores the server's limits allow (a session started with more is refused),
a run past its time is cancelled and records nothing, with the refusal DuckDB gives (413, the
setting named); and a file name Spark would read as a pattern is refused."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from charter.kernel.errors import InvalidInput, OverLimit
from charter.kernel.roles import RoleKind as R
from charter.validation import services as validation
from charter.validation.engines.backend import Limits
from charter.validation.engines.spark_backend import SparkBackend
from tests.security.conftest import Site
from tests.security.test_spark_cancel import ENDLESS
from tests.security.test_validation_limits import SUITE, _site
from tests.validation.conftest import spark_ready  # noqa: F401 (the process's Spark session)

pytestmark = [pytest.mark.spark, pytest.mark.usefixtures("spark_ready")]


@pytest.fixture
def hasty(tmp_path: Path) -> Iterator[Site]:
    """A server allowing a run a thousandth of a second."""
    yield from _site(tmp_path, validation_seconds=0.001)


def test_a_spark_run_over_its_time_is_refused_as_on_duckdb_nothing_recorded(hasty: Site) -> None:
    with duckdb.connect() as con:
        con.execute(
            "COPY (SELECT 1 AS y, 1 AS p, 'a' AS g) "
            f"TO '{hasty.data / 'bomb.parquet'}' (FORMAT parquet)"
        )
    system = hasty.world.system()
    response = hasty.client.post(
        f"/api/v1/systems/{system.id}/validations",
        json={"suite": SUITE, "engine": "spark"},
        headers=hasty.auth(R.DATA_SCIENTIST),
    )
    assert response.status_code == 413, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["limit"] == "time"
    assert "CHARTER_VALIDATION_SECONDS" in response.json()["detail"]
    assert validation.system_evidence(hasty.world.ctx, hasty.world.admin, system.id) == []


def test_a_spark_job_running_when_the_time_is_up_is_cancelled() -> None:
    """A count over 10^13 rows would run for hours: it ends because its job group is
    cancelled. (Not a sum: once the JVM has compiled the range's loop, a sum of those ids
    overflows, and fails on its own, within the three seconds.)"""
    with SparkBackend(limits=Limits(seconds=3)) as spark:
        with pytest.raises(OverLimit) as refused:
            spark.rows(ENDLESS, "the endless count")
        assert spark.expired.is_set()
    assert refused.value.details["limit"] == "time"
    assert "CHARTER_VALIDATION_SECONDS" in refused.value.message


@pytest.mark.parametrize(
    ("limits", "setting"),
    [
        (Limits(memory_mb=64), "CHARTER_VALIDATION_MEMORY_MB"),
        (Limits(threads=1), "CHARTER_VALIDATION_THREADS"),
    ],
)
def test_a_session_started_with_more_than_the_limits_is_refused(
    limits: Limits, setting: str
) -> None:
    """The tests' session has 1 GB and two cores: a run allowed less may not use it."""
    with pytest.raises(OverLimit) as refused:
        SparkBackend(limits=limits)
    assert setting in refused.value.message and "nothing was run" in refused.value.message


def test_a_file_name_spark_reads_as_a_pattern_is_refused(tmp_path: Path) -> None:
    (tmp_path / "a.csv").write_text("y,p\n1,1\n")
    (tmp_path / "[ab].csv").write_text("y,p\n0,0\n")
    with (
        SparkBackend(limits=Limits(seconds=60)) as spark,
        pytest.raises(InvalidInput, match="as a pattern"),
    ):
        spark.open(tmp_path / "[ab].csv", "current")


SESSION = """
import sys
from charter.validation.engines.backend import Limits
from charter.validation.engines.spark_backend import SparkBackend
with SparkBackend(limits=Limits(memory_mb=512, threads=1, seconds=120)) as spark:
    sc = spark._spark.sparkContext
    heap = sc._jvm.java.lang.Runtime.getRuntime().maxMemory() // (1 << 20)
    print(sc.master, sc.defaultParallelism, heap)
"""


@pytest.mark.slow
def test_a_session_the_engine_starts_has_the_limits_memory_and_cores(tmp_path: Path) -> None:
    """In a process of its own (the JVM's bounds are fixed when it starts)."""
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    done = subprocess.run(
        [sys.executable, "-c", SESSION], capture_output=True, text=True, env=env,
        cwd=tmp_path, timeout=600, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    master, cores, heap = done.stdout.split()[-3:]
    assert (master, cores) == ("local[1]", "1")
    assert int(heap) <= 512
