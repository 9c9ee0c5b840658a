"""Bulk import as data: the sheets a file may hold (one per kind of record), their columns,
and reading a sheet's rows into typed values, every problem named with its row and column.

A record is found by its key (a unit's or system's name, a person's e-mail); other records
are named the same way (a system's business unit by name, its owner by e-mail). Only the
columns a sheet has are written: a column left out leaves that field as it is, an empty cell
empties it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from charter.accountability.domain.raci import Activity, RaciLetter
from charter.inventory.domain import OperatorRole, RiskTier

#: the most rows a file may hold, all sheets together
MAX_ROWS = 50_000
TRUE = frozenset({"yes", "y", "true", "1", "x"})
FALSE = frozenset({"no", "n", "false", "0"})


@dataclass(frozen=True, slots=True)
class Column:
    name: str
    help: str
    example: str = ""
    required: bool = False  # on a row that creates a record
    kind: str = "text"  # text, bool, choice, tags
    choices: tuple[str, ...] = ()
    limit: int = 200


@dataclass(frozen=True, slots=True)
class Sheet:
    kind: str
    key: tuple[str, ...]  # the columns that find the record
    columns: tuple[Column, ...]

    def column(self, name: str) -> Column | None:
        return next((c for c in self.columns if c.name == name), None)


def _choice(name: str, help_: str, choices: Sequence[str], example: str, **kw: bool) -> Column:
    return Column(name, help_, example, kind="choice", choices=tuple(choices), **kw)


_ROLES = [r.value for r in OperatorRole]
_TIERS = [t.value for t in RiskTier]
SHEETS: tuple[Sheet, ...] = (
    Sheet("units", ("name",), (
        Column("name", "the business unit's name", "Retail Banking", required=True),
        Column("description", "what the unit does", "Branches and cards", limit=4000),
    )),
    Sheet("people", ("email",), (
        Column("email", "their e-mail address (finds the person)", "ana@example.org",
               required=True, limit=320),
        Column("name", "their name", "Ana Souza", required=True),
        Column("business_unit", "their unit's name", "Retail Banking"),
        Column("title", "their job title", "Head of Credit Risk"),
        Column("active", "yes or no", "yes", kind="bool"),
    )),
    Sheet("vendors", ("name",), (
        Column("name", "the vendor's name", "Acme AI", required=True),
        Column("website", "its web address", "https://acme.example", limit=500),
        Column("contact", "who to call", "sales@acme.example", limit=500),
        Column("notes", "anything else", "", limit=4000),
    )),
    Sheet("datasets", ("name",), (
        Column("name", "the dataset's name", "loan-applications-2025", required=True),
        Column("owner", "its owner's e-mail", "ana@example.org"),
        Column("source", "where it comes from", "s3://lake/loans/2025", limit=4000),
        Column("contains_personal_data", "yes or no", "yes", kind="bool"),
        Column("special_category_data", "yes or no (GDPR Art. 9)", "no", kind="bool"),
        Column("retention", "how long it is kept", "7 years"),
    )),
    Sheet("systems", ("name",), (
        Column("name", "the system's name", "Credit scoring", required=True),
        Column("purpose", "what it is for", "Scores loan applications", required=True,
               limit=4000),
        Column("business_unit", "the unit's name", "Retail Banking", required=True),
        Column("owner", "its owner's e-mail", "ana@example.org"),
        Column("intended_use", "the use it is meant for", "Decision support", limit=4000),
        _choice("operator_role", "the organisation's role (EU AI Act)", _ROLES, "provider"),
        _choice("risk_tier", "the EU AI Act tier", _TIERS, "unclassified"),
        Column("deployment_context", "where it runs", "Branch advisers", limit=4000),
        Column("vendor", "its vendor's name", ""),
        Column("tags", "tags, separated by commas", "credit, retail", kind="tags", limit=2000),
    )),
    Sheet("models", ("name",), (
        Column("name", "the model's name", "credit-gbm", required=True),
        Column("system", "its system's name", "Credit scoring"),
        Column("description", "what it is", "Gradient-boosted trees", limit=4000),
        Column("vendor", "its vendor's name (a third party's model)", ""),
        Column("version", "a version to add, when it has none of that name", "1", limit=100),
        Column("artifact_uri", "where the version's files are", "s3://models/credit/1",
               limit=2000),
        Column("framework", "the version's framework", "lightgbm", limit=100),
        Column("training_dataset", "the dataset the version was trained on",
               "loan-applications-2025"),
    )),
    Sheet("raci", ("system", "activity", "person"), (
        Column("system", "the system's name", "Credit scoring", required=True),
        _choice("activity", "the lifecycle activity", [a.value for a in Activity], "design",
                required=True),
        Column("person", "the person's e-mail", "ana@example.org", required=True, limit=320),
        _choice("letter", "R, A, C or I", [r.value for r in RaciLetter], "A", required=True),
    )),
)  # fmt: skip
KINDS = tuple(s.kind for s in SHEETS)
BY_KIND = {s.kind: s for s in SHEETS}


@dataclass(frozen=True, slots=True)
class Problem:
    sheet: str
    row: int  # the spreadsheet's row number (the header is row 1); 0: the file itself
    message: str
    column: str | None = None
    forbidden: bool = False  # the importer lacks the right (not a fault of the file)

    def __str__(self) -> str:
        where = f"{self.sheet} row {self.row}" if self.row else self.sheet
        return f"{where}{f' ({self.column})' if self.column else ''}: {self.message}"


@dataclass(frozen=True, slots=True)
class Row:
    sheet: str
    number: int
    values: Mapping[str, object]  # only the sheet's columns, typed

    @property
    def key(self) -> str:
        return " / ".join(str(self.values.get(k, "")) for k in BY_KIND[self.sheet].key)


@dataclass(frozen=True, slots=True)
class Table:
    """A sheet's cells as read from a file: its header and its rows (text)."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    first_row: int = 2  # the spreadsheet row number of rows[0]


