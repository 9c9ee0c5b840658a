"""ML-BOM: a system's export is valid CycloneDX 1.6 (checked with CycloneDX's own library); a
third party's ML-BOM imports; a round trip keeps every field Charter keeps; a BOM that breaks
the schema is refused with every place named, and nothing is written."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from cyclonedx.schema import SchemaVersion
from cyclonedx.validation.json import JsonStrictValidator

from charter.accountability.services import org
from charter.bootstrap import context_for
from charter.identity.services import access
from charter.integrations import files
from charter.integrations.services import bom
from charter.inventory import services as inventory
from charter.kernel.errors import Forbidden, InvalidInput
from charter.kernel.roles import RoleKind as R
from charter.kernel.roles import ScopeKind
from charter.kernel.store.engine import make_engine
from charter.kernel.store.migrate import upgrade
from charter.validation import services as validation
from charter.validation.domain.suite import parse_suite
from charter.validation.engines.runner import run_suite
from charter.wiring import Context
from tests.factory import World, make_world

DATA = Path(__file__).parent / "data"
SUITE = {
    "name": "perf",
    "data": "data.csv",
    "columns": {"label": "y", "prediction": "p"},
    "checks": [{"id": "acc", "metric": "accuracy", "min": 0.5}],
}


def _estate(world: World, tmp_path: Path, name: str = "Credit") -> str:
    ctx, ds = world.ctx, world.actor(R.DATA_SCIENTIST)
    system = world.system(name)
    vendor = inventory.register_vendor(ctx, ds, "Acme AI", website="https://acme.example")
    loans = inventory.register_dataset(
        ctx, ds, "loans-2025", source="s3://lake/loans", contains_personal_data=True,
        special_category_data=True, retention="7 years",
        owner_id=world.people[R.DATA_SCIENTIST].id,
    )  # fmt: skip
    gbm = inventory.register_model(ctx, ds, "credit-gbm", system.id, "Gradient-boosted trees")
    inventory.add_model_version(ctx, ds, gbm.id, "1", "s3://models/gbm/1", "lightgbm", loans.id)
    v2 = inventory.add_model_version(ctx, ds, gbm.id, "2", "s3://models/gbm/2", "lightgbm")
    inventory.register_model(ctx, ds, "bought-llm", system.id, "", vendor_id=vendor.id)
    (tmp_path / "data.csv").write_text("y,p\n1,1\n0,0\n1,0\n")
    validation.validate(ctx, ds, system.id, parse_suite(SUITE),
                        lambda s: run_suite(s, tmp_path), v2.id)  # fmt: skip
    return system.id


def test_the_export_is_valid_cyclonedx_with_model_cards(
    ctx: Context, world: World, tmp_path: Path
) -> None:
    system_id = _estate(world, tmp_path)
    doc = bom.export_bom(ctx, world.actor(R.AUDITOR), system_id)
    errors = JsonStrictValidator(SchemaVersion.V1_6).validate_str(json.dumps(doc))
    assert errors is None, errors
    models = {(c["name"], c.get("version")): c for c in doc["components"]
              if c["type"] == "machine-learning-model"}  # fmt: skip
    assert set(models) == {("credit-gbm", "1"), ("credit-gbm", "2"), ("bought-llm", None)}
    card = models["credit-gbm", "2"]["modelCard"]
    assert card["quantitativeAnalysis"]["performanceMetrics"] == [
        {"type": "accuracy", "value": repr(2 / 3)}
    ]
    trained = models["credit-gbm", "1"]["modelCard"]["modelParameters"]["datasets"][0]["ref"]
    (data,) = [c for c in doc["components"] if c["type"] == "data"]
    assert trained == data["bom-ref"] and data["data"][0]["contents"]["url"] == "s3://lake/loans"
    assert models["bought-llm", None]["supplier"]["name"] == "Acme AI"
    root = doc["metadata"]["component"]["bom-ref"]
    (top,) = [d for d in doc["dependencies"] if d["ref"] == root]
    assert len(top["dependsOn"]) == 3
    other = world.person("Elsewhere")
    org.assign_role(ctx, world.admin, other.id, R.AUDITOR, ScopeKind.BUSINESS_UNIT,
                    world.other_unit.id)  # fmt: skip
    with pytest.raises(Forbidden):
        bom.export_bom(ctx, access.actor_for(ctx, other.id), system_id)


def _kept(doc: dict[str, Any]) -> list[Any]:
    """What Charter keeps of a BOM's components, with references named, not numbered."""
    names = {c["bom-ref"]: c["name"] for c in doc["components"]}
    out = []
    for c in doc["components"]:
        card = c.get("modelCard", {})
        datasets = [names[d["ref"]] for d in card.get("modelParameters", {}).get("datasets", [])]
        data = [{k: v for k, v in d.items() if k != "governance"} for d in c.get("data", [])]
        out.append((c["type"], c["name"], c.get("version"), c.get("description"),
                    c.get("properties"), c.get("externalReferences"), datasets, data,
                    c.get("supplier")))  # fmt: skip
    return sorted(out, key=repr)


