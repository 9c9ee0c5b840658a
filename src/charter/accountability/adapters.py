"""Storage of RACI assignments: a system's entries per activity, replaced as a whole; the
letters taken off are kept, with when and by whom."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from functools import cache
from typing import Any

from sqlalchemy import Connection, Select, bindparam, delete, false, insert, select

from charter.accountability import tables
from charter.accountability.domain.raci import RaciEntry
from charter.kernel.store.rows import from_row, to_row


class SqlRaciRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def _load(self, system_id: str | None = None, activity: str | None = None) -> list[RaciEntry]:
        """Entries (of a system, of one of its activities), each with whether its holder has
        left (read, not stored)."""
        shape = (system_id is not None, activity is not None)
        params = {"system_id": system_id, "activity": activity}
        rows = self._conn.execute(_entries(*shape), params).mappings()
        return [from_row(RaciEntry, r) for r in rows]

    def for_system(self, system_id: str) -> list[RaciEntry]:
        return self._load(system_id)

    def all(self) -> list[RaciEntry]:
        return self._load()

    def replace_activity(
        self,
        system_id: str,
        activity: str,
        entries: Sequence[RaciEntry],
        at: datetime,
        by: str,
    ) -> None:
        """Replace one activity's entries; each letter taken off (removed or changed) is
        kept in raci_removals."""
        t = tables.raci
        before = self._load(system_id, activity)
        kept = {(e.person_id, e.letter) for e in entries}
        gone = [e for e in before if (e.person_id, e.letter) not in kept]
        self._conn.execute(delete(t).where(t.c.system_id == system_id, t.c.activity == activity))
        if entries:
            self._conn.execute(insert(t), [_stored(e) for e in entries])
        if gone:
            rows = [{**_stored(e), "removed_at": at, "removed_by": by} for e in gone]
            self._conn.execute(insert(tables.raci_removals), rows)

    def removed(self, system_id: str, since: datetime | None = None) -> list[RaciEntry]:
        """Letters taken off the system (since a moment, or ever), oldest first."""
        t = tables.raci_removals
        query = (
            select(t, false().label("holder_left"))
            .where(t.c.system_id == system_id)
            .order_by(t.c.removed_at)
        )
        if since is not None:
            query = query.where(t.c.removed_at >= since.astimezone(UTC))
        return [from_row(RaciEntry, r) for r in self._conn.execute(query).mappings()]


@cache
def _entries(of_system: bool, of_activity: bool) -> Select[Any]:
    """RACI entries with whether each holder has left, built once per shape."""
    t, people = tables.raci, tables.people
    query = (
        select(t, (people.c.active.is_(False)).label("holder_left"))
        .join(people, people.c.id == t.c.person_id)
        .order_by(t.c.system_id, t.c.activity, t.c.person_id)
    )
    if of_system:
        query = query.where(t.c.system_id == bindparam("system_id"))
    if of_activity:
        query = query.where(t.c.activity == bindparam("activity"))
    return query


def _stored(entry: RaciEntry) -> dict[str, object]:
    """An entry's row: whether its holder left is read with it, never stored."""
    row = to_row(entry)
    del row["holder_left"]
    return row
