"""What an engine must provide to run a suite: relations over files, SQL in a dialect both
engines share (GROUP BY, FILTER (WHERE ...), CAST, floor, ln, window ranks), rows back.

The checks are written once as SQL over this interface; DuckDB and Spark differ only in how
they quote names, read files, report column types and turn a timestamp into seconds.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Protocol

from charter.domain.errors import InvalidInput

ENGINES = ("duckdb", "spark")

#: column types, in the one spelling both engines report (DuckDB's), that hold numbers;
#: BOOLEAN counts: 0/1 labels are often stored as booleans
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
    "BOOLEAN",
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

    def columns(self, relation: str, path: Path) -> dict[str, str]:
        """Column name -> type, in DuckDB's spelling (INTEGER, DOUBLE, VARCHAR, ...)."""
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
    raise InvalidInput(f"{path}: only Parquet and CSV files are read", details={"file": str(path)})


def ensure_rows(backend: Backend, relation: str, path: Path, window: str) -> None:
    """Refuse an empty file by name (reading one row, not the whole file)."""
    found = backend.rows(f"SELECT 1 FROM {relation} LIMIT 1", f"{path.name}: reading")  # noqa: S608
    if not found:
        raise InvalidInput(
            f"{path.name} holds no rows: the {window} window is empty", details={"file": str(path)}
        )


def first_line(exc: BaseException, limit: int = 300) -> str:
    text = str(exc).strip().splitlines()
    line = text[0] if text else type(exc).__name__
    return line if len(line) <= limit else line[: limit - 1] + "…"


@contextmanager
def open_backend(engine: str) -> Iterator[Backend]:
    if engine == "duckdb":
        from charter.engines.duckdb_backend import DuckDBBackend

        with DuckDBBackend() as duck:
            yield duck
    elif engine == "spark":
        from charter.engines.spark_backend import SparkBackend

        with SparkBackend() as spark:
            yield spark
    else:
        raise InvalidInput(f"unknown engine {engine!r}; known: {', '.join(ENGINES)}")
