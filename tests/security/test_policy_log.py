"""An insider with database rights changes which policy is in force without touching the
audit log: turns a policy off, deletes it, rewrites its text together with a matching digest,
or inserts one never loaded. The audit log (hash-chained, signed) records every load, change
and switch; where the stored policies disagree with it, every gate is blocked saying so."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, delete, insert, update

from charter.governance.domain.policy import source_digest
from charter.governance.files import check_policy
from charter.governance.services import gates, policies
from charter.governance.tables import policies as policy_rows
from charter.inventory.domain import LifecycleStage as S
from charter.kernel.roles import RoleKind as R
from tests.factory import World
from tests.security.test_policy_digest import STRICT

RELAXED: dict[str, Any] = {  # the strict policy's id and title, an easier requirement
    **STRICT,
    "requirements": [{"id": "owner", "kind": "accountability", "owner_named": True}],
}


def _blocked_saying(world: World, system_id: str, words: str) -> None:
    check = gates.check_gate(world.ctx, world.actor(R.CHIEF_AI_OFFICER), system_id, S.ASSESSED)
    assert not check.passed
    assert any("raci-first" in r and words in r for r in check.result.blocking_reasons), (
        check.result.blocking_reasons
    )


def _strict(world: World) -> str:
    """A system with an owner and no RACI, under the strict policy: blocked by it alone."""
    system = world.system()
    caio = world.actor(R.CHIEF_AI_OFFICER)
    policies.load_policies(world.ctx, caio, [(STRICT, check_policy(STRICT, "p"))])
    assert not gates.check_gate(world.ctx, caio, system.id, S.ASSESSED).passed
    return system.id


def _change(engine: Engine, statement: Any) -> None:
    with engine.begin() as conn:
        conn.execute(statement)


def test_a_policy_switched_off_in_the_database_blocks_every_gate(
    world: World, engine: Engine
) -> None:
    system_id = _strict(world)
    _change(engine, update(policy_rows).values(enabled=False))
    _blocked_saying(world, system_id, "disabled outside Charter")


def test_a_policy_deleted_in_the_database_blocks_every_gate(world: World, engine: Engine) -> None:
    system_id = _strict(world)
    _change(engine, delete(policy_rows))
    _blocked_saying(world, system_id, "removed outside Charter")


def test_a_text_rewritten_with_its_own_digest_blocks_every_gate(
    world: World, engine: Engine
) -> None:
    """The row is self-consistent (its digest is the rewritten text's), only the log says
    which version was loaded."""
    system_id = _strict(world)
    _change(engine, update(policy_rows).values(source=RELAXED, digest=source_digest(RELAXED)))
    _blocked_saying(world, system_id, "is not the one the audit log recorded")


def test_a_policy_inserted_in_the_database_blocks_every_gate(world: World, engine: Engine) -> None:
    system = world.system()
    row = {
        "id": "raci-first", "title": "x", "digest": source_digest(RELAXED), "source": RELAXED,
        "enabled": True, "loaded_at": datetime.now(UTC), "loaded_by": "nobody",
    }  # fmt: skip
    _change(engine, insert(policy_rows).values(**row))
    _blocked_saying(world, system.id, "never loaded through Charter")


def _agreeing(world: World, system_id: str) -> list[str]:
    """The policies the gate applies, having checked that none stands in for a disagreement
    with the audit log."""
    check = gates.check_gate(world.ctx, world.actor(R.CHIEF_AI_OFFICER), system_id, S.ASSESSED)
    assert not any("outside Charter" in r for r in check.result.blocking_reasons)
    return [v.policy_id for v in check.policies]


def test_switching_off_and_reloading_through_charter_agree_with_the_log(world: World) -> None:
    system_id = _strict(world)
    caio = world.actor(R.CHIEF_AI_OFFICER)
    policies.set_enabled(world.ctx, caio, "raci-first", False)
    assert _agreeing(world, system_id) == []
    policies.set_enabled(world.ctx, caio, "raci-first", True)
    policies.load_policies(world.ctx, caio, [(RELAXED, check_policy(RELAXED, "p"))])
    assert _agreeing(world, system_id) == ["raci-first"]
