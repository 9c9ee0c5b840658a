"""API behaviour: problem+json errors, bad input, pagination and filters, OpenAPI."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from fastapi.testclient import TestClient

from charter.bootstrap import context_for
from charter.inventory.domain import LifecycleStage as S
from charter.kernel.roles import RoleKind as R
from charter.kernel.store.engine import make_engine
from charter.kernel.store.migrate import upgrade
from charter.web.app import create_app
from charter.web.guard import MAX_BODY
from tests.factory import World, make_world


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TestClient, World]]:
    engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('api')}/charter.db")
    upgrade(engine)
    ctx = context_for(engine)
    world = make_world(ctx)
    for i in range(7):
        world.system(f"Batch system {i}")
    with TestClient(create_app(ctx)) as client:
        yield client, world
    engine.dispose()


def auth(world: World, role: R = R.CHIEF_AI_OFFICER) -> dict[str, str]:
    return {"Authorization": f"Bearer {world.tokens[role]}"}


def problem(response, status: int) -> dict[str, object]:  # type: ignore[no-untyped-def]
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body: dict[str, object] = response.json()
    assert body["status"] == status and body["detail"]
    return body


@pytest.mark.parametrize(
    ("body", "needle"),
    [
        ({"purpose": "p", "business_unit_id": "x"}, "body.name: Field required"),
        ({"name": 5, "purpose": "p", "business_unit_id": "x"}, "body.name"),
        ({"name": "n", "purpose": "p", "business_unit_id": "x", "colour": "red"}, "body.colour"),
        (
            {"name": "n", "purpose": "p", "business_unit_id": "x", "risk_tier": "spicy"},
            "body.risk_tier",
        ),
        ({"name": "n", "purpose": "p", "business_unit_id": "x", "tags": "notalist"}, "body.tags"),
    ],
)
def test_wrong_shapes_are_422_naming_the_field(
    api: tuple[TestClient, World], body: dict[str, object], needle: str
) -> None:
    client, world = api
    detail = problem(client.post("/api/v1/systems", json=body, headers=auth(world)), 422)
    assert needle in str(detail["detail"])


def test_malformed_json_is_422(api: tuple[TestClient, World]) -> None:
    client, world = api
    response = client.post(
        "/api/v1/systems",
        content=b"{not json",
        headers={**auth(world), "content-type": "application/json"},
    )
    problem(response, 422)


def test_huge_payload_is_413_before_it_is_read(api: tuple[TestClient, World]) -> None:
    client, world = api
    response = client.post(
        "/api/v1/business-units",
        content=b"x" * (MAX_BODY + 1),
        headers={**auth(world, R.ADMINISTRATOR), "content-type": "application/json"},
    )
    assert "over" in str(problem(response, 413)["detail"])


def test_domain_errors_map_to_409_and_422(api: tuple[TestClient, World]) -> None:
    client, world = api
    dup = client.post(
        "/api/v1/business-units", json={"name": "Retail"}, headers=auth(world, R.ADMINISTRATOR)
    )
    assert problem(dup, 409)["code"] == "conflict"
    system = world.system()
    skip = client.post(
        f"/api/v1/systems/{system.id}/transitions",
        json={"to": "deployed", "reason": "skip"},
        headers=auth(world, R.PROGRAM_MANAGER),
    )
    body = problem(skip, 409)
    assert body["code"] == "transition-refused" and body["from"] == "proposed"
    bad_email = client.post(
        "/api/v1/people", json={"name": "x", "email": "nope"}, headers=auth(world, R.ADMINISTRATOR)
    )
    assert problem(bad_email, 422)["field"] == "email"


def test_unauthenticated_carries_www_authenticate(api: tuple[TestClient, World]) -> None:
    client, _ = api
    response = client.get("/api/v1/systems")
    problem(response, 401)
    assert response.headers["www-authenticate"] == "Bearer"


def test_list_pagination_filters_search_and_sort(api: tuple[TestClient, World]) -> None:
    client, world = api
    first = client.get("/api/v1/systems?q=batch&limit=3&sort=name", headers=auth(world)).json()
    second = client.get(
        "/api/v1/systems?q=batch&limit=3&offset=3&sort=name", headers=auth(world)
    ).json()
    assert first["total"] == second["total"] == 7
    names = [s["name"] for s in first["items"] + second["items"]]
    assert names == [f"Batch system {i}" for i in range(6)]
    desc = client.get("/api/v1/systems?q=batch&limit=1&sort=-name", headers=auth(world)).json()
    assert desc["items"][0]["name"] == "Batch system 6"
    proposed = client.get("/api/v1/systems?stage=proposed&limit=500", headers=auth(world))
    assert proposed.json()["total"] >= 7
    none = client.get("/api/v1/systems?stage=deployed", headers=auth(world)).json()
    assert all(s["stage"] == "deployed" for s in none["items"])
    assert problem(client.get("/api/v1/systems?limit=0", headers=auth(world)), 422)
    assert problem(client.get("/api/v1/systems?sort=colour", headers=auth(world)), 422)
    assert problem(client.get("/api/v1/systems?stage=flying", headers=auth(world)), 422)


def test_business_unit_scoped_reader_sees_only_their_unit(api: tuple[TestClient, World]) -> None:
    client, world = api
    other = world.system("Claims only", unit=world.other_unit)
    champion = world.person(
        "Cam Champion",
        R.AI_CHAMPION,
        scope="business_unit",  # type: ignore[arg-type]
        scope_id=world.other_unit.id,
    )
    from charter.identity.services import access

    token = access.create_token(world.ctx, access.actor_for(world.ctx, champion.id), None, "t")[1]
    headers = {"Authorization": f"Bearer {token}"}
    listed = client.get("/api/v1/systems?limit=500", headers=headers).json()
    assert [s["id"] for s in listed["items"]] == [other.id]
    hidden = world.system("Retail only")
    assert client.get(f"/api/v1/systems/{hidden.id}", headers=headers).status_code == 403
    assert client.get(f"/api/v1/systems/{other.id}", headers=headers).status_code == 200


def test_transition_walk_over_the_api(api: tuple[TestClient, World]) -> None:
    client, world = api
    system = world.system()
    made = client.post(
        f"/api/v1/systems/{system.id}/transitions",
        json={"to": "assessed", "reason": "screened"},
        headers=auth(world, R.PROGRAM_MANAGER),
    ).json()
    assert made["request"]["status"] == "pending" and not made["gate"]["passed"]
    assert "risk screening" in made["gate"]["blocking"][0]
    decided = client.post(
        f"/api/v1/transitions/{made['request']['id']}/decisions",
        json={"decision": "approve", "reason": "low risk"},
        headers=auth(world, R.ETHICS_COMPLIANCE),
    ).json()
    assert decided["request"]["status"] == "applied" and decided["gate"]["passed"]
    got = client.get(f"/api/v1/systems/{system.id}", headers=auth(world)).json()
    assert got["stage"] == S.ASSESSED.value


def test_token_secret_is_shown_once_and_never_listed(api: tuple[TestClient, World]) -> None:
    client, world = api
    created = client.post(
        "/api/v1/tokens",
        json={"name": "pipeline"},
        headers=auth(world, R.ADMINISTRATOR),
    ).json()
    assert created["secret"].startswith("chr_")
    listed = client.get("/api/v1/tokens", headers=auth(world, R.ADMINISTRATOR)).text
    assert created["secret"] not in listed and "secret_hash" not in listed
    assert created["secret"][-4:] in listed  # the hint identifies it


def test_openapi_and_docs_are_served_to_the_signed_in(api: tuple[TestClient, World]) -> None:
    client, world = api
    assert client.get("/api/openapi.json").status_code == 401
    assert client.get("/api/docs", follow_redirects=False).status_code == 303
    spec = client.get("/api/openapi.json", headers=auth(world)).json()
    assert "/api/v1/systems" in spec["paths"]


def test_history_shows_field_changes(api: tuple[TestClient, World]) -> None:
    client, world = api
    system = world.system()
    client.patch(
        f"/api/v1/systems/{system.id}", json={"purpose": "Sharper purpose"}, headers=auth(world)
    )
    history = client.get(
        f"/api/v1/audit/history/system/{system.id}", headers=auth(world, R.AUDITOR)
    ).json()["items"]
    assert [e["event"]["action"] for e in history] == ["system.registered", "system.updated"]
    assert history[1]["event"]["data"] == {"purpose": ["Scores things.", "Sharper purpose"]}
    assert history[1]["event"]["actor"] == world.people[R.CHIEF_AI_OFFICER].id


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/api/v1/systems/{system}", {"name": None}),
        ("/api/v1/systems/{system}", {"purpose": None}),
        ("/api/v1/systems/{system}", {"tags": None}),
        ("/api/v1/people/{person}", {"email": None}),
        ("/api/v1/people/{person}", {"active": None}),
    ],
)
def test_null_for_a_required_field_is_422(
    api: tuple[TestClient, World], path: str, body: dict[str, object]
) -> None:
    client, world = api
    url = path.format(system=world.system().id, person=world.people[R.AUDITOR].id)
    role = R.ADMINISTRATOR if "people" in path else R.CHIEF_AI_OFFICER
    detail = problem(client.patch(url, json=body, headers=auth(world, role)), 422)["detail"]
    assert next(iter(body)) in str(detail)


def test_vendor_lists_the_systems_it_supplies(api: tuple[TestClient, World]) -> None:
    client, world = api
    vendor = client.post("/api/v1/vendors", json={"name": "Aster"}, headers=auth(world)).json()
    system = world.system()
    client.patch(
        f"/api/v1/systems/{system.id}", json={"vendor_id": vendor["id"]}, headers=auth(world)
    )
    got = client.get(f"/api/v1/vendors/{vendor['id']}", headers=auth(world)).json()
    assert got["systems"] == [{"id": system.id, "name": system.name}]


def test_validation_over_the_api_reads_only_the_data_folder(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path}/charter.db")
    upgrade(engine)
    ctx = context_for(engine)
    world = make_world(ctx)
    data = tmp_path / "data"
    data.mkdir()
    (data / "scored.csv").write_text("y,p\n1,1\n0,0\n1,0\n0,0\n")
    (tmp_path / "secret.csv").write_text("y,p\n1,1\n")
    suite = {
        "name": "s",
        "data": "scored.csv",
        "columns": {"label": "y", "prediction": "p"},
        "checks": [{"id": "acc", "metric": "accuracy", "min": 0.8}],
    }
    system = world.system()
    headers = auth(world, R.DATA_SCIENTIST)
    with TestClient(create_app(ctx, data_dir=data)) as client:
        run = client.post(
            f"/api/v1/systems/{system.id}/validations", json={"suite": suite}, headers=headers
        )
        assert run.status_code == 201, run.text
        assert run.json()["results"][0]["value"] == 0.75 and not run.json()["passed"]
        escape = {**suite, "data": "../secret.csv"}
        refused = client.post(
            f"/api/v1/systems/{system.id}/validations", json={"suite": escape}, headers=headers
        )
        assert "outside the server's data folder" in str(problem(refused, 422)["detail"])
        for source, needle in (
            ({"table": "scored", "database": "../secret.duckdb"}, "outside the server's data"),
            ({"table": "scored"}, "not tables of the engine's catalog"),
        ):
            refused = client.post(
                f"/api/v1/systems/{system.id}/validations",
                json={"suite": {**suite, "data": source}},
                headers=headers,
            )
            assert needle in str(problem(refused, 422)["detail"])
        with duckdb.connect(str(data / "warehouse.duckdb")) as con:
            con.execute(f"CREATE TABLE scored AS SELECT * FROM read_csv('{data}/scored.csv')")
        table = {**suite, "data": {"table": "scored", "database": "warehouse.duckdb"}}
        run = client.post(
            f"/api/v1/systems/{system.id}/validations", json={"suite": table}, headers=headers
        )
        assert run.status_code == 201, run.text
        assert run.json()["results"][0]["value"] == 0.75
        assert run.json()["data_fingerprint"].startswith("blake3-arrow:")
        with duckdb.connect() as con:  # a Parquet file, under both names
            con.execute(f"COPY (FROM '{data}/scored.csv') TO '{data}/scored.parquet'")
        parquet = {**suite, "data": "scored.parquet"}
        engines = {}
        for name in ("duckdb", "duckdb-sql"):
            run = client.post(
                f"/api/v1/systems/{system.id}/validations",
                json={"suite": parquet, "engine": name},
                headers=headers,
            )
            assert run.status_code == 201, run.text
            assert run.json()["results"][0]["value"] == 0.75
            engines[name] = run.json()["engine"]
        # duckdb-sql, kept for one release, is another name for duckdb
        assert engines["duckdb-sql"] == engines["duckdb"]
        assert engines["duckdb"].startswith("duckdb ")
        listed = client.get(f"/api/v1/systems/{system.id}/evidence", headers=headers).json()
        assert listed["total"] == 4
    with TestClient(create_app(ctx)) as client:
        none = client.post(
            f"/api/v1/systems/{system.id}/validations", json={"suite": suite}, headers=headers
        )
        assert "no data folder" in str(problem(none, 422)["detail"])
    engine.dispose()
