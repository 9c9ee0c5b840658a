"""Bulk import of the inventory and the organisation from a spreadsheet: every row goes
through the same use cases (and permissions) as one typed in, all in one transaction that is
committed only when no row has a problem. A dry run does exactly the same and rolls back, so
what it shows is what the import would do."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, cast

from charter.accountability.domain.org import BusinessUnit, Person
from charter.accountability.domain.raci import Activity, RaciLetter
from charter.accountability.services import org, raci
from charter.integrations.domain.sheets import (
    BY_KIND,
    KINDS,
    Parsed,
    Problem,
    Row,
    Table,
    parse_workbook,
)
from charter.integrations.ports import Context, UnitOfWork
from charter.integrations.services.cached import Cached
from charter.inventory import services as inventory
from charter.inventory.domain import AISystem, Dataset, Model, ModelVersion, Vendor
from charter.kernel.access import Actor, ensure_member
from charter.kernel.context import record
from charter.kernel.errors import CharterError, Forbidden, InvalidInput
from charter.kernel.records import changes


@dataclass(frozen=True, slots=True)
class Outcome:
    sheet: str
    row: int
    key: str
    action: str  # created, changed, unchanged
    id: str
    changes: dict[str, list[object]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ImportReport:
    source: str
    dry_run: bool
    committed: bool
    outcomes: list[Outcome]
    problems: list[Problem]

    @property
    def forbidden(self) -> bool:
        """Whether a row was refused for the importer's rights (403 / exit 6, not 422 / 3)."""
        return any(p.forbidden for p in self.problems)

    @property
    def counts(self) -> dict[str, dict[str, int]]:
        out: dict[str, dict[str, int]] = {k: {} for k in KINDS}
        for o in self.outcomes:
            out[o.sheet][o.action] = out[o.sheet].get(o.action, 0) + 1
        for p in self.problems:
            if p.sheet in out:
                out[p.sheet]["refused"] = out[p.sheet].get("refused", 0) + 1
        return {k: v for k, v in out.items() if v}


Applied = tuple[str, str, dict[str, list[object]]]  # action, id, changes


def _one(repo: Any, kind: str, field_: str, value: object) -> Any:
    found = repo.all(**{field_: value})
    if not found:
        raise InvalidInput(f"{kind} {value!r} does not exist (nor does this file create it)")
    return found[0]


def _ref(uow: UnitOfWork, values: Mapping[str, object], column: str) -> str | None:
    """The id of the record a reference column names; an empty cell is no reference."""
    name = values.get(column)
    if not name:
        return None
    repo, kind, key = {
        "business_unit": (uow.units, "business unit", "name"),
        "owner": (uow.people, "person", "email"),
        "person": (uow.people, "person", "email"),
        "vendor": (uow.vendors, "vendor", "name"),
        "system": (uow.systems, "system", "name"),
        "training_dataset": (uow.datasets, "dataset", "name"),
    }[column]
    value = str(name).strip().lower() if key == "email" else name
    return str(_one(repo, kind, key, value).id)


def _fields(
    uow: UnitOfWork, values: Mapping[str, object], refs: Mapping[str, str]
) -> dict[str, Any]:
    """The record's fields from a row: references resolved, choices not given left out."""
    out: dict[str, Any] = {}
    for column, value in values.items():
        if column in refs:
            out[refs[column]] = _ref(uow, values, column)
        elif value is not None:
            out[column] = value
    return out


def _needs(kind: str, values: Mapping[str, object]) -> None:
    missing = [c.name for c in BY_KIND[kind].columns if c.required and not values.get(c.name)]
    if missing:
        raise InvalidInput(f"to create it, give {', '.join(missing)}")


def _upsert(
    found: Any,
    fields: dict[str, Any],
    diffed: tuple[str, ...],
    create: Callable[[dict[str, Any]], Any],
    change: Callable[[str, dict[str, Any]], Any],
) -> Applied:
    if found is None:
        return "created", create(fields).id, {}
    after = change(found.id, fields)
    diff = changes(found, after, diffed)
    return ("changed" if diff else "unchanged"), found.id, diff


