"""The audit log adapter: a Merkle log with gapless sequencing through a locked one-row head."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, func, insert, or_, select, tuple_, update

from charter.audit.domain.checkpoint import SignedCheckpoint
from charter.audit.domain.events import AuditEvent, build_event
from charter.audit.domain.logcheck import IndexRow
from charter.audit.domain.merkle import Frontier
from charter.audit.domain.search import EventFilter
from charter.audit.tables import audit_checkpoints, audit_events, audit_head, audit_nodes

#: events read by `latest_of`, by hash
_READ: dict[str, AuditEvent] = {}
READ_KEPT = 4096

EventRow = tuple[int, bytes, str]
# Statements built once and executed with parameters, so SQLAlchemy's compiled cache applies.
HEAD = select(audit_head).where(audit_head.c.id == 1)
HEAD_FOR_UPDATE = HEAD.with_for_update()
INSERT_EVENT = insert(audit_events)
INSERT_NODE = insert(audit_nodes)
UPDATE_HEAD = update(audit_head).where(audit_head.c.id == 1)
SCAN_SQL = "SELECT seq, canonical, hash FROM audit_events WHERE seq > ? ORDER BY seq LIMIT ?"
COUNT_SQL = "SELECT count(*), min(seq), max(seq) FROM audit_events WHERE seq > ? AND seq <= ?"
ROWS_SQL = "SELECT canonical FROM audit_events WHERE seq > ? AND seq <= ? ORDER BY seq"
INDEX_SQL = (
    "SELECT seq, at, actor, action, entity_type, entity_id FROM audit_events "
    "WHERE seq > ? AND seq <= ? ORDER BY seq"
)
HASHES_SQL = (  # SQLite keeps the subquery's order; PostgreSQL is told
    "SELECT group_concat(hash, '') FROM "
    "(SELECT hash FROM audit_events WHERE seq > ? AND seq <= ? ORDER BY seq)",
    "SELECT string_agg(hash, '' ORDER BY seq) FROM audit_events WHERE seq > ? AND seq <= ?",
)


def _stamp(at: object) -> str:
    """A stored time as events write it: SQLite keeps the text SQLAlchemy wrote (UTC, without
    a zone), PostgreSQL hands back a datetime."""
    if isinstance(at, datetime):
        moment = at if at.tzinfo else at.replace(tzinfo=UTC)
        return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    return str(at).replace(" ", "T", 1) + "Z"


def driver_sql(dialect: str, sql: str) -> str:
    """SQL with ? placeholders in the driver's own style (sqlite3: ?, psycopg: %s)."""
    return sql if dialect == "sqlite" else sql.replace("?", "%s")


def as_bytes(value: str | bytes | memoryview) -> bytes:
    """An event's stored bytes, even when an insider stored them as text (SQLite accepts any
    type in any column): verification then judges them by their hash instead of crashing."""
    return value.encode() if isinstance(value, str) else bytes(value)


def _conditions(found: EventFilter) -> list[Any]:
    c = audit_events.c
    where: list[Any] = []
    if found.actor:
        where.append(c.actor == found.actor)
    if found.action:
        where.append(or_(c.action == found.action, c.action.startswith(found.action + ".")))
    if found.entity_type:
        where.append(c.entity_type == found.entity_type)
    if found.entity_id:
        where.append(c.entity_id == found.entity_id)
    if found.since:
        where.append(c.at >= found.since)
    if found.until:
        where.append(c.at < found.until)
    return where


