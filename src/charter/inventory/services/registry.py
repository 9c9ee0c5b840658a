"""Use cases that change the AI inventory: systems, datasets, vendors (models and their
versions: models.py)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from typing import Any

from charter.inventory.domain import (
    CLASSIFIED_FIELDS,
    AISystem,
    Dataset,
    OperatorRole,
    RiskTier,
    Vendor,
    normalise_tags,
)
from charter.inventory.ports import Context, UnitOfWork
from charter.kernel.access import (
    PERMISSIONS,
    Action,
    Actor,
    allowed,
    ensure,
)
from charter.kernel.context import record, snapshot
from charter.kernel.errors import Forbidden, InvalidInput
from charter.kernel.lookups import (
    check_fields,
    ensure_unique,
    hold,
    optional_person_id,
    require,
    unit_id,
)
from charter.kernel.names import near_names, require_name
from charter.kernel.records import changes
from charter.kernel.visibility import visibility

SYSTEM_FIELDS = (
    "name",
    "purpose",
    "intended_use",
    "business_unit_id",
    "owner_id",
    "operator_role",
    "risk_tier",
    "deployment_context",
    "vendor_id",
    "tags",
    "official_suite",
)


NULLABLE_SYSTEM_FIELDS = frozenset({"owner_id", "vendor_id"})


def _resolve_refs(uow: UnitOfWork, system: AISystem) -> AISystem:
    """The system with its unit and owner named by id (given by id, e-mail or name)."""
    if system.vendor_id is not None:
        require(uow.vendors, "vendor", system.vendor_id)
    return replace(
        system,
        business_unit_id=unit_id(uow.units, system.business_unit_id),
        owner_id=optional_person_id(uow.people, system.owner_id),
    )


def ensure_active_owner(
    uow: UnitOfWork, owner_id: str | None, held: str | None = None, field: str = "owner_id"
) -> None:
    """A person named anew (an owner, a sponsor: `field`) is someone still with the
    organisation. The one a record already has (`held`) stays while nobody changes it, even
    after they left: editing other fields must not wait for a new one."""
    if owner_id is None or owner_id == held:
        return
    person = uow.people.get(owner_id)
    # accountability's record says whether they are still here; one that does not is refused
    if person is not None and getattr(person, "active", False) is not True:
        raise InvalidInput(
            f"{field.removesuffix('_id')}: {person.name} ({person.id}) is inactive (has left "
            "the organisation): name an active person",
            details={"field": field,
                     "errors": [{"loc": [field], "msg": "the person is inactive"}]},
        )  # fmt: skip


def clean_system(system: AISystem) -> AISystem:
    return replace(
        system,
        name=require_name(system.name),
        purpose=require_name(system.purpose, "purpose", 4000),
        operator_role=OperatorRole(system.operator_role),
        risk_tier=RiskTier(system.risk_tier),
        tags=normalise_tags(system.tags),
        official_suite=system.official_suite.strip(),
    )


def _check_rights(
    uow: UnitOfWork, actor: Actor, before: AISystem, after: AISystem, diff: dict[str, list[object]]
) -> None:
    """Descriptive fields need inventory rights (in both units when moved); the fields that
    decide which policies apply (the tier, the operator role, and any change that switches a
    policy on or off) need the classification right."""
    if set(diff) - set(CLASSIFIED_FIELDS):
        ensure(actor, Action.INVENTORY_WRITE, before.business_unit_id, before.id)
    if after.business_unit_id != before.business_unit_id:
        ensure(actor, Action.INVENTORY_WRITE, after.business_unit_id)
    if allowed(actor, Action.RISK_CLASSIFY, before.business_unit_id, before.id):
        return
    classified = [f for f in CLASSIFIED_FIELDS if f in diff]
    if classified:
        raise Forbidden(
            f"changing {', '.join(classified)} needs the classification right "
            f"(one of: {_classifiers()})"
        )
    switched = uow.applicability.switched(before, after) if diff else []
    if switched:
        raise Forbidden(
            f"this change to {', '.join(sorted(diff))} switches policies on or off "
            f"({', '.join(switched)}): it needs the classification right (one of: "
            f"{_classifiers()})"
        )


def _classifiers() -> str:
    return ", ".join(sorted(r.value for r in PERMISSIONS[Action.RISK_CLASSIFY]))


@dataclass(frozen=True, slots=True)
class Registered:
    """A system just registered, and the systems whose names read almost as its name does
    (id, name): registered all the same, flagged for the person to check."""

    system: AISystem
    similar: tuple[tuple[str, str], ...] = ()


def register_system(ctx: Context, actor: Actor, **values: Any) -> Registered:
    """Register a system; it starts as proposed and unclassified unless a tier is given. A
    name another system holds, case and spacing aside, is refused; a near one the caller
    may read is flagged."""
    check_fields("system", values, SYSTEM_FIELDS, NULLABLE_SYSTEM_FIELDS)
    missing = [f for f in ("name", "purpose", "business_unit_id") if not values.get(f)]
    if missing:
        raise InvalidInput(f"missing system field(s): {', '.join(missing)}")
    values.setdefault("owner_id", None)
    system = clean_system(AISystem(id=ctx.new_id("sys"), **values))
    with ctx.uow() as uow:
        system = add_system(ctx, uow, actor, system)
        seen = visibility(actor)  # near names only among the systems the caller may read
        others = [(s.id, s.name) for s in uow.systems.all()
                  if s.id != system.id and seen.sees(s.business_unit_id, s.id)]  # fmt: skip
        similar = near_names(system.name, others)
        uow.commit()
    return Registered(system, tuple(similar))


def add_system(ctx: Context, uow: UnitOfWork, actor: Actor, system: AISystem) -> AISystem:
    """Register a checked system inside the caller's transaction (also used by use cases
    that become systems); the system as stored, its unit and owner named by id."""
    system = _resolve_refs(uow, system)
    ensure(actor, Action.INVENTORY_WRITE, system.business_unit_id)
    ensure_active_owner(uow, system.owner_id)
    if system.risk_tier is not RiskTier.UNCLASSIFIED or system.official_suite:
        ensure(actor, Action.RISK_CLASSIFY, system.business_unit_id)
    ensure_unique(uow.systems, "system", "name", system.name)
    uow.systems.add(system)
    record(ctx, uow, actor, "system.registered", "system", system.id, snapshot(system))
    return system


def update_system(ctx: Context, actor: Actor, system_id: str, **values: Any) -> AISystem:
    """Change descriptive fields. The stage changes only through transitions."""
    with ctx.uow() as uow:
        after = change_system(ctx, uow, actor, system_id, values)
        uow.commit()
    return after


def change_system(
    ctx: Context, uow: UnitOfWork, actor: Actor, system_id: str, values: Mapping[str, Any]
) -> AISystem:
    """Change a system's descriptive fields inside the caller's transaction (the system held
    first); nothing is written when nothing changes."""
    hint = " (the stage changes by lifecycle transitions)" if "stage" in values else ""
    check_fields("system", values, SYSTEM_FIELDS, NULLABLE_SYSTEM_FIELDS, hint)
    before = hold(uow.systems, "system", system_id)
    ensure(actor, Action.READ, before.business_unit_id, system_id)
    after = _resolve_refs(uow, clean_system(replace(before, **values)))
    diff = changes(before, after, SYSTEM_FIELDS)
    _check_rights(uow, actor, before, after, diff)
    ensure_active_owner(uow, after.owner_id, before.owner_id)
    ensure_unique(uow.systems, "system", "name", after.name, except_id=system_id)
    if diff:
        uow.systems.update(after)
        record(ctx, uow, actor, "system.updated", "system", system_id, diff)
    return after


def register_vendor(
    ctx: Context, actor: Actor, name: str, website: str = "", contact: str = "", notes: str = ""
) -> Vendor:
    vendor = Vendor(ctx.new_id("ven"), name, website, contact, notes)
    with ctx.uow() as uow:
        vendor = add_vendor(ctx, uow, actor, vendor)
        uow.commit()
    return vendor


def _clean_vendor(vendor: Vendor) -> Vendor:
    return Vendor(
        vendor.id,
        require_name(vendor.name),
        vendor.website.strip(),
        vendor.contact.strip(),
        vendor.notes.strip(),
    )


def add_vendor(ctx: Context, uow: UnitOfWork, actor: Actor, vendor: Vendor) -> Vendor:
    """Register a vendor inside the caller's transaction."""
    ensure(actor, Action.INVENTORY_WRITE)
    vendor = _clean_vendor(vendor)
    ensure_unique(uow.vendors, "vendor", "name", vendor.name)
    uow.vendors.add(vendor)
    record(ctx, uow, actor, "vendor.registered", "vendor", vendor.id, snapshot(vendor))
    return vendor


