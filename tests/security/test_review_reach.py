"""Marks that follow on their own reach no further than their cause could by hand: a person
scoped to one business unit cannot put another unit's evidence under review (which holds that
unit's gates) by running a failing data-quality suite named after the other unit's data, or
by an incident naming the other unit's dataset (on both databases)."""

from __future__ import annotations

from pathlib import Path

from charter.accountability.services import org
from charter.identity.services import access
from charter.incidents import services as incidents
from charter.incidents.domain import Category
from charter.inventory import services as inventory
from charter.kernel.roles import RoleKind as R
from charter.kernel.roles import ScopeKind
from charter.validation import services as validation
from charter.validation.domain.suite import parse_suite
from charter.validation.engines.runner import run_suite
from charter.wiring import Context
from tests.factory import World
from tests.integrations.test_lineage import SUITE, _evidence


def _estate(world: World, tmp_path: Path) -> tuple[str, str, str, str]:
    """Unit A's system, unit B's system fed by B's dataset, B's evidence, the dataset."""
    ctx, caio = world.ctx, world.actor(R.CHIEF_AI_OFFICER)
    claims = org.create_unit(ctx, world.admin, "Reinsurance")
    mine, theirs = world.system("A scoring"), world.system("B claims", unit=claims)
    data = inventory.register_dataset(ctx, caio, "claims rows", source="data.csv")
    model = inventory.register_model(ctx, caio, "claims-net", theirs.id)
    inventory.add_model_version(ctx, caio, model.id, "1", "s3://m/1", "torch", data.id)
    evidence = _evidence(world, theirs.id, tmp_path, "1,1,10\n0,0,20\n")
    return mine.id, theirs.id, evidence, data.id


def _scoped(world: World, name: str, role: R) -> object:
    person = world.person(name, role, scope=ScopeKind.BUSINESS_UNIT, scope_id=world.unit.id)
    return access.actor_for(world.ctx, person.id)


def test_a_failing_suite_named_after_another_unit_s_data_marks_none_of_it(
    ctx: Context, world: World, tmp_path: Path
) -> None:
    mine, theirs, evidence, dataset = _estate(world, tmp_path)
    mallory = _scoped(world, "Mallory", R.DATA_SCIENTIST)
    (tmp_path / "data.csv").write_text("y,p,income\n1,1,\n0,0,20\n")  # an income missing
    breach = validation.validate(ctx, mallory, mine, parse_suite(SUITE),  # type: ignore[arg-type]
                                 lambda s: run_suite(s, tmp_path))  # fmt: skip
    assert not breach.passed
    with ctx.uow() as uow:
        assert uow.reviews.all(system_id=theirs) == []
        events = uow.audit.for_entity("dataset", dataset)
    (asked,) = [e.body()["data"] for e in events
                if e.body()["action"] == "evidence.review_requested"]  # fmt: skip
    assert asked["out_of_reach"] == [theirs] and evidence not in asked["evidence"]


def test_an_incident_naming_another_unit_s_dataset_marks_none_of_its_systems(
    ctx: Context, world: World, tmp_path: Path
) -> None:
    mine, theirs, _, dataset = _estate(world, tmp_path)
    reporter = _scoped(world, "Rita", R.PROGRAM_MANAGER)
    found = incidents.record_incident(
        ctx, reporter, mine, "Bad rows", "rows altered", "ops", ctx.clock(),  # type: ignore[arg-type]
        dataset_id=dataset,
    )  # fmt: skip
    eve = _scoped(world, "Eve", R.ETHICS_COMPLIANCE)
    incidents.classify_incident(ctx, eve, found.id, [Category.FUNDAMENTAL_RIGHTS],  # type: ignore[arg-type]
                                False, False, "serious")  # fmt: skip
    with ctx.uow() as uow:
        assert uow.reviews.all(system_id=theirs) == []
