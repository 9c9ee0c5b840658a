"""The API's contract is checkable: every operation declares its success shape and the
problems it answers (application/problem+json), and schemathesis, run against the served demo
with a token, finds no server error and no answer that breaks the declared shapes."""

from __future__ import annotations

import json
import os
import socket
import sqlite3
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import jsonschema
import pytest
from fastapi.testclient import TestClient

from charter.web.app import create_app

BIN = Path(sys.executable).parent
PROBLEM = "application/problem+json"
#: a JSON Schema document, whatever its content: the one answer with no fixed shape
FREE_FORM = {("get", "/api/v1/policies/schema")}
#: what a route that answers a file (a PDF) declares, under its media type
FILE = {"schema": {"type": "string", "format": "binary"}}
#: answers that are not JSON, and the media type they declare
NOT_JSON = {
    ("get", "/api/v1/risks/export.csv"): "text/csv",
    ("get", "/api/v1/incidents/{incident_id}/report"): "text/html",  # as it would be sent
}
#: positive_data_acceptance expects 2xx for any input the schema admits; Charter also refuses
#: what a schema cannot say (an unknown id in a body, a plan with a start and no end, a KPI
#: that belongs to nothing), with 4xx problem+json, so that check is left out
CHECKS = ["--checks", "all", "--exclude-checks", "positive_data_acceptance"]


def _document() -> dict[str, Any]:
    return create_app(None).openapi()  # type: ignore[arg-type]


