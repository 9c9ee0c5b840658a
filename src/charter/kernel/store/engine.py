"""Database engines: SQLite (WAL, immediate write transactions, deferred read-only ones) and
PostgreSQL (a connection checked for liveness only after it has been idle a while)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, exc
from sqlalchemy.engine import make_url

#: the execution option a unit of work sets on its connection when it only reads
READING = "charter_reading"
#: a pooled PostgreSQL connection unused this long is pinged before it is handed out again
IDLE_PING_SECONDS = 10.0


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    dbapi_conn.isolation_level = None  # let SQLAlchemy's begin event emit BEGIN IMMEDIATE
    cursor = dbapi_conn.cursor()
    for pragma in ("journal_mode=WAL", "foreign_keys=ON", "busy_timeout=30000", "synchronous=FULL"):
        cursor.execute(f"PRAGMA {pragma}")
    cursor.close()


def _sqlite_begin(conn: Connection) -> None:
    """A write transaction takes the write lock at once (writers queue, never deadlock); a
    read-only one is deferred: it reads a snapshot and waits for no writer."""
    reading = conn.get_execution_options().get(READING, False)
    conn.exec_driver_sql("BEGIN" if reading else "BEGIN IMMEDIATE")


def _checked_in(_dbapi_conn: Any, record: Any) -> None:
    record.info["idle_since"] = time.monotonic()


def _ping_if_idle(idle_after: float) -> Any:
    """A checkout hook: a connection idle for `idle_after` seconds or more answers a ping
    first, or is replaced (the pool retries with a new one). A busy server's connections
    are never idle that long, so it pays no round trip per unit of work; a connection
    lost meanwhile is found by its first statement, and the unit of work says so (Busy,
    when nothing was written, so the request is run again on a fresh connection)."""

    def checkout(dbapi_conn: Any, record: Any, _proxy: Any) -> None:
        since = record.info.get("idle_since")
        if since is None or time.monotonic() - since < idle_after:
            return
        try:
            with dbapi_conn.cursor() as cursor:
                cursor.execute("SELECT 1")
            dbapi_conn.rollback()
        except Exception as error:  # any failure: the pool replaces the connection
            raise exc.DisconnectionError(f"a pooled connection did not answer: {error}") from error

    return checkout


def make_engine(url: str, idle_ping: float = IDLE_PING_SECONDS) -> Engine:
    """An engine for the URL; SQLite gets its parent folder created and its pragmas set;
    PostgreSQL's pooled connections are pinged after `idle_ping` seconds unused."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url)
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    engine = create_engine(url, pool_recycle=3600)
    event.listen(engine, "checkin", _checked_in)
    event.listen(engine, "checkout", _ping_if_idle(idle_ping))
    return engine
