"""The database's health: whether it answers and takes writes (for a readiness probe), and
its own integrity check over every table (for `charter doctor`)."""

from __future__ import annotations

from sqlalchemy import Connection, Engine, inspect, text
from sqlalchemy.exc import DBAPIError

from charter.kernel.errors import Unreadable


def probe(engine: Engine) -> None:
    """Nothing when the database can be read and written; else Unreadable, saying why. Cheap:
    one write transaction opened and rolled back, nothing written."""
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT count(*) FROM alembic_version")).scalar()
            if engine.dialect.name == "postgresql":
                read_only = conn.execute(text("SHOW transaction_read_only")).scalar()
                if read_only == "on" or conn.execute(text("SELECT pg_is_in_recovery()")).scalar():
                    raise Unreadable("the database takes no writes (read-only or in recovery)")
            conn.rollback()
    except DBAPIError as exc:
        raise Unreadable(f"the database cannot be read or written: {exc.orig}") from exc


def integrity(engine: Engine) -> list[str]:
    """What the database's own checks find wrong ([] when sound): SQLite's integrity_check;
    on PostgreSQL, every table read through and, where the amcheck extension is installed,
    every B-tree index checked."""
    try:
        with engine.connect() as conn:
            if engine.dialect.name == "sqlite":
                rows = [str(r[0]) for r in conn.execute(text("PRAGMA integrity_check"))]
                return [] if rows == ["ok"] else rows
            return _postgres(engine, conn)
    except DBAPIError as exc:
        raise Unreadable(f"the database cannot be read: {exc.orig}") from exc


def _postgres(engine: Engine, conn: Connection) -> list[str]:
    problems: list[str] = []
    for table in inspect(engine).get_table_names():
        conn.execute(text(f'SELECT count(*) FROM "{table}"'))  # noqa: S608 (names from the schema)
    installed = conn.execute(
        text("SELECT count(*) FROM pg_extension WHERE extname = 'amcheck'")
    ).scalar()
    if not installed:
        return problems
    indexes = conn.execute(text(
        "SELECT c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
        "JOIN pg_am a ON a.oid = c.relam JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE a.amname = 'btree' AND n.nspname = current_schema()"
    ))  # fmt: skip
    for (name,) in indexes:
        try:
            with conn.begin_nested():  # a failed check does not end the others
                conn.execute(text("SELECT bt_index_check(CAST(:n AS regclass))"), {"n": name})
        except DBAPIError as exc:
            problems.append(f"index {name}: {exc.orig}")
    return problems
