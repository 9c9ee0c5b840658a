"""The distributed engine: the same suites on Apache Spark (local mode on one machine, or the
cluster that `spark_master` names). PySpark is an optional extra: `pip install charter[spark]`.

One Spark session serves the whole process (starting the JVM takes seconds), the caller's
own when it has one; each run registers its files and data frames as temporary views and
drops them when it ends. A table without a database is one of the session's catalog.
"""

from __future__ import annotations

import itertools
import os
from pathlib import Path
from types import TracebackType
from typing import Any

from charter.kernel.errors import InvalidInput
from charter.validation.engines.backend import engine_failure, file_kind, frame_kind, qualified
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


def _session(master: str) -> Any:
    try:
        from pyspark.sql import SparkSession
    except ImportError as exc:
        raise InvalidInput(
            "the Spark engine needs PySpark: pip install 'charter[spark]' (and Java 17+)"
        ) from exc
    session = (
        SparkSession.builder.master(master)
        .appName("charter-validate")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")  # no [Stage 0:> ...] on stderr
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.shuffle.partitions", "8")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    return session


def _errors() -> tuple[type[BaseException], ...]:
    from py4j.protocol import Py4JJavaError
    from pyspark.errors import PySparkException

    return (PySparkException, Py4JJavaError)


class SparkBackend:
    def __init__(self, master: str | None = None) -> None:
        self._spark = _session(master or os.environ.get("CHARTER_SPARK_MASTER", "local[2]"))
        self._views: list[str] = []
        self.engine = f"spark {self._spark.version}"

    def __enter__(self) -> SparkBackend:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
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
        reader = self._spark.read
        try:
            frame = (
                reader.parquet(str(path))
                if kind == "parquet"
                else reader.options(header=True, inferSchema=True).csv(str(path))
            )
        except _errors() as exc:
            raise engine_failure(f"{path.name}: reading", exc) from exc
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
        try:
            frame = self._spark.sql(query)
        except _errors() as exc:
            raise engine_failure(f"the {window} window", exc) from exc
        return self._view(frame, window)

    def table_fingerprint(self, relation: str) -> str:
        """Of the files the table reads when they are local (a view that filters them reads
        the same files), else of its rows, streamed to this process a partition at a time."""
        frame = self._spark.table(relation)
        files = sorted(frame.inputFiles())
        if files and all(f.startswith("file:") for f in files):
            from urllib.parse import unquote, urlparse

            return files_fingerprint([Path(unquote(urlparse(f).path)) for f in files])
        from pyspark.sql.pandas.types import to_arrow_schema

        pa = require_pyarrow()
        schema = to_arrow_schema(frame.schema)
        rows = (r.asDict() for r in frame.toLocalIterator())
        batches = (
            pa.RecordBatch.from_pylist(chunk, schema=schema)
            for chunk in iter(lambda: list(itertools.islice(rows, ROWS_PER_BATCH)), [])
        )
        return arrow_fingerprint(schema, batches)

    def columns(self, relation: str, what: str) -> dict[str, str]:
        schema = self._spark.table(relation).schema
        out = {}
        for field in schema.fields:
            name = field.dataType.simpleString()
            out[field.name] = TYPES.get(name, name.upper())
        return out

    def rows(self, sql: str, what: str) -> list[tuple[Any, ...]]:
        try:
            return [tuple(r) for r in self._spark.sql(sql).collect()]
        except _errors() as exc:
            raise engine_failure(what, exc) from exc