def _first(repo: Any, **by: object) -> Any:
    found = repo.all(**by)
    return found[0] if found else None


def _unit(ctx: Context, uow: UnitOfWork, actor: Actor, row: Row) -> Applied:
    f = _fields(uow, row.values, {})

    def create(v: dict[str, Any]) -> BusinessUnit:
        return org.add_unit(ctx, uow, actor, BusinessUnit(ctx.new_id("bu"), **v))

    def change(ident: str, v: dict[str, Any]) -> BusinessUnit:
        return org.change_unit(ctx, uow, actor, ident, v)

    return _upsert(_first(uow.units, name=f["name"]), f, ("name", "description"), create, change)


def _person(ctx: Context, uow: UnitOfWork, actor: Actor, row: Row) -> Applied:
    f = _fields(uow, row.values, {"business_unit": "business_unit_id"})
    f["email"] = str(f["email"]).strip().lower()

    def create(v: dict[str, Any]) -> Person:
        _needs("people", row.values)
        return org.add_person(ctx, uow, actor, Person(ctx.new_id("p"), **v))

    return _upsert(
        _first(uow.people, email=f["email"]), f, org.PERSON_FIELDS, create,
        lambda i, v: org.change_person(ctx, uow, actor, i, v),
    )  # fmt: skip


def _vendor(ctx: Context, uow: UnitOfWork, actor: Actor, row: Row) -> Applied:
    f = _fields(uow, row.values, {})
    return _upsert(
        _first(uow.vendors, name=f["name"]), f, inventory.VENDOR_FIELDS,
        lambda v: inventory.add_vendor(ctx, uow, actor, Vendor(ctx.new_id("ven"), **v)),
        lambda i, v: inventory.change_vendor(ctx, uow, actor, i, v),
    )  # fmt: skip


def _dataset(ctx: Context, uow: UnitOfWork, actor: Actor, row: Row) -> Applied:
    f = _fields(uow, row.values, {"owner": "owner_id"})

    def create(v: dict[str, Any]) -> Dataset:
        v.setdefault("owner_id", None)
        return inventory.add_dataset(ctx, uow, actor, Dataset(ctx.new_id("ds"), **v))

    return _upsert(
        _first(uow.datasets, name=f["name"]), f, inventory.DATASET_FIELDS, create,
        lambda i, v: inventory.change_dataset(ctx, uow, actor, i, v),
    )  # fmt: skip


SYSTEM_REFS = {"business_unit": "business_unit_id", "owner": "owner_id", "vendor": "vendor_id"}


def _system(ctx: Context, uow: UnitOfWork, actor: Actor, row: Row) -> Applied:
    f = _fields(uow, row.values, SYSTEM_REFS)

    def create(v: dict[str, Any]) -> AISystem:
        _needs("systems", row.values)
        v.setdefault("owner_id", None)
        system = inventory.clean_system(AISystem(id=ctx.new_id("sys"), **v))
        inventory.add_system(ctx, uow, actor, system)
        return system

    return _upsert(
        _first(uow.systems, name=f["name"]), f, inventory.SYSTEM_FIELDS, create,
        lambda i, v: inventory.change_system(ctx, uow, actor, i, v),
    )  # fmt: skip


MODEL_REFS = {"system": "system_id", "vendor": "vendor_id"}
VERSION_COLUMNS = ("version", "artifact_uri", "framework", "training_dataset")


def _model(ctx: Context, uow: UnitOfWork, actor: Actor, row: Row) -> Applied:
    values = {k: v for k, v in row.values.items() if k not in VERSION_COLUMNS}
    f = _fields(uow, values, MODEL_REFS)

    def create(v: dict[str, Any]) -> Model:
        v.setdefault("system_id", None)
        return inventory.add_model(ctx, uow, actor, Model(ctx.new_id("mdl"), **v))

    action, model_id, diff = _upsert(
        _first(uow.models, name=f["name"]), f, inventory.MODEL_FIELDS, create,
        lambda i, v: inventory.change_model(ctx, uow, actor, i, v),
    )  # fmt: skip
    version = str(row.values.get("version") or "")
    if version and not uow.model_versions.all(model_id=model_id, version=version):
        item = ModelVersion(
            ctx.new_id("mv"), model_id, version, str(row.values.get("artifact_uri") or ""),
            str(row.values.get("framework") or ""), _ref(uow, row.values, "training_dataset"),
        )  # fmt: skip
        inventory.add_version(ctx, uow, actor, item)
        diff["versions"] = [None, version]
        action = "changed" if action == "unchanged" else action
    return action, model_id, diff


