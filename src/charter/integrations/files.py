"""Files the integrations are given or hand out: spreadsheets to import (CSV, comma or
semicolon delimited, and Excel .xlsx) read into sheets of text cells, and their templates;
CycloneDX ML-BOMs checked against the official 1.6 JSON Schema; the discovery catalogue, and
source trees walked for what it names."""

from __future__ import annotations

import csv
import io
import json
import os
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from jsonschema import Draft7Validator, Draft202012Validator
from referencing import Registry
from referencing.jsonschema import DRAFT7

from charter.integrations.domain.discovery import (
    JAVASCRIPT,
    PYTHON,
    Catalogue,
    Finding,
    is_manifest,
    model_file,
    parse_catalogue,
    scan_file,
)
from charter.integrations.domain.sheets import BY_KIND, MAX_ROWS, SHEETS, Table, sheet_named
from charter.kernel.errors import InvalidInput
from charter.kernel.yaml_text import parse_yaml

#: an .xlsx is a zip: what it may unpack to, and how many parts it may hold (a "zip bomb" of a
#: few kilobytes unpacks to gigabytes)
MAX_UNPACKED = 100_000_000
MAX_PARTS = 2_000
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: sheets a workbook may hold besides the kinds (the template's notes)
IGNORED_SHEETS = frozenset({"about", "readme", "notes", "instructions"})
#: the largest ML-BOM read
MAX_BOM = 10_000_000


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


@cache
def _bom_validator() -> Draft7Validator:
    """The CycloneDX 1.6 JSON Schema, with the sub-schemas it refers to (shipped with Charter:
    data/CYCLONEDX-SCHEMA-NOTICE.md)."""
    folder = resources.files("charter.integrations") / "data"
    load = {name: json.loads((folder / f"cyclonedx-{name}.schema.json").read_text("utf-8"))
            for name in ("bom-1.6", "spdx", "jsf-0.82")}  # fmt: skip
    base = "http://cyclonedx.org/schema/"
    registry: Registry[Any] = Registry().with_resources([
        (base + "spdx.SNAPSHOT.schema.json", DRAFT7.create_resource(load["spdx"])),
        (base + "jsf-0.82.SNAPSHOT.schema.json", DRAFT7.create_resource(load["jsf-0.82"])),
    ])  # fmt: skip
    return Draft7Validator(load["bom-1.6"], registry=registry)


def bom_problems(doc: Any) -> list[str]:
    """Where a document breaks the CycloneDX 1.6 schema (at most 50 places), or nothing."""
    found = sorted(_bom_validator().iter_errors(doc), key=lambda e: list(e.absolute_path))
    return [f"{'/'.join(str(p) for p in e.absolute_path) or '(document)'}: {e.message[:300]}"
            for e in found[:50]]  # fmt: skip


def read_bom_file(data: bytes, name: str = "the BOM") -> dict[str, Any]:
    """A CycloneDX 1.6 ML-BOM (JSON) checked against the schema; every problem is listed."""
    if len(data) > MAX_BOM:
        raise InvalidInput(f"{name} is over {MAX_BOM:,} bytes")
    try:
        doc = json.loads(_text(data, name))
    except ValueError as exc:
        raise InvalidInput(f"{name} is not JSON: {exc}") from exc
    if not isinstance(doc, dict) or doc.get("bomFormat") != "CycloneDX":
        raise InvalidInput(f"{name} is not a CycloneDX BOM (bomFormat)")
    if doc.get("specVersion") != "1.6":
        raise InvalidInput(
            f"{name} is CycloneDX {doc.get('specVersion')!r}: Charter reads CycloneDX 1.6"
        )
    problems = bom_problems(doc)
    if problems:
        raise InvalidInput(f"{name} breaks the CycloneDX 1.6 schema in {len(problems)} place(s)",
                           details={"errors": problems})  # fmt: skip
    return doc


@cache
def discovery_catalogue() -> Catalogue:
    """What discovery looks for (data/discovery.yaml), checked against its schema."""
    folder = resources.files("charter.integrations") / "data"
    raw = parse_yaml((folder / "discovery.yaml").read_text("utf-8"))
    schema = json.loads((folder / "discovery.schema.json").read_text("utf-8"))
    problems = [e.message for e in Draft202012Validator(schema).iter_errors(raw)]
    if problems:
        raise InvalidInput(f"the discovery catalogue is not valid: {problems[:5]}")
    return parse_catalogue(raw)


#: folders discovery never enters: dependencies, builds, virtual environments, VCS
SKIPPED = frozenset({".git", ".hg", ".svn", "node_modules", ".venv", "venv", "env",
                     "__pycache__", "site-packages", ".tox", ".nox", ".mypy_cache",
                     ".ruff_cache", ".pytest_cache", "dist", "build", ".next"})  # fmt: skip
MAX_SOURCE = 2_000_000  # a larger source file is not read (a model file is still seen)
MAX_FILES = 100_000


@dataclass(frozen=True, slots=True)
class Scanned:
    root: str  # the folder's name, never its path on this machine
    files: int
    findings: list[Finding]
    skipped: list[str]  # files too large or not text


def scan_tree(root: Path, cat: Catalogue) -> Scanned:
    """Walk a source tree (symbolic links are not followed) and find the catalogue's SDKs and
    model files in it."""
    if not root.is_dir():
        raise InvalidInput(f"{root.name or root} is not a folder")
    findings: list[Finding] = []
    skipped: list[str] = []
    count = 0
    for folder, dirs, names in os.walk(root, followlinks=False):
        dirs[:] = sorted(d for d in dirs if d not in SKIPPED)
        for name in sorted(names):
            count += 1
            if count > MAX_FILES:
                raise InvalidInput(f"{root.name} holds over {MAX_FILES:,} files: scan a part")
            path = Path(folder) / name
            rel = path.relative_to(root).as_posix()
            found = model_file(rel, cat)
            if found is not None:
                findings.append(found)
                continue
            findings += _scan_one(path, rel, cat, skipped)
    return Scanned(root.resolve().name, count, findings, skipped)


def _scan_one(path: Path, rel: str, cat: Catalogue, skipped: list[str]) -> list[Finding]:
    if not (rel.endswith(PYTHON + JAVASCRIPT) or is_manifest(rel)) or path.is_symlink():
        return []
    try:
        if path.stat().st_size > MAX_SOURCE:
            skipped.append(rel)
            return []
        text = path.read_text("utf-8")
    except (OSError, UnicodeDecodeError):
        skipped.append(rel)
        return []
    return scan_file(rel, text, cat)
