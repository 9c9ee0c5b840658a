"""A system's AI bill of materials as CycloneDX 1.6 (https://cyclonedx.org/docs/1.6/json/):
the system is the BOM's subject, each model version a `machine-learning-model` component with
a `modelCard` from Charter's records, each dataset a `data` component, and the dependencies
between them. And the other way: a vendor's ML-BOM read into the models, versions and datasets
Charter keeps. Pure: records in, a JSON-ready mapping out, and back.

What Charter keeps and a round trip carries unchanged: a model's name and description, each
version's version, artifact URI, framework and training dataset; a dataset's name, source,
personal and special-category flags and retention. Charter's own values without a CycloneDX
field travel as `charter:` properties."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from charter.inventory.domain import AISystem, Dataset, Model, ModelVersion, Vendor
from charter.kernel.errors import InvalidInput

SPEC = "1.6"
PREFIX = "charter:"


@dataclass(frozen=True, slots=True)
class Estate:
    """What a system's BOM is made of."""

    system: AISystem
    models: Sequence[Model]
    versions: Sequence[ModelVersion]
    datasets: Mapping[str, Dataset]  # by id
    vendors: Mapping[str, Vendor]  # by id
    metrics: Mapping[str, Mapping[str, str]] = field(default_factory=dict)  # version id ->
    owners: Mapping[str, str] = field(default_factory=dict)  # person id -> name


def _props(**values: object) -> list[dict[str, str]]:
    return [{"name": PREFIX + k, "value": str(v).lower() if isinstance(v, bool) else str(v)}
            for k, v in values.items() if v not in (None, "")]  # fmt: skip


def _dataset(d: Dataset, owners: Mapping[str, str]) -> dict[str, Any]:
    entry: dict[str, Any] = {"type": "dataset", "name": d.name,
                             "classification": _classification(d)}  # fmt: skip
    if d.source:
        entry["contents"] = {"url": d.source}
    if d.owner_id and d.owner_id in owners:
        entry["governance"] = {"owners": [{"contact": {"name": owners[d.owner_id]}}]}
    return {
        "type": "data", "bom-ref": f"dataset:{d.id}", "name": d.name, "data": [entry],
        "properties": _props(contains_personal_data=d.contains_personal_data,
                             special_category_data=d.special_category_data,
                             retention=d.retention, source=d.source),
    }  # fmt: skip


def _classification(d: Dataset) -> str:
    if d.special_category_data:
        return "special category personal data"
    return "personal data" if d.contains_personal_data else "no personal data"


def _card(system: AISystem, v: ModelVersion, metrics: Mapping[str, str]) -> dict[str, Any]:
    card: dict[str, Any] = {"considerations": {"useCases": [system.intended_use or system.purpose]}}
    if v.training_dataset_id:
        card["modelParameters"] = {"datasets": [{"ref": f"dataset:{v.training_dataset_id}"}]}
    if metrics:
        card["quantitativeAnalysis"] = {"performanceMetrics": [
            {"type": k, "value": value} for k, value in sorted(metrics.items())]}  # fmt: skip
    return card


def _model(e: Estate, m: Model, v: ModelVersion | None) -> dict[str, Any]:
    out: dict[str, Any] = {
        "type": "machine-learning-model", "name": m.name,
        "bom-ref": f"model-version:{v.id}" if v else f"model:{m.id}",
    }  # fmt: skip
    if m.description:
        out["description"] = m.description
    if m.vendor_id and m.vendor_id in e.vendors:
        vendor = e.vendors[m.vendor_id]
        out["supplier"] = {"name": vendor.name, **({"url": [vendor.website]} if vendor.website
                                                     else {})}  # fmt: skip
    if v is not None:
        out["version"] = v.version
        out["modelCard"] = _card(e.system, v, e.metrics.get(v.id, {}))
        out["externalReferences"] = [{"type": "distribution", "url": v.artifact_uri}]
        out["properties"] = _props(framework=v.framework, artifact_uri=v.artifact_uri)
    return out


def _subject(s: AISystem) -> dict[str, Any]:
    return {
        "type": "application", "bom-ref": f"system:{s.id}", "name": s.name,
        "description": s.purpose,
        "properties": _props(system_id=s.id, stage=s.stage.value, risk_tier=s.risk_tier.value,
                             operator_role=s.operator_role.value),
    }  # fmt: skip


