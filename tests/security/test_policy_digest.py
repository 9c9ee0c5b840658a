"""An insider with database rights edits a stored policy (its source, or its digest) outside
Charter: no gate enforces the unrecorded text. A policy in force whose stored source does not
hash to its recorded digest blocks every gate of every system, with a finding that names it,
so no decision can move a system on it; the gate check, the decision and the posture say why.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sqlalchemy import JSON, Engine, Text, cast, literal, update

from charter.audit import services as audit
from charter.audit.keys import create_key
from charter.bootstrap import context_for
from charter.governance.domain.lifecycle import Decision, RequestStatus
from charter.governance.files import check_policy
from charter.governance.services import gates, lifecycle, policies
from charter.governance.tables import policies as policy_rows
from charter.inventory.domain import LifecycleStage as S
from charter.kernel.roles import RoleKind as R
from charter.reports.services import bundles
from charter.reports.verifier import verify_bundle
from charter.risks.domain.controls import ControlState
from charter.risks.services import controls, views
from tests.factory import World, make_world

STRICT: dict[str, Any] = {
    "id": "raci-first",
    "title": "A complete RACI before assessment",
    "requirements": [{"id": "raci", "kind": "accountability", "raci_complete": True}],
}
RELAXED: dict[str, Any] = {
    "id": "owner-first",
    "title": "An owner before assessment",
    "requirements": [{"id": "owner", "kind": "accountability", "owner_named": True}],
}
FINDING = "its stored text does not match its recorded version (digest "


def _load(world: World, source: dict[str, Any]) -> None:
    policies.load_policies(
        world.ctx, world.actor(R.CHIEF_AI_OFFICER), [(source, check_policy(source, "p"))]
    )


def _tamper(engine: Engine, policy_id: str, **values: Any) -> None:
    """What an insider with database rights does: one UPDATE, the row otherwise valid."""
    with engine.begin() as conn:
        conn.execute(update(policy_rows).where(policy_rows.c.id == policy_id).values(**values))


def _assert_blocked_everywhere(world: World, system_id: str, policy_id: str) -> None:
    caio = world.actor(R.CHIEF_AI_OFFICER)
    check = gates.check_gate(world.ctx, caio, system_id, S.ASSESSED, False)
    assert not check.passed
    named = [r for r in check.result.blocking_reasons if policy_id in r and FINDING in r]
    assert named, check.result.blocking_reasons
    (standing,) = [p for p in gates.posture(world.ctx, caio) if p.system.id == system_id]
    assert any(line.startswith(f"{policy_id}/") and FINDING in line for line in standing.blocking)
    request, _ = lifecycle.request_transition(
        world.ctx, world.actor(R.PROGRAM_MANAGER), system_id, S.ASSESSED, "next step"
    )
    decided, result = lifecycle.decide(
        world.ctx, world.actor(R.ETHICS_COMPLIANCE), request.id, Decision.APPROVE, "fine"
    )
    assert decided.status is RequestStatus.PENDING, "no decision moves a system on it"
    assert not result.passed and any(FINDING in r for r in result.blocking_reasons)


def test_an_edited_source_blocks_every_gate(world: World, engine: Engine) -> None:
    system = world.system()
    _load(world, STRICT)
    caio = world.actor(R.CHIEF_AI_OFFICER)
    assert not gates.check_gate(world.ctx, caio, system.id, S.ASSESSED, False).passed
    # the insider relaxes the stored text, keeping the recorded digest
    _tamper(engine, "raci-first", source={**RELAXED, "id": "raci-first"})
    _assert_blocked_everywhere(world, system.id, "raci-first")


def test_a_source_narrowed_to_no_system_still_blocks(world: World, engine: Engine) -> None:
    system = world.system()
    _load(world, STRICT)
    narrowed = {**STRICT, "applies": {"business_units": ["nowhere"]}}
    _tamper(engine, "raci-first", source=narrowed)
    _assert_blocked_everywhere(world, system.id, "raci-first")


def test_an_edited_digest_alone_blocks_every_gate(world: World, engine: Engine) -> None:
    system = world.system()
    _load(world, RELAXED)
    caio = world.actor(R.CHIEF_AI_OFFICER)
    assert gates.check_gate(world.ctx, caio, system.id, S.ASSESSED, False).passed
    _tamper(engine, "owner-first", digest="0" * 64)
    _assert_blocked_everywhere(world, system.id, "owner-first")


def test_a_source_that_no_longer_parses_blocks_too(world: World, engine: Engine) -> None:
    system = world.system()
    _load(world, RELAXED)
    broken = {**RELAXED, "requirements": [{"id": "x", "kind": "evidence", "metric": "nope"}]}
    _tamper(engine, "owner-first", source=broken)
    _assert_blocked_everywhere(world, system.id, "owner-first")


def test_a_stored_text_python_cannot_read_blocks_instead_of_failing(
    world: World, engine: Engine
) -> None:
    """(valid JSON to the database, a number too long for Python's parser: before, every
    gate read failed with a server error)"""
    system = world.system()
    _load(world, RELAXED)
    unreadable = json.dumps(RELAXED)[:-1] + ', "x": ' + "9" * 5000 + "}"
    stored = literal(unreadable, Text)  # the text itself, not a JSON string holding it
    _tamper(engine, "owner-first", source=cast(stored, JSON) if engine.name != "sqlite" else stored)
    _assert_blocked_everywhere(world, system.id, "owner-first")


def test_loading_the_file_again_restores_the_policy(world: World, engine: Engine) -> None:
    system = world.system()
    _load(world, RELAXED)
    _tamper(engine, "owner-first", source={**RELAXED, "title": "Edited"})
    caio = world.actor(R.CHIEF_AI_OFFICER)
    assert not gates.check_gate(world.ctx, caio, system.id, S.ASSESSED, False).passed
    _load(world, RELAXED)  # same digest as recorded: stored again all the same
    assert gates.check_gate(world.ctx, caio, system.id, S.ASSESSED, False).passed


def test_a_control_tested_by_an_edited_policy_fails_saying_why(
    world: World, engine: Engine
) -> None:
    """The risk register's controls tested by a policy requirement read stored policies too:
    an edited one makes its controls fail, naming it, never pass on the edited text."""
    system = world.system()
    _load(world, STRICT)
    caio = world.actor(R.CHIEF_AI_OFFICER)
    fields = {"title": "RACI kept", "kind": "requirement", "system_id": system.id,
              "policy_id": "raci-first", "requirement_id": "raci"}  # fmt: skip
    control = controls.define_control(world.ctx, caio, fields)
    world.full_raci(system.id)
    (before,) = [v for v in views.controls(world.ctx, caio) if v.control.id == control.id]
    assert before.state.state is ControlState.EFFECTIVE, before.state
    _tamper(engine, "raci-first", source={**STRICT, "title": "Edited"})
    (after,) = [v for v in views.controls(world.ctx, caio) if v.control.id == control.id]
    assert after.state.state is ControlState.FAILING
    assert "raci-first" in after.state.reason and FINDING in after.state.reason


def _bundle_after_edit(
    engine: Engine, tmp_path: Path, source: dict[str, Any]
) -> tuple[dict[str, Any], Any]:
    """A transition's bundle exported after its policy's stored source was set to `source`,
    and the bundle's offline verification."""
    key = tmp_path / "audit.key"
    create_key(key, "test.example/audit")
    world = make_world(context_for(engine, key_file=key))
    system = world.system()
    _load(world, RELAXED)
    request, _ = lifecycle.request_transition(
        world.ctx, world.actor(R.PROGRAM_MANAGER), system.id, S.ASSESSED, "next step"
    )
    _tamper(engine, "owner-first", source=source)
    audit.make_checkpoint(world.ctx, world.admin)
    bundle = bundles.export_bundle(world.ctx, world.admin, "transition", request.id)
    verifier = key.with_suffix(".pub").read_text().strip()
    return bundle, verify_bundle(json.loads(json.dumps(bundle)), verifier)


