"""Adapters of identity: the sign-in throttle's rows, held against concurrent sign-ins, and
password hashing with argon2id."""

from __future__ import annotations

import secrets
from collections.abc import Collection
from datetime import datetime
from functools import cache, cached_property
from typing import Any

from sqlalchemy import Connection, Select, bindparam, delete, or_, select

from charter.accountability import tables as people_tables
from charter.accountability.domain.org import Person
from charter.identity import tables
from charter.identity.domain.sessions import SignInThrottle
from charter.identity.domain.tokens import ApiToken
from charter.identity.ports import Bearer
from charter.kernel.roles import RoleAssignment
from charter.kernel.store.repositories import TableRepository
from charter.kernel.store.rows import from_row, to_row


class SqlTokenRepository(TableRepository[ApiToken]):
    def __init__(self, conn: Connection) -> None:
        super().__init__(conn, tables.api_tokens, ApiToken)

    def bearer(self, secret_hash: str) -> Bearer | None:
        """The token, its owner and the owner's roles: one row per role (one if none)."""
        rows = self._conn.execute(_bearer(), {"hash": secret_hash}).mappings().all()
        if not rows:
            return None

        def part(row: Any, prefix: str) -> dict[str, Any]:
            return {k[len(prefix) :]: v for k, v in row.items() if k.startswith(prefix)}

        first = rows[0]
        token = from_row(ApiToken, part(first, "t_"))
        person = from_row(Person, part(first, "p_")) if first["p_id"] is not None else None
        roles = [from_row(RoleAssignment, part(row, "r_")) for row in rows if row["r_id"]]
        return token, person, roles


@cache
def _bearer() -> Select[Any]:
    """The token check's statement, built once (about 40 labelled columns: building it
    and deriving its cache key on every request cost more than the query)."""
    t, p, r = tables.api_tokens, people_tables.people, people_tables.role_assignments
    parts = (("t_", t), ("p_", p), ("r_", r))
    return (
        select(*(c.label(f"{prefix}{c.name}") for prefix, table in parts for c in table.c))
        .select_from(t.outerjoin(p, p.c.id == t.c.person_id))
        .outerjoin(r, r.c.person_id == p.c.id)
        .where(t.c.secret_hash == bindparam("hash"))
        .order_by(r.c.id)
    )


class SqlThrottleRepository(TableRepository[SignInThrottle]):
    def __init__(self, conn: Connection) -> None:
        super().__init__(conn, tables.sign_in_throttles, SignInThrottle, ("id",))

    def hold(self, key: str, now: datetime) -> SignInThrottle:
        """The e-mail's throttle, created empty if it has none, its row locked until the
        transaction ends (PostgreSQL; SQLite's write transactions are serial anyway), so
        that sign-ins at the same moment are counted one after another, none lost."""
        t = tables.sign_in_throttles
        empty = SignInThrottle(key, 0, now)
        from sqlalchemy.dialects import postgresql, sqlite  # one of them, when first used

        dialect = sqlite if self._conn.dialect.name == "sqlite" else postgresql
        self._conn.execute(
            dialect.insert(t).values(**to_row(empty)).on_conflict_do_nothing(index_elements=["id"])
        )
        row = self._conn.execute(select(t).where(t.c.id == key).with_for_update()).mappings()
        return from_row(SignInThrottle, row.one())

    def purge(self, started_before: datetime, now: datetime, keep: Collection[str]) -> None:
        """Drop the throttles, but those in `keep`, whose window began before
        `started_before` and hold no lock, passing over rows that a sign-in at this moment
        holds (no waiting on each other, hence no deadlock)."""
        t = tables.sign_in_throttles
        unlocked = or_(t.c.locked_until.is_(None), t.c.locked_until <= now)
        stale = (
            select(t.c.id)
            .where(t.c.window_start < started_before, unlocked, t.c.id.not_in(list(keep)))
            .with_for_update(skip_locked=True)
        )
        self._conn.execute(delete(t).where(t.c.id.in_(stale.scalar_subquery())))


class Argon2Hasher:
    """Passwords hashed with argon2id (argon2-cffi's defaults: RFC 9106 low-memory profile)."""

    def __init__(self) -> None:
        self._decoy: str | None = None

    @cached_property
    def _hasher(self) -> Any:
        from argon2 import PasswordHasher  # when a password is first used, not at start-up

        return PasswordHasher()

    def hash(self, password: str) -> str:
        return str(self._hasher.hash(password))

    def refuse(self, password: str) -> bool:
        """False, after as much work as a verify: for an e-mail that has no password, so that
        the time taken does not tell whether it has one."""
        if self._decoy is None:
            self._decoy = self.hash(secrets.token_urlsafe(32))
        self.verify(self._decoy, password)
        return False

    def verify(self, stored: str, password: str) -> bool:
        from argon2.exceptions import InvalidHashError, VerificationError

        try:
            return bool(self._hasher.verify(stored, password))
        except (VerificationError, InvalidHashError):
            return False