VENDOR_FIELDS = ("name", "website", "contact", "notes")


def change_vendor(
    ctx: Context, uow: UnitOfWork, actor: Actor, vendor_id: str, values: Mapping[str, Any]
) -> Vendor:
    """Change a vendor's fields inside the caller's transaction (the vendor held first; only
    the fields that change are written and audited)."""
    ensure(actor, Action.INVENTORY_WRITE)
    check_fields("vendor", values, VENDOR_FIELDS)
    before = hold(uow.vendors, "vendor", vendor_id)
    after = _clean_vendor(replace(before, **values))
    ensure_unique(uow.vendors, "vendor", "name", after.name, except_id=vendor_id)
    diff = changes(before, after, VENDOR_FIELDS)
    if diff:
        uow.vendors.update(after)
        record(ctx, uow, actor, "vendor.updated", "vendor", vendor_id, diff)
    return after


def update_vendor(ctx: Context, actor: Actor, vendor_id: str, **values: Any) -> Vendor:
    """Change a vendor's fields (name, website, contact, notes)."""
    with ctx.uow() as uow:
        after = change_vendor(ctx, uow, actor, vendor_id, values)
        uow.commit()
    return after


def register_dataset(
    ctx: Context, actor: Actor, name: str, owner_id: str | None = None, **values: Any
) -> Dataset:
    check_fields("dataset", values, set(DATASET_FIELDS) - {"name", "owner_id"})
    with ctx.uow() as uow:
        dataset = add_dataset(ctx, uow, actor, Dataset(ctx.new_id("ds"), name, owner_id, **values))
        uow.commit()
    return dataset


