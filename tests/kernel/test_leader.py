"""A job's leader lock, on both databases: held while led, free once released (on PostgreSQL
the connection goes back to the pool, so the session, and a lock not unlocked, would live on)."""

from __future__ import annotations

from sqlalchemy import Engine, text

from charter.kernel.store.leader import Leader

HELD = """SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'
          AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"""


def _held(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(text(HELD)).scalar() or 0)


def test_a_released_lock_is_free_for_another_session(engine: Engine) -> None:
    first = Leader(engine, "deliveries")
    assert first.acquire()
    if engine.dialect.name == "postgresql":
        assert _held(engine) == 1
    else:
        assert not Leader(engine, "deliveries").acquire()  # another handle of the lock file
    first.release()
    if engine.dialect.name == "postgresql":
        assert _held(engine) == 0
    second = Leader(engine, "deliveries")
    assert second.acquire()
    second.release()
