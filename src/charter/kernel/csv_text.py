"""CSV as Charter reads it (KPI measurements, adoption figures): rows from text, a file the
csv module cannot read (a field over its size limit, a stray quote) refused by name; and as
it writes it (exports): cells a spreadsheet would take for a formula neutralised."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

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


#: spreadsheet formulas: a cell starting with one of these is prefixed with ' (OWASP CSV
#: injection), so opening an export never runs what someone typed into a record
FORMULA = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> str | int | float:
    """A value for an exported cell: numbers as they are, structures as JSON, text that would
    start a formula prefixed with '."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    text = value if isinstance(value, str) else json.dumps(value, sort_keys=True)
    return "'" + text if text.startswith(FORMULA) else text


def csv_lines(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> Iterator[str]:
    """An export, line by line: the header, then each row with its cells made safe."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for row in rows:
        writer.writerow([safe_cell(v) for v in row])
        yield out.getvalue()
        out.seek(0)
        out.truncate()
    yield out.getvalue()


def in_blocks(lines: Iterable[str], size: int = 1000) -> Iterator[str]:
    """An export's lines joined `size` at a time: a streamed download then sends a few large
    chunks instead of one per row (at 100,000 rows, seconds instead of minutes)."""
    block: list[str] = []
    for line in lines:
        block.append(line)
        if len(block) >= size:
            yield "".join(block)
            block.clear()
    if block:
        yield "".join(block)
