"""Where a run's data comes from, as a DuckDB relation; quoting of identifiers."""

from __future__ import annotations

from pathlib import Path

import duckdb

from charter.domain.errors import InvalidInput


def quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def source_sql(path: Path) -> str:
    """A relation over a Parquet or CSV file; the file is read by DuckDB, not by Python."""
    text = str(path).replace("'", "''")
    if path.suffix.lower() == ".parquet":
        return f"read_parquet('{text}')"
    if path.suffix.lower() in (".csv", ".tsv"):
        return f"read_csv_auto('{text}')"
    raise InvalidInput(f"{path}: only Parquet and CSV files are read", details={"file": str(path)})


#: DuckDB type names of numbers (BOOLEAN counts: 0/1 labels are often stored as booleans)
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


def ensure_rows(
    con: duckdb.DuckDBPyConnection, relation: str, path: Path, window: str = "data"
) -> None:
    """Refuse an empty file by name (reading one row, not the whole file)."""
    try:
        found = con.execute(f"SELECT 1 FROM {relation} LIMIT 1").fetchone()  # noqa: S608
    except Exception as exc:
        raise InvalidInput(
            f"{path.name}: cannot be read: {exc}", details={"file": str(path)}
        ) from exc
    if found is None:
        raise InvalidInput(
            f"{path.name} holds no rows: the {window} window is empty", details={"file": str(path)}
        )
