"""The embedded default engine: DuckDB reads Parquet and CSV files, tables of DuckDB
database files and data frames (pandas, polars, pyarrow) in place.

Its connection is confined to the files a run was given: external access off but for those
paths (and a private folder to spill to), no extension installed or loaded, the configuration
locked; a database's views are refused (a view could read any other file). It is bounded by
the run's limits: memory, threads, what it may spill, and time (DuckDB has no statement
timeout: a timer interrupts the queries running when the run's time is up)."""

from __future__ import annotations

import itertools
import shutil
import tempfile
import threading
import time
from collections.abc import Collection
from functools import partial
from pathlib import Path
from types import TracebackType
from typing import Any

import duckdb

from charter.kernel.errors import InvalidInput, OverLimit
from charter.validation.engines.backend import (
    Limits,
    Stop,
    engine_failure,
    file_kind,
    frame_kind,
    over_limit,
    qualified,
)
from charter.validation.engines.fingerprints import ROWS_PER_BATCH, arrow_fingerprint

_names = itertools.count()


#: set once the connection is open; then locked, so that no query can undo them
NO_EXTENSIONS: dict[str, str | bool | int | float | list[str]] = {
    "autoload_known_extensions": False,
    "autoinstall_known_extensions": False,
}


class DuckDBBackend:
    def __init__(
        self, allowed: Collection[Path] = (), limits: Limits | None = None, stop: Stop | None = None
    ) -> None:
        """Reads the `allowed` files and folders and nothing else of the file system, within
        the `limits` (counted from here), until `stop` is asked."""
        resolved = {p.resolve() for p in allowed}
        self._folders = sorted(f"{p}/" for p in resolved if p.is_dir())
        self._files = sorted(str(p) for p in resolved if not p.is_dir())
        self._spill: str | None = None
        self._connection: duckdb.DuckDBPyConnection | None = None
        self._connecting = threading.Lock()
        self.engine = f"duckdb {duckdb.__version__}"
        self._attached: dict[Path, str] = {}
        self._limits = limits or Limits()
        self._cursors: set[duckdb.DuckDBPyConnection] = set()
        self.expired = threading.Event()  # set when the run's time is up
        seconds = self._limits.seconds
        self._deadline = None if seconds is None else time.monotonic() + seconds
        self._timer = None if seconds is None else threading.Timer(seconds, self._interrupt)
        self._stop = stop  # (which may also hold the log of its failures)
        if stop is not None:  # stopped: its queries end as if its time were up
            stop.on_stop(self._interrupt)

    def __enter__(self) -> DuckDBBackend:
        if self._timer is not None:
            self._timer.daemon = True
            self._timer.start()
        return self

    def _interrupt(self) -> None:
        """The run's time is up: stop the queries running (the checks' and the hashing
        thread's); the next ones are refused before they start."""
        self.expired.set()
        with self._connecting:
            running = [c for c in (self._connection, *self._cursors) if c is not None]
        for con in running:
            try:
                con.interrupt()
            except duckdb.Error:  # closed meanwhile: nothing left to stop
                continue

    def stop(self) -> None:
        self._interrupt()

    def in_time(self, what: str) -> None:
        if self._deadline is not None and time.monotonic() >= self._deadline:
            self.expired.set()
        if self.expired.is_set():
            raise self._over(what, "time")

    def _over(self, what: str, kind: str) -> OverLimit:
        return over_limit(what, kind, self._limits)

    def _failure(self, what: str, exc: duckdb.Error) -> InvalidInput:
        """A query's failure: over a limit, said as such; else by its kind only."""
        if isinstance(exc, duckdb.InterruptException) or self.expired.is_set():
            return self._over(what, "time")
        if isinstance(exc, duckdb.OutOfMemoryException):
            return self._over(what, "memory")
        return engine_failure(what, exc, self._stop)

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._timer is not None:
            self._timer.cancel()
        if self._connection is not None:
            self._connection.close()
        if self._spill is not None:
            shutil.rmtree(self._spill, ignore_errors=True)

    @property
    def _con(self) -> duckdb.DuckDBPyConnection:
        """The database, opened at the first query (a fiftieth of a second here): opening a
        file needs none, so that hashing it starts first."""
        with self._connecting:
            if self._connection is None:
                self._connection = self._confined()
            return self._connection

    def _confined(self) -> duckdb.DuckDBPyConnection:
        """A connection that reads the allowed files (a database's write-ahead log beside it)
        and folders, spills to a folder of its own, and whose settings no query can change."""
        self._spill = tempfile.mkdtemp(prefix="charter-duckdb-")
        files = [*self._files, *(f"{p}.wal" for p in self._files)]
        con = duckdb.connect(config=NO_EXTENSIONS)
        try:
            con.execute("SET enable_progress_bar = false")  # no bar drawn
            # a run reads a file's footer once, not in each of its queries and drift columns
            con.execute("SET parquet_metadata_cache = true")
            con.execute(f"SET temp_directory = {self.text(self._spill)}")
            for setting in self._bounds():
                con.execute(setting)
            con.execute(f"SET allowed_paths = [{', '.join(map(self.text, files))}]")
            con.execute(f"SET allowed_directories = [{', '.join(map(self.text, self._folders))}]")
            con.execute("SET enable_external_access = false")
            con.execute("SET lock_configuration = true")
        except BaseException:
            con.close()
            raise
        return con

    def _bounds(self) -> list[str]:
        """The limits as settings (before the configuration is locked)."""
        limits, out = self._limits, []
        if limits.memory_mb is not None:
            out.append(f"SET memory_limit = '{int(limits.memory_mb)}MB'")
        if limits.threads is not None:
            out.append(f"SET threads = {int(limits.threads)}")
        if limits.spill_mb is not None:
            out.append(f"SET max_temp_directory_size = '{int(limits.spill_mb)}MB'")
        return out

    def quote(self, name: str) -> str:
        return '"' + name.replace('"', '""') + '"'

    def text(self, value: str) -> str:
        return "'" + value.replace("'", "''") + "'"

    def epoch(self, expr: str) -> str:
        return f"epoch({expr})"

    def open(self, path: Path, window: str) -> str:
        text = str(path).replace("'", "''")
        if file_kind(path) == "parquet":
            return f"read_parquet('{text}')"
        return f"read_csv_auto('{text}')"

    def table(self, name: str, database: Path | None, window: str) -> str:
        if database is None:
            raise InvalidInput(
                f"table {name!r} was not handed over: pass it as a data frame "
                "(charter.validation.validate(..., frames=...)) or name its DuckDB database "
                "('database: FILE.duckdb')",
                details={"table": name},
            )
        if database not in self._attached:
            alias = f"charter_db_{next(_names)}"
            text = str(database).replace("'", "''")
            what = f"{database.name}: opening it as a DuckDB database"
            self.in_time(what)
            try:
                self._con.execute(f"ATTACH '{text}' AS {alias} (READ_ONLY)")
            except duckdb.Error as exc:
                raise self._failure(what, exc) from exc
            self._attached[database] = alias
        parts = [self._attached[database], *(["main"] if "." not in name else []), *name.split(".")]
        self._base_table(parts, f"{database.name}: table {name!r}")
        return qualified(self, parts)

    def _base_table(self, parts: list[str], what: str) -> None:
        """Refuse a name that is not a stored table: a view runs whatever query it holds."""
        if len(parts) != 3:
            raise InvalidInput(f"{what}: name a table as TABLE or SCHEMA.TABLE")
        sql = (
            "SELECT table_type FROM information_schema.tables WHERE table_catalog = "  # noqa: S608
            f"{self.text(parts[0])} AND table_schema = {self.text(parts[1])} "
            f"AND table_name = {self.text(parts[2])}"
        )
        found = self.rows(sql, what)
        if not found:
            raise InvalidInput(f"{what} does not exist")
        if found[0][0] != "BASE TABLE":
            raise InvalidInput(
                f"{what} is a view: only stored tables are read (a view may read other files)"
            )

    def register(self, frame: Any, window: str) -> str:
        frame_kind(frame, ("pandas", "polars", "pyarrow"), self.engine)
        view = f"charter_{window}_{next(_names)}"
        self._con.register(view, frame)
        return view

    def view(self, query: str, window: str) -> str:
        """A subquery, not a temporary view: the hashing thread's cursor is a connection of
        its own and would not see one."""
        return f"({query}) AS charter_{window}_{next(_names)}"

    def table_fingerprint(self, relation: str) -> str:
        """The rows in their stored order, read through a cursor of its own (this runs beside
        the checks' queries, in the hashing thread)."""
        self.in_time("the data's fingerprint")
        cursor = self._con.cursor()
        with self._connecting:
            self._cursors.add(cursor)
        try:
            reader = cursor.sql(f"SELECT * FROM {relation}").to_arrow_reader(ROWS_PER_BATCH)  # noqa: S608
            check = partial(self.in_time, "the data's fingerprint")
            return arrow_fingerprint(reader.schema, reader, check)
        except duckdb.Error as exc:
            raise self._failure("the data's fingerprint", exc) from exc
        except Exception:  # an interrupted stream may fail in Arrow, not DuckDB
            if self.expired.is_set():
                raise self._over("the data's fingerprint", "time") from None
            raise
        finally:
            with self._connecting:
                self._cursors.discard(cursor)
            cursor.close()

    def columns(self, relation: str, what: str) -> dict[str, str]:
        sql = f"DESCRIBE SELECT * FROM {relation}"  # noqa: S608
        return {str(r[0]): str(r[1]) for r in self.rows(sql, f"{what}: reading")}

    def rows(self, sql: str, what: str) -> list[tuple[Any, ...]]:
        self.in_time(what)
        try:
            return self._con.execute(sql).fetchall()
        except duckdb.Error as exc:
            raise self._failure(what, exc) from exc