class SqlAuditLog:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def _head(self, lock: bool) -> Any:
        """The head row; locked until commit when writing (FOR UPDATE on PostgreSQL; a SQLite
        write transaction is already exclusive because it began IMMEDIATE)."""
        locking = lock and self._conn.dialect.name == "postgresql"
        row = self._conn.execute(HEAD_FOR_UPDATE if locking else HEAD).first()
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
            INSERT_EVENT,
            {
                "seq": event.seq,
                "at": at.astimezone(UTC),  # SQLite keeps no zone: the event's own, UTC
                "actor": actor,
                "action": action,
                "entity_type": entity_type,
                "entity_id": entity_id,
                "canonical": event.canonical,
                "hash": event.hash,
            },
        )
        if completed:
            self._conn.execute(
                INSERT_NODE,
                [{"level": level, "idx": idx, "hash": h} for level, idx, h in completed],
            )
        self._conn.execute(
            UPDATE_HEAD,
            {
                "seq": event.seq,
                "hash": event.hash,
                "root": frontier.root(),
                "frontier": frontier.to_bytes(),
            },
        )
        return event

    def _select(self) -> Any:
        return select(audit_events.c.seq, audit_events.c.canonical, audit_events.c.hash)

    def events(self, *, after: int = 0, limit: int | None = None) -> list[AuditEvent]:
        query = self._select().where(audit_events.c.seq > after).order_by(audit_events.c.seq)
        if limit is not None:
            query = query.limit(limit)
        return [AuditEvent(r.seq, as_bytes(r.canonical), r.hash) for r in self._conn.execute(query)]

    def _fetch(self, sql: str, params: tuple[int, ...]) -> list[Any]:
        """Rows through the driver's own cursor, in this transaction (the fast path)."""
        cursor = self._conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
        try:
            cursor.execute(driver_sql(self._conn.dialect.name, sql), params)
            return list(cursor.fetchall())
        finally:
            cursor.close()

    def scan(self, after: int, limit: int) -> list[EventRow]:
        """(seq, canonical bytes, hex hash) rows after a sequence number."""
        return [(seq, as_bytes(c), h) for seq, c, h in self._fetch(SCAN_SQL, (after, limit))]

    def block(self, after: int, end: int) -> tuple[list[bytes], str] | None:
        """Events after..end, if none is missing: their bytes, and their stored hashes joined
        in order. None when the range has a gap (the caller then scans row by row)."""
        count, low, high = self._fetch(COUNT_SQL, (after, end))[0]
        if count != end - after or (count and (low, high) != (after + 1, end)):
            return None
        canon = [as_bytes(row[0]) for row in self._fetch(ROWS_SQL, (after, end))]
        joined = self._fetch(HASHES_SQL[self._conn.dialect.name == "postgresql"], (after, end))
        return canon, joined[0][0] or ""

    def index(self, after: int, end: int) -> list[IndexRow]:
        """The indexed columns of events after..end, the time as the events write it."""
        rows = self._fetch(INDEX_SQL, (after, end))
        return [(int(r[0]), _stamp(r[1]), r[2], r[3], r[4], r[5]) for r in rows]

    def latest_of(self, entity_type: str, actions: Iterable[str]) -> dict[str, AuditEvent]:
        """Each entity's latest event among these actions, by entity id. An event's bytes are
        read once per process, found again by its hash (which covers its bytes and the log
        before it: another database's or a restored log's event never matches)."""
        t = audit_events
        latest = (
            select(func.max(t.c.seq))
            .where(t.c.entity_type == entity_type, t.c.action.in_(list(actions)))
            .group_by(t.c.entity_id)
        )
        found = self._conn.execute(
            select(t.c.entity_id, t.c.seq, t.c.hash).where(t.c.seq.in_(latest))
        ).all()
        if missing := [seq for _, seq, digest in found if digest not in _READ]:
            rows = self._conn.execute(self._select().where(t.c.seq.in_(missing)))
            if len(_READ) > READ_KEPT:
                _READ.clear()
            _READ.update((r.hash, AuditEvent(r.seq, as_bytes(r.canonical), r.hash)) for r in rows)
        return {ident: _READ[digest] for ident, _, digest in found if digest in _READ}

    def for_entity(self, entity_type: str, entity_id: str) -> list[AuditEvent]:
        query = (
            self._select()
            .where(audit_events.c.entity_type == entity_type, audit_events.c.entity_id == entity_id)
            .order_by(audit_events.c.seq)
        )
        return [AuditEvent(r.seq, as_bytes(r.canonical), r.hash) for r in self._conn.execute(query)]

    def search(
        self, found: EventFilter, *, limit: int, offset: int = 0
    ) -> tuple[list[AuditEvent], int]:
        """The events the filter finds, newest first, a page of them, and how many in all."""
        where = _conditions(found)
        total = self._conn.execute(select(func.count()).select_from(audit_events).where(*where))
        query = self._select().where(*where).order_by(audit_events.c.seq.desc())
        rows = self._conn.execute(query.limit(limit).offset(offset))
        events = [AuditEvent(r.seq, as_bytes(r.canonical), r.hash) for r in rows]
        return events, int(total.scalar_one())

    def size(self) -> int:
        return int(self._head(lock=False).seq)

    def head(self, lock: bool = False) -> tuple[int, bytes]:
        """The tree head; with `lock`, held until the transaction ends (no append meanwhile)."""
        row = self._head(lock=lock)
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
