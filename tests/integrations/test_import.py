"""Bulk import: hand-made files with every kind of error, all or nothing, a dry run that does
what the real run does, updates, Excel and semicolon CSV, RACI."""

from __future__ import annotations

import io
from typing import Any

import pytest
from openpyxl import Workbook

from charter.integrations import files
from charter.integrations.services.imports import ImportReport, import_records
from charter.kernel.errors import InvalidInput
from charter.kernel.roles import RoleKind as R
from charter.wiring import Context
from tests.factory import World


def _csv(kind: str, text: str) -> dict[str, files.Table]:
    return files.read_import(f"{kind}.csv", text.encode())


def _audit_size(ctx: Context) -> int:
    with ctx.uow() as uow:
        return uow.audit.size()


def _count(ctx: Context, repo: str) -> int:
    with ctx.uow() as uow:
        return len(getattr(uow, repo).all())


def _problems(report: ImportReport) -> list[tuple[str, int, str | None, str]]:
    return [(p.sheet, p.row, p.column, p.message) for p in report.problems]


def _workbook(sheets: dict[str, list[list[Any]]]) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


BAD_SYSTEMS = (
    "name,purpose,business_unit,owner,operator_role,risk_tier,tags,colour\n"
    "Good,Scores,Retail,,provider,,a,\n"
    ",No name,Retail,,,,,\n"  # empty key
    "Bad role,Scores,Retail,,landlord,,,\n"  # not a choice
    "No unit,Scores,Atlantis,,,,,\n"  # unknown reference
    "No owner,Scores,Retail,nobody@example.org,,,,\n"  # unknown person
    "Good,Again,Retail,,,,,\n"  # same key twice
    "No purpose,,Retail,,,,,\n"  # needed to create
    "Tiered,Scores,Retail,,,high,,\n"  # the tier needs a classifier's right
    "Extra,Scores,Retail,,,,,,surplus\n"  # more cells than columns
)


def test_every_problem_is_listed_with_its_row_and_nothing_is_written(
    ctx: Context, world: World
) -> None:
    before = _audit_size(ctx), _count(ctx, "systems")
    report = import_records(
        ctx, world.actor(R.PROGRAM_MANAGER), "systems.csv", _csv("systems", BAD_SYSTEMS)
    )
    found = _problems(report)
    assert not report.committed
    assert (_audit_size(ctx), _count(ctx, "systems")) == before  # nothing half-written
    assert found[0][:2] == ("systems", 1) and "unknown column 'colour'" in found[0][3]
    by_row = {row: message for _, row, _, message in found[1:]}
    assert by_row[3] == "the key is empty"
    assert "'landlord' is not one of provider" in by_row[4]
    assert by_row[5] == "business unit 'Atlantis' does not exist (nor does this file create it)"
    assert "person 'nobody@example.org' does not exist" in by_row[6]
    assert by_row[7] == "same key as row 2"
    assert by_row[8] == "to create it, give purpose"
    assert "may not risk classify" in by_row[9]
    assert by_row[10] == "more cells than columns"
    assert [o.row for o in report.outcomes] == [2]  # the good row, done and rolled back


def test_refusals_of_every_sheet_at_once_and_audit_counts_unchanged(
    ctx: Context, world: World
) -> None:
    book = _workbook(
        {
            "units": [["name", "description"], ["New unit", "x" * 4001]],
            "people": [["email", "name", "active"], ["not-an-email", "Bo", "maybe"]],
            "datasets": [
                ["name", "contains_personal_data", "special_category_data"],
                ["Health", "no", "yes"],
            ],
            "raci": [
                ["system", "activity", "person", "letter"],
                ["Nowhere", "design", "x@example.org", "A"],
                ["Nowhere", "dancing", "x@example.org", "Q"],
            ],
        }
    )
    before = _audit_size(ctx)
    report = import_records(
        ctx, world.actor(R.DATA_SCIENTIST), "book.xlsx", files.read_import("book.xlsx", book)
    )
    messages = [str(p) for p in report.problems]
    assert messages == [
        "units row 2 (description): longer than 4000 characters",
        "people row 2 (active): 'maybe' is not yes or no",
        "datasets row 2 (special_category_data): special-category data is personal data: "
        "set contains_personal_data too",
        "raci row 2: system 'Nowhere' does not exist (nor does this file create it)",
        "raci row 3 (activity): 'dancing' is not one of design, data_preparation, validation, "
        "deployment_approval, monitoring, incident_response, retirement",
        "raci row 3 (letter): 'Q' is not one of R, A, C, I",
    ]
    assert _audit_size(ctx) == before


def _comparable(report: ImportReport) -> list[tuple[str, int, str, str]]:
    return [(o.sheet, o.row, o.key, o.action) for o in report.outcomes]


FULL = {
    "units": [["name", "description"], ["Lending", "Loans"]],
    "people": [
        ["email", "name", "business_unit", "title"],
        ["Ana@Example.org", "Ana Souza", "Lending", "Head of credit"],
        ["bo@example.org", "Bo Berg", "Lending", ""],
    ],
    "vendors": [["name", "website"], ["Acme AI", "https://acme.example"]],
    "datasets": [
        ["name", "owner", "contains_personal_data"],
        ["loans-2025", "ana@example.org", "yes"],
    ],
    "systems": [
        ["name", "purpose", "business_unit", "owner", "vendor", "tags"],
        ["Credit scoring", "Scores loans", "Lending", "ana@example.org", "Acme AI",
         "credit, retail"],
    ],
    "models": [
        ["name", "system", "version", "artifact_uri", "training_dataset"],
        ["credit-gbm", "Credit scoring", "1", "s3://m/1", "loans-2025"],
    ],
    "raci": [
        ["system", "activity", "person", "letter"],
        ["Credit scoring", "design", "bo@example.org", "R"],
        ["Credit scoring", "design", "ana@example.org", "A"],
    ],
}  # fmt: skip