APPLY: dict[str, Callable[[Context, UnitOfWork, Actor, Row], Applied]] = {
    "units": _unit,
    "people": _person,
    "vendors": _vendor,
    "datasets": _dataset,
    "systems": _system,
    "models": _model,
}


def _raci(ctx: Context, uow: UnitOfWork, actor: Actor, rows: list[Row], out: _Run) -> None:
    """RACI rows grouped by system and activity: each group replaces that activity's RACI."""
    groups: dict[tuple[str, str], list[Row]] = {}
    for row in rows:
        groups.setdefault((str(row.values["system"]), str(row.values["activity"])), []).append(row)
    for (system_name, activity), members in groups.items():
        first = members[0]
        try:
            system = _one(uow.systems, "system", "name", system_name)
            pairs = [
                (str(_ref(uow, r.values, "person")), RaciLetter(str(r.values["letter"])))
                for r in members
            ]
            before = sorted(
                [e.person_id, e.letter.value]
                for e in uow.raci.for_system(system.id)
                if e.activity.value == activity
            )
            raci.replace_activity(ctx, uow, actor, system.id, Activity(activity), pairs)
        except CharterError as exc:
            out.problems.append(
                Problem("raci", first.number, exc.message, forbidden=isinstance(exc, Forbidden))
            )
            continue
        after = sorted([p, letter.value] for p, letter in pairs)
        action = "unchanged" if before == after else "created" if not before else "changed"
        diff: dict[str, list[object]] = {} if before == after else {"raci": [before, after]}
        key = f"{system_name} / {activity}"
        out.outcomes.append(Outcome("raci", first.number, key, action, system.id, diff))


@dataclass(slots=True)
class _Run:
    outcomes: list[Outcome] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def _apply(ctx: Context, uow: UnitOfWork, actor: Actor, parsed: Parsed, out: _Run) -> None:
    for kind in KINDS:
        rows = parsed.rows.get(kind, [])
        if kind == "raci":
            _raci(ctx, uow, actor, rows, out)
            continue
        for row in rows:
            try:
                action, ident, diff = APPLY[kind](ctx, uow, actor, row)
            except CharterError as exc:
                column = exc.details.get("field")
                out.problems.append(
                    Problem(
                        kind,
                        row.number,
                        exc.message,
                        str(column) if column else None,
                        isinstance(exc, Forbidden),
                    )
                )
                continue
            out.outcomes.append(Outcome(kind, row.number, row.key, action, ident, diff))


def import_records(
    ctx: Context, actor: Actor, source: str, tables: Mapping[str, Table], dry_run: bool = False
) -> ImportReport:
    """Import a file's sheets in one transaction: every row through its use case, every
    problem listed with its row; committed only when there is none and it is not a dry run."""
    ensure_member(actor)
    parsed = parse_workbook(tables)
    out = _Run(problems=list(parsed.problems))
    with ctx.uow() as uow:
        _apply(ctx, cast(UnitOfWork, Cached(uow)), actor, parsed, out)
        out.problems.sort(key=lambda p: (KINDS.index(p.sheet) if p.sheet in KINDS else -1, p.row))
        commit = not dry_run and not out.problems and bool(out.outcomes)
        report = ImportReport(source, dry_run, commit, out.outcomes, out.problems)
        if commit:
            data = {"source": source[:200], "counts": report.counts}
            record(ctx, uow, actor, "import.applied", "import", ctx.new_id("imp"), data)
            uow.commit()
    return report
