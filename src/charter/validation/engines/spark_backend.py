"""The distributed engine: the same suites on Apache Spark (local mode on one machine, or the
cluster that `spark_master` names). PySpark is an optional extra: `pip install charter[spark]`.

One Spark session serves the whole process (starting the JVM takes seconds), the caller's
own when it has one; each run registers its files and data frames as temporary views and
drops them when it ends. A table without a database is one of the session's catalog.

A run is bounded by its limits as on DuckDB: a local session is started with the driver's
memory and cores they allow (`local[THREADS]`, `spark.driver.memory`), and one already running
with more is refused (its bounds are fixed when its JVM starts); on any master, the run's
jobs are one job group, cancelled when its time is up, with any job the run still starts
after it (a job planned past the deadline never keeps the executor's slots). Spark spills to
its own local folder (`spark.local.dir`, never the data folder), unbounded by
CHARTER_VALIDATION_SPILL_MB.
"""

from __future__ import annotations

import itertools
import os
import re
import threading
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from types import TracebackType
from typing import Any, TypeVar

from charter.kernel.errors import InvalidInput, OverLimit
from charter.validation.engines.backend import (
    Limits,
    engine_failure,
    file_kind,
    frame_kind,
    over_limit,
    qualified,
)
from charter.validation.engines.fingerprints import (
    ROWS_PER_BATCH,
    arrow_fingerprint,
    files_fingerprint,
    require_pyarrow,
)

#: Spark's type names -> the DuckDB spelling that suites use
TYPES = {
    "tinyint": "TINYINT",
    "smallint": "SMALLINT",
    "int": "INTEGER",
    "bigint": "BIGINT",
    "float": "FLOAT",
    "double": "DOUBLE",
    "boolean": "BOOLEAN",
    "string": "VARCHAR",
    "date": "DATE",
    "timestamp": "TIMESTAMP WITH TIME ZONE",
    "timestamp_ntz": "TIMESTAMP",
    "binary": "BLOB",
}
_views = itertools.count()
_T = TypeVar("_T")

#: what Spark reads as a pattern in a path (a file of such a name would read others)
GLOB = re.compile(r"[*?\[\]{}\\]")


def _bounded(master: str, limits: Limits) -> str:
    """A local master with at most the cores the limits allow (local[*] is every core)."""
    if limits.threads is None or not master.startswith("local"):
        return master
    return f"local[{limits.threads}]"


def _session(master: str, limits: Limits) -> Any:
    try:
        from pyspark.sql import SparkSession
    except ImportError as exc:
        raise InvalidInput(
            "the Spark engine needs PySpark: pip install 'charter[spark]' (and Java 17+)"
        ) from exc
    builder = (
        SparkSession.builder.master(_bounded(master, limits))
        .appName("charter-validate")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")  # no [Stage 0:> ...] on stderr
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.shuffle.partitions", "8")
    )
    if limits.memory_mb is not None:
        builder = builder.config("spark.driver.memory", f"{int(limits.memory_mb)}m")
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    _ensure_within(session.sparkContext, limits)
    return session


def _ensure_within(sc: Any, limits: Limits) -> None:
    """Refuse a local session started with more memory or cores than the limits allow (one
    the caller started, or an earlier run under other limits): they cannot change any more."""
    if not str(sc.master).startswith("local"):
        return  # a cluster's executors are bounded by the cluster
    heap = int(sc._jvm.java.lang.Runtime.getRuntime().maxMemory()) // (1 << 20)
    cores = int(sc.defaultParallelism)
    over = []
    if limits.memory_mb is not None and heap > limits.memory_mb:
        over.append(f"{heap} MB of memory (CHARTER_VALIDATION_MEMORY_MB: {limits.memory_mb})")
    if limits.threads is not None and cores > limits.threads:
        over.append(f"{cores} cores (CHARTER_VALIDATION_THREADS: {limits.threads})")
    if over:
        raise OverLimit(
            "the Spark session of this process was started with "
            + " and ".join(over)
            + ", more than a run may take; nothing was run (start it within the limits, or "
            "run the check in a process of its own)",
            details={"limit": "memory" if heap > (limits.memory_mb or heap) else "threads"},
        )


