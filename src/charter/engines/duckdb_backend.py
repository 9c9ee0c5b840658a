"""The embedded default engine: DuckDB reads Parquet and CSV files in place."""

from __future__ import annotations

from pathlib import Path
from types import TracebackType
from typing import Any

import duckdb

from charter.domain.errors import InvalidInput
from charter.engines.backend import file_kind, first_line


class DuckDBBackend:
    def __init__(self) -> None:
        self._con = duckdb.connect()
        self._con.execute("SET enable_progress_bar = false")  # no bar drawn over our output
        self.engine = f"duckdb {duckdb.__version__}"

    def __enter__(self) -> DuckDBBackend:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._con.close()

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

    def columns(self, relation: str, path: Path) -> dict[str, str]:
        sql = f"DESCRIBE SELECT * FROM {relation}"  # noqa: S608
        return {str(r[0]): str(r[1]) for r in self.rows(sql, f"{path.name}: reading")}

    def rows(self, sql: str, what: str) -> list[tuple[Any, ...]]:
        try:
            return self._con.execute(sql).fetchall()
        except duckdb.Error as exc:
            raise InvalidInput(f"{what}: {first_line(exc)}") from exc
