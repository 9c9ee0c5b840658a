"""What a gate reads costs a bounded number of SQL statements, on both databases: one per kind
of fact, whatever the number of systems, risks, controls, policies or pending requests. The
statements are counted on the real engine with a SQLAlchemy event listener."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, event

from charter.governance.files import library_path, load_policy_files
from charter.governance.services import gates, inbox, lifecycle, policies
from charter.inventory.domain import LifecycleStage as S
from charter.kernel.roles import RoleKind as R
from charter.risks.services import controls, register
from tests.factory import World

#: what one gate check reads at most (the actor is given): one statement per kind of fact
GATE_BOUND = 24


@contextmanager
def _counting(engine: Engine) -> Iterator[list[str]]:
    seen: list[str] = []

    def count(*args: Any) -> None:
        seen.append(str(args[2]))

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", count)


def _statements(engine: Engine, run: Callable[[], object]) -> int:
    with _counting(engine) as seen:
        run()
    return len(seen)


def _governed_system(world: World) -> str:
    """A system with full RACI and a risk tested by a check, a document and two policy
    requirements."""
    system = world.system()
    world.full_raci(system.id)
    _risk(world, system.id)
    return system.id


def _risk(world: World, system_id: str) -> None:
    caio = world.actor(R.CHIEF_AI_OFFICER)
    risk = register.register_risk(
        world.ctx, caio,
        {"title": "Skewed offers", "category": "MIT.1.1", "cause": "history",
         "consequence": "unequal treatment", "owner_id": world.people[R.EXECUTIVE_SPONSOR].id,
         "inherent_likelihood": 4, "inherent_impact": 4, "target_likelihood": 2,
         "target_impact": 2, "treatment": "mitigate"},
        (), system_id=system_id,
    )  # fmt: skip
    tests: list[dict[str, Any]] = [
        {"kind": "check", "check_id": "dp"},
        {"kind": "document", "document": "model_card", "approvers": [R.ETHICS_COMPLIANCE.value]},
        {
            "kind": "requirement",
            "policy_id": "accountability-before-development",
            "requirement_id": "raci",
        },
        {"kind": "requirement", "policy_id": "model-card", "requirement_id": "card"},
    ]
    for n, test in enumerate(tests):
        values = {"title": f"Control {n}", "system_id": system_id, **test}
        controls.define_control(world.ctx, caio, values, mitigates=risk.id)


def _load_library(world: World, *names: str) -> None:
    files = [library_path() / f for f in names or ("risk-appetite.yaml", "good-practice.yaml")]
    policies.load_policies(world.ctx, world.actor(R.CHIEF_AI_OFFICER), load_policy_files(files))


def _grow(world: World, system_id: str, systems: int) -> None:
    """More systems with their own risks, more risks on the system itself, more policies."""
    for _ in range(systems):
        _governed_system(world)
    for _ in range(3):
        _risk(world, system_id)
    _load_library(world, "safer-defaults.yaml", "gdpr.yaml")


def test_a_gate_reads_a_bounded_number_of_statements(world: World, engine: Engine) -> None:
    _load_library(world)
    system_id = _governed_system(world)
    caio = world.actor(R.CHIEF_AI_OFFICER)

    def gate() -> object:
        return gates.check_gate(world.ctx, caio, system_id, S.ASSESSED)

    first = _statements(engine, gate)
    _grow(world, system_id, 4)
    then = _statements(engine, gate)
    assert then == first, (first, then)
    assert then <= GATE_BOUND, then


def test_posture_and_inbox_read_a_bounded_number_of_statements(
    world: World, engine: Engine
) -> None:
    _load_library(world)
    caio, ethics = world.actor(R.CHIEF_AI_OFFICER), world.actor(R.ETHICS_COMPLIANCE)
    pm = world.actor(R.PROGRAM_MANAGER)

    def ask(system_id: str) -> None:
        lifecycle.request_transition(world.ctx, pm, system_id, S.ASSESSED, "go")

    ask(_governed_system(world))
    posture = _statements(engine, lambda: gates.posture(world.ctx, caio))
    waiting = _statements(engine, lambda: inbox.inbox(world.ctx, ethics))
    for _ in range(4):
        ask(_governed_system(world))
    assert _statements(engine, lambda: gates.posture(world.ctx, caio)) == posture
    assert _statements(engine, lambda: inbox.inbox(world.ctx, ethics)) == waiting