#: how often a stopped run looks for a job of its own still running (one started after it
#: stopped), until it ends
SWEEP_SECONDS = 0.2


def _running(tracker: Any, job: int) -> bool:
    info = tracker.getJobInfo(job)
    return info is not None and str(info.status) == "RUNNING"


def _errors() -> tuple[type[BaseException], ...]:
    from py4j.protocol import Py4JJavaError
    from pyspark.errors import PySparkException

    return (PySparkException, Py4JJavaError)


class SparkBackend:
    def __init__(self, master: str | None = None, limits: Limits | None = None) -> None:
        """Within the `limits` (the time counted from when the session is ready)."""
        self._limits = limits or Limits()
        master = master or os.environ.get("CHARTER_SPARK_MASTER", "local[2]")
        self._spark = _session(master, self._limits)
        self._views: list[str] = []
        self.engine = f"spark {self._spark.version}"
        self._group = f"charter-run-{os.getpid()}-{next(_views)}"
        self.expired = threading.Event()  # set when the run's time is up
        seconds = self._limits.seconds
        self._deadline = None if seconds is None else time.monotonic() + seconds
        self._up = threading.Event()  # the run stopped (its time is up, or it failed)
        self._closed = threading.Event()  # the run ended: nothing of it is left to cancel
        self._watchdog = threading.Thread(
            target=self._watch, args=(seconds,), name=f"{self._group}-watchdog", daemon=True
        )

    def __enter__(self) -> SparkBackend:
        self._watchdog.start()
        return self

    def _watch(self, seconds: float | None) -> None:
        """When the run's time is up or it stops, cancel its jobs (the checks' and the hashing
        thread's), and go on cancelling any it starts until it ends. A job still being planned
        at that moment (the driver busy, a lazy iterator's next partition) starts after the
        cancellation: cancelling only the running jobs missed it, and it then held the
        executor's slots for as long as the process lived, every later run waiting behind
        it. Spark refuses a job of a cancelled group when it is submitted, but not the map
        stages adaptive execution submits on their own: those are cancelled once they run."""
        self._up.wait(seconds)
        if self._closed.is_set() and not self.expired.is_set():
            return  # the run ended in time
        self.expired.set()
        sc = self._spark.sparkContext
        sc._jsc.sc().cancelJobGroupAndFutureJobs(self._group, "the validation's time is up")
        tracker = sc.statusTracker()
        while not self._closed.wait(SWEEP_SECONDS):
            if any(_running(tracker, job) for job in tracker.getJobIdsForGroup(self._group)):
                sc.cancelJobGroup(self._group)

    def stop(self) -> None:
        """Cancel the run's jobs now (it failed: the hashing thread's end too)."""
        self.expired.set()
        self._up.set()

    def in_time(self, what: str) -> None:
        if self._deadline is not None and time.monotonic() >= self._deadline:
            self.expired.set()
        if self.expired.is_set():
            raise over_limit(what, "time", self._limits)

    def _guarded(self, what: str, action: Callable[[], _T]) -> _T:
        """Run a Spark action in this run's job group (which the timer cancels); its failure
        told by its kind, or as the limit it hit."""
        self.in_time(what)
        self._spark.sparkContext.setJobGroup(self._group, "charter validation", True)
        try:
            return action()
        except _errors() as exc:
            if self.expired.is_set():
                raise over_limit(what, "time", self._limits) from None
            if "java.lang.OutOfMemoryError" in str(exc):
                raise over_limit(what, "memory", Limits(self._limits.memory_mb)) from None
            raise engine_failure(what, exc) from exc

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._closed.set()
        self._up.set()
        if self._watchdog.is_alive():
            self._watchdog.join()
        # the run's group is a property of the calling thread: left set, once cancelled, it
        # would fail the caller's own next Spark jobs on this thread
        self._spark.sparkContext._jsc.clearJobGroup()
        for view in self._views:
            self._spark.catalog.dropTempView(view)

    def quote(self, name: str) -> str:
        return "`" + name.replace("`", "``") + "`"

    def text(self, value: str) -> str:
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"

    def epoch(self, expr: str) -> str:
        return f"unix_micros({expr}) / 1e6"

    def open(self, path: Path, window: str) -> str:
        kind = file_kind(path)
        if GLOB.search(str(path)):
            raise InvalidInput(
                f"{path.name}: Spark reads a path holding any of * ? [ ] {{ }} \\ as a "
                "pattern that may match other files; rename it",
                details={"file": path.name},
            )
        reader = self._spark.read
        frame = self._guarded(
            f"{path.name}: reading",
            lambda: (
                reader.parquet(str(path))
                if kind == "parquet"
                else reader.options(header=True, inferSchema=True).csv(str(path))
            ),
        )
        return self._view(frame, window)

    def _view(self, frame: Any, window: str) -> str:
        view = f"charter_{window}_{next(_views)}"
        frame.createOrReplaceTempView(view)
        self._views.append(view)
        return view

    def table(self, name: str, database: Path | None, window: str) -> str:
        if database is not None:
            raise InvalidInput(
                f"{database.name}: a DuckDB database is read by the duckdb engine; for Spark, "
                "name a table of its catalog or a Parquet file",
                details={"file": database.name},
            )
        if not self._spark.catalog.tableExists(name):
            raise InvalidInput(
                f"table {name!r} is not in the Spark catalog, nor handed over as a data frame",
                details={"table": name},
            )
        return qualified(self, name.split("."))

    def register(self, frame: Any, window: str) -> str:
        kind = frame_kind(frame, ("pyspark", "pandas", "polars", "pyarrow"), self.engine)
        if kind == "pyarrow" and not hasattr(frame, "to_pandas"):
            raise InvalidInput("the Spark engine reads a pyarrow Table, not a Dataset")
        if kind != "pyspark":
            frame = self._spark.createDataFrame(frame.to_arrow() if kind == "polars" else frame)
        return self._view(frame, window)

    def view(self, query: str, window: str) -> str:
        frame = self._guarded(f"the {window} window", lambda: self._spark.sql(query))
        return self._view(frame, window)

    def table_fingerprint(self, relation: str) -> str:
        """Of the files the table reads when they are local (a view that filters them reads
        the same files), else of its rows, streamed to this process a partition at a time."""
        frame = self._spark.table(relation)
        files = sorted(frame.inputFiles())
        if files and all(f.startswith("file:") for f in files):
            from urllib.parse import unquote, urlparse

            paths = [Path(unquote(urlparse(f).path)) for f in files]
            return files_fingerprint(paths, partial(self.in_time, "the data's fingerprint"))
        from pyspark.sql.pandas.types import to_arrow_schema

        pa = require_pyarrow()
        schema = to_arrow_schema(frame.schema)

        def streamed() -> str:
            rows = (r.asDict() for r in frame.toLocalIterator())
            batches = (
                pa.RecordBatch.from_pylist(chunk, schema=schema)
                for chunk in iter(lambda: list(itertools.islice(rows, ROWS_PER_BATCH)), [])
            )
            return arrow_fingerprint(
                schema, batches, partial(self.in_time, "the data's fingerprint")
            )

        return self._guarded("the data's fingerprint", streamed)

    def columns(self, relation: str, what: str) -> dict[str, str]:
        schema = self._spark.table(relation).schema
        out = {}
        for field in schema.fields:
            name = field.dataType.simpleString()
            out[field.name] = TYPES.get(name, name.upper())
        return out

    def rows(self, sql: str, what: str) -> list[tuple[Any, ...]]:
        return self._guarded(what, lambda: [tuple(r) for r in self._spark.sql(sql).collect()])