def test_a_bundle_of_a_gate_on_an_edited_policy_does_not_verify(
    engine: Engine, tmp_path: Path
) -> None:
    """A decision bundle exported after the edit records the gate blocked by the finding, and
    its offline verification names the policy whose stored text differs from the signed one."""
    bundle, found = _bundle_after_edit(engine, tmp_path, {**RELAXED, "title": "Edited"})
    claimed = bundle["content"]["gate"]["claimed"]
    assert not claimed["passed"] and any(FINDING in r[2] for r in claimed["results"])
    assert not found.verified
    assert any("owner-first" in problem for problem in found.failed), found.failed


def test_an_edit_python_calls_equal_still_blocks_in_a_warm_process(
    world: World, engine: Engine
) -> None:
    """`true` edited to `1` changes the digest, though Python holds 1 == True: the parse this
    process keeps is not served for the edited row (else workers would disagree)."""
    system = world.system()
    _load(world, RELAXED)
    assert gates.posture(world.ctx, world.actor(R.CHIEF_AI_OFFICER))  # the parse is kept
    edited = json.loads(json.dumps(RELAXED))
    edited["requirements"][0]["owner_named"] = 1
    _tamper(engine, "owner-first", source=edited)
    _assert_blocked_everywhere(world, system.id, "owner-first")


def test_a_bundle_whose_policy_text_does_not_parse_fails_verification(
    engine: Engine, tmp_path: Path
) -> None:
    """The verifier reads untrusted input: whatever a bundle's policy text makes the parser
    raise is a failed verification, never a traceback."""
    _, found = _bundle_after_edit(engine, tmp_path, {**RELAXED, "requirements": "x"})
    assert not found.verified
