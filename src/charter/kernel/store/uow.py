"""The SQL unit of work's transaction: one connection, one transaction, committed explicitly.
The composition root (charter.wiring) opens every capability's repositories on it."""

from __future__ import annotations

from types import TracebackType
from typing import Self

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import IntegrityError

from charter.kernel.errors import Conflict


class SqlTransaction:
    """Leaving without commit rolls back; a clash with a constraint is a Conflict."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._conn: Connection | None = None

    def _open(self, conn: Connection) -> None:
        """Open the repositories on the transaction's connection."""
        raise NotImplementedError

    def __enter__(self) -> Self:
        conn = self._engine.connect()
        conn.begin()
        self._conn = conn
        self._open(conn)
        return self

    def commit(self) -> None:
        assert self._conn is not None, "commit outside the unit of work"
        self._conn.commit()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        conn, self._conn = self._conn, None
        if conn is None:
            return
        try:
            conn.rollback()  # a no-op after commit
        finally:
            conn.close()
        if isinstance(exc, IntegrityError):
            raise Conflict(
                f"the change clashes with existing records ({exc.orig.__class__.__name__})"
            ) from exc
