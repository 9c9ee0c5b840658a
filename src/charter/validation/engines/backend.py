"""What an engine must provide to run a suite: relations over files, tables and data
frames, SQL in a dialect both engines share (GROUP BY, FILTER (WHERE ...), CAST, floor, ln,
window ranks), rows back.

The checks are written once as SQL over this interface; DuckDB and Spark differ only in how
they quote names, read files, report column types and turn a timestamp into seconds.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from charter.kernel.errors import InvalidInput, OverLimit
from charter.validation.domain.suite import ALIASES, ENGINES

#: column types, in the one spelling both engines report (DuckDB's), that hold numbers
#: (not BOOLEAN: a label of yes/no or true/false is refused, as docs/validation.md says)
NUMERIC = (
    "TINYINT",
    "SMALLINT",
    "INTEGER",
    "BIGINT",
    "HUGEINT",
    "UTINYINT",
    "USMALLINT",
    "UINTEGER",
    "UBIGINT",
    "FLOAT",
    "DOUBLE",
    "DECIMAL",
)


class Backend(Protocol):
    engine: str  # name and version, recorded in the evidence

    def quote(self, name: str) -> str: ...

    def text(self, value: str) -> str:
        """A string literal."""
        ...

    def epoch(self, expr: str) -> str:
        """SQL for the seconds since 1970-01-01 UTC of a timestamp expression."""
        ...

    def open(self, path: Path, window: str) -> str:
        """A relation over a Parquet or CSV file (read where it lies, not into Python)."""
        ...

    def table(self, name: str, database: Path | None, window: str) -> str:
        """A relation over a table ("schema.table" or "table"): of a DuckDB database file,
        or, without one, of the engine's own catalog; a missing table is InvalidInput."""
        ...

    def register(self, frame: Any, window: str) -> str:
        """A relation over a data frame handed over in Python, read in place."""
        ...

    def view(self, query: str, window: str) -> str:
        """A view of the query's rows (a table filtered to a time window)."""
        ...

    def table_fingerprint(self, relation: str) -> str:
        """A fingerprint of a table's rows (called from another thread than the queries)."""
        ...

    def in_time(self, what: str) -> None:
        """Raise OverLimit when the run's time is up (or it was stopped); `what` names the
        work refused."""
        ...

    def stop(self) -> None:
        """End the run's work in other threads (its hashing) now: the run has failed."""
        ...

    def columns(self, relation: str, what: str) -> dict[str, str]:
        """Column name -> type, in DuckDB's spelling (INTEGER, DOUBLE, VARCHAR, ...); `what`
        names the data in an error."""
        ...

    def rows(self, sql: str, what: str) -> list[tuple[Any, ...]]:
        """Run a query; a failure is InvalidInput that says `what` was being computed."""
        ...


def number(value: float) -> str:
    """A float literal that both dialects read as DOUBLE (not DECIMAL)."""
    text = repr(float(value))
    return text if "e" in text else text + "e0"


