"""Store contract suite: the same tests on SQLite and on a real PostgreSQL server."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, inspect, text
from sqlalchemy.exc import DBAPIError

from charter.accountability.domain.org import BusinessUnit, Person
from charter.audit.domain.logcheck import first_bad
from charter.kernel.errors import Conflict, InvalidInput
from charter.kernel.store.migrate import downgrade, upgrade
from charter.wiring import SqlUnitOfWork, schema
from tests.conftest import drop_postgres, fresh_postgres
from tests.pg import PostgresServer

AT = datetime(2026, 11, 28, 9, 30, tzinfo=UTC)


#: SQLite's reflection skips expression indexes (PostgreSQL's compares them): the one on
#: lower(system name) is checked on PostgreSQL, and by the test of case-folded names on both
@pytest.mark.filterwarnings(
    "ignore:Skipped unsupported reflection of expression-based index uq_systems_name_folded"
)
@pytest.mark.filterwarnings(
    "ignore:autogenerate skipping metadata-specified expression-based index "
    "'uq_systems_name_folded'; dialect 'sqlite'"
)
def test_models_and_migrations_do_not_drift(engine: Engine) -> None:
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), schema())
    assert diff == []


def test_migrations_run_down_to_empty_and_up_again(engine: Engine) -> None:
    downgrade(engine, "base")
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    upgrade(engine)
    assert {t.name for t in schema().sorted_tables} <= set(inspect(engine).get_table_names())


def _units(engine: Engine, *names: str) -> None:
    with SqlUnitOfWork(engine) as uow:
        for n, name in enumerate(names):
            uow.units.add(BusinessUnit(f"bu_{n}", name, f"about {name}"))
        uow.commit()


def test_repository_round_trip_update_delete(engine: Engine) -> None:
    _units(engine, "Retail")
    with SqlUnitOfWork(engine) as uow:
        uow.people.add(Person("p_1", "Ada", "ada@example.org", "bu_0", "CAIO", True))
        uow.commit()
    with SqlUnitOfWork(engine) as uow:
        person = uow.people.get("p_1")
        assert person == Person("p_1", "Ada", "ada@example.org", "bu_0", "CAIO", True)
        uow.people.update(Person("p_1", "Ada L.", "ada@example.org", None, "", False))
        uow.commit()
    with SqlUnitOfWork(engine) as uow:
        assert uow.people.get("p_1") == Person("p_1", "Ada L.", "ada@example.org", None, "", False)
        uow.people.delete("p_1")
        uow.commit()
    with SqlUnitOfWork(engine) as uow:
        assert uow.people.get("p_1") is None


def test_find_filters_searches_sorts_and_pages(engine: Engine) -> None:
    _units(engine, "Retail", "Claims", "Risk", "Retail Lending", "HR")
    with SqlUnitOfWork(engine) as uow:
        page = uow.units.find(search="retail")
        assert [u.name for u in page.items] == ["Retail", "Retail Lending"]
        first = uow.units.find(limit=2, offset=0)
        second = uow.units.find(limit=2, offset=2)
        assert first.total == second.total == 5
        assert [u.name for u in first.items + second.items] == [
            "Claims",
            "HR",
            "Retail",
            "Retail Lending",
        ]
        newest = uow.units.find(order="-name", limit=1)
        assert [u.name for u in newest.items] == ["Risk"]
        either = uow.units.find(any_of={"id": frozenset({"bu_0"}), "name": frozenset({"HR"})})
        assert {u.name for u in either.items} == {"Retail", "HR"}
        nothing = uow.units.find(any_of={"id": frozenset()})
        assert nothing.total == 0
        assert uow.units.all(name="Risk")[0].id == "bu_2"


@pytest.mark.parametrize("bad", [{"filters": {"colour": "red"}}, {"order": "colour"}])
def test_unknown_filter_or_sort_is_refused(engine: Engine, bad: dict[str, object]) -> None:
    with SqlUnitOfWork(engine) as uow, pytest.raises(InvalidInput, match="colour"):
        uow.units.find(**bad)  # type: ignore[arg-type]


def test_leaving_without_commit_rolls_back(engine: Engine) -> None:
    with SqlUnitOfWork(engine) as uow:
        uow.units.add(BusinessUnit("bu_x", "Ghost"))
    with SqlUnitOfWork(engine) as uow:
        assert uow.units.get("bu_x") is None


def test_unique_violation_becomes_conflict_and_nothing_is_written(engine: Engine) -> None:
    _units(engine, "Retail")
    with pytest.raises(Conflict, match="clashes"), SqlUnitOfWork(engine) as uow:
        uow.units.add(BusinessUnit("bu_new", "Other"))
        uow.units.add(BusinessUnit("bu_dup", "Retail"))
    with SqlUnitOfWork(engine) as uow:
        assert uow.units.get("bu_new") is None


def _append(engine: Engine, n: int, actor: str = "p1") -> None:
    for i in range(n):
        with SqlUnitOfWork(engine) as uow:
            uow.audit.append(
                at=AT,
                actor=actor,
                action="test.appended",
                entity_type="system",
                entity_id=f"sys_{i % 3}",
                data={"i": i},
            )
            uow.commit()


def test_audit_log_is_gapless_chained_and_queryable(engine: Engine) -> None:
    _append(engine, 9)
    with SqlUnitOfWork(engine) as uow:
        events = uow.audit.events()
        assert [e.seq for e in events] == list(range(1, 10))
        assert first_bad(events) is None
        assert uow.audit.size() == 9
        assert [e.seq for e in uow.audit.for_entity("system", "sys_1")] == [2, 5, 8]
        assert [e.seq for e in uow.audit.events(after=7)] == [8, 9]


def test_concurrent_writers_leave_a_gapless_chain(engine: Engine) -> None:
    threads = [threading.Thread(target=_append, args=(engine, 10, f"w{i}")) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    with SqlUnitOfWork(engine) as uow:
        events = uow.audit.events()
    assert [e.seq for e in events] == list(range(1, 41))
    assert first_bad(events) is None


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_events SET actor = 'mallory'",
        "DELETE FROM audit_events",
    ],
)
def test_database_refuses_to_rewrite_audit_rows(engine: Engine, statement: str) -> None:
    _append(engine, 2)
    with pytest.raises(DBAPIError, match="append-only"), engine.begin() as conn:
        conn.execute(text(statement))
    with SqlUnitOfWork(engine) as uow:
        assert first_bad(uow.audit.events()) is None and uow.audit.size() == 2


@pytest.mark.postgres
def test_postgres_refuses_truncate_of_audit_rows(pg_template: PostgresServer) -> None:
    engine, name = fresh_postgres(pg_template)
    try:
        _append(engine, 1)
        with pytest.raises(DBAPIError, match="append-only"), engine.begin() as conn:
            conn.execute(text("TRUNCATE audit_events"))
    finally:
        engine.dispose()
        drop_postgres(pg_template, name)


def test_the_head_revision_known_without_alembic_is_alembics(engine: Engine) -> None:
    """A database at head is recognised with one query; the head is Alembic's own."""
    from alembic.script import ScriptDirectory

    from charter.kernel.store.migrate import alembic_config, current_revision, head_revision

    script = ScriptDirectory.from_config(alembic_config(engine))
    assert head_revision() == script.get_current_head()
    assert current_revision(engine) == head_revision()
