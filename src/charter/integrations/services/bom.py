"""ML-BOM use cases: export a system's AI bill of materials (CycloneDX 1.6, checked against
the official schema before it leaves), and import a vendor's ML-BOM into the vendor's models,
versions and datasets through the inventory's use cases, in one transaction."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from charter import __version__
from charter.integrations.domain.bom import BomDataset, BomModel, Estate, build_bom, read_bom
from charter.integrations.files import bom_problems
from charter.integrations.ports import Context, UnitOfWork
from charter.inventory import services as inventory
from charter.inventory.domain import Dataset, Model, ModelVersion, Vendor
from charter.kernel.access import Action, Actor, ensure
from charter.kernel.context import record
from charter.kernel.errors import Conflict, InvalidInput
from charter.kernel.lookups import require
from charter.kernel.records import changes


def _metrics(uow: UnitOfWork, system_id: str, version_ids: set[str]) -> dict[str, dict[str, str]]:
    """Each version's latest Charter evidence, as the model card's performance metrics."""
    out: dict[str, dict[str, str]] = {}
    for ev in uow.evidence.for_system(system_id):  # newest first
        if ev.model_version_id in version_ids and ev.model_version_id not in out:
            out[ev.model_version_id] = {r.metric: repr(r.value) for r in ev.results
                                        if r.value is not None}  # fmt: skip
    return out


def export_bom(ctx: Context, actor: Actor, system_id: str) -> dict[str, Any]:
    """The system's ML-BOM; a document that would break the schema is never handed out."""
    with ctx.uow() as uow:
        system = require(uow.systems, "system", system_id)
        ensure(actor, Action.READ, system.business_unit_id, system.id)
        models = uow.models.all(system_id=system.id)
        versions = (
            uow.model_versions.all(model_id=frozenset(m.id for m in models)) if models else []
        )
        ids = frozenset(v.training_dataset_id for v in versions if v.training_dataset_id)
        datasets = {d.id: d for d in uow.datasets.all(id=ids)} if ids else {}
        vendor_ids = frozenset(m.vendor_id for m in models if m.vendor_id)
        vendors = {v.id: v for v in uow.vendors.all(id=vendor_ids)} if vendor_ids else {}
        owners = frozenset(d.owner_id for d in datasets.values() if d.owner_id)
        names = {p.id: p.name for p in uow.people.all(id=owners)} if owners else {}
        metrics = _metrics(uow, system.id, {v.id for v in versions})
    estate = Estate(system, models, versions, datasets, vendors, metrics, names)
    doc = build_bom(estate, f"urn:uuid:{uuid.uuid4()}", ctx.clock(), __version__)
    problems = bom_problems(doc)
    if problems:  # fail closed: a bug, not the user's input
        raise RuntimeError(f"the ML-BOM of {system_id} breaks the schema: {problems[:3]}")
    return doc


@dataclass(frozen=True, slots=True)
class BomOutcome:
    kind: str  # vendor, dataset, model, version
    name: str
    action: str  # created, changed, unchanged
    id: str
    changes: dict[str, list[object]] = field(default_factory=dict)


@dataclass(slots=True)
class BomReport:
    serial: str
    vendor: str | None  # the vendor named for models whose component names no supplier
    dry_run: bool
    committed: bool = False
    outcomes: list[BomOutcome] = field(default_factory=list)
    vendors: dict[str, str] = field(default_factory=dict)  # name -> id, as resolved


def _vendor(
    ctx: Context, uow: UnitOfWork, actor: Actor, name: str | None, url: str, out: BomReport
) -> str | None:
    if not name:
        return None
    if name in out.vendors:
        return out.vendors[name]
    found = uow.vendors.all(name=name)
    if found:
        out.outcomes.append(BomOutcome("vendor", name, "unchanged", found[0].id))
    else:
        found = [inventory.add_vendor(ctx, uow, actor, Vendor(ctx.new_id("ven"), name, url))]
        out.outcomes.append(BomOutcome("vendor", name, "created", found[0].id))
    out.vendors[name] = found[0].id
    return found[0].id