def test_a_round_trip_keeps_what_charter_keeps(
    ctx: Context, world: World, tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    system_id = _estate(world, tmp_path)
    first = bom.export_bom(ctx, world.actor(R.AUDITOR), system_id)
    engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('other')}/charter.db")
    upgrade(engine)
    try:
        other = make_world(context_for(engine))
        target = other.system("Credit")
        actor = other.actor(R.DATA_SCIENTIST)
        done = bom.import_bom(other.ctx, actor, first, system_id=target.id)
        assert done.committed and sorted(done.vendors) == ["Acme AI"]
        again = bom.export_bom(other.ctx, other.actor(R.AUDITOR), target.id)
        for doc in (first, again):  # the evidence behind the metrics stays behind
            for c in doc["components"]:
                c.get("modelCard", {}).pop("quantitativeAnalysis", None)
        assert _kept(again) == _kept(first)
        repeat = bom.import_bom(other.ctx, actor, first, system_id=target.id)
        assert {o.action for o in repeat.outcomes} == {"unchanged"} and not repeat.committed
    finally:
        engine.dispose()


def test_a_third_party_ml_bom_imports_as_the_vendors_models(ctx: Context, world: World) -> None:
    doc = files.read_bom_file((DATA / "cyclonedx-foundation-models.bom.json").read_bytes())
    actor = world.actor(R.ML_ENGINEER)
    dry = bom.import_bom(ctx, actor, doc, dry_run=True)
    with ctx.uow() as uow:
        assert not uow.vendors.all(name="OpenAI Inc")
    done = bom.import_bom(ctx, actor, doc)
    assert (
        [(o.kind, o.name, o.action) for o in done.outcomes]
        == [(o.kind, o.name, o.action) for o in dry.outcomes]
        == [("vendor", "OpenAI Inc", "created"), ("model", "gpt-4o", "created")]
    )
    assert done.vendor is None  # the BOM's maker (metadata.manufacturer) is not the vendor
    with ctx.uow() as uow:
        (vendor,) = uow.vendors.all(name="OpenAI Inc")
        (model,) = uow.models.all(name="gpt-4o")
    assert model.vendor_id == vendor.id and model.system_id is None


def test_a_bom_that_breaks_the_schema_is_refused_in_full(ctx: Context, world: World) -> None:
    bad = {
        "bomFormat": "CycloneDX", "specVersion": "1.6",
        "components": [{"type": "robot", "name": "r2"}, {"type": "data"}],
    }  # fmt: skip
    with pytest.raises(InvalidInput) as refused:
        files.read_bom_file(json.dumps(bad).encode())
    assert len(refused.value.details["errors"]) >= 2
    newer = {**bad, "specVersion": "1.7"}
    with pytest.raises(InvalidInput, match=r"Charter reads CycloneDX 1\.6"):
        files.read_bom_file(json.dumps(newer).encode())
    with ctx.uow() as uow:
        size = uow.audit.size()
    with pytest.raises(InvalidInput):
        bom.import_bom(ctx, world.actor(R.ML_ENGINEER), bad, "Acme")  # type: ignore[arg-type]
    with pytest.raises(Forbidden):  # the importer's rights decide, as for a record typed in
        doc = files.read_bom_file((DATA / "cyclonedx-foundation-models.bom.json").read_bytes())
        bom.import_bom(ctx, world.actor(R.AUDITOR), doc)
    with ctx.uow() as uow:
        assert uow.audit.size() == size and not uow.vendors.all(name="OpenAI Inc")
