"""The outbox and the delivery log on SQL: a notice with a key is written at most once (the
insert skips a clash instead of failing the caller's transaction)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, insert, select
from sqlalchemy.dialects import postgresql, sqlite

from charter.kernel.store.repositories import TableRepository
from charter.kernel.store.rows import from_row, to_row
from charter.notifications.domain import Delivery, Notice, Status
from charter.notifications.tables import deliveries, notices


class SqlOutbox:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn
        self._rows = TableRepository(conn, notices, Notice, ("title",))

    def add(self, notice: Notice) -> bool:
        row = to_row(notice)
        if notice.key is None:
            self._conn.execute(insert(notices).values(**row))
            return True
        dialect = self._conn.dialect.name
        module = postgresql if dialect == "postgresql" else sqlite
        query = module.insert(notices).values(**row).on_conflict_do_nothing()
        # what was inserted, not rowcount: psycopg counts a skipped row on PostgreSQL
        return self._conn.execute(query.returning(notices.c.id)).first() is not None

    def undispatched(self, limit: int) -> list[Notice]:
        query = (
            select(notices)
            .where(notices.c.dispatched_at.is_(None))
            .order_by(notices.c.created_at, notices.c.id)
            .limit(limit)
        )
        return [from_row(Notice, r) for r in self._conn.execute(query).mappings()]

    def get(self, ident: str) -> Notice | None:
        return self._rows.get(ident)

    def update(self, item: Notice) -> None:
        self._rows.update(item)

    def recent(self, limit: int, recipient: str | None = None) -> list[Notice]:
        scan = limit if recipient is None else limit * 50
        query = select(notices).order_by(notices.c.created_at.desc(), notices.c.id).limit(scan)
        found = [from_row(Notice, r) for r in self._conn.execute(query).mappings()]
        if recipient is not None:  # recipients are JSON: filtered here, on the newest first
            found = [n for n in found if recipient in n.recipients]
        return found[:limit]


class SqlDeliveryLog(TableRepository[Delivery]):
    def __init__(self, conn: Connection) -> None:
        super().__init__(conn, deliveries, Delivery, ("last_error",))
        self._c = conn

    def due(self, now: datetime, limit: int) -> list[Delivery]:
        query = (
            select(deliveries)
            .where(
                deliveries.c.status == Status.PENDING.value,
                deliveries.c.next_attempt_at <= now,
            )
            .order_by(deliveries.c.next_attempt_at, deliveries.c.id)
            .limit(limit)
        )
        return [self._loaded(r) for r in self._c.execute(query).mappings()]
