"""The embedded default engine: DuckDB reads Parquet and CSV files, tables of DuckDB
database files and data frames (pandas, polars, pyarrow) in place."""

from __future__ import annotations

import itertools
import threading
from pathlib import Path
from types import TracebackType
from typing import Any

import duckdb

from charter.kernel.errors import InvalidInput
from charter.validation.engines.backend import file_kind, first_line, frame_kind, qualified
from charter.validation.engines.fingerprints import ROWS_PER_BATCH, arrow_fingerprint

_names = itertools.count()


class DuckDBBackend:
    def __init__(self) -> None:
        self._connection: duckdb.DuckDBPyConnection | None = None
        self._connecting = threading.Lock()
        self.engine = f"duckdb {duckdb.__version__}"
        self._attached: dict[Path, str] = {}

    def __enter__(self) -> DuckDBBackend:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._connection is not None:
            self._connection.close()

    @property
    def _con(self) -> duckdb.DuckDBPyConnection:
        """The database, opened at the first query (a fiftieth of a second here): opening a
        file needs none, so that hashing it starts first."""
        with self._connecting:
            if self._connection is None:
                self._connection = duckdb.connect()
                self._connection.execute("SET enable_progress_bar = false")  # no bar drawn
            return self._connection

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
            try:
                self._con.execute(f"ATTACH '{text}' AS {alias} (READ_ONLY)")
            except duckdb.Error as exc:
                raise InvalidInput(
                    f"{database.name}: cannot be read as a DuckDB database: {first_line(exc)}",
                    details={"file": str(database)},
                ) from exc
            self._attached[database] = alias
        parts = name.split(".")
        relation = qualified(
            self, [self._attached[database], *(["main"] if len(parts) == 1 else []), *parts]
        )
        self.rows(f"SELECT 1 FROM {relation} LIMIT 0", f"{database.name}: table {name!r}")  # noqa: S608
        return relation

    def register(self, frame: Any, window: str) -> str:
        frame_kind(frame, ("pandas", "polars", "pyarrow"), self.engine)
        view = f"charter_{window}_{next(_names)}"
        self._con.register(view, frame)
        return view

    def table_fingerprint(self, relation: str) -> str:
        """The rows in their stored order, read through a cursor of its own (this runs beside
        the checks' queries, in the hashing thread)."""
        cursor = self._con.cursor()
        try:
            reader = cursor.sql(f"SELECT * FROM {relation}").to_arrow_reader(ROWS_PER_BATCH)  # noqa: S608
            return arrow_fingerprint(reader.schema, reader)
        finally:
            cursor.close()

    def columns(self, relation: str, what: str) -> dict[str, str]:
        sql = f"DESCRIBE SELECT * FROM {relation}"  # noqa: S608
        return {str(r[0]): str(r[1]) for r in self.rows(sql, f"{what}: reading")}

    def rows(self, sql: str, what: str) -> list[tuple[Any, ...]]:
        try:
            return self._con.execute(sql).fetchall()
        except duckdb.Error as exc:
            raise InvalidInput(f"{what}: {first_line(exc)}") from exc
