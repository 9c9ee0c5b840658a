"""The token check every API request makes: one statement (the token, its owner and the
owner's roles), and on PostgreSQL no transaction around it; the connection goes back to the
pool transactional, so the use case that follows it still commits or rolls back whole."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import Engine, event

from charter.accountability.domain.org import BusinessUnit
from charter.accountability.services import org
from charter.identity.services import access
from charter.kernel.errors import Unauthenticated
from charter.kernel.roles import RoleKind as R
from charter.kernel.roles import ScopeKind
from tests.factory import World


class Statements:
    """Each statement the engine sends, with whether the driver ran it outside a
    transaction (PostgreSQL's autocommit; SQLite: always False)."""

    def __init__(self) -> None:
        self.seen: list[tuple[str, bool]] = []

    def __call__(self, conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if statement.startswith("BEGIN"):  # SQLite's, sent by our begin hook
            return
        dbapi = conn.connection.dbapi_connection
        alone = conn.dialect.name == "postgresql" and bool(dbapi.autocommit)
        self.seen.append((statement, alone))


@pytest.fixture
def statements(engine: Engine) -> Iterator[Statements]:
    seen = Statements()
    event.listen(engine, "before_cursor_execute", seen)
    yield seen
    event.remove(engine, "before_cursor_execute", seen)


def test_a_token_is_checked_in_one_statement_with_every_role(
    world: World, engine: Engine, statements: Statements
) -> None:
    person = world.person("Rita Roles", R.DATA_SCIENTIST)
    system = world.system()
    org.assign_role(world.ctx, world.admin, person.id, R.AUDITOR)
    org.assign_role(world.ctx, world.admin, person.id, R.ML_ENGINEER, ScopeKind.SYSTEM, system.id)
    me = access.actor_for(world.ctx, person.id)
    _, secret = access.create_token(world.ctx, me, None, "laptop")
    access.authenticate(world.ctx, secret)  # notes the token's first use
    statements.seen.clear()

    actor = access.authenticate(world.ctx, secret)

    assert actor.person_id == person.id
    assert sorted(actor.roles, key=repr) == sorted(me.roles, key=repr)
    assert len(actor.roles) == 3
    assert len(statements.seen) == 1
    alone = engine.dialect.name == "postgresql"
    assert statements.seen[0][1] is alone  # PostgreSQL: no BEGIN ... ROLLBACK around it


def test_a_token_of_a_person_without_roles_and_one_of_an_inactive_person(
    world: World,
) -> None:
    person = world.person("Nora Noroles")
    _, secret = access.create_token(world.ctx, access.actor_for(world.ctx, person.id), None, "x")
    assert access.authenticate(world.ctx, secret).roles == ()
    org.update_person(world.ctx, world.admin, person.id, active=False)
    with pytest.raises(Unauthenticated, match="inactive"):
        access.authenticate(world.ctx, secret)
    with pytest.raises(Unauthenticated, match="unknown"):
        access.authenticate(world.ctx, secret[:-4] + "abcd")


def test_the_connection_is_transactional_again_after_a_token_check(
    world: World, engine: Engine, statements: Statements
) -> None:
    engine.dispose()  # one pooled connection: the check's, handed to the next unit of work
    access.authenticate(world.ctx, world.admin_token)
    statements.seen.clear()
    with world.ctx.uow() as uow:
        before = uow.units.find().total
        uow.units.add(BusinessUnit("bu_never", "Never committed"))
        # left without commit: rolled back
    assert statements.seen and not any(alone for _, alone in statements.seen)
    with world.ctx.uow() as uow:
        assert uow.units.find().total == before
        assert uow.units.get("bu_never") is None