def build_bom(e: Estate, serial: str, now: datetime, tool_version: str) -> dict[str, Any]:
    """The system's ML-BOM: a component per model version (per model without one) and per
    dataset a version trained on, and what depends on what."""
    root = f"system:{e.system.id}"
    components: list[dict[str, Any]] = []
    depends: dict[str, list[str]] = {root: []}
    for m in sorted(e.models, key=lambda m: m.name):
        versions: list[ModelVersion | None] = [v for v in e.versions if v.model_id == m.id]
        for v in versions or [None]:
            item = _model(e, m, v)
            components.append(item)
            depends[root].append(item["bom-ref"])
            if v is not None and v.training_dataset_id in e.datasets:
                depends[item["bom-ref"]] = [f"dataset:{v.training_dataset_id}"]
    components += [_dataset(d, e.owners) for d in sorted(e.datasets.values(), key=lambda d: d.name)]
    return {
        "$schema": "http://cyclonedx.org/schema/bom-1.6.schema.json",
        "bomFormat": "CycloneDX", "specVersion": SPEC, "serialNumber": serial, "version": 1,
        "metadata": {
            "timestamp": now.isoformat().replace("+00:00", "Z"),
            "tools": {"components": [{"type": "application", "name": "Charter",
                                      "version": tool_version}]},
            "component": _subject(e.system),
        },
        "components": components,
        "dependencies": [{"ref": k, "dependsOn": v} for k, v in depends.items()]
        + [{"ref": c["bom-ref"]} for c in components if c["bom-ref"] not in depends],
    }  # fmt: skip


# --- reading a BOM -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class BomDataset:
    ref: str
    name: str
    source: str = ""
    contains_personal_data: bool = False
    special_category_data: bool = False
    retention: str = ""


@dataclass(frozen=True, slots=True)
class BomModel:
    ref: str
    name: str
    description: str = ""
    version: str | None = None
    artifact_uri: str = ""
    framework: str = ""
    trained_on: str | None = None  # a BomDataset's ref
    supplier: str | None = None
    supplier_url: str = ""


@dataclass(frozen=True, slots=True)
class ReadBom:
    serial: str
    models: list[BomModel]
    datasets: list[BomDataset]
    supplier: str | None  # who supplied what the BOM describes, when it says


def _prop(c: Mapping[str, Any], name: str) -> str | None:
    for p in c.get("properties") or ():
        if p.get("name") == PREFIX + name:
            return str(p.get("value", ""))
    return None


def _read_dataset(c: Mapping[str, Any], ref: str) -> BomDataset:
    data = (c.get("data") or [{}])[0]
    source = _prop(c, "source") or str((data.get("contents") or {}).get("url") or "")
    if not source:
        refs = [r.get("url") for r in c.get("externalReferences") or () if r.get("url")]
        source = str(refs[0]) if refs else ""
    classified = str(data.get("classification") or "").lower()
    special = _prop(c, "special_category_data") == "true" or "special category" in classified
    personal = (
        special
        or _prop(c, "contains_personal_data") == "true"
        or (classified.startswith("personal") and _prop(c, "contains_personal_data") is None)
    )
    return BomDataset(ref, str(c["name"])[:200], source[:4000], personal, special,
                      (_prop(c, "retention") or "")[:200])  # fmt: skip


def _artifact(c: Mapping[str, Any]) -> str:
    given = _prop(c, "artifact_uri")
    if given:
        return given
    refs = {r.get("type"): r.get("url") for r in c.get("externalReferences") or ()}
    return str(refs.get("distribution") or refs.get("website") or refs.get("vcs") or "")


def _read_model(c: Mapping[str, Any], ref: str, depends: Mapping[str, list[str]],
                datasets: set[str]) -> BomModel:  # fmt: skip
    params = (c.get("modelCard") or {}).get("modelParameters") or {}
    refs = [d.get("ref") for d in params.get("datasets") or () if d.get("ref") in datasets]
    refs += [d for d in depends.get(ref, ()) if d in datasets]
    party = c.get("supplier") or c.get("manufacturer") or {}
    supplier, urls = party.get("name"), party.get("url") or [""]
    framework = _prop(c, "framework") or str(params.get("architectureFamily") or "")
    return BomModel(
        ref, str(c["name"])[:200], str(c.get("description") or "")[:4000],
        str(c["version"])[:100] if c.get("version") else None, _artifact(c)[:2000],
        framework[:100], refs[0] if refs else None, str(supplier)[:200] if supplier else None,
        str(urls[0])[:500],
    )  # fmt: skip


def read_bom(doc: Mapping[str, Any]) -> ReadBom:
    """The models and datasets of a (schema-valid) ML-BOM; nested components included."""
    if not doc.get("components"):
        raise InvalidInput("the BOM lists no components")
    flat: list[Mapping[str, Any]] = []
    stack = list(doc["components"])
    while stack:
        c = stack.pop(0)
        flat.append(c)
        stack += c.get("components") or []
    refs = {id(c): str(c.get("bom-ref") or f"#{i}") for i, c in enumerate(flat)}
    depends = {d["ref"]: list(d.get("dependsOn") or ()) for d in doc.get("dependencies") or ()}
    datasets = [_read_dataset(c, refs[id(c)]) for c in flat if c.get("type") == "data"]
    names = {d.ref for d in datasets}
    models = [_read_model(c, refs[id(c)], depends, names) for c in flat
              if c.get("type") == "machine-learning-model"]  # fmt: skip
    meta = doc.get("metadata") or {}
    supplier = (meta.get("supplier") or {}).get("name")
    return ReadBom(str(doc.get("serialNumber") or ""), models, datasets, supplier)