def _dataset(ctx: Context, uow: UnitOfWork, actor: Actor, d: BomDataset, out: BomReport) -> str:
    fields: dict[str, Any] = {
        "source": d.source, "contains_personal_data": d.contains_personal_data,
        "special_category_data": d.special_category_data, "retention": d.retention,
    }  # fmt: skip
    found = uow.datasets.all(name=d.name)
    if not found:
        made = inventory.add_dataset(ctx, uow, actor, Dataset(ctx.new_id("ds"), d.name, None,
                                                              **fields))  # fmt: skip
        out.outcomes.append(BomOutcome("dataset", d.name, "created", made.id))
        return made.id
    after = inventory.change_dataset(ctx, uow, actor, found[0].id, fields)
    diff = changes(found[0], after, tuple(fields))
    out.outcomes.append(BomOutcome("dataset", d.name, "changed" if diff else "unchanged",
                                   after.id, diff))  # fmt: skip
    return after.id


def _model(
    ctx: Context, uow: UnitOfWork, actor: Actor, m: BomModel, system_id: str | None,
    out: BomReport,
) -> str:  # fmt: skip
    vendor_id = _vendor(ctx, uow, actor, m.supplier or out.vendor, m.supplier_url, out)
    found = uow.models.all(name=m.name)
    if not found:
        made = inventory.add_model(ctx, uow, actor, Model(ctx.new_id("mdl"), m.name, system_id,
                                                          m.description, vendor_id))  # fmt: skip
        out.outcomes.append(BomOutcome("model", m.name, "created", made.id))
        return made.id
    if found[0].vendor_id not in (None, vendor_id):
        raise Conflict(f"model {m.name!r} is already another vendor's", details={"field": "vendor"})
    values: dict[str, Any] = {"description": m.description, "vendor_id": vendor_id}
    if system_id:
        values["system_id"] = system_id
    after = inventory.change_model(ctx, uow, actor, found[0].id, values)
    diff = changes(found[0], after, tuple(values))
    out.outcomes.append(BomOutcome("model", m.name, "changed" if diff else "unchanged",
                                   after.id, diff))  # fmt: skip
    return after.id


def _version(
    ctx: Context, uow: UnitOfWork, actor: Actor, m: BomModel, model_id: str,
    datasets: Mapping[str, str], out: BomReport,
) -> None:  # fmt: skip
    assert m.version is not None
    label = f"{m.name} {m.version}"
    found = uow.model_versions.all(model_id=model_id, version=m.version)
    if found:  # a version is immutable: the same version number names the same artifact
        out.outcomes.append(BomOutcome("version", label, "unchanged", found[0].id))
        return
    trained = datasets.get(m.trained_on) if m.trained_on else None
    uri = m.artifact_uri or f"bom:{out.serial or 'unknown'}#{m.ref}"
    item = inventory.add_version(ctx, uow, actor, ModelVersion(
        ctx.new_id("mv"), model_id, m.version, uri, m.framework, trained))  # fmt: skip
    out.outcomes.append(BomOutcome("version", label, "created", item.id))


def import_bom(
    ctx: Context, actor: Actor, doc: Mapping[str, Any], vendor: str | None = None,
    system_id: str | None = None, dry_run: bool = False,
) -> BomReport:  # fmt: skip
    """Create or update the models, versions and datasets a (schema-checked) ML-BOM lists, all
    or nothing; a model is its component's supplier's (created when new), else `vendor`'s,
    else the BOM's supplier's. A dry run does the same and writes nothing."""
    problems = bom_problems(doc)
    if problems:
        raise InvalidInput(f"the BOM breaks the CycloneDX 1.6 schema in {len(problems)} place(s)",
                           details={"errors": problems})  # fmt: skip
    read = read_bom(doc)
    out = BomReport(read.serial, (vendor or "").strip()[:200] or read.supplier, dry_run)
    with ctx.uow() as uow:
        if system_id:
            require(uow.systems, "system", system_id)
        datasets = {d.ref: _dataset(ctx, uow, actor, d, out) for d in read.datasets}
        for m in read.models:
            model_id = _model(ctx, uow, actor, m, system_id, out)
            if m.version:
                _version(ctx, uow, actor, m, model_id, datasets, out)
        changed = [o for o in out.outcomes if o.action != "unchanged"]
        if changed and not dry_run:
            data = {"serial": read.serial[:100], "vendors": sorted(out.vendors),
                    "written": [[o.kind, o.name, o.action] for o in changed]}  # fmt: skip
            record(ctx, uow, actor, "bom.imported", "bom", read.serial[-36:] or "bom", data)
            uow.commit()
            out.committed = True
    return out
