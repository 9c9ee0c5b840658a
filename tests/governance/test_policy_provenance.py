"""A policy can require evidence Charter computed from its data folder: evidence computed over
a file its recorder uploaded (or in their own process) does not count for it, and the gate
says why, naming the origin, the recorder and what the policy requires. Through the gate, on
SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest

from charter.governance.files import load_policy_files
from charter.governance.services import policies
from charter.governance.services.gates import check_gate
from charter.inventory.domain import LifecycleStage as S
from charter.kernel.errors import InvalidInput
from charter.kernel.roles import RoleKind as R
from charter.kernel.verdicts import Verdict
from charter.validation import services as validation
from charter.validation.domain.suite import parse_suite
from tests.factory import World

POLICY = """
id: computed-evidence
title: Deployment rests on evidence Charter computed from its data folder
rationale: A recorder's own file could be any file.
applies: {transitions: [{to: approved_for_deployment}]}
requirements:
  - {id: accuracy, kind: evidence, check: acc, provenance: [data_folder]}
"""
SUITE = parse_suite({
    "name": "routing",
    "data": "scored.csv",
    "columns": {"label": "y", "prediction": "p"},
    "checks": [{"id": "acc", "metric": "accuracy", "min": 0.5}],
})  # fmt: skip


def _requirement(world: World, system_id: str) -> tuple[Verdict, str]:
    gate = check_gate(
        world.ctx, world.actor(R.AUDITOR), system_id, S.APPROVED_FOR_DEPLOYMENT, False
    )
    policy = next(p for p in gate.policies if p.policy_id == "computed-evidence")
    found = policy.requirements[0]
    return found.verdict, found.reason


def _record(world: World, folder: Path, system_id: str, provenance: str) -> str:
    evidence = validation.validate(
        world.ctx, world.actor(R.DATA_SCIENTIST), system_id, SUITE,
        lambda s: world.ctx.run_suite(s, folder), None, provenance,
    )  # fmt: skip
    return evidence.id


def test_evidence_over_an_uploaded_file_does_not_count_and_the_gate_says_why(
    world: World, tmp_path: Path
) -> None:
    (tmp_path / "policy.yaml").write_text(POLICY)
    policies.load_policies(
        world.ctx, world.actor(R.CHIEF_AI_OFFICER), load_policy_files([tmp_path / "policy.yaml"])
    )
    system = world.system()
    world.full_raci(system.id)
    world.advance(system.id, S.IN_VALIDATION)
    (tmp_path / "scored.csv").write_text("y,p\n1,1\n0,0\n1,1\n0,1\n")
    uploaded = _record(world, tmp_path, system.id, "upload")
    verdict, reason = _requirement(world, system.id)
    assert verdict is Verdict.INCONCLUSIVE, reason
    recorder = world.people[R.DATA_SCIENTIST].id
    assert (
        f"{uploaded}: computed over a file its recorder uploaded, recorded by {recorder}; this "
        "policy requires evidence computed by Charter from its data folder"
    ) in reason
    _record(world, tmp_path, system.id, "data_folder")
    verdict, reason = _requirement(world, system.id)
    assert verdict is Verdict.SATISFIED, reason
    local = _record(world, tmp_path, system.id, "local")  # newer, and named as not counting
    verdict, reason = _requirement(world, system.id)
    assert verdict is Verdict.SATISFIED and f"{local}: computed in its recorder's own" in reason


def test_an_unknown_provenance_is_refused_when_the_policy_is_loaded(tmp_path: Path) -> None:
    (tmp_path / "policy.yaml").write_text(POLICY.replace("[data_folder]", "[imported]"))
    with pytest.raises(InvalidInput, match="provenance"):
        load_policy_files([tmp_path / "policy.yaml"])
