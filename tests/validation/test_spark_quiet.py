"""Spark's console progress bars ([Stage 0:> (0 + 1) / 1]) stay out of Charter's output:
the engine's session turns them off, and a validation on Spark writes none to the
terminal."""

from __future__ import annotations

from typing import Any

import pytest

from tests.validation.test_validate_cli import DS, world  # noqa: F401


@pytest.mark.spark
def test_a_spark_validation_prints_no_progress_bars(
    world: Any,  # noqa: F811
    spark_ready: None,
    capfd: pytest.CaptureFixture[str],
) -> None:
    from pyspark.sql import SparkSession

    run, system, folder = world
    capfd.readouterr()
    evidence = run("validate", str(folder / "suite.yaml"), "--system", system, "--engine",
                   "spark", "--as", DS, code=1)  # fmt: skip
    assert evidence["engine"].startswith("spark")
    printed = capfd.readouterr()  # the JVM writes to the process's descriptors, not sys.*
    assert "[Stage" not in printed.err and "[Stage" not in printed.out
    session = SparkSession.builder.getOrCreate()  # the session the engine started
    assert session.conf.get("spark.ui.showConsoleProgress") == "false"
