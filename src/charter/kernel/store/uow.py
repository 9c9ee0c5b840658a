"""The SQL unit of work's transaction: one connection, one transaction, committed explicitly.
The composition root (charter.wiring) opens every capability's repositories on it."""

from __future__ import annotations

from types import TracebackType
from typing import Self, TypeGuard

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from charter.kernel.errors import (
    Busy,
    CharterError,
    Conflict,
    Saturated,
    StorageFull,
    Unreadable,
)
from charter.kernel.store.engine import READING

#: PostgreSQL's answers to a change it could not serialise with a concurrent one: a
#: serialisation failure, a deadlock, a lock not available
RETRYABLE = frozenset({"40001", "40P01", "55P03"})
#: PostgreSQL's disk full and out-of-memory classes' codes
FULL = frozenset({"53100", "53200"})


#: how SQLite and PostgreSQL say the database itself cannot be read (damaged, not one)
DAMAGED = ("file is not a database", "database disk image is malformed", "unable to open",
           "could not read block", "invalid page")  # fmt: skip


def unreadable(exc: BaseException | None) -> TypeGuard[DBAPIError]:
    if not isinstance(exc, DBAPIError) or isinstance(exc, IntegrityError):
        return False
    state = getattr(exc.orig, "sqlstate", None) or ""
    return state.startswith("XX") or any(words in str(exc.orig) for words in DAMAGED)


def storage_full(exc: BaseException | None) -> TypeGuard[DBAPIError]:
    if not isinstance(exc, DBAPIError):
        return False
    state = getattr(exc.orig, "sqlstate", None)
    return state in FULL or "database or disk is full" in str(exc.orig)


def retryable(exc: BaseException | None) -> TypeGuard[DBAPIError]:
    """Whether the database refused the transaction only because of a concurrent one."""
    if not isinstance(exc, DBAPIError) or isinstance(exc, IntegrityError):
        return False
    state = getattr(exc.orig, "sqlstate", None)
    return state in RETRYABLE or "database is locked" in str(exc.orig)


def translated(exc: BaseException | None) -> CharterError | None:
    """The database's refusal as the error Charter answers with, or None."""
    if isinstance(exc, IntegrityError):
        return Conflict(f"the change clashes with existing records ({exc.orig.__class__.__name__})")
    if unreadable(exc):
        return Unreadable(f"the database cannot be read: {exc.orig}")
    if storage_full(exc):
        return StorageFull("the database has no room left; nothing was written")
    if retryable(exc):
        return Busy("a concurrent change held the same records; nothing was written")
    return None


def lost(exc: BaseException | None, committing: bool) -> bool:
    """Whether the connection was lost before anything could have been written (not during
    a commit, whose outcome is then unknown): the use case may safely run again."""
    return isinstance(exc, DBAPIError) and exc.connection_invalidated and not committing


class SqlTransaction:
    """Leaving without commit rolls back; a clash with a constraint is a Conflict, a deadlock
    or serialisation failure, or a connection lost before the commit, is Busy (the caller may
    run the use case again). `reading()` before entering makes it read-only: on SQLite a
    deferred transaction (a snapshot that waits for no writer), on PostgreSQL READ ONLY;
    its commit is refused, so a use case that writes cannot be marked as one that reads.
    `reading(one_statement=True)` is for a unit of work that reads with one statement: a
    statement sees one snapshot on its own, so on PostgreSQL it runs without a transaction
    (no BEGIN and ROLLBACK round trips; the server does not refuse a write there as it does
    in a READ ONLY transaction, so only a repository method that selects belongs in it); on
    SQLite it is `reading()`."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._conn: Connection | None = None
        self._reading = False
        self._one_statement = False
        self._committing = False

    def reading(self, one_statement: bool = False) -> Self:
        """This unit of work only reads (call before entering it); with `one_statement`, it
        reads with one statement only."""
        self._reading, self._one_statement = True, one_statement
        return self

    def _open(self, conn: Connection) -> None:
        """Open the repositories on the transaction's connection."""
        raise NotImplementedError

    def __enter__(self) -> Self:
        try:
            conn = self._engine.connect()
        except PoolTimeout as exc:
            raise Saturated("every database connection is in use; nothing was written") from exc
        except DBAPIError as exc:
            opened = Unreadable(f"the database cannot be opened: {exc.orig}")
            raise (translated(exc) or opened) from exc
        if self._reading:
            options: dict[str, object] = {}
            if conn.dialect.name == "postgresql":
                # several statements read one snapshot (REPEATABLE READ; a read-only
                # transaction never fails to serialise); one statement needs no transaction
                options = (
                    {"isolation_level": "AUTOCOMMIT"}
                    if self._one_statement
                    else {"isolation_level": "REPEATABLE READ", "postgresql_readonly": True}
                )
            conn.execution_options(**{READING: True}, **options)
        try:
            conn.begin()
        except DBAPIError as exc:
            conn.close()
            raise (translated(exc) or exc) from exc
        self._conn = conn
        self._open(conn)
        return self

    def commit(self) -> None:
        assert self._conn is not None, "commit outside the unit of work"
        if self._reading:
            raise RuntimeError("a read-only unit of work was asked to commit")
        self._committing = True
        self._conn.commit()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        conn, self._conn = self._conn, None
        committing, self._committing = self._committing, False
        if conn is None:
            return
        try:
            conn.rollback()  # a no-op after commit
        finally:
            conn.close()
        if lost(exc, committing):
            raise Busy("the connection to the database was lost; nothing was written") from exc
        found = translated(exc)
        if found is not None:
            raise found from exc