DATASET_FIELDS = tuple(f.name for f in fields(Dataset) if f.name != "id")


def _clean_dataset(uow: UnitOfWork, dataset: Dataset) -> Dataset:
    return replace(
        dataset,
        name=require_name(dataset.name),
        owner_id=optional_person_id(uow.people, dataset.owner_id),
    )


def add_dataset(ctx: Context, uow: UnitOfWork, actor: Actor, dataset: Dataset) -> Dataset:
    """Register a dataset inside the caller's transaction."""
    ensure(actor, Action.INVENTORY_WRITE)
    dataset = _clean_dataset(uow, dataset)
    ensure_active_owner(uow, dataset.owner_id)
    ensure_unique(uow.datasets, "dataset", "name", dataset.name)
    uow.datasets.add(dataset)
    record(ctx, uow, actor, "dataset.registered", "dataset", dataset.id, snapshot(dataset))
    return dataset


def change_dataset(
    ctx: Context, uow: UnitOfWork, actor: Actor, dataset_id: str, values: Mapping[str, Any]
) -> Dataset:
    """Change a dataset's fields inside the caller's transaction (the dataset held first;
    only the fields that change are written and audited)."""
    ensure(actor, Action.INVENTORY_WRITE)
    check_fields("dataset", values, DATASET_FIELDS, {"owner_id"})
    before = hold(uow.datasets, "dataset", dataset_id)
    after = _clean_dataset(uow, replace(before, **values))
    ensure_active_owner(uow, after.owner_id, before.owner_id)
    ensure_unique(uow.datasets, "dataset", "name", after.name, except_id=dataset_id)
    diff = changes(before, after, DATASET_FIELDS)
    if diff:
        uow.datasets.update(after)
        record(ctx, uow, actor, "dataset.updated", "dataset", dataset_id, diff)
    return after


def update_dataset(ctx: Context, actor: Actor, dataset_id: str, **values: Any) -> Dataset:
    """Change a dataset's fields (its owner, source, personal data, retention)."""
    with ctx.uow() as uow:
        after = change_dataset(ctx, uow, actor, dataset_id, values)
        uow.commit()
    return after
