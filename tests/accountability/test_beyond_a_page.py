"""Issue 23: reads of "all" see more than the repositories' first page (MAX_PAGE, 500 rows).
The people page counts every system of a unit (in the database), names the systems role
assignments are scoped to, and the CLI lists every unit, person and role; a reader scoped to
one unit learns neither the names nor the counts of another's systems."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from sqlalchemy import Engine, event

from charter.accountability.domain.org import BusinessUnit, Person
from charter.accountability.services import org
from charter.bootstrap import context_for
from charter.identity.services import access
from charter.inventory import services as inventory
from charter.kernel.roles import RoleAssignment, ScopeKind
from charter.kernel.roles import RoleKind as R
from charter.kernel.store.engine import make_engine
from charter.kernel.store.repositories import MAX_PAGE
from tests.factory import World
from tests.web.test_ui import _sign_in

MANY = MAX_PAGE + 101
ADMIN = "root@example.org"


def _many_systems(world: World, count: int, unit: BusinessUnit, prefix: str) -> list[str]:
    """`count` systems of the unit, written straight to the repository (cheap at scale)."""
    model = world.system(f"{prefix} 0", unit)
    made = [model.id]
    with world.ctx.uow() as uow:
        for n in range(1, count):
            made.append(f"{model.id}-{n}")
            uow.systems.add(
                replace(model, id=made[-1], name=f"{prefix} {n:04}", business_unit_id=unit.id)
            )
        uow.commit()
    return made


def _unit_row(html: str, unit: str) -> tuple[int, int]:
    """(people, AI systems) the people page's unit table shows for the unit."""
    found = re.search(rf"<tr><td>{re.escape(unit)}</td><td>(\d+)</td><td>(\d+)</td></tr>", html)
    assert found is not None, unit
    return int(found.group(1)), int(found.group(2))


def test_the_people_page_counts_and_names_beyond_a_page(engine: object, ui) -> None:  # type: ignore[no-untyped-def]
    client, world, _ = ui
    before = inventory.list_systems(world.ctx, world.admin, {"business_unit_id": world.unit.id})
    ids = _many_systems(world, MANY, world.unit, "Zeta scorer")
    last = ids[-1]  # sorted after the first page by name and by id
    org.assign_role(world.ctx, world.admin, world.people[R.DATA_SCIENTIST].id,
                    R.DATA_SCIENTIST, ScopeKind.SYSTEM, last)  # fmt: skip
    _sign_in(client, world.people[R.CHIEF_AI_OFFICER].email)
    html = client.get("/ui/people").text
    assert _unit_row(html, world.unit.name)[1] == before.total + MANY
    assert f"Zeta scorer {MANY - 1:04}" in html  # the scope's name, not its id


def test_a_unit_scoped_reader_counts_and_names_only_its_unit(world: World) -> None:
    theirs = _many_systems(world, 3, world.other_unit, "Hidden")
    ours = world.system("Ours")
    rita = world.person("Rita", R.AI_CHAMPION, scope=ScopeKind.BUSINESS_UNIT,
                        scope_id=world.unit.id)  # fmt: skip
    reader = access.actor_for(world.ctx, rita.id)
    units = [world.unit.id, world.other_unit.id]
    counts = inventory.systems_per_unit(world.ctx, reader, units)
    assert counts == {world.unit.id: counts[world.unit.id], world.other_unit.id: 0}
    assert counts[world.unit.id] >= 1
    assert inventory.system_names(world.ctx, reader, [*theirs, ours.id]) == {ours.id: "Ours"}
    assert inventory.systems_per_unit(world.ctx, world.admin, units)[world.other_unit.id] == 3


def test_systems_are_counted_for_every_unit_in_one_query(world: World, engine: Engine) -> None:
    units = [org.create_unit(world.ctx, world.admin, f"Unit {n}").id for n in range(6)]
    _many_systems(world, 2, world.other_unit, "Counted")
    sent: list[str] = []

    def note(conn: object, cursor: object, statement: str, *_: object) -> None:
        sent.append(statement)

    event.listen(engine, "before_cursor_execute", note)
    try:
        counts = inventory.systems_per_unit(world.ctx, world.admin, [*units, world.other_unit.id])
    finally:
        event.remove(engine, "before_cursor_execute", note)
    assert counts == {u: 0 for u in units} | {world.other_unit.id: 2}
    assert len([s for s in sent if "FROM systems" in s]) == 1, sent


def test_the_cli_lists_every_unit_person_and_role(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    cli("init", "--name", "Root", "--email", ADMIN)
    engine = make_engine(f"sqlite:///{tmp_path}/charter.db")
    with context_for(engine).uow() as uow:
        for n in range(MANY):
            uow.units.add(BusinessUnit(f"unit-{n:04}", f"Unit {n:04}"))
            uow.people.add(Person(f"person-{n:04}", f"Person {n:04}", f"p{n}@example.org"))
            uow.roles.add(RoleAssignment(f"role-{n:04}", f"person-{n:04}", R.AI_CHAMPION,
                                         ScopeKind.BUSINESS_UNIT, f"unit-{n:04}"))  # fmt: skip
        uow.commit()
    engine.dispose()
    for command in ("units", "people", "roles"):
        listed = cli(command, "list", "--as", ADMIN)
        assert len(listed["items"]) == listed["total"] >= MANY, command
        assert listed["limit"] is None
    named = cli("roles", "list", "--person", f"person-{MANY - 1:04}", "--as", ADMIN)
    assert [r["scope_id"] for r in named["items"]] == [f"unit-{MANY - 1:04}"]
