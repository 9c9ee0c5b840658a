"""docs/ci.md's GitHub Actions and GitLab CI pipelines, parsed from the page and run as a CI
runner would (bash, the job's variables) against the served demo organisation: with good
scores the deploy gate passes; with poor ones `charter validate` fails the job."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from charter.client import Client

pytestmark = pytest.mark.slow  # builds and serves the demo organisation

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
FENCE = re.compile(r"(?P<mark><!-- suite -->\n)?```yaml\n(?P<text>.*?)```", re.S)
GOOD = "y,p\n1,1\n0,0\n1,1\n0,0\n1,1\n0,0\n1,0\n0,0\n1,1\n0,0\n"  # accuracy 0.9
POOR = "y,p\n1,0\n0,1\n1,0\n0,0\n1,1\n0,1\n"  # accuracy 0.33


def _blocks() -> tuple[str, dict[str, Any], dict[str, Any]]:
    """The suite, the GitHub workflow and the GitLab pipeline, as the page shows them."""
    found = list(FENCE.finditer((ROOT / "docs" / "ci.md").read_text()))
    suite = next(m["text"] for m in found if m["mark"])
    docs = [yaml.safe_load(m["text"]) for m in found if not m["mark"]]
    github = next(d for d in docs if "jobs" in d)
    gitlab = next(d for d in docs if "deploy-gate" in d and "jobs" not in d)
    return suite, github, gitlab


def _port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _env(home: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CHARTER_")}
    env |= {"CHARTER_HOME": str(home), "PATH": f"{BIN}{os.pathsep}{env.get('PATH', '')}"}
    return env | extra


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str, Path]]:
    """The demo organisation served by `charter serve`; its URL, the CAIO's token, and the
    server's data folder."""
    home = tmp_path_factory.mktemp("demo")
    built = subprocess.run(
        [str(BIN / "charter"), "demo", "--no-serve", "--home", str(home), "--json"],
        env=_env(home), check=True, capture_output=True, text=True, timeout=900,
    )  # fmt: skip
    token = json.loads(built.stdout)["sign_in"]["chief_ai_officer"]["token"]
    env = _env(home, CHARTER_DATABASE_URL=f"sqlite:///{home / 'demo.db'}",
               CHARTER_SIGNING_KEY_FILE=str(home / "keys" / "demo-audit.key"))  # fmt: skip
    port = _port()
    log = (home / "serve.log").open("w")
    proc = subprocess.Popen([str(BIN / "charter"), "serve", "--port", str(port)], env=env,
                            stdout=log, stderr=log)  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    tick = threading.Event()
    try:
        while True:  # the signal: the server answers
            if proc.poll() is not None:
                pytest.fail((home / "serve.log").read_text()[-2000:])
            try:
                if httpx.get(f"{url}/api/v1/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                tick.wait(0.1)
        yield url, token, home / "data"
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        log.close()


def _system(url: str, token: str, tag: str) -> str:
    """A system and a policy that asks for accuracy evidence at its gate."""
    with Client(url, token) as charter:
        unit = charter.request("GET", "/business-units")["items"][0]["id"]
        system = charter.register_system(name=f"Credit {tag}", purpose="Scores loans",
                                         business_unit_id=unit, tags=[tag])  # fmt: skip
        charter.load_policies([{
            "id": f"ci-{tag}", "title": "Accurate before assessment",
            "applies": {"tags_any": [tag], "transitions": [{"to": "assessed"}]},
            "requirements": [{"id": "acc", "kind": "evidence", "metric": "accuracy",
                              "min": 0.7, "max_age_days": 7}],
        }])  # fmt: skip
    return str(system["id"])


def _run(commands: list[str], env: dict[str, str], cwd: Path) -> list[tuple[str, int, str]]:
    """Each command as a runner runs a step: bash, stop at the first failure."""
    done = []
    for command in commands:
        step = subprocess.run(["bash", "-euo", "pipefail", "-c", command], env=env, cwd=cwd,
                              capture_output=True, text=True, timeout=300, check=False)  # fmt: skip
        done.append((command.split()[1], step.returncode, step.stdout + step.stderr))
        if step.returncode != 0:
            break
    return done


def _github(doc: dict[str, Any]) -> tuple[list[str], dict[str, str]]:
    job = doc["jobs"]["deploy-gate"]
    assert doc["jobs"]["deploy"]["needs"] == "deploy-gate"
    steps = [s["run"] for s in job["steps"] if "run" in s]
    return [s for s in steps if s.startswith("charter ")], dict(job["env"])


def _gitlab(doc: dict[str, Any]) -> tuple[list[str], dict[str, str]]:
    job = doc["deploy-gate"]
    assert doc["deploy"]["needs"] == ["deploy-gate"]
    return [s for s in job["script"] if s.startswith("charter ")], dict(job["variables"])


@pytest.mark.parametrize("ci", ["github", "gitlab"])
def test_the_pipelines_of_the_page_gate_a_deploy(
    ci: str, demo: tuple[str, str, Path], tmp_path: Path
) -> None:
    url, token, data = demo
    suite, github, gitlab = _blocks()
    commands, variables = _github(github) if ci == "github" else _gitlab(gitlab)
    assert [c.split()[1] for c in commands] == ["validate", "gate"]
    (tmp_path / "validation").mkdir()
    (tmp_path / "validation" / "suite.yaml").write_text(suite)
    (data / "credit").mkdir(parents=True, exist_ok=True)
    for scores, expected in ((GOOD, [0, 0]), (POOR, [1])):
        system = _system(url, token, f"{ci}-{len(scores)}")
        (data / "credit" / "scored.csv").write_text(scores)
        env = _env(tmp_path, **{k: str(v) for k, v in variables.items()})
        env |= {"CHARTER_SERVER": url, "CHARTER_TOKEN": token, "SYSTEM_ID": system,
                "GATE": "assessed"}  # fmt: skip
        done = _run(commands, env, tmp_path)
        assert [code for _, code, _ in done] == expected, done
        if expected == [0, 0]:
            assert json.loads(done[1][2])["passed"] is True
        else:
            assert '"passed": false' in done[0][2]
