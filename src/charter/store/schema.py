"""The whole schema on one metadata: importing this module registers every table."""

from __future__ import annotations

from charter.store import tables_people, tables_strategy
from charter.store.tables import metadata

#: the modules whose tables are on `metadata` besides charter.store.tables itself
PARTS = (tables_strategy, tables_people)

__all__ = ["PARTS", "metadata"]