@dataclass(slots=True)
class Parsed:
    rows: dict[str, list[Row]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


def sheet_named(name: str) -> str | None:
    """The kind a sheet or file name stands for ("Systems", "systems.csv"), or None."""
    stem = name.strip().lower().rsplit("/", 1)[-1].split(".", 1)[0].replace(" ", "_")
    aliases = {"business_units": "units", "persons": "people", "raci_matrix": "raci"}
    stem = aliases.get(stem, stem)
    return stem if stem in BY_KIND else None


def _header(sheet: Sheet, table: Table) -> tuple[list[str | None], list[Problem]]:
    names: list[str | None] = []
    problems, seen = [], set()
    for raw in table.header:
        name = raw.strip().lower().replace(" ", "_")
        if not name:
            names.append(None)
            continue
        if sheet.column(name) is None:
            known = ", ".join(c.name for c in sheet.columns)
            problems.append(Problem(sheet.kind, 1, f"unknown column {raw!r} (known: {known})"))
        elif name in seen:
            problems.append(Problem(sheet.kind, 1, f"column {name!r} is there twice"))
        seen.add(name)
        names.append(name if sheet.column(name) else None)
    missing = [k for k in sheet.key if k not in seen]
    if missing:
        problems.append(Problem(sheet.kind, 1, f"missing key column(s): {', '.join(missing)}"))
    return names, problems


def _choice_value(column: Column, text: str) -> tuple[object, str | None]:
    value = text.upper() if column.name == "letter" else text.lower().replace(" ", "_")
    if value not in column.choices:
        return None, f"{text!r} is not one of {', '.join(column.choices)}"
    return value, None


def _bool_value(text: str) -> tuple[object, str | None]:
    low = text.lower()
    if low in TRUE or low in FALSE:
        return low in TRUE, None
    return None, f"{text!r} is not yes or no"


def _value(column: Column, text: str) -> tuple[object, str | None]:
    """The cell's typed value, or the problem with it."""
    text = text.strip()
    if len(text) > column.limit:
        return None, f"longer than {column.limit} characters"
    if column.kind in ("bool", "choice") and not text:
        return None, None  # not given: the current value stays (a new record's default)
    if column.kind == "bool":
        return _bool_value(text)
    if column.kind == "choice":
        return _choice_value(column, text)
    if column.kind == "tags":
        return tuple(t.strip() for t in text.replace("|", ",").split(",") if t.strip()), None
    return text, None


def _row(sheet: Sheet, names: list[str | None], cells: tuple[str, ...], number: int) -> Row:
    values: dict[str, object] = {}
    for name, cell in zip(names, cells, strict=False):
        if name is not None:
            values[name] = cell
    return Row(sheet.kind, number, values)


def _typed(sheet: Sheet, row: Row) -> tuple[Row, list[Problem]]:
    values, problems = {}, []
    for name, raw in row.values.items():
        column = sheet.column(name)
        assert column is not None
        value, problem = _value(column, str(raw))
        if problem:
            problems.append(Problem(sheet.kind, row.number, problem, name))
        values[name] = value
    for key in sheet.key:
        if not str(row.values.get(key) or "").strip():
            problems.append(Problem(sheet.kind, row.number, "the key is empty", key))
    return Row(sheet.kind, row.number, values), problems


def parse_sheet(sheet: Sheet, table: Table, out: Parsed) -> None:
    """Read a sheet's rows into typed rows, naming every problem (a row with a problem is
    kept out); the same key twice in a sheet is a problem on the later row."""
    names, problems = _header(sheet, table)
    out.problems += problems
    seen: dict[str, int] = {}
    rows = out.rows.setdefault(sheet.kind, [])
    for offset, cells in enumerate(table.rows):
        number = table.first_row + offset
        if not any(c.strip() for c in cells):
            continue  # a blank line
        if len(cells) > len(names):
            extra = [c for c in cells[len(names) :] if c.strip()]
            if extra:
                out.problems.append(Problem(sheet.kind, number, "more cells than columns"))
                continue
        row, found = _typed(sheet, _row(sheet, names, cells, number))
        if row.key.lower() in seen and not found:
            found.append(Problem(sheet.kind, number, f"same key as row {seen[row.key.lower()]}"))
        seen.setdefault(row.key.lower(), number)
        out.problems += found
        if not found:
            rows.append(row)


def parse_workbook(tables: Mapping[str, Table]) -> Parsed:
    """Every sheet of a file (kind -> cells), in the order records depend on each other."""
    out = Parsed()
    total = sum(len(t.rows) for t in tables.values())
    if total > MAX_ROWS:
        out.problems.append(Problem("file", 0, f"{total:,} rows: at most {MAX_ROWS:,} at once"))
        return out
    for kind in KINDS:
        if kind in tables:
            parse_sheet(BY_KIND[kind], tables[kind], out)
    return out
