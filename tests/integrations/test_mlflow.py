"""MLflow registry sync against a real `mlflow server` (SQLite backend) started by the tests:
models, versions, aliases, stages, tags and run metrics come in; a second sync writes nothing;
a promotion without a passed gate is flagged, and cleared once the gate passes for it."""

from __future__ import annotations

import json
import uuid
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from charter.cli.main import app
from charter.integrations.adapters.mlflow import HttpRegistry
from charter.integrations.services import mlflow
from charter.inventory import services as inventory
from charter.inventory.domain import LifecycleStage as S
from charter.kernel.errors import Forbidden, Unreadable
from charter.kernel.roles import RoleKind as R
from charter.wiring import Context
from tests.factory import World
from tests.integrations.mlflow_server import mlflow_server

pytestmark = pytest.mark.slow  # a real MLflow server starts (tens of seconds)


@pytest.fixture(scope="module")
def tracking(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with mlflow_server(tmp_path_factory.mktemp("mlflow")) as url:
        yield url


class Registry:
    """What a team keeps in MLflow, under names of its own (the server is shared)."""

    def __init__(self, url: str) -> None:
        from mlflow import MlflowClient  # the tests' tool, never the product's

        self.client = MlflowClient(url)
        self.p = uuid.uuid4().hex[:6]
        self.experiment = self.client.create_experiment(f"exp-{self.p}")

    def run(self, dataset: str | None = None, **metrics: float) -> str:
        from mlflow.entities import Dataset, DatasetInput

        run_id: str = self.client.create_run(self.experiment).info.run_id
        for key, value in metrics.items():
            self.client.log_metric(run_id, key, value)
        if dataset:
            found = Dataset(name=dataset, digest="d1", source_type="local", source="/data")
            self.client.log_inputs(run_id, [DatasetInput(found)])
        self.client.set_terminated(run_id)
        return run_id

    def model(self, name: str, system: str | None = None) -> str:
        full = f"{name}-{self.p}"
        tags = {"charter.system": system} if system else {}
        self.client.create_registered_model(full, tags=tags)
        return full

    def version(self, model: str, run_id: str, **tags: str) -> str:
        found = self.client.create_model_version(
            model, source=f"runs:/{run_id}/model", run_id=run_id, tags=tags
        )
        return str(found.version)

    def stage(self, model: str, version: str, stage: str) -> None:
        with warnings.catch_warnings():  # stages are deprecated in MLflow 3, still served
            warnings.simplefilter("ignore")
            self.client.transition_model_version_stage(model, version, stage)


def _audit(ctx: Context) -> int:
    with ctx.uow() as uow:
        return uow.audit.size()


def _ours(report: mlflow.SyncReport, p: str) -> list[dict[str, str]]:
    return sorted((f for f in report.flagged if f["model"].endswith(p)),
                  key=lambda f: (f["model"], f["version"]))  # fmt: skip


def test_sync_brings_the_registry_in_once_and_flags_promotions_ahead_of_the_gate(
    ctx: Context, world: World, tracking: str
) -> None:
    reg = Registry(tracking)
    credit, fraud = world.system(f"Credit {reg.p}"), world.system(f"Fraud {reg.p}")
    loans = inventory.register_dataset(ctx, world.actor(R.ML_ENGINEER), f"loans-{reg.p}")
    gbm = reg.model("credit-gbm", credit.name)
    reg.version(gbm, reg.run(f"loans-{reg.p}", auc=0.91, accuracy=0.88), framework="lightgbm")
    reg.client.set_registered_model_alias(gbm, "champion", reg.version(gbm, reg.run(auc=0.93)))
    net = reg.model("fraud-net")  # no tag: mapped
    reg.stage(net, reg.version(net, reg.run(recall=0.7)), "Production")
    orphan = reg.model("orphan")
    with HttpRegistry(tracking) as registry:
        _sync(ctx, world, reg, registry, credit.id, fraud.name, loans.id, (gbm, net, orphan))


def _sync(
    ctx: Context, world: World, reg: Registry, registry: HttpRegistry, credit: str, fraud: str,
    loans: str, names: tuple[str, str, str],
) -> None:  # fmt: skip
    gbm, net, orphan = names
    ds = world.actor(R.ML_ENGINEER)
    v1, v2 = "1", "2"
    with pytest.raises(Forbidden):
        mlflow.sync_registry(ctx, world.actor(R.AUDITOR), registry)
    dry = mlflow.sync_registry(ctx, ds, registry, {net: fraud}, dry_run=True)
    assert dry.created["versions"] >= 3 and not dry.committed
    with ctx.uow() as uow:
        assert not uow.models.all(name=gbm)  # a dry run writes nothing

    first = mlflow.sync_registry(ctx, ds, registry, {net: fraud})
    assert first.committed and (orphan, "no charter.system tag and no mapping") in first.skipped
    assert [(f["model"], f["version"], f["promoted_as"]) for f in _ours(first, reg.p)] == [
        (gbm, v2, "alias champion"), (net, "1", "stage Production"),
    ]  # fmt: skip
    assert "deployment gate has not passed" in _ours(first, reg.p)[0]["reason"]
    with ctx.uow() as uow:
        model = uow.models.all(name=gbm)[0]
        versions = {v.version: v for v in uow.model_versions.all(model_id=model.id)}
        assert model.system_id == credit and set(versions) == {v1, v2}
        assert versions[v1].training_dataset_id == loans
        assert versions[v1].framework == "lightgbm"
        assert uow.evidence.for_system(credit) == []  # reported metrics are not evidence
    reported = mlflow.reported_metrics(ctx, world.actor(R.AUDITOR), credit)
    assert sorted(r.metrics.get("auc", "") for r in reported) == ["0.91", "0.93"]
    assert reported[-1].run_url.startswith(registry.url)

    size = _audit(ctx)
    again = mlflow.sync_registry(ctx, ds, registry, {net: fraud})
    assert again.created == {} and not again.committed and _audit(ctx) == size

    world.advance(credit, S.APPROVED_FOR_DEPLOYMENT)  # the gate passes for v2
    cleared = mlflow.sync_registry(ctx, ds, registry, {net: fraud})
    assert cleared.created == {"flags_cleared": 1}
    assert [f["model"] for f in _ours(cleared, reg.p)] == [net]

    v3 = reg.version(gbm, reg.run(auc=0.95))  # promoted after the gate passed for v2
    reg.client.set_registered_model_alias(gbm, "champion", v3)
    later = mlflow.sync_registry(ctx, ds, registry, {net: fraud})
    flagged = [f for f in _ours(later, reg.p) if f["model"] == gbm]
    assert [(f["version"], f["promoted_as"]) for f in flagged] == [(v3, "alias champion")]
    assert "passed for an earlier version" in flagged[0]["reason"]
    assert {f.model_version_id for f in mlflow.promotion_flags(ctx, world.actor(R.AUDITOR))} >= {
        uow_version(ctx, gbm, v3)
    }


def uow_version(ctx: Context, model: str, version: str) -> str:
    with ctx.uow() as uow:
        found = uow.models.all(name=model)[0]
        return uow.model_versions.all(model_id=found.id, version=version)[0].id


def test_a_server_that_does_not_answer_is_said_so(ctx: Context, world: World) -> None:
    registry = HttpRegistry("http://127.0.0.1:9")  # the discard port: nothing listens
    with registry, pytest.raises(Unreadable, match="did not answer"):
        mlflow.sync_registry(ctx, world.actor(R.ML_ENGINEER), registry)


def test_the_cli_syncs_on_a_schedule(cli: Any, tracking: str, tmp_path: Path) -> None:
    admin = "root@example.org"
    cli("init", "--name", "Root", "--email", admin)
    unit = cli("units", "create", "Retail", "--as", admin)
    reg = Registry(tracking)
    system = cli("systems", "register", f"Scoring {reg.p}", "--purpose", "Scores",
                 "--business-unit", unit["id"], "--as", admin, code=6)  # fmt: skip
    assert system["error"] == "forbidden"  # the administrator manages, does not build
    person = cli("people", "create", "Cao", "cao@example.org", "--as", admin)
    cli("roles", "assign", person["id"], "chief_ai_officer", "--as", admin)
    system = cli("systems", "register", f"Scoring {reg.p}", "--purpose", "Scores",
                 "--business-unit", unit["id"], "--as", "cao@example.org")  # fmt: skip
    model = reg.model("scorer")
    reg.version(model, reg.run(auc=0.8))
    args = ["integrations", "mlflow", "sync", "--url", tracking, "--map", f"{model}={system['id']}",
            "--every", "0.01", "--runs", "2", "--as", "cao@example.org", "--json"]  # fmt: skip
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    first, second = (json.loads(line) for line in result.stdout.splitlines())
    assert first["created"]["versions"] == 1 and first["committed"]
    assert second["created"] == {} and not second["committed"]  # nothing new the second time
    metrics = cli("integrations", "mlflow", "metrics", system["id"], "--as", "cao@example.org")
    assert metrics["items"][0]["reported_by"] == "MLflow"
    assert metrics["items"][0]["metrics"] == {"auc": "0.8"}
    bad = cli("integrations", "mlflow", "sync", "--url", tracking, "--map", "nothing",
              "--as", "cao@example.org", code=3)  # fmt: skip
    assert "MODEL=SYSTEM" in bad["detail"]
