"""Decision bundles on the demo: the blocked and the passed gate, a body decision, a waiver
and a classification round-trip; verified in a separate process with no database and no
network, evidence recomputed from the data; any change to any field or proof is refused."""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from charter.governance.domain.lifecycle import RequestStatus
from charter.reports.services import bundles
from charter.reports.verifier import engine_runner, verify_bundle
from tests.reports.conftest import Built

pytestmark = pytest.mark.slow


def _request(built: Built, key: str) -> Any:
    demo = built.demo
    with demo.ctx.uow() as uow:
        return uow.requests.find({"system_id": demo.ids[key]}, order="-requested_at").items[0]


@pytest.fixture(scope="module")
def exported(built: Built) -> dict[str, dict[str, Any]]:
    demo, amara = built.demo, built.demo.actor("amara")
    blocked, passed = _request(built, "creditline"), _request(built, "offers")
    assert blocked.status is RequestStatus.PENDING and passed.status is RequestStatus.APPLIED
    with demo.ctx.uow() as uow:
        waiver = uow.waivers.all(system_id=demo.ids["offers"])[0]
        classified = uow.classifications.all(system_id=demo.ids["credit"])[0]
        decision = next(d for d in uow.body_decisions.all() if d.carried)
    return {
        "blocked": bundles.export_bundle(demo.ctx, amara, "transition", blocked.id),
        "passed": bundles.export_bundle(demo.ctx, amara, "transition", passed.id),
        "waiver": bundles.export_bundle(demo.ctx, amara, "waiver", waiver.id),
        "classification": bundles.export_bundle(demo.ctx, amara, "classification", classified.id),
        "body_decision": bundles.export_bundle(demo.ctx, amara, "body_decision", decision.id),
    }


@pytest.mark.parametrize("name", ["blocked", "passed", "waiver", "classification", "body_decision"])
def test_each_bundle_verifies(built: Built, exported: dict[str, Any], name: str) -> None:
    found = verify_bundle(
        json.loads(json.dumps(exported[name])), built.verifier, built.data, engine_runner
    )
    assert found.verified, found.failed
    assert any("proven in the log" in c for c in found.checked)


def test_each_bundle_is_the_shape_the_api_declares(exported: dict[str, Any]) -> None:
    from tests.reports.test_api_shapes import _holds

    for found in exported.values():
        _holds(json.loads(json.dumps(found)), "/bundles/{kind}/{decision_id}")


def test_the_gates_re_evaluate_to_their_verdicts(built: Built, exported: dict[str, Any]) -> None:
    blocked = verify_bundle(exported["blocked"], built.verifier, built.data, engine_runner)
    assert "gate re-evaluated over the recorded facts: it is blocked, as recorded" in " ".join(
        blocked.checked
    )
    passed = verify_bundle(exported["passed"], built.verifier, built.data, engine_runner)
    text = " ".join(passed.checked)
    assert "it passes, as recorded" in text
    assert "the verdicts signed when the transition was applied are the ones re-evaluated" in text
    assert "check values recomputed within 1e-09, same verdicts" in text


def test_verify_runs_offline_in_a_process_without_a_database(
    built: Built, exported: dict[str, Any], tmp_path: Path
) -> None:
    bundle = tmp_path / "bundle.json"
    bundle.write_text(json.dumps(exported["passed"]))
    home = tmp_path / "home"
    env = {k: v for k, v in os.environ.items() if not k.startswith("CHARTER_")}
    env |= {
        "CHARTER_HOME": str(home),
        "CHARTER_DATABASE_URL": "postgresql://nobody@192.0.2.1:1/none",
        "no_proxy": "*",
        "http_proxy": "http://192.0.2.1:9",
        "https_proxy": "http://192.0.2.1:9",
    }
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "charter",
            "bundle",
            "verify",
            str(bundle),
            "--json",
            "--key",
            str(built.key.with_suffix(".pub")),
            "--data",
            str(built.data),
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    out = json.loads(done.stdout)
    assert out["verified"] and out["not_checked"] == []
    assert not home.exists() or not any(home.rglob("*.db"))  # no database was opened
    tampered = copy.deepcopy(exported["passed"])
    tampered["content"]["gate"]["approvals"][0]["reason"] = "rubber stamp"
    bundle.write_text(json.dumps(tampered))
    refused = subprocess.run(
        [
            sys.executable,
            "-m",
            "charter",
            "bundle",
            "verify",
            str(bundle),
            "--json",
            "--key",
            str(built.key.with_suffix(".pub")),
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert refused.returncode == 1
    failed = " ".join(json.loads(refused.stdout)["failed"])
    assert "seal" in failed and "differs from its signed event" in failed


def _leaves(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    if isinstance(value, dict):
        return [p for k, v in value.items() for p in _leaves(v, (*path, k))]
    if isinstance(value, list):
        return [p for i, v in enumerate(value) for p in _leaves(v, (*path, i))] or [path]
    return [path]


def _set(tree: Any, path: tuple[Any, ...], value: Any) -> None:
    for step in path[:-1]:
        tree = tree[step]
    tree[path[-1]] = value


def _other(old: Any, draw: Any) -> Any:
    if isinstance(old, bool):
        return not old
    if isinstance(old, int | float):
        return old + draw(st.sampled_from([1, -1, 0.5, 1e-6]))
    if isinstance(old, str) and old:
        i = draw(st.integers(0, len(old) - 1))
        ch = "A" if old[i] != "A" else "B"
        return old[:i] + ch + old[i + 1 :]
    return draw(st.sampled_from(["x", 1, True]))


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_any_change_to_any_field_or_proof_is_refused(
    built: Built, exported: dict[str, Any], data: st.DataObject
) -> None:
    name = data.draw(st.sampled_from(sorted(exported)))
    bundle = copy.deepcopy(exported[name])
    paths = _leaves(bundle)
    proofs = [
        p
        for p in paths
        if "proof" in p or "consistency" in p or p[-1] in ("seal", "checkpoint", "latest")
    ]
    path = data.draw(
        st.sampled_from(proofs) if data.draw(st.booleans()) else st.sampled_from(paths)
    )
    old = bundle
    for step in path:
        old = old[step]
    _set(bundle, path, _other(old, data.draw))
    found = verify_bundle(bundle, built.verifier)
    assert not found.verified, path