def _operations(document: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            yield method, path, operation


def test_every_operation_declares_its_answer() -> None:
    free = set()
    for method, path, operation in _operations(_document()):
        ok = {s: a for s, a in operation["responses"].items() if s.startswith("2")}
        assert ok, (method, path)
        for status, answer in ok.items():
            if status == "204":
                continue
            if (method, path) in NOT_JSON:
                assert set(answer["content"]) == {NOT_JSON[method, path]}, (method, path)
                continue
            if "application/json" not in answer["content"]:  # a file: its media type, bytes
                assert list(answer["content"].values()) == [FILE], (method, path)
                continue
            schema = answer["content"]["application/json"]["schema"]
            if "$ref" not in schema and "items" not in schema:
                free.add((method, path))
    assert free == FREE_FORM


def test_every_operation_declares_its_problems_as_sent() -> None:
    document = _document()
    assert "HTTPValidationError" not in document["components"]["schemas"]
    for method, path, operation in _operations(document):
        answers = operation["responses"]
        expected = {"422", "500", "503"} | (
            {"401", "403", "404"} if operation.get("security") else set()
        )
        assert expected <= set(answers), (method, path)
        for status, answer in answers.items():
            if status[0] in "45":
                assert set(answer["content"]) == {PROBLEM}, (method, path, status)


def test_the_problem_sent_is_the_one_documented() -> None:
    document = _document()
    # the schema's references (#/components/schemas/...) resolve inside the document
    schema = {**document["components"]["schemas"]["Problem"], "components": document["components"]}
    with TestClient(create_app(None)) as client:  # type: ignore[arg-type]
        refused = client.get("/api/v1/systems/bad%01id")
    assert refused.status_code == 422
    assert refused.headers["content-type"] == PROBLEM
    jsonschema.validate(refused.json(), schema)


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CHARTER_")}
    return env | {"CHARTER_HOME": str(home), "CHARTER_DATABASE_URL": f"sqlite:///{home}/demo.db"}


def _charter(env: dict[str, str], *args: str) -> Any:
    done = subprocess.run(
        [str(BIN / "charter"), *args, "--json"], env=env, capture_output=True, text=True,
        timeout=600, check=True,
    )  # fmt: skip
    return json.loads(done.stdout)


#: a real record for each path parameter, so that operations act on the demo's data (the
#: role assignment and the token are ones nobody uses: the run may revoke them)
IDS = {
    "system_id": "SELECT id FROM systems ORDER BY name",
    "unit_id": "SELECT id FROM business_units ORDER BY name",
    "person_id": "SELECT id FROM people ORDER BY name",
    "vendor_id": "SELECT id FROM vendors ORDER BY name",
    "dataset_id": "SELECT id FROM datasets ORDER BY name",
    "model_id": "SELECT id FROM models ORDER BY name",
    "policy_id": "SELECT id FROM policies ORDER BY id",
    "waiver_id": "SELECT id FROM waivers ORDER BY id",
    "document_id": "SELECT id FROM documents ORDER BY id",
    "request_id": "SELECT id FROM transition_requests ORDER BY id",
    "use_case_id": "SELECT id FROM use_cases ORDER BY title",
    "kpi_id": "SELECT id FROM kpis ORDER BY name",
    "iteration_id": "SELECT id FROM iterations ORDER BY id",
    "experiment_id": "SELECT id FROM experiments ORDER BY id",
    "body_id": "SELECT id FROM bodies ORDER BY name",
    "meeting_id": "SELECT id FROM meetings ORDER BY id",
    "member_id": "SELECT id FROM body_members ORDER BY id",
    "risk_id": "SELECT id FROM risks ORDER BY title",
    "control_id": "SELECT id FROM risk_controls ORDER BY title",
    "assignment_id": "SELECT id FROM role_assignments WHERE person_id NOT IN "
    "(SELECT person_id FROM api_tokens) ORDER BY id",
    "report_id": "SELECT id FROM issued_reports ORDER BY issued_at",  # issued below
    "monitor_id": "SELECT id FROM monitors ORDER BY name",
    "alert_id": "SELECT id FROM monitor_alerts ORDER BY id",
    "review_id": "SELECT id FROM monitor_reviews ORDER BY id",
    "incident_id": "SELECT id FROM incidents ORDER BY id",
    "action_id": "SELECT id FROM corrective_actions ORDER BY id",
}
#: operations that answer 200 with the ids above (checked before the run)
REAL = (
    "/api/v1/issued-reports/{report_id}",
    "/api/v1/issued-reports/{report_id}/pdf",
    "/api/v1/reports/{subject_id}/{kind}",
    "/api/v1/monitors/{monitor_id}/runs",
    "/api/v1/incidents/{incident_id}",
)
CREDIT = "SELECT id FROM systems WHERE name = 'Retail Credit Scoring'"


def _one(home: Path, sql: str) -> str:
    """The first value the query finds in the demo's database."""
    with sqlite3.connect(home / "demo.db") as db:
        found = db.execute(sql).fetchone()
    assert found is not None, f"the demo has nothing for {sql}"
    return str(found[0])


def _parameters(home: Path, spare_token: str) -> dict[str, str]:
    found = {name: _one(home, sql) for name, sql in IDS.items()}
    return found | {
        "token_id": spare_token,
        "entity_type": "system",
        "entity_id": found["system_id"],
        "pack_id": "eu-ai-act",
        "activity": "monitoring",
        "subject_id": _one(home, CREDIT),  # a high-risk provider's: annex-iv applies to it
        "kind": "annex-iv",
        "decision_id": found["request_id"],
        "grouping": "owner",
    }


@pytest.fixture(scope="module")
def served_demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str, Path]]:
    home = tmp_path_factory.mktemp("contract")
    env = _env(home)
    built = subprocess.run(
        [str(BIN / "charter"), "demo", "--no-serve", "--home", str(home), "--json"],
        env={k: v for k, v in env.items() if k != "CHARTER_DATABASE_URL"},
        capture_output=True, text=True, timeout=600, check=True,
    )  # fmt: skip
    env["CHARTER_ACTOR"] = json.loads(built.stdout)["sign_in"]["administrator"]["email"]
    token = _charter(env, "tokens", "create", "--name", "schemathesis")["secret"]
    spare = _charter(env, "tokens", "create", "--name", "to be revoked")["id"]
    chief = _one(home, "SELECT p.email FROM role_assignments r JOIN people p ON p.id = "
                       "r.person_id WHERE r.role = 'chief_ai_officer'")  # fmt: skip
    system = _one(home, IDS["system_id"])
    _charter(env, "documents", "attach", system, "--kind", "dpia", "--title", "DPIA",
             "--uri", "https://docs.example.org/dpia", "--as", chief)  # fmt: skip
    _issue_impact_assessment(env, home, chief)
    values = _parameters(home, spare)
    config = home / "schemathesis.toml"
    config.write_text(
        "[parameters]\n" + "".join(f'"path.{k}" = {json.dumps(v)}\n' for k, v in values.items())
    )
    port = _port()
    server = subprocess.Popen(
        [str(BIN / "charter"), "serve", "--port", str(port)], env=env,
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_for(url, server)
        yield url, token, config
    finally:
        server.terminate()
        server.communicate(timeout=30)


def _issue_impact_assessment(env: dict[str, str], home: Path, chief: str) -> None:
    """An issued document of a kind that is sent (an impact assessment's result), so that the
    issued-report operations, its PDF and its submissions act on a real one."""
    credit, answers = _one(home, CREDIT), home / "fria.json"
    answers.write_text(json.dumps({k: f"Answer {k}." for k in "abcdef"}))
    _charter(env, "reports", "write", "fria", credit, str(answers), "--as", chief)
    _charter(env, "reports", "issue", "fria", credit, "--as", chief)


def _wait_for(url: str, server: subprocess.Popen[str]) -> None:
    while server.poll() is None:
        try:
            if httpx.get(f"{url}/api/v1/health", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            continue
    raise AssertionError(f"the server stopped: {server.stderr.read() if server.stderr else ''}")


@pytest.mark.slow
def test_schemathesis_finds_no_server_error_and_no_broken_shape(
    served_demo: tuple[str, str, Path],
) -> None:
    url, token, config = served_demo
    ids = {
        k.removeprefix("path."): v
        for k, v in tomllib.loads(config.read_text())["parameters"].items()
    }
    auth = {"Authorization": f"Bearer {token}"}
    for path in REAL:  # the ids given are real records: operations reach past the lookup
        answer = httpx.get(url + path.format(**ids), headers=auth, timeout=30)
        assert answer.status_code == 200, (path, answer.text[:500])
    run = subprocess.run(
        [
            str(BIN / "schemathesis"), "--config-file", str(config), "run",
            f"{url}/api/openapi.json", "--header", f"Authorization: Bearer {token}",
            "--seed", "1", "--max-examples", "5", "--no-color", *CHECKS,
        ],
        capture_output=True, text=True, timeout=900, check=False,
    )  # fmt: skip
    failures = run.stdout[run.stdout.find("FAILURES") :]
    assert run.returncode == 0, failures[:8000] + run.stderr[-2000:]
    operations = sum(1 for _ in _operations(_document()))
    assert f"Tested: {operations}" in run.stdout, run.stdout[-3000:]
