"""Storage of RACI assignments: a system's entries per activity, replaced as a whole."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import ColumnElement, Connection, delete, insert, select

from charter.accountability import tables
from charter.accountability.domain.raci import RaciEntry
from charter.kernel.store.rows import from_row, to_row


class SqlRaciRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def _load(self, where: ColumnElement[bool] | None = None) -> list[RaciEntry]:
        query = select(tables.raci).order_by(
            tables.raci.c.system_id, tables.raci.c.activity, tables.raci.c.person_id
        )
        if where is not None:
            query = query.where(where)
        return [from_row(RaciEntry, r) for r in self._conn.execute(query).mappings()]

    def for_system(self, system_id: str) -> list[RaciEntry]:
        return self._load(tables.raci.c.system_id == system_id)

    def all(self) -> list[RaciEntry]:
        return self._load()

    def replace_activity(self, system_id: str, activity: str, entries: Sequence[RaciEntry]) -> None:
        t = tables.raci
        self._conn.execute(delete(t).where(t.c.system_id == system_id, t.c.activity == activity))
        if entries:
            self._conn.execute(insert(t), [to_row(e) for e in entries])
