"""Lineage: events from the OpenLineage Python client against the served app build the graph;
the impact of a dataset on a hand-built graph; an incident or a data-quality breach puts the
dependent evidence under review, which a gate judges inconclusive until it is resolved."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import attr
import duckdb
import httpx
import pytest
from openlineage.client import OpenLineageClient
from openlineage.client.event_v2 import InputDataset, Job, OutputDataset, Run, RunEvent, RunState
from openlineage.client.facet_v2 import RunFacet
from openlineage.client.transport.http import ApiKeyTokenProvider, HttpConfig, HttpTransport

from charter.accountability.services import org
from charter.frameworks import services as classification
from charter.frameworks.files import classification_data
from charter.governance.files import check_policy
from charter.governance.services import gates as governance
from charter.governance.services import policies
from charter.identity.services import access
from charter.incidents import services as incidents
from charter.incidents.domain import Category
from charter.integrations.services import lineage, reviews
from charter.inventory import services as inventory
from charter.inventory.domain import LifecycleStage as S
from charter.kernel.errors import Conflict, Forbidden, InvalidInput, NotFound
from charter.kernel.roles import RoleKind as R
from charter.kernel.roles import ScopeKind
from charter.monitoring import services as monitoring
from charter.strategy.services import intake
from charter.validation import services as validation
from charter.validation.domain.suite import parse_suite
from charter.validation.engines.runner import run_suite
from charter.wiring import Context
from tests.factory import World
from tests.integrations.serving import served

PRODUCER = "https://github.com/example/pipelines"


@attr.define
class CharterFacet(RunFacet):
    """The facet a training job sets to name the Charter model and system it produces."""

    model: str
    system: str


def _event(job: str, inputs: list[str], outputs: list[tuple[str, str]], **facets: Any) -> RunEvent:
    return RunEvent(
        eventType=RunState.COMPLETE,
        eventTime=datetime.now(UTC).isoformat(),
        run=Run(runId=str(uuid.uuid4()), facets=facets),
        job=Job(namespace="pipelines", name=job),
        producer=PRODUCER,
        inputs=[InputDataset(namespace="s3://lake", name=n) for n in inputs],
        outputs=[OutputDataset(namespace=ns, name=n) for ns, n in outputs],
    )


class Estate:
    """Two pipelines, their datasets and models, three systems (one unrelated)."""

    def __init__(self, world: World) -> None:
        ds = world.actor(R.DATA_SCIENTIST)
        ctx = world.ctx
        self.credit, self.fraud, self.other = (world.system(n) for n in ("Credit", "Fraud", "HR"))
        self.raw = inventory.register_dataset(ctx, ds, "loans-raw", source="s3://lake/loans/raw")
        self.clean = inventory.register_dataset(ctx, ds, "loans/clean")
        self.unrelated = inventory.register_dataset(ctx, ds, "staff")
        inventory.register_model(ctx, ds, "credit-gbm", self.credit.id)
        fraud = inventory.register_model(ctx, ds, "fraud-net", self.fraud.id)
        inventory.add_model_version(ctx, ds, fraud.id, "1", "s3://m/1", "torch", self.clean.id)
        other = inventory.register_model(ctx, ds, "hr-model", self.other.id)
        inventory.add_model_version(ctx, ds, other.id, "1", "s3://m/hr", "", self.unrelated.id)
        cao = world.actor(R.CHIEF_AI_OFFICER)
        goal = intake.create_objective(ctx, cao, "Lend well")
        case = intake.submit_use_case(
            ctx, world.actor(R.AI_CHAMPION), classification_data(), title="Faster credit",
            objective_id=goal.id, business_unit_id=world.unit.id,
        )[0]  # fmt: skip
        intake.link_system(ctx, cao, case.id, self.credit.id)
        self.use_case = case
        classification.classify_system(
            ctx, cao, self.credit.id, {"annex_iii": ["5.b"]}, classification_data()
        )
        world.full_raci(self.credit.id)

    def events(self) -> list[RunEvent]:
        return [
            _event("clean_loans", ["loans/raw"], [("s3://lake", "loans/clean")]),
            _event(
                "train_credit",
                ["loans/clean"],
                [("mlflow", "models:/credit-gbm/1")],
                charter=CharterFacet(model="credit-gbm", system="Credit"),
            ),
        ]


def _post(url: str, token: str, events: list[RunEvent]) -> None:
    config = HttpConfig(url=url, auth=ApiKeyTokenProvider({"apiKey": token}), retry={"total": 0})
    client = OpenLineageClient(transport=HttpTransport(config))
    for event in events:
        client.emit(event)


def test_events_from_the_openlineage_client_build_the_graph_and_its_impact(
    ctx: Context, world: World
) -> None:
    estate = Estate(world)
    with served(ctx) as url:
        token = world.tokens[R.ML_ENGINEER]
        _post(url, token, estate.events())
        _post(url, token, estate.events())  # the same flows again: nothing is duplicated
        with pytest.raises(Exception, match="403"):
            _post(url, world.tokens[R.AUDITOR], estate.events())
        headers = {"Authorization": f"Bearer {world.tokens[R.AUDITOR]}"}
        answer = httpx.get(f"{url}/api/v1/lineage/impact", params={"dataset": "loans-raw"},
                           headers=headers)  # fmt: skip
        bad = httpx.post(f"{url}/api/v1/lineage", json={"eventType": "COMPLETE", "job": {}},
                         headers={"Authorization": f"Bearer {token}"})  # fmt: skip
    assert answer.status_code == 200, answer.text
    found = answer.json()
    assert found["dataset"] == {"id": estate.raw.id, "name": "loans-raw"}
    assert found["lineage"] == ["s3://lake/loans/raw"]
    assert sorted((n["kind"], n["name"]) for n in found["downstream"]) == [
        ("dataset", "loans/clean"), ("job", "clean_loans"), ("job", "train_credit"),
        ("model", "models:/credit-gbm/1"),
    ]  # fmt: skip
    assert [m["name"] for m in found["models"]] == ["credit-gbm", "fraud-net"]
    assert [s["name"] for s in found["systems"]] == ["Credit", "Fraud"]
    assert [u["id"] for u in found["use_cases"]] == [estate.use_case.id]
    bases = {(a["system_id"], a["basis"]) for a in found["accountable"]}
    assert (estate.credit.id, "system owner") in bases
    assert (estate.credit.id, "accountable for design (RACI)") in bases
    assert found["obligations"] and {o["system_id"] for o in found["obligations"]} == {
        estate.credit.id
    }
    assert bad.status_code == 422
    assert "run.runId must be a non-empty string" in bad.json()["detail"]
    with ctx.uow() as uow:
        assert len(uow.lineage_nodes.all()) == 5
        assert len(uow.lineage_edges.all()) == 4


def test_impact_on_a_hand_built_graph(ctx: Context, world: World) -> None:
    """A diamond, a cycle and a branch that leads elsewhere: exactly what is downstream."""
    estate = Estate(world)
    actor = world.actor(R.ML_ENGINEER)
    flows = [("a", "j1", "b"), ("a", "j2", "c"), ("b", "j3", "d"), ("c", "j3", "d"),
             ("d", "j4", "a"), ("x", "j5", "y")]  # fmt: skip
    for source, job, target in flows:
        lineage.record_run_event(ctx, actor, _raw(job, [source], [target]))
    found = lineage.impact(ctx, actor, "s3://lake/c")
    assert sorted(n.name for n in found.nodes) == ["a", "b", "d", "j1", "j2", "j3", "j4"]
    assert found.dataset is None and found.systems == []
    leaf = lineage.impact(ctx, actor, "y")
    assert leaf.nodes == []
    # a Charter dataset that no event named still has the models it trained
    direct = lineage.impact(ctx, actor, estate.unrelated.id)
    assert [s.name for s in direct.systems] == ["HR"] and direct.addresses == []
    with pytest.raises(NotFound):
        lineage.impact(ctx, actor, "nowhere")


def _raw(job: str, inputs: list[str], outputs: list[str]) -> dict[str, Any]:
    return {
        "eventType": "COMPLETE", "eventTime": "2026-01-02T03:04:05Z",
        "run": {"runId": str(uuid.uuid4())}, "job": {"namespace": "p", "name": job},
        "inputs": [{"namespace": "s3://lake", "name": n} for n in inputs],
        "outputs": [{"namespace": "s3://lake", "name": n} for n in outputs],
    }  # fmt: skip


def test_a_system_the_reader_may_not_see_is_counted_not_shown(ctx: Context, world: World) -> None:
    estate = Estate(world)
    elsewhere = world.system("Claims AI", world.other_unit)
    ds = world.actor(R.DATA_SCIENTIST)
    model = inventory.register_model(ctx, ds, "claims", elsewhere.id)
    inventory.add_model_version(ctx, ds, model.id, "1", "s3://c", "", estate.clean.id)
    person = world.person("Scoped reader")
    org.assign_role(ctx, world.admin, person.id, R.AUDITOR, ScopeKind.BUSINESS_UNIT, world.unit.id)
    found = lineage.impact(ctx, access.actor_for(ctx, person.id), estate.clean.id)
    assert [s.name for s in found.systems] == ["Fraud"] and found.hidden == 1
    assert [m.name for m in found.models] == ["fraud-net"]


SUITE = {
    "name": "loans-quality",
    "data": "data.csv",
    "columns": {"label": "y", "prediction": "p"},
    "checks": [
        {"id": "acc", "metric": "accuracy", "min": 0.5},
        {"id": "income-present", "metric": "null_rate", "column": "income", "max": 0.0},
    ],
}
POLICY = {
    "id": "accuracy",
    "title": "Accurate enough",
    "applies": {"transitions": [{"to": "approved_for_deployment"}]},
    "requirements": [{"id": "acc", "kind": "evidence", "metric": "accuracy", "min": 0.5}],
}


def _evidence(world: World, system_id: str, folder: Path, rows: str) -> str:
    (folder / "data.csv").write_text("y,p,income\n" + rows)
    return validation.validate(
        world.ctx, world.actor(R.DATA_SCIENTIST), system_id, parse_suite(SUITE),
        lambda s: run_suite(s, folder),
    ).id  # fmt: skip


def _gate(world: World, system_id: str) -> tuple[bool, str]:
    check = governance.check_gate(
        world.ctx, world.actor(R.AUDITOR), system_id, S.APPROVED_FOR_DEPLOYMENT, False
    )
    return check.passed, " ".join(check.result.blocking_reasons)


def test_an_incident_puts_dependent_evidence_under_review_until_resolved(
    ctx: Context, world: World, tmp_path: Path
) -> None:
    estate = Estate(world)
    policies.load_policies(
        ctx, world.actor(R.ETHICS_COMPLIANCE), [(POLICY, check_policy(POLICY, "accuracy"))]
    )
    world.advance(estate.fraud.id, S.IN_VALIDATION)
    world.advance(estate.other.id, S.IN_VALIDATION)
    _evidence(world, estate.fraud.id, tmp_path, "1,1,10\n0,0,20\n")
    _evidence(world, estate.other.id, tmp_path, "1,1,10\n0,0,20\n")
    assert _gate(world, estate.fraud.id)[0] and _gate(world, estate.other.id)[0]
    with pytest.raises(Forbidden):  # marking needs the right to record evidence
        reviews.mark_dependents_for_review(ctx, world.actor(R.AUDITOR), "loans/clean", "leak")
    with pytest.raises(InvalidInput):
        reviews.mark_dependents_for_review(ctx, world.actor(R.ML_ENGINEER), "loans/clean", " ")
    marked = reviews.mark_dependents_for_review(
        ctx, world.actor(R.ML_ENGINEER), "loans/clean", "schema change dropped rows"
    )
    assert {r.system_id for r in marked} == {estate.fraud.id}
    passed, why = _gate(world, estate.fraud.id)
    assert not passed and "needs review: schema change dropped rows" in why
    assert _gate(world, estate.other.id)[0]  # the unrelated system's evidence still counts
    again = reviews.mark_dependents_for_review(ctx, world.actor(R.ML_ENGINEER), "loans/clean", "x")
    assert again == []  # evidence already under review is not marked twice
    resolved = reviews.resolve_review(ctx, world.actor(R.DATA_SCIENTIST), marked[0].id, "re-run ok")
    assert resolved.resolved_by and _gate(world, estate.fraud.id)[0]
    with pytest.raises(Conflict):
        reviews.resolve_review(ctx, world.actor(R.DATA_SCIENTIST), marked[0].id, "again")
    assert reviews.open_reviews(ctx, world.actor(R.AUDITOR)) == []


def test_a_data_quality_breach_from_evidence_marks_the_dependents(
    ctx: Context, world: World, tmp_path: Path
) -> None:
    estate = Estate(world)
    clean = _evidence(world, estate.fraud.id, tmp_path, "1,1,10\n0,0,20\n")
    with pytest.raises(InvalidInput, match="no failed data-quality check"):
        reviews.quality_breach(ctx, world.actor(R.DATA_SCIENTIST), "loans/clean", clean)
    breach = _evidence(world, estate.fraud.id, tmp_path, "1,1,\n0,0,20\n")  # an income missing
    marked = reviews.quality_breach(ctx, world.actor(R.DATA_SCIENTIST), "loans/clean", breach)
    assert [r.evidence_id for r in marked] == [clean]  # not the evidence that found it
    assert "income-present not satisfied" in marked[0].reason
    with ctx.uow() as uow:
        events = uow.audit.for_entity("dataset", estate.clean.id)
    assert events and events[-1].body()["data"]["evidence"] == [clean]


def test_a_failing_run_on_data_on_record_marks_its_dependents_at_once(
    ctx: Context, world: World, tmp_path: Path
) -> None:
    """A run whose data-quality check fails on data Charter knows (a dataset whose source is
    the suite's file) puts the evidence depending on that data under review in the run's own
    transaction: nobody has to report the breach."""
    estate = Estate(world)
    ds = world.actor(R.DATA_SCIENTIST)
    scored = inventory.register_dataset(ctx, ds, "scored loans", source="data.csv")
    with ctx.uow() as uow:
        (fraud,) = uow.models.all(name="fraud-net")
    inventory.add_model_version(ctx, ds, fraud.id, "2", "s3://m/2", "torch", scored.id)
    clean = _evidence(world, estate.fraud.id, tmp_path, "1,1,10\n0,0,20\n")
    other = _evidence(world, estate.other.id, tmp_path, "1,1,10\n0,0,20\n")
    with ctx.uow() as uow:
        assert uow.reviews.all() == []  # satisfied runs mark nothing
    breach = _evidence(world, estate.credit.id, tmp_path, "1,1,\n0,0,20\n")  # income missing
    with ctx.uow() as uow:
        found = uow.reviews.all(resolved_at=None)
        events = uow.audit.for_entity("dataset", scored.id)
    assert [(r.evidence_id, r.dataset_id) for r in found] == [(clean, scored.id)]
    assert other not in {r.evidence_id for r in found} and breach not in {
        r.evidence_id for r in found
    }
    assert "found by a validation of another system" in found[0].reason  # not named to them
    assert f"found by evidence {breach}" in events[-1].body()["data"]["reason"]
    assert events[-1].body()["action"] == "evidence.review_requested"
    assert events[-1].body()["data"]["evidence"] == [clean]


def test_a_monitor_run_that_finds_a_breach_marks_the_dependents_too(
    ctx: Context, world: World, tmp_path: Path
) -> None:
    """A scheduled monitor's data-quality breach on a table on record marks what depends on
    that table in the run's transaction, as a validation run's does."""
    estate = Estate(world)
    ds = world.actor(R.DATA_SCIENTIST)
    table = inventory.register_dataset(ctx, ds, "scored loans", source="scored")
    with ctx.uow() as uow:
        (fraud,) = uow.models.all(name="fraud-net")
    inventory.add_model_version(ctx, ds, fraud.id, "2", "s3://m/2", "torch", table.id)
    clean = _evidence(world, estate.fraud.id, tmp_path, "1,1,10\n0,0,20\n")
    with duckdb.connect(str(tmp_path / "warehouse.duckdb")) as con:
        con.execute("CREATE TABLE scored (scored_at TIMESTAMP, y INT, p INT, income INT)")
        con.execute("INSERT INTO scored VALUES ('2026-03-02 10:00', 1, 1, NULL)")
    ctx = replace(ctx, data_dir=tmp_path)
    suite = {k: v for k, v in SUITE.items() if k != "data"}
    where = {"table": "scored", "database": "warehouse.duckdb", "time_column": "scored_at"}
    monitor = monitoring.create_monitor(ctx, ds, estate.credit.id, "m", suite, where, "0 6 * * *")
    run = monitoring.run_monitor(ctx, monitor.id, datetime(2026, 3, 3, 6, tzinfo=UTC), ds)
    with ctx.uow() as uow:
        found = uow.reviews.all(resolved_at=None)
    assert [(r.evidence_id, r.dataset_id) for r in found] == [(clean, table.id)]
    assert "found by a validation of another system" in found[0].reason
    with ctx.uow() as uow:
        events = [e.body() for e in uow.audit.for_entity("dataset", table.id)]
    (asked,) = [e["data"] for e in events if e["action"] == "evidence.review_requested"]
    assert f"found by evidence {run.evidence_id}" in asked["reason"]


def test_a_serious_incident_puts_the_system_and_what_it_feeds_under_review(
    ctx: Context, world: World, tmp_path: Path
) -> None:
    """Found serious, an incident on a system puts its evidence and the evidence of every
    system downstream of it in the lineage graph under review, in the classification's
    transaction; an incident found not serious marks nothing."""
    estate = Estate(world)
    actor = world.actor(R.ML_ENGINEER)
    facet = {"charter": {"model": "credit-gbm", "system": "Credit"}}
    scores = {**_raw("score_credit", ["loans/clean"], ["credit/scores"]), "run": {
        "runId": str(uuid.uuid4()), "facets": facet}}  # fmt: skip
    lineage.record_run_event(ctx, actor, scores)
    train = {**_raw("train_fraud", ["credit/scores"], []), "run": {
        "runId": str(uuid.uuid4()), "facets": {"charter": {"system": "Fraud"}}}}  # fmt: skip
    lineage.record_run_event(ctx, actor, train)
    ids = {s.id: _evidence(world, s.id, tmp_path, "1,1,10\n0,0,20\n")
           for s in (estate.credit, estate.fraud, estate.other)}  # fmt: skip
    pm, ethics = world.actor(R.PROGRAM_MANAGER), world.actor(R.ETHICS_COMPLIANCE)
    minor = incidents.record_incident(ctx, pm, estate.credit.id, "Slow", "d", "ops", ctx.clock())
    incidents.classify_incident(ctx, ethics, minor.id, [], False, False, "a delay, no harm")
    with ctx.uow() as uow:
        assert uow.reviews.all() == []
    serious = incidents.record_incident(ctx, pm, estate.credit.id, "Refusals", "d", "ops",
                                        ctx.clock())  # fmt: skip
    incidents.classify_incident(ctx, ethics, serious.id, [Category.FUNDAMENTAL_RIGHTS], False,
                                False, "people were treated unequally")  # fmt: skip
    with ctx.uow() as uow:
        found = uow.reviews.all(resolved_at=None)
        (event,) = [e for e in uow.audit.for_entity("system", estate.credit.id)
                    if e.body()["action"] == "evidence.review_requested"]  # fmt: skip
    assert sorted(r.evidence_id for r in found) == sorted([ids[estate.credit.id],
                                                          ids[estate.fraud.id]])  # fmt: skip
    reasons = {r.system_id: r.reason for r in found}
    assert f"serious incident {serious.id}" in reasons[estate.credit.id]
    assert (
        reasons[estate.fraud.id]
        == "serious incident on a system upstream of it in the lineage graph"
    )
    assert event.body()["data"]["incident"] == serious.id
    incidents.classify_incident(ctx, ethics, serious.id, [Category.FUNDAMENTAL_RIGHTS], False,
                                False, "still unequal")  # fmt: skip
    with ctx.uow() as uow:
        assert len(uow.reviews.all()) == 2  # classified again: not marked twice


def test_a_malformed_event_is_refused_in_full_never_a_server_error() -> None:
    """A charter facet that is not an object, and a namespace longer than the column, once
    failed the server (500); every problem is now named (422)."""
    from charter.integrations.domain.lineage import parse_event

    raw = _raw("j", ["a" * 10], ["b"])
    raw["run"]["facets"] = {"charter": "credit-gbm"}
    raw["inputs"][0]["namespace"] = "n" * 501
    with pytest.raises(InvalidInput) as refused:
        parse_event(raw)
    assert [e["msg"] for e in refused.value.details["errors"]] == [
        "inputs[0].namespace is longer than 500 characters",
        "the charter facet must be an object",
    ]
