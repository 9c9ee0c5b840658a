"""The audit log adapter: a Merkle log with gapless sequencing through a locked one-row head."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, insert, select, text, tuple_, update

from charter.domain.audit import AuditEvent, build_event
from charter.domain.checkpoint import SignedCheckpoint
from charter.domain.merkle import Frontier
from charter.store.tables import audit_checkpoints, audit_events, audit_head, audit_nodes

EventRow = tuple[int, bytes, str]
SCAN = text(
    "SELECT seq, canonical, hash FROM audit_events WHERE seq > :after ORDER BY seq LIMIT :limit"
)


class SqlAuditLog:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def _head(self, lock: bool) -> Any:
        """The head row; locked until commit when writing (FOR UPDATE on PostgreSQL; a SQLite
        write transaction is already exclusive because it began IMMEDIATE)."""
        query = select(audit_head).where(audit_head.c.id == 1)
        if lock and self._conn.dialect.name == "postgresql":
            query = query.with_for_update()
        row = self._conn.execute(query).first()
        if row is None:
            raise RuntimeError("the audit head row is missing: run the migrations")
        return row

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
        head = self._head(lock=True)
        event = build_event(
            seq=head.seq + 1,
            prev_hash=head.hash,
            at=at,
            actor=actor,
            action=action,
            entity_type=entity_type,
            entity_id=entity_id,
            data=data,
        )
        frontier = Frontier.from_bytes(head.seq, bytes(head.frontier))
        completed = frontier.append(bytes.fromhex(event.hash))
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
        if completed:
            self._conn.execute(
                insert(audit_nodes),
                [{"level": level, "idx": idx, "hash": h} for level, idx, h in completed],
            )
        self._conn.execute(
            update(audit_head)
            .where(audit_head.c.id == 1)
            .values(
                seq=event.seq, hash=event.hash, root=frontier.root(), frontier=frontier.to_bytes()
            )
        )
        return event

    def _select(self) -> Any:
        return select(audit_events.c.seq, audit_events.c.canonical, audit_events.c.hash)

    def events(self, *, after: int = 0, limit: int | None = None) -> list[AuditEvent]:
        query = self._select().where(audit_events.c.seq > after).order_by(audit_events.c.seq)
        if limit is not None:
            query = query.limit(limit)
        return [AuditEvent(r.seq, bytes(r.canonical), r.hash) for r in self._conn.execute(query)]

    def scan(self, after: int, limit: int) -> list[EventRow]:
        """Raw (seq, canonical bytes, hex hash) rows for fast verification."""
        rows = self._conn.execute(SCAN, {"after": after, "limit": limit})
        return [(seq, bytes(data), digest) for seq, data, digest in rows]

    def for_entity(self, entity_type: str, entity_id: str) -> list[AuditEvent]:
        query = (
            self._select()
            .where(audit_events.c.entity_type == entity_type, audit_events.c.entity_id == entity_id)
            .order_by(audit_events.c.seq)
        )
        return [AuditEvent(r.seq, bytes(r.canonical), r.hash) for r in self._conn.execute(query)]

    def size(self) -> int:
        return int(self._head(lock=False).seq)

    def head(self) -> tuple[int, bytes]:
        row = self._head(lock=False)
        return int(row.seq), bytes(row.root)

    def nodes(self, keys: Iterable[tuple[int, int]]) -> dict[tuple[int, int], bytes]:
        """Perfect subtree hashes; level 0 are the leaves, read from the events."""
        keys = set(keys)
        found: dict[tuple[int, int], bytes] = {}
        leaves = [idx + 1 for level, idx in keys if level == 0]
        if leaves:
            rows = self._conn.execute(
                select(audit_events.c.seq, audit_events.c.hash).where(
                    audit_events.c.seq.in_(leaves)
                )
            )
            found |= {(0, seq - 1): bytes.fromhex(h) for seq, h in rows}
        inner = [k for k in keys if k[0] > 0]
        if inner:
            rows = self._conn.execute(
                select(audit_nodes).where(tuple_(audit_nodes.c.level, audit_nodes.c.idx).in_(inner))
            )
            found |= {(r.level, r.idx): bytes(r.hash) for r in rows}
        return found

    def add_checkpoint(self, checkpoint: SignedCheckpoint) -> None:
        self._conn.execute(
            insert(audit_checkpoints).values(
                size=checkpoint.size,
                root=checkpoint.root,
                note=checkpoint.note,
                created_at=checkpoint.created_at,
            )
        )

    def checkpoints(self) -> list[SignedCheckpoint]:
        rows = self._conn.execute(select(audit_checkpoints).order_by(audit_checkpoints.c.id))
        return [SignedCheckpoint(r.size, bytes(r.root), r.note, r.created_at) for r in rows]
