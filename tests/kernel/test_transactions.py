"""Read-only units of work and connections lost under a unit of work, on both databases."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError

from charter.accountability.domain.org import BusinessUnit
from charter.kernel.errors import Busy
from charter.kernel.store.engine import make_engine
from charter.wiring import SqlUnitOfWork
from tests.conftest import drop_postgres, fresh_postgres
from tests.pg import PostgresServer


def _unit(engine: Engine, ident: str) -> None:
    with SqlUnitOfWork(engine) as uow:
        uow.units.add(BusinessUnit(ident, f"Unit {ident}", ""))
        uow.commit()


def test_a_read_does_not_wait_for_a_writer_and_sees_what_was_committed(engine: Engine) -> None:
    """A writer holds its transaction open (on SQLite: the write lock); a read-only unit of
    work answers meanwhile, from what was committed before."""
    _unit(engine, "bu_1")
    writing, done = threading.Event(), threading.Event()

    def writer() -> None:
        with SqlUnitOfWork(engine) as uow:
            uow.units.add(BusinessUnit("bu_2", "Unit bu_2", ""))
            writing.set()
            done.wait(timeout=60)
            uow.commit()

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        assert writing.wait(timeout=60)
        with SqlUnitOfWork(engine).reading() as uow:
            seen = {u.id for u in uow.units.all()}
        assert seen == {"bu_1"}
    finally:
        done.set()
        thread.join()
    with SqlUnitOfWork(engine).reading() as uow:
        assert {u.id for u in uow.units.all()} == {"bu_1", "bu_2"}


def test_a_read_only_unit_of_work_reads_one_snapshot(engine: Engine) -> None:
    """Every statement of a read-only unit of work sees the database as it was at its first
    read: a write committed between two of its statements is not in the second (PostgreSQL
    reads at REPEATABLE READ; SQLite's read transaction holds its snapshot). A page kept by
    the audit head it read must hold exactly what that head names."""
    _unit(engine, "bu_1")
    with SqlUnitOfWork(engine).reading() as uow:
        first = {u.id for u in uow.units.all()}
        _unit(engine, "bu_2")  # its own connection and transaction, committed
        second = {u.id for u in uow.units.all()}
    assert first == second == {"bu_1"}
    with SqlUnitOfWork(engine).reading() as uow:
        assert {u.id for u in uow.units.all()} == {"bu_1", "bu_2"}


def test_a_read_only_unit_of_work_refuses_to_commit(engine: Engine) -> None:
    with SqlUnitOfWork(engine).reading() as uow, pytest.raises(RuntimeError, match="read-only"):
        uow.commit()


@pytest.mark.postgres
def test_postgres_refuses_a_write_in_a_read_only_unit_of_work(pg_template: PostgresServer) -> None:
    engine, name = fresh_postgres(pg_template)
    try:
        with SqlUnitOfWork(engine).reading() as uow, pytest.raises(DBAPIError, match="read-only"):
            uow.units.add(BusinessUnit("bu_1", "Unit", ""))
    finally:
        engine.dispose()
        drop_postgres(pg_template, name)


def _end_sessions(admin: Engine, database: str) -> int:
    """Every server session on the database ended, as a server restart ends them."""
    with admin.connect() as conn:
        return len(
            conn.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = :d AND pid <> pg_backend_pid()"
                ),
                {"d": database},
            ).all()
        )


@pytest.mark.postgres
def test_a_connection_lost_before_commit_is_busy_and_the_next_unit_of_work_reconnects(
    pg_template: PostgresServer,
) -> None:
    """No ping per unit of work: a pooled connection the server dropped fails its first
    statement, which is answered Busy (nothing was written, the request may run again), and
    the pool is renewed, so the next unit of work works."""
    engine, name = fresh_postgres(pg_template)
    admin = make_engine(pg_template.url(name))
    try:
        _unit(engine, "bu_1")
        assert _end_sessions(admin, name) >= 1
        with pytest.raises(Busy, match="connection"), SqlUnitOfWork(engine) as uow:
            uow.units.add(BusinessUnit("bu_2", "Unit bu_2", ""))
            uow.commit()
        _unit(engine, "bu_3")
        with SqlUnitOfWork(engine).reading() as uow:
            assert {u.id for u in uow.units.all()} == {"bu_1", "bu_3"}
    finally:
        admin.dispose()
        engine.dispose()
        drop_postgres(pg_template, name)


@pytest.mark.postgres
def test_a_connection_idle_a_while_is_checked_before_it_is_used(
    pg_template: PostgresServer,
) -> None:
    """A connection unused for the idle threshold (here 0 s) answers a ping at checkout, or
    is replaced: a unit of work after a restart then works the first time."""
    engine, name = fresh_postgres(pg_template)
    engine.dispose()
    pinged = make_engine(pg_template.url(name), idle_ping=0)
    admin = make_engine(pg_template.url(name))
    try:
        _unit(pinged, "bu_1")
        assert _end_sessions(admin, name) >= 1
        _unit(pinged, "bu_2")
        with SqlUnitOfWork(pinged).reading() as uow:
            assert {u.id for u in uow.units.all()} == {"bu_1", "bu_2"}
    finally:
        admin.dispose()
        pinged.dispose()
        drop_postgres(pg_template, name)
