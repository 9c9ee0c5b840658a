"""The lineage graph in SQL: nodes as records, and everything downstream of a node in one
recursive query (SQLite and PostgreSQL alike; UNION drops what was already reached, so cycles
end)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Connection, select

from charter.integrations.domain.records import LineageNode
from charter.integrations.tables import lineage_edges, lineage_nodes
from charter.kernel.store.repositories import TableRepository

#: how many start nodes one query takes (SQLite binds at most 32,766 parameters)
BATCH = 5000


class SqlLineageRepository(TableRepository[LineageNode]):
    def __init__(self, conn: Connection) -> None:
        super().__init__(conn, lineage_nodes, LineageNode)
        self._conn = conn

    def downstream(self, start: Sequence[str]) -> list[LineageNode]:
        found: dict[str, LineageNode] = {}
        for i in range(0, len(start), BATCH):
            for node in self._reach(start[i : i + BATCH]):
                found[node.id] = node
        return sorted(found.values(), key=lambda n: (n.kind.value, n.namespace, n.name))

    def _reach(self, start: Sequence[str]) -> list[LineageNode]:
        seed = select(lineage_nodes.c.id.label("id")).where(lineage_nodes.c.id.in_(list(start)))
        reached = seed.cte("reached", recursive=True)
        step = select(lineage_edges.c.target_id).join(
            reached, lineage_edges.c.source_id == reached.c.id
        )
        reached = reached.union(step)
        query = select(lineage_nodes).join(reached, lineage_nodes.c.id == reached.c.id)
        return [self._loaded(r) for r in self._conn.execute(query).mappings()]

    def linked(self, column: str, ids: Sequence[str]) -> list[LineageNode]:
        if column not in ("dataset_id", "model_id", "system_id"):
            raise ValueError(column)
        out: list[LineageNode] = []
        for i in range(0, len(ids), BATCH):
            query = select(lineage_nodes).where(
                lineage_nodes.c[column].in_(list(ids[i : i + BATCH]))
            )
            out += [self._loaded(r) for r in self._conn.execute(query).mappings()]
        return out
