"""The audit log adapter: gapless sequencing through a locked one-row head."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, insert, select, update

from charter.domain.audit import AuditEvent, build_event
from charter.store.tables import audit_events, audit_head


class SqlAuditLog:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def _head(self) -> tuple[int, str]:
        """The head row, locked until commit (FOR UPDATE on PostgreSQL; SQLite's write
        transaction is already exclusive because it began IMMEDIATE)."""
        query = select(audit_head.c.seq, audit_head.c.hash).where(audit_head.c.id == 1)
        if self._conn.dialect.name == "postgresql":
            query = query.with_for_update()
        row = self._conn.execute(query).first()
        if row is None:
            raise RuntimeError("the audit head row is missing: run the migrations")
        return int(row.seq), str(row.hash)

    def append(
        self,
        *,
        at: datetime,
        actor: str,
        action: str,
        entity_type: str,
        entity_id: str,
        data: Mapping[str, Any],
    ) -> AuditEvent:
        seq, prev = self._head()
        event = build_event(
            seq=seq + 1,
            prev_hash=prev,
            at=at,
            actor=actor,
            action=action,
            entity_type=entity_type,
            entity_id=entity_id,
            data=data,
        )
        self._conn.execute(
            insert(audit_events).values(
                seq=event.seq,
                at=at,
                actor=actor,
                action=action,
                entity_type=entity_type,
                entity_id=entity_id,
                canonical=event.canonical,
                hash=event.hash,
            )
        )
        self._conn.execute(
            update(audit_head).where(audit_head.c.id == 1).values(seq=event.seq, hash=event.hash)
        )
        return event

    def _select(self) -> Any:
        return select(audit_events.c.seq, audit_events.c.canonical, audit_events.c.hash)

    def events(self, *, after: int = 0, limit: int | None = None) -> list[AuditEvent]:
        query = self._select().where(audit_events.c.seq > after).order_by(audit_events.c.seq)
        if limit is not None:
            query = query.limit(limit)
        return [AuditEvent(r.seq, bytes(r.canonical), r.hash) for r in self._conn.execute(query)]

    def for_entity(self, entity_type: str, entity_id: str) -> list[AuditEvent]:
        query = (
            self._select()
            .where(audit_events.c.entity_type == entity_type, audit_events.c.entity_id == entity_id)
            .order_by(audit_events.c.seq)
        )
        return [AuditEvent(r.seq, bytes(r.canonical), r.hash) for r in self._conn.execute(query)]

    def size(self) -> int:
        seq = self._conn.execute(select(audit_head.c.seq).where(audit_head.c.id == 1)).scalar()
        return int(seq or 0)
