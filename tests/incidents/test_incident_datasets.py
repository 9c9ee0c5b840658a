"""An incident on data (issue 26 item 3), on both databases: recorded against the system it
affects and naming the dataset it concerns; classified serious, the evidence of every system
depending on that dataset (its blast radius, as `charter lineage impact` finds it) goes under
review in the classification's transaction, audited, once; refused in full, nothing written,
when the dataset is unknown or the reporter may not record on the system."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from fastapi.testclient import TestClient

from charter.accountability.services import org
from charter.identity.services import access, sessions
from charter.incidents import services as incidents
from charter.incidents.domain import Category
from charter.integrations.services import lineage
from charter.inventory import services as inventory
from charter.inventory.domain import AISystem, Dataset
from charter.kernel.errors import Forbidden, InvalidInput
from charter.kernel.roles import RoleKind as R
from charter.kernel.roles import ScopeKind
from charter.validation import services as validation
from charter.validation.domain.evidence import Aggregates
from charter.validation.domain.metrics import Counts
from charter.validation.domain.suite import parse_suite
from charter.web.app import create_app
from charter.wiring import Context
from tests.factory import World
from tests.web.test_ui import PASSWORD, _csrf, _note, _sign_in

SUITE = parse_suite(
    {
        "name": "quality",
        "data": "x.parquet",
        "columns": {"label": "y", "prediction": "p"},
        "checks": [{"id": "accuracy", "metric": "accuracy", "min": 0.8}],
    }
)


def _evidence(world: World, system_id: str) -> str:
    counts = {(): Counts(n=100, tp=90, fp=0, tn=0, fn=10)}
    return validation.validate(
        world.ctx, world.actor(R.DATA_SCIENTIST), system_id, SUITE,
        lambda s: Aggregates(counts, None, "fp", "duckdb"),
    ).id  # fmt: skip


class Estate:
    """A dataset that trains one system's model and feeds another system through the lineage
    graph; a system that only reports the incident; one unrelated system."""

    def __init__(self, world: World) -> None:
        ctx, ds = world.ctx, world.actor(R.DATA_SCIENTIST)
        self.scoring, self.fraud, self.desk, self.hr = (
            world.system(n) for n in ("Scoring", "Fraud", "Desk", "HR")
        )
        self.loans: Dataset = inventory.register_dataset(ctx, ds, "loans/clean")
        fraud = inventory.register_model(ctx, ds, "fraud-net", self.fraud.id)
        inventory.add_model_version(ctx, ds, fraud.id, "1", "s3://m/1", "torch", self.loans.id)
        event = {
            "eventType": "COMPLETE", "eventTime": "2026-01-02T03:04:05Z",
            "run": {"runId": str(uuid.uuid4()), "facets": {"charter": {"system": "Scoring"}}},
            "job": {"namespace": "p", "name": "score"},
            "inputs": [{"namespace": "s3://lake", "name": "loans/clean"}], "outputs": [],
        }  # fmt: skip
        lineage.record_run_event(ctx, world.actor(R.ML_ENGINEER), event)
        self.evidence = {s.id: _evidence(world, s.id) for s in self.systems}

    @property
    def systems(self) -> list[AISystem]:
        return [self.scoring, self.fraud, self.desk, self.hr]


def _record(world: World, estate: Estate, dataset_id: str | None, actor: Any = None) -> str:
    return incidents.record_incident(
        world.ctx, actor or world.actor(R.PROGRAM_MANAGER), estate.desk.id, "Poisoned rows",
        "rows were altered upstream", "ops", world.ctx.clock(), dataset_id=dataset_id,
    ).id  # fmt: skip


def _classify(world: World, incident_id: str, serious: bool) -> None:
    incidents.classify_incident(
        world.ctx, world.actor(R.ETHICS_COMPLIANCE), incident_id,
        [Category.FUNDAMENTAL_RIGHTS] if serious else [], False, False, "as found",
    )  # fmt: skip


def test_a_serious_incident_on_a_dataset_puts_its_dependents_under_review(
    ctx: Context, world: World
) -> None:
    estate = Estate(world)
    incident_id = _record(world, estate, estate.loans.id)
    found = incidents.get_incident(ctx, world.admin, incident_id)
    assert found.incident.dataset_id == estate.loans.id and found.dataset == estate.loans
    _classify(world, incident_id, serious=True)
    blast = lineage.impact(ctx, world.admin, estate.loans.id)
    assert {s.id for s in blast.systems} == {estate.scoring.id, estate.fraud.id}
    with ctx.uow() as uow:
        reviews = uow.reviews.all(resolved_at=None)
        (event,) = [e.body() for e in uow.audit.for_entity("system", estate.desk.id)
                    if e.body()["action"] == "evidence.review_requested"]  # fmt: skip
    marked = {estate.evidence[s.id] for s in (estate.desk, estate.scoring, estate.fraud)}
    assert {r.evidence_id for r in reviews} == marked  # not HR's: it does not depend on it
    assert {r.dataset_id for r in reviews} == {estate.loans.id}
    assert all("concerning dataset loans/clean" in r.reason for r in reviews)
    assert event["data"]["incident"] == incident_id
    assert event["data"]["dataset"] == estate.loans.id
    assert set(event["data"]["evidence"]) == marked
    _classify(world, incident_id, serious=True)  # classified again: not marked twice
    with ctx.uow() as uow:
        assert len(uow.reviews.all()) == 3


def test_an_incident_on_a_dataset_found_not_serious_marks_nothing(
    ctx: Context, world: World
) -> None:
    estate = Estate(world)
    incident_id = _record(world, estate, estate.loans.id)
    _classify(world, incident_id, serious=False)
    with ctx.uow() as uow:
        assert uow.reviews.all() == []


def _counts(ctx: Context) -> tuple[int, int, int]:
    with ctx.uow() as uow:
        return len(uow.incidents.all()), len(uow.snapshots.all()), uow.audit.size()


def test_an_unknown_dataset_is_refused_with_nothing_written(ctx: Context, world: World) -> None:
    estate = Estate(world)
    before = _counts(ctx)
    with pytest.raises(InvalidInput) as refused:
        _record(world, estate, "ds_nope")
    assert refused.value.details and refused.value.details["field"] == "dataset_id"
    assert _counts(ctx) == before


def test_a_reader_without_rights_on_the_unit_is_refused(ctx: Context, world: World) -> None:
    """Datasets carry no business unit: the unit that decides is the system's, on which the
    incident is recorded. An auditor there (read only) and a data scientist of another unit
    are both refused, nothing written."""
    estate = Estate(world)
    auditor, outsider = world.person("Auditor"), world.person("Elsewhere")
    org.assign_role(ctx, world.admin, auditor.id, R.AUDITOR, ScopeKind.BUSINESS_UNIT,
                    world.unit.id)  # fmt: skip
    org.assign_role(ctx, world.admin, outsider.id, R.DATA_SCIENTIST, ScopeKind.BUSINESS_UNIT,
                    world.other_unit.id)  # fmt: skip
    before = _counts(ctx)
    for person in (auditor, outsider):
        with pytest.raises(Forbidden):
            _record(world, estate, estate.loans.id, access.actor_for(ctx, person.id))
    assert _counts(ctx) == before


def test_the_api_records_the_dataset_and_answers_a_problem_for_an_unknown_one(
    world: World,
) -> None:
    estate = Estate(world)
    auth = {"Authorization": f"Bearer {world.tokens[R.PROGRAM_MANAGER]}"}
    body = {"title": "Poisoned rows", "description": "d", "reported_by": "ops",
            "aware_at": world.ctx.clock().isoformat()}  # fmt: skip
    url = f"/api/v1/systems/{estate.desk.id}/incidents"
    with TestClient(create_app(world.ctx), raise_server_exceptions=False) as client:
        refused = client.post(url, json={**body, "dataset_id": "ds_nope"}, headers=auth)
        assert refused.status_code == 422, refused.text
        assert refused.headers["content-type"].startswith("application/problem+json")
        assert [e["loc"][-1] for e in refused.json()["errors"]] == ["dataset_id"]
        made = client.post(url, json={**body, "dataset_id": estate.loans.id}, headers=auth)
        assert made.status_code == 201, made.text
        assert made.json()["dataset_id"] == estate.loans.id
        assert made.json()["dataset"] == "loans/clean"
        shown = client.get(f"/api/v1/incidents/{made.json()['id']}", headers=auth).json()
        assert (shown["dataset_id"], shown["dataset"]) == (estate.loans.id, "loans/clean")


def test_the_cli_records_the_dataset_and_refuses_an_unknown_one(cli: Any) -> None:
    admin = "root@example.org"
    cli("init", "--name", "Root", "--email", admin)
    unit = cli("units", "create", "Retail", "--as", admin)
    cli("roles", "assign", admin, "chief_ai_officer", "--as", admin)
    system = cli("systems", "register", "Desk", "--purpose", "p", "--business-unit", unit["id"],
                 "--as", admin)  # fmt: skip
    data = cli("datasets", "register", "loans/clean", "--as", admin)
    common = ("incidents", "record", "--system", system["id"], "--title", "Altered rows",
              "--description", "d", "--reported-by", "ops",
              "--aware-at", "2026-01-02T03:04")  # fmt: skip
    refused = cli(*common, "--dataset", "ds_nope", "--as", admin, code=3)
    assert "ds_nope" in refused["detail"]
    assert cli("incidents", "list", "--as", admin)["items"] == []
    made = cli(*common, "--dataset", data["id"], "--as", admin)
    assert made["dataset_id"] == data["id"]


def test_the_form_names_the_dataset_and_the_page_shows_it(world: World) -> None:
    estate = Estate(world)
    person = world.people[R.DATA_SCIENTIST]
    sessions.set_password(world.ctx, world.admin, person.id, PASSWORD)
    with TestClient(create_app(world.ctx), follow_redirects=False) as client:
        _sign_in(client, person.email)
        assert '<option value="loans/clean">' in client.get("/ui/pick/datasets?q=loans").text
        form = {"system_id": estate.desk.id, "title": "Altered rows", "description": "d",
                "reported_by": "ops", "aware_at": "2026-01-05T09:00"}  # fmt: skip
        client.post("/ui/incidents", data={**form, "dataset_id": "ds_nope",
                                           "csrf": _csrf(client, "/ui/incidents")})  # fmt: skip
        assert _note(client) == ("no dataset you may see is named 'ds_nope'", True)
        csrf = _csrf(client, "/ui/incidents")
        made = client.post("/ui/incidents", data={**form, "dataset_id": estate.loans.id,
                                                  "csrf": csrf})  # fmt: skip
        page = client.get(made.headers["location"]).text
    assert "loans/clean" in page and f"/ui/lineage?dataset={estate.loans.id}" in page
