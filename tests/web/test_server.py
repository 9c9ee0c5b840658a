"""`charter serve` as a real process on loopback, driven by the Python client."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from charter.client import Client, ClientError

pytestmark = pytest.mark.slow


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    home = tmp_path_factory.mktemp("serve")
    env = {**os.environ, "CHARTER_HOME": str(home)}
    (home / "data").mkdir()
    (home / "data" / "scored.csv").write_text("y,p\n1,1\n0,0\n1,0\n0,0\n")
    env.pop("CHARTER_DATABASE_URL", None)
    init = subprocess.run(
        [
            sys.executable,
            "-m",
            "charter",
            "init",
            "--name",
            "Root",
            "--email",
            "root@example.org",
            "--json",
        ],
        env=env,
        check=True,
        capture_output=True,
        text=True,
        timeout=60,
    )
    token = json.loads(init.stdout)["token"]
    port = _port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "charter", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                if httpx.get(f"{url}/api/v1/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        else:
            raise AssertionError("server did not start")
        yield url, token
    finally:
        proc.terminate()
        output = proc.communicate(timeout=10)[0].decode()
    assert f"http://127.0.0.1:{port}" in output  # bound to loopback by default


def test_client_round_trip_against_a_real_server(server: tuple[str, str]) -> None:
    url, token = server
    with Client(url, token) as charter:
        me = charter.me()
        assert [r["role"] for r in me["roles"]] == ["administrator"]
        unit = charter.request("POST", "/business-units", json={"name": "Retail"})
        with pytest.raises(ClientError) as denied:
            charter.register_system(name="X", purpose="p", business_unit_id=unit["id"])
        assert denied.value.status == 403
        person = charter.request(  # a pipeline's account: the administrator issues its token
            "POST", "/people", json={"name": "Cat", "email": "c@x.org", "service_account": True}
        )
        charter.request(
            "POST",
            "/role-assignments",
            json={"person_id": person["id"], "role": "chief_ai_officer"},
        )
        caio_token = charter.request(
            "POST", "/tokens", json={"person_id": person["id"], "name": "caio"}
        )["secret"]
    with Client(url, caio_token) as caio:
        for i in range(250):  # more than one page of the client's paging
            caio.register_system(name=f"S{i:03}", purpose="p", business_unit_id=unit["id"])
        systems = caio.systems(stage="proposed")
        assert len(systems) == 250 and systems[0]["name"] == "S000"
        assert len(caio.raci_findings()) >= 250
        suite = {
            "name": "s",
            "data": "scored.csv",
            "columns": {"label": "y", "prediction": "p"},
            "checks": [{"id": "acc", "metric": "accuracy", "min": 0.7}],
        }
        evidence = caio.validate(systems[0]["id"], suite)
        assert evidence["passed"] and evidence["results"][0]["value"] == 0.75
        assert [e["id"] for e in caio.evidence(systems[0]["id"])] == [evidence["id"]]


def test_wrong_token_is_refused_by_the_server(server: tuple[str, str]) -> None:
    url, _ = server
    with Client(url, "chr_wrong") as charter, pytest.raises(ClientError) as err:
        charter.me()
    assert err.value.status == 401


def test_home_path_default_is_documented(tmp_path: Path) -> None:
    from charter.config import Settings

    settings = Settings(home=tmp_path)
    assert settings.resolved_database_url() == f"sqlite:///{tmp_path}/charter.db"
    assert Settings().host == "127.0.0.1"


def test_gate_check_and_posture_ask_a_server(server: tuple[str, str]) -> None:
    """The CLI's --server mode (what a CI job runs): answers and refusals as exit codes."""
    url, token = server
    env = {**os.environ, "CHARTER_SERVER": url, "CHARTER_TOKEN": token}

    def charter(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "charter", *args, "--json"],
            env=env, capture_output=True, text=True, timeout=60, check=False,
        )  # fmt: skip

    posture = charter("posture")
    assert posture.returncode == 0, posture.stderr
    assert json.loads(posture.stdout)["blocked"] == 0
    missing = charter("gate", "check", "sys_nope", "--to", "assessed")
    assert missing.returncode == 4 and "does not exist" in missing.stderr
    refused = subprocess.run(
        [sys.executable, "-m", "charter", "posture", "--json"],
        env={**env, "CHARTER_TOKEN": "chr_wrong"}, capture_output=True, text=True, timeout=60,
        check=False,
    )  # fmt: skip
    assert refused.returncode == 6


def test_a_ci_job_validates_then_checks_the_gate_on_a_server(
    server: tuple[str, str], tmp_path: Path
) -> None:
    """What docs/policies.md shows a pipeline doing: `charter validate --server`, then
    `charter gate check --server`, with the server's own data folder and policies."""
    url, token = server
    with Client(url, token) as admin:
        unit = admin.request("POST", "/business-units", json={"name": "Pipelines"})
        person = admin.request(
            "POST", "/people", json={"name": "Ci", "email": "ci@x.org", "service_account": True}
        )
        admin.request(
            "POST",
            "/role-assignments",
            json={"person_id": person["id"], "role": "chief_ai_officer"},
        )
        ci_token = admin.request("POST", "/tokens", json={"person_id": person["id"], "name": "ci"})[
            "secret"
        ]
    with Client(url, ci_token) as ci:
        system = ci.register_system(name="Pipeline model", purpose="p", business_unit_id=unit["id"])
        ci.load_policies(
            [
                {
                    "id": "ci-accuracy",
                    "title": "Accurate before assessment",
                    "applies": {"transitions": [{"to": "assessed"}]},
                    "requirements": [
                        {"id": "acc", "kind": "evidence", "metric": "accuracy", "min": 0.7,
                         "max_age_days": 7},
                    ],
                }
            ]
        )  # fmt: skip
    (tmp_path / "suite.yaml").write_text(
        "name: ci\ndata: scored.csv\ncolumns: {label: y, prediction: p}\n"
        "checks: [{id: acc, metric: accuracy, min: 0.7}]\n"
    )
    env = {**os.environ, "CHARTER_SERVER": url, "CHARTER_TOKEN": ci_token}

    def charter(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "charter", *args, "--json"],
            env=env, capture_output=True, text=True, timeout=60, check=False,
        )  # fmt: skip

    before = charter("gate", "check", system["id"], "--to", "assessed", "--policies-only")
    assert before.returncode == 1 and "no evidence of accuracy" in before.stdout
    validated = charter("validate", str(tmp_path / "suite.yaml"), "--system", system["id"])
    assert validated.returncode == 0, validated.stderr
    assert json.loads(validated.stdout)["passed"]
    after = charter("gate", "check", system["id"], "--to", "assessed", "--policies-only")
    assert after.returncode == 0, after.stdout