def file_kind(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix == ".parquet":
        return "parquet"
    if suffix in (".csv", ".tsv"):
        return "csv"
    raise InvalidInput(
        f"{path.name}: only Parquet and CSV files are read", details={"file": path.name}
    )


def qualified(backend: Backend, parts: list[str]) -> str:
    """A dotted name, each part quoted."""
    return ".".join(backend.quote(p) for p in parts)


#: the data frames a suite's table may be handed over as: (library, class or base class);
#: none is a one-shot stream (a RecordBatchReader, a Scanner), which a run's several queries
#: would find used up
FRAMES = {
    ("pandas", "DataFrame"),
    ("polars", "DataFrame"),
    ("pyarrow", "Table"),
    ("pyarrow", "Dataset"),
    ("pyspark", "DataFrame"),
}


def frame_kind(frame: Any, accepted: tuple[str, ...], engine: str) -> str:
    """The library a data frame comes from (pandas, polars, pyarrow, pyspark), if `accepted`."""
    kind = type(frame).__module__.split(".")[0]
    names = {c.__name__ for c in type(frame).__mro__}
    if kind not in accepted or not any((kind, name) in FRAMES for name in names):
        shown = ", ".join(f"{lib}.{name}" for lib, name in sorted(FRAMES) if lib in accepted)
        raise InvalidInput(
            f"{engine} cannot read a {type(frame).__module__}.{type(frame).__name__}; "
            f"it reads {shown}"
        )
    return kind


@dataclass(frozen=True, slots=True)
class Opened:
    """A window's data, opened on an engine for one run."""

    relation: str
    name: str  # the file's name, or the table's, as errors name it
    details: dict[str, object]  # {"file": path} or {"table": name}, for an error's details
    fingerprint: Callable[[], str]  # which data this is (run in the hashing thread)


def ensure_rows(backend: Backend, data: Opened, window: str) -> None:
    """Refuse empty data by name (reading one row, not all of them)."""
    found = backend.rows(f"SELECT 1 FROM {data.relation} LIMIT 1", f"{data.name}: reading")  # noqa: S608
    if not found:
        raise InvalidInput(
            f"{data.name} holds no rows: the {window} window is empty", details=data.details
        )


log = logging.getLogger("charter.validation")


def engine_failure(what: str, exc: BaseException, stop: Stop | None = None) -> InvalidInput:
    """An engine's failure, told by its kind only: the engine's own text may quote the data it
    read or paths on the server, so it goes to the log (the server's, or the terminal of the
    person running the command), never into the answer; held by the run's `stop` while it
    holds the log (a run begun before the person's rights are checked)."""
    told = f"{what}: {' '.join(str(exc).split())[:2000]}"
    if stop is None or not stop.held(told):
        log.warning("%s", told)
    words = re.sub(r"(Exception|Error)$", "", type(exc).__name__)
    kind = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", words).lower() or "unknown"
    return InvalidInput(f"{what}: the engine could not compute it ({kind} error)")


@dataclass(frozen=True, slots=True)
class Limits:
    """What one run may take of the server (None: the engine's own default). A file of a few
    kilobytes can decompress to gigabytes: the server's settings bound every run it starts."""

    memory_mb: int | None = None  # the engine's memory
    threads: int | None = None  # its worker threads
    spill_mb: int | None = None  # what it may spill to its private folder (0: nothing)
    seconds: float | None = None  # the whole run, from the engine's opening


class Stop:
    """A request, from another thread, that a run end now: each engine that can be stopped
    registers how (DuckDB interrupts its queries and refuses the next ones); one registered
    after the request is stopped at once. A stopped run's result is never used."""

    def __init__(self, hold: bool = False) -> None:
        self._lock = threading.Lock()
        self._hooks: list[Callable[[], None]] = []
        self.asked = False
        self._holding = hold  # the log lines of the run, until released
        self._held: list[str] = []

    def held(self, line: str) -> bool:
        """Keep a log line of the run until release(); False once released (log it now)."""
        with self._lock:
            if self._holding:
                self._held.append(line)
            return self._holding

    def release(self) -> None:
        """The run may be told of now: log what was held, and what comes from now on."""
        with self._lock:
            self._holding, lines, self._held = False, self._held, []
        for line in lines:
            log.warning("%s", line)

    def on_stop(self, hook: Callable[[], None]) -> None:
        with self._lock:
            if not self.asked:
                self._hooks.append(hook)
                return
        hook()

    def __call__(self) -> None:
        with self._lock:
            self.asked, hooks = True, list(self._hooks)
        for hook in hooks:
            hook()


def stoppable(engine: str) -> bool:
    """Whether a run on the engine ends when asked (Stop): DuckDB's; a Spark run ends when
    its jobs do."""
    return ALIASES.get(engine, engine) == "duckdb"


def preload(engine: str) -> None:
    """Import the engine's code now, in the calling thread (a run started in a thread of its
    own would share the interpreter's lock with the imports its starter makes meanwhile)."""
    if stoppable(engine):
        import charter.validation.engines.duckdb_backend  # noqa: F401


def over_limit(what: str, kind: str, limits: Limits) -> OverLimit:
    """The refusal of a run stopped at a limit (`kind`: "time" or "memory"), on any engine:
    it names the setting that bounds it, and says that nothing was recorded."""
    if kind == "time":
        bound = f"{limits.seconds:g} seconds (CHARTER_VALIDATION_SECONDS)"
    else:
        parts = [
            f"{limits.memory_mb} MB of memory (CHARTER_VALIDATION_MEMORY_MB)"
            if limits.memory_mb is not None else "the machine's memory",
            f"{limits.spill_mb} MB spilled to disk (CHARTER_VALIDATION_SPILL_MB)"
            if limits.spill_mb is not None else "what its disk holds",
        ]  # fmt: skip
        bound = " and ".join(parts)
    return OverLimit(
        f"{what}: stopped, a run on this server may take at most {bound}; nothing was "
        "recorded (reduce the data, or ask the operator to raise the limit)",
        details={"limit": kind},
    )


@contextmanager
def open_backend(
    engine: str,
    allowed: Collection[Path] = (),
    limits: Limits | None = None,
    stop: Stop | None = None,
) -> Iterator[Backend]:
    """The engine, reading the `allowed` files and nothing else where it can be confined
    (DuckDB; Spark reads what the suite names, and whatever its cluster may), bounded by
    `limits` (Spark: its local session's memory and cores, and the time on any master);
    `stop` ends a DuckDB run early (a Spark run ends when its jobs do)."""
    engine = ALIASES.get(engine, engine)
    if engine == "duckdb":
        from charter.validation.engines.duckdb_backend import DuckDBBackend

        with DuckDBBackend(allowed, limits or Limits(), stop) as duck:
            yield duck
    elif engine == "spark":
        from charter.validation.engines.spark_backend import SparkBackend

        with SparkBackend(limits=limits or Limits()) as spark:
            yield spark
    else:
        raise InvalidInput(f"unknown engine {engine!r}; known: {', '.join(ENGINES)}")
