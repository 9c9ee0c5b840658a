"""Files the integrations are given or hand out: spreadsheets to import (CSV, comma or
semicolon delimited, and Excel .xlsx) read into sheets of text cells, and their templates."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from charter.integrations.domain.sheets import BY_KIND, MAX_ROWS, SHEETS, Table, sheet_named
from charter.kernel.errors import InvalidInput

#: an .xlsx is a zip: what it may unpack to, and how many parts it may hold (a "zip bomb" of a
#: few kilobytes unpacks to gigabytes)
MAX_UNPACKED = 100_000_000
MAX_PARTS = 2_000
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: sheets a workbook may hold besides the kinds (the template's notes)
IGNORED_SHEETS = frozenset({"about", "readme", "notes", "instructions"})


def _text(data: bytes, name: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidInput(f"{name} is not UTF-8 text: {exc.reason}") from exc


def delimiter(first_line: str) -> str:
    """Comma, semicolon (spreadsheets in much of Europe) or tab: the one the header uses most."""
    counts = {d: first_line.count(d) for d in (",", ";", "\t")}
    return max(counts, key=lambda d: (counts[d], d == ","))


def read_csv(data: bytes, name: str = "the file") -> Table:
    text = _text(data, name)
    sep = delimiter(text.split("\n", 1)[0])
    try:
        rows = [tuple(r) for r in csv.reader(io.StringIO(text, newline=""), delimiter=sep)]
    except csv.Error as exc:
        raise InvalidInput(f"{name} cannot be read as CSV: {exc}") from exc
    if not rows:
        raise InvalidInput(f"{name} is empty: it needs a header row")
    if len(rows) > MAX_ROWS + 1:
        raise InvalidInput(f"{name} has over {MAX_ROWS:,} rows")
    return Table(rows[0], tuple(rows[1:]))


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def _check_zip(data: bytes, name: str) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = archive.infolist()
    except zipfile.BadZipFile as exc:
        raise InvalidInput(f"{name} is not an Excel .xlsx file") from exc
    if len(parts) > MAX_PARTS or sum(p.file_size for p in parts) > MAX_UNPACKED:
        raise InvalidInput(
            f"{name} unpacks to more than {MAX_UNPACKED:,} bytes or {MAX_PARTS:,} parts: refused"
        )


def read_xlsx(data: bytes, name: str = "the file") -> dict[str, Table]:
    """Each sheet named after a kind (units, people, vendors, datasets, systems, models,
    raci); another sheet name is refused unless it is the template's notes."""
    _check_zip(data, name)
    from openpyxl import load_workbook  # imported when an Excel file is read

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise InvalidInput(f"{name} cannot be read as an Excel workbook") from exc
    out: dict[str, Table] = {}
    try:
        for sheet in book.worksheets:
            kind = sheet_named(sheet.title)
            if kind is None:
                if sheet.title.strip().lower() in IGNORED_SHEETS:
                    continue
                raise InvalidInput(
                    f"{name}: sheet {sheet.title!r} is not one of {', '.join(BY_KIND)}"
                )
            rows = _rows(sheet.iter_rows(values_only=True), name)
            if rows:
                out[kind] = Table(rows[0], tuple(rows[1:]))
    finally:
        book.close()
    return out


def _rows(cells: Iterable[tuple[Any, ...]], name: str) -> list[tuple[str, ...]]:
    rows: list[tuple[str, ...]] = []
    for row in cells:
        rows.append(tuple(_cell(v) for v in row))
        if len(rows) > MAX_ROWS + 1:
            raise InvalidInput(f"{name} has over {MAX_ROWS:,} rows in a sheet")
    while rows and not any(rows[-1]):
        rows.pop()
    return rows


def read_import(name: str, data: bytes, kind: str | None = None) -> dict[str, Table]:
    """A file to import: an Excel workbook (a sheet per kind), or a CSV file of one kind (given,
    or named by the file: systems.csv)."""
    if name.lower().endswith((".xlsx", ".xlsm")) or data[:2] == b"PK":
        return read_xlsx(data, name)
    kind = kind or sheet_named(name)
    if kind is None:
        raise InvalidInput(
            f"say which records {name} holds ({', '.join(BY_KIND)}): name the file after "
            "them (systems.csv) or give the kind"
        )
    if kind not in BY_KIND:
        raise InvalidInput(f"unknown kind {kind!r}: one of {', '.join(BY_KIND)}")
    return {kind: read_csv(data, name)}


def template_csv(kind: str, sep: str = ",") -> str:
    """A CSV template of one kind: its header and an example row."""
    if kind not in BY_KIND:
        raise InvalidInput(f"unknown kind {kind!r}: one of {', '.join(BY_KIND)}")
    sheet = BY_KIND[kind]
    out = io.StringIO()
    writer = csv.writer(out, delimiter=sep, lineterminator="\n")
    writer.writerow([c.name for c in sheet.columns])
    writer.writerow([c.example for c in sheet.columns])
    return out.getvalue()


def template_xlsx() -> bytes:
    """An Excel template: a sheet per kind (header and an example row) and an "about" sheet
    that says what each column holds."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    about = book.create_sheet("about")
    about.append(["sheet", "column", "required to create", "what it holds", "allowed values"])
    for sheet in SHEETS:
        for c in sheet.columns:
            required = "yes" if c.required else ""
            about.append([sheet.kind, c.name, required, c.help, ", ".join(c.choices)])
    for sheet in SHEETS:
        page = book.create_sheet(sheet.kind)
        page.append([c.name for c in sheet.columns])
        page.append([c.example for c in sheet.columns])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
