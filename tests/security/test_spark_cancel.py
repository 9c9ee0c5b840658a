"""A Spark validation past its time leaves the executor's slots free in a long-lived process
(the server): its running tasks end, and a job of the run submitted after the time is up (one
still being planned at that moment) is cancelled as it is submitted, never run on the slots
every later validation needs. Through the process's real local Spark session."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest

from charter.kernel.errors import OverLimit
from charter.validation.engines.backend import Limits
from charter.validation.engines.spark_backend import SparkBackend
from tests.validation.conftest import spark_ready  # noqa: F401 (the process's Spark session)

pytestmark = [pytest.mark.spark, pytest.mark.usefixtures("spark_ready")]

#: would run for hours on two cores; a count never overflows, so only a cancellation ends it
ENDLESS = "SELECT count(*) FROM range(10000000000000) WHERE id % 7 = 3"
#: a bound on waiting for a signal that should come in seconds: a hang fails, never a slow run
PATIENCE = 600


def _tracker(spark: SparkBackend) -> Any:
    return spark._spark.sparkContext._jsc.sc().statusTracker()


def _running_tasks(spark: SparkBackend) -> int:
    return sum(int(e.numRunningTasks()) for e in _tracker(spark).getExecutorInfos())


def _group_running(spark: SparkBackend, group: str) -> bool:
    """Whether a job of `group` has a stage with a task running."""
    status = spark._spark.sparkContext.statusTracker()
    for job in status.getJobIdsForGroup(group):
        info = status.getJobInfo(job)
        for stage in info.stageIds if info else ():
            found = status.getStageInfo(stage)
            if found is not None and found.numActiveTasks > 0:
                return True
    return False


def _until(signal: Callable[[], bool]) -> bool:
    """Wait for `signal`, looking every tenth of a second; False if it does not come within
    PATIENCE (a hang, never a slow run)."""
    idle = threading.Event()
    return any(signal() or idle.wait(0.1) for _ in range(PATIENCE * 10))


def test_a_job_submitted_after_the_time_is_up_does_not_hold_the_slots() -> None:
    """The deadline passes while the run's next query is still being planned: cancelling the
    running jobs alone missed it, and it ran on for as long as the process lived."""
    outcome: list[BaseException | list[Any]] = []
    with SparkBackend(limits=Limits(seconds=PATIENCE)) as spark:
        group = spark._group
        spark.stop()  # the run's time is up: nothing of it is running yet
        sc = spark._spark.sparkContext
        done = threading.Event()

        def late_job() -> None:
            sc.setJobGroup(group, "the run's next query, planned past its deadline", True)
            try:
                outcome.append(spark._spark.sql(ENDLESS).collect())
            except Exception as exc:  # what ended it is asserted below
                outcome.append(exc)
            finally:
                done.set()

        worker = threading.Thread(target=late_job, daemon=True)
        worker.start()
        ended = done.wait(PATIENCE)
        if not ended:  # it holds the slots: free them before failing
            sc.cancelJobGroup(group)
        worker.join()
    assert ended, "a job of a timed-out run went on running on the executor's slots"
    assert isinstance(outcome[0], Exception) and "cancel" in str(outcome[0]).lower()
    assert _until(lambda: _running_tasks(spark) == 0)


def test_after_a_time_out_the_tasks_end_and_the_next_validation_runs() -> None:
    """The count that kept two cores busy after its run was refused: its stage ends and a
    small job of the next run completes, which it could not while the count held both slots
    of the tests' local[2] session."""
    with SparkBackend(limits=Limits(seconds=3)) as spark:
        group = spark._group
        with pytest.raises(OverLimit) as refused:
            spark.rows(ENDLESS, "the endless count")
    assert refused.value.details["limit"] == "time"
    assert _until(lambda: _running_tasks(spark) == 0 and not _group_running(spark, group))
    assert not spark._spark.sparkContext.statusTracker().getActiveStageIds()
    # the cancelled group is not left on this thread: the caller's own jobs still run here
    assert spark._spark.sparkContext.getLocalProperty("spark.jobGroup.id") is None
    assert spark._spark.range(5).count() == 5
    with SparkBackend(limits=Limits(seconds=PATIENCE)) as following:
        assert following.rows("SELECT count(*) FROM range(1000)", "the next run") == [(1000,)]
