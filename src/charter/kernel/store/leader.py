"""One process at a time for a background job, when several server processes share a
database: the job's leader holds a PostgreSQL session-level advisory lock on a connection of
its own (or, on SQLite, an exclusive lock on a file beside the database); the lock goes with
the process, so another takes over when the leader stops."""

from __future__ import annotations

import fcntl
import hashlib
from pathlib import Path
from typing import IO

from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import SQLAlchemyError


def _key(name: str) -> int:
    """A stable signed 64-bit key for the job's name."""
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)


class Leader:
    def __init__(self, engine: Engine, name: str) -> None:
        self._engine, self._name = engine, name
        self._conn: Connection | None = None
        self._file: IO[str] | None = None

    def acquire(self) -> bool:
        """True once this process leads the job (at once, without waiting)."""
        if self._conn is not None or self._file is not None:
            return True
        if self._engine.dialect.name == "sqlite":
            return self._lock_file()
        conn = self._engine.connect()
        taken = conn.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": _key(self._name)})
        if taken.scalar():
            conn.commit()
            self._conn = conn
            return True
        conn.close()
        return False

    def _lock_file(self) -> bool:
        database = self._engine.url.database or "charter"
        handle = Path(f"{database}.{self._name}.lock").open("a")  # noqa: SIM115 (kept open)
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            return False
        self._file = handle
        return True

    def release(self) -> None:
        if self._conn is not None:
            conn, self._conn = self._conn, None
            try:  # closing returns the connection to the pool: its session, and the lock, live on
                conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": _key(self._name)})
                conn.commit()
            except SQLAlchemyError:
                conn.invalidate()  # a broken session: its lock went with it
            finally:
                conn.close()
        if self._file is not None:
            self._file.close()
            self._file = None
