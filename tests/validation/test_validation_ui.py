"""Running a validation suite from a system's page: on an uploaded file or one under the data
folder, through the service the API calls (same right, same evidence and audit event); a
refusal names the role and who holds it and keeps the suite as typed; a path out of the data
folder and a body over the request limit are refused, nothing recorded."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from charter.audit import services as audit
from charter.inventory.domain import Model, ModelVersion
from charter.kernel.roles import RoleKind as R
from charter.validation import services as validation
from charter.web.app import create_app
from charter.web.guard import MAX_BODY
from tests.web.test_ui import _csrf, _note, _sign_in, ui

__all__ = ["ui"]  # the fixture this one builds on
SUITE = """name: routing-accuracy
data: scored.csv
columns: {label: y, prediction: p}
checks:
  - {id: accuracy, metric: accuracy, min: 0.7}
"""
ROWS = "y,p\n1,1\n0,0\n1,1\n0,1\n"  # accuracy 0.75


@pytest.fixture
def served(ui, tmp_path: Path) -> Iterator[tuple[TestClient, object, str, Path]]:  # type: ignore[no-untyped-def]
    """The UI over the same organisation, with a data folder."""
    _, world, system = ui
    folder = tmp_path / "data"
    folder.mkdir()
    with TestClient(create_app(world.ctx, data_dir=folder), follow_redirects=False) as client:
        yield client, world, system, folder


def _actions(world, system: str) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    events = audit.entity_history(world.ctx, world.admin, "system", system)
    return [(e.body()["action"], e.body()["actor"]) for e in events]


def test_a_suite_runs_on_an_uploaded_file_and_on_one_in_the_folder(engine: object, served) -> None:  # type: ignore[no-untyped-def]
    client, world, system, folder = served
    cao = world.people[R.CHIEF_AI_OFFICER]
    _sign_in(client, cao.email)
    assert "/validations/new" in client.get(f"/ui/systems/{system}").text  # the panel
    page = f"/ui/systems/{system}/validations/new"
    token = _csrf(client, page)
    upload = {"data": ("my scores.csv", ROWS.encode(), "text/csv")}
    done = client.post(
        f"/ui/systems/{system}/validations", data={"suite": SUITE, "csrf": token}, files=upload
    )
    assert done.status_code == 303 and done.headers["location"].endswith("#evidence")
    assert _note(client) == (
        "evidence recorded from routing-accuracy: 4 rows, every blocking check satisfied",
        False,
    )
    (folder / "scored.csv").write_text("y,p\n1,0\n0,1\n1,1\n")  # accuracy 1/3
    done = client.post(f"/ui/systems/{system}/validations", data={"suite": SUITE, "csrf": token})
    assert done.status_code == 303 and "3 rows, not passed" in str(_note(client)[0])
    found = validation.system_evidence(world.ctx, world.admin, system)
    assert sorted((e.rows, e.passed) for e in found) == [(3, False), (4, True)]
    uploaded = next(e for e in found if e.rows == 4)
    assert uploaded.suite_source is not None and uploaded.suite_source["data"] == "data.csv"
    assert _actions(world, system)[-2:] == [("evidence.recorded", cao.id)] * 2


def test_running_a_suite_is_refused_to_others_and_kept_in_its_folder(
    engine: object, served
) -> None:  # type: ignore[no-untyped-def]
    client, world, system, folder = served
    _sign_in(client, world.people[R.BOARD_MEMBER].email)
    assert "/validations/new" not in client.get(f"/ui/systems/{system}").text
    token = _csrf(client, f"/ui/systems/{system}/validations/new")
    (folder / "scored.csv").write_text(ROWS)
    refused = client.post(f"/ui/systems/{system}/validations", data={"suite": SUITE, "csrf": token})
    assert refused.status_code == 403 and "this needs the role" in refused.text
    assert world.people[R.CHIEF_AI_OFFICER].name in refused.text
    assert "routing-accuracy" in refused.text  # the suite as typed
    client.cookies.clear()
    _sign_in(client, world.people[R.CHIEF_AI_OFFICER].email)
    token = _csrf(client, f"/ui/systems/{system}/validations/new")
    outside = SUITE.replace("scored.csv", "../../etc/passwd")
    refused = client.post(
        f"/ui/systems/{system}/validations", data={"suite": outside, "csrf": token}
    )
    assert refused.status_code == 422 and "outside the server" in refused.text
    big = {"data": ("big.csv", b"y,p\n" + b"1,1\n" * (MAX_BODY // 4), "text/csv")}
    too_big = client.post(
        f"/ui/systems/{system}/validations", data={"suite": SUITE, "csrf": token}, files=big
    )
    assert too_big.status_code == 413
    wrong = {"data": ("scores.xlsx", b"PK", "application/octet-stream")}
    refused = client.post(
        f"/ui/systems/{system}/validations", data={"suite": SUITE, "csrf": token}, files=wrong
    )
    assert refused.status_code == 422 and "neither .csv nor .parquet" in refused.text
    assert validation.system_evidence(world.ctx, world.admin, system) == []


def test_the_evidence_history_names_the_model_version_that_scored_the_data(
    engine: object, served
) -> None:  # type: ignore[no-untyped-def]
    from charter.inventory import services as inventory

    client, world, system, folder = served
    cao = world.people[R.CHIEF_AI_OFFICER]
    boss = world.actor(R.CHIEF_AI_OFFICER)
    model = inventory.register_model(world.ctx, boss, "Router scorer", system)
    version = inventory.add_model_version(world.ctx, boss, model.id, "2.1", "s3://m/2.1")
    (folder / "scored.csv").write_text(ROWS)
    _sign_in(client, cao.email)
    token = _csrf(client, f"/ui/systems/{system}/validations/new")
    form = {"suite": SUITE, "csrf": token, "model_version_id": version.id}
    assert client.post(f"/ui/systems/{system}/validations", data=form).status_code == 303
    page = client.get(f"/ui/systems/{system}").text
    assert f'<span title="{version.id}">Router scorer 2.1</span>' in page


def test_the_form_offers_every_model_version_past_200(engine: object, served) -> None:  # type: ignore[no-untyped-def]
    """Issue 23: the form offered the first 200 versions of the first 200 models, no more."""
    client, world, system, _ = served
    start = world.ctx.clock() - timedelta(days=1)
    with world.ctx.uow() as uow:
        uow.models.add(Model("mdl_many", "Router", system))
        for n in range(201):
            at = start + timedelta(seconds=n)
            uow.model_versions.add(
                ModelVersion(f"mv_{n:03}", "mdl_many", f"v{n}", "s3://m", "", None, at)
            )
        uow.commit()
    _sign_in(client, world.people[R.CHIEF_AI_OFFICER].email)
    html = client.get(f"/ui/systems/{system}/validations/new").text
    assert '<option value="mv_000" >Router v0</option>' in html  # the oldest, 201st newest
    assert html.count('<option value="mv_') == 201