def test_dry_run_does_what_the_real_run_does_and_writes_nothing(ctx: Context, world: World) -> None:
    tables = files.read_import("org.xlsx", _workbook(FULL))
    caio = world.actor(R.CHIEF_AI_OFFICER)
    before = _audit_size(ctx)
    dry = import_records(ctx, caio, "org.xlsx", tables, dry_run=True)
    assert dry.problems == [] and not dry.committed
    assert _audit_size(ctx) == before and _count(ctx, "systems") == 0
    real = import_records(ctx, caio, "org.xlsx", tables)
    assert real.committed and _comparable(real) == _comparable(dry)
    assert {k: v for k, v in real.counts.items()} == {
        "units": {"created": 1}, "people": {"created": 2}, "vendors": {"created": 1},
        "datasets": {"created": 1}, "systems": {"created": 1}, "models": {"created": 1},
        "raci": {"created": 1},
    }  # fmt: skip
    # one event per record, one for the version, one for the RACI, one for the import
    assert _audit_size(ctx) == before + 7 + 1 + 1 + 1
    with ctx.uow() as uow:
        (system,) = uow.systems.all(name="Credit scoring")
        (ana,) = uow.people.all(email="ana@example.org")
        (version,) = uow.model_versions.all()
        assert system.owner_id == ana.id and system.tags == ("credit", "retail")
        assert uow.datasets.get(str(version.training_dataset_id)).name == "loans-2025"  # type: ignore[union-attr]
        assert {e.letter.value for e in uow.raci.for_system(system.id)} == {"R", "A"}


def test_a_second_import_changes_only_what_differs(ctx: Context, world: World) -> None:
    caio = world.actor(R.CHIEF_AI_OFFICER)
    import_records(ctx, caio, "org.xlsx", files.read_import("org.xlsx", _workbook(FULL)))
    size = _audit_size(ctx)
    again = import_records(ctx, caio, "org.xlsx", files.read_import("org.xlsx", _workbook(FULL)))
    assert {o.action for o in again.outcomes} == {"unchanged"}
    assert _audit_size(ctx) == size + 1  # only the import's own event
    text = "name;purpose\nCredit scoring;Scores loans and cards\n"  # semicolons, two columns
    changed = import_records(ctx, caio, "systems.csv", _csv("systems", text))
    (outcome,) = changed.outcomes
    assert outcome.action == "changed"
    assert outcome.changes == {"purpose": ["Scores loans", "Scores loans and cards"]}
    with ctx.uow() as uow:
        (system,) = uow.systems.all(name="Credit scoring")
    assert system.tags == ("credit", "retail")  # a column left out is left as it is


def test_the_template_imports_as_it_is(ctx: Context, world: World) -> None:
    tables = files.read_xlsx(files.template_xlsx())
    assert set(tables) == {"units", "people", "vendors", "datasets", "systems", "models", "raci"}
    report = import_records(ctx, world.admin, "template.xlsx", tables, dry_run=True)
    refused = {p.sheet for p in report.problems}
    assert refused == {"vendors", "datasets", "systems", "models", "raci"}  # not an admin's
    report = import_records(ctx, world.actor(R.CHIEF_AI_OFFICER), "t.xlsx", tables, True)
    assert report.problems == [] and len(report.outcomes) == 7
    for kind in tables:
        csv = files.template_csv(kind, ";")
        assert files.read_import(f"{kind}.csv", csv.encode())[kind].header == tables[kind].header


def test_files_that_cannot_be_read_are_refused_by_name() -> None:
    for name, data, words in [
        ("systems.csv", b"\xff\xfe\x00", "is not UTF-8"),
        ("things.csv", b"name\nx\n", "say which records things.csv holds"),
        ("book.xlsx", b"PK\x03\x04 not a zip", "is not an Excel .xlsx file"),
        ("systems.csv", b"", "is empty"),
    ]:
        with pytest.raises(InvalidInput, match=words):
            files.read_import(name, data)
    book = _workbook({"systems": [["name"]], "Sheet9": [["x"]]})
    with pytest.raises(InvalidInput, match="sheet 'Sheet9' is not one of units"):
        files.read_import("b.xlsx", book)


def test_a_person_may_not_raise_a_role_through_an_import(ctx: Context, world: World) -> None:
    """People rows go through the same use case: only organisation writers create people."""
    text = "email,name\neve@example.org,Eve\n"
    report = import_records(ctx, world.actor(R.DATA_SCIENTIST), "people.csv", _csv("people", text))
    assert "may not org write" in report.problems[0].message
    assert _count(ctx, "people") == len(world.people)


def test_a_name_that_reads_as_another_is_refused_with_its_row(ctx: Context, world: World) -> None:
    """The import finds names as people read them without reading every record row after
    row: one already stored, and one an earlier row of the file."""
    caio = world.actor(R.CHIEF_AI_OFFICER)
    first = "name,purpose,business_unit\nCredit scoring,Scores loans,Retail\n"
    assert import_records(ctx, caio, "systems.csv", _csv("systems", first)).committed
    text = (
        "name,purpose,business_unit\n"
        "CREDIT  Scoring,Scores again,Retail\n"  # the stored one, read otherwise
        "Churn,Predicts churn,Retail\n"
        "churn ,Again,Retail\n"  # an earlier row of this file
    )
    report = import_records(ctx, caio, "systems.csv", _csv("systems", text))
    found = {row: message for _, row, _, message in _problems(report)}
    assert not report.committed
    assert "'Credit scoring': names are compared ignoring case" in found[2]
    assert found[4] == "same key as row 3"
    assert set(found) == {2, 4}
