"""CSV as Charter reads it (KPI measurements, adoption figures): rows from text, a file the
csv module cannot read (a field over its size limit, a stray quote) refused by name."""

from __future__ import annotations

import csv
import io

from charter.kernel.errors import InvalidInput


def csv_rows(text: str) -> list[list[str]]:
    """Every row of the text, as lists of fields."""
    try:
        return list(csv.reader(io.StringIO(text)))
    except csv.Error as exc:
        raise InvalidInput(f"the CSV file cannot be read: {exc}") from exc


def csv_records(text: str) -> list[dict[str, str]]:
    """Every row after the header, as {column: field}."""
    try:
        return list(csv.DictReader(io.StringIO(text)))
    except csv.Error as exc:
        raise InvalidInput(f"the CSV file cannot be read: {exc}") from exc
