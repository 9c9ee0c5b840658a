"""Where a run's data comes from, as a DuckDB relation; quoting of identifiers."""

from __future__ import annotations

from pathlib import Path

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
