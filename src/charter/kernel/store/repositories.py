"""Repositories over one SQLAlchemy connection (the unit of work's transaction)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any, Generic, TypeVar

from sqlalchemy import (
    ColumnElement,
    Connection,
    Select,
    Table,
    and_,
    bindparam,
    delete,
    func,
    insert,
    or_,
    select,
)
from sqlalchemy import update as sql_update

from charter.kernel.errors import Conflict, InvalidInput
from charter.kernel.ports import Page
from charter.kernel.store.rows import from_row, to_row

T = TypeVar("T")

MAX_PAGE = 500

Shape = tuple[tuple[str, str], ...]  # each filtered column with how: "=", "in" or "null"


@lru_cache(maxsize=2048)
def _selecting(table: Table, shape: Shape, for_update: bool = False) -> Select[Any]:
    """The table's rows by equality, IN or IS NULL on some columns, built once per shape
    with its values as parameters: building a statement and deriving its cache key cost
    SQLAlchemy more CPU than the database spends answering a small read."""
    clauses: list[ColumnElement[bool]] = []
    for name, how in shape:
        col = table.c[name]
        if how == "in":
            clauses.append(col.in_(bindparam(f"v_{name}", expanding=True)))
        elif how == "null":
            clauses.append(col.is_(None))
        else:
            clauses.append(col == bindparam(f"v_{name}"))
    query = select(table).where(and_(True, *clauses))
    return query.with_for_update() if for_update else query


class TableRepository(Generic[T]):
    """Rows of one table as domain objects of one class. Filters are equality or IN (a set)."""

    def __init__(
        self,
        conn: Connection,
        table: Table,
        cls: type[T],
        search_columns: Sequence[str] = ("name",),
    ) -> None:
        self._conn, self._table, self._cls = conn, table, cls
        self._search = search_columns
        # each record as last read, by id: a frozen item itself (turned into its row only when
        # it is updated, so reads pay nothing for it), else its row as read
        self._read: dict[str, Any] = {}
        params = getattr(cls, "__dataclass_params__", None)
        self._frozen = bool(params and params.frozen)

    def _loaded(self, row: Any) -> T:
        item = from_row(self._cls, row)
        self._read[row["id"]] = item if self._frozen else to_row(item)
        return item

    def _as_read(self, ident: str) -> dict[str, Any] | None:
        before = self._read.get(ident)
        return before if before is None or isinstance(before, dict) else to_row(before)

    def _where(self, filters: Mapping[str, object]) -> list[ColumnElement[bool]]:
        clauses: list[ColumnElement[bool]] = []
        for name, value in filters.items():
            if name not in self._table.c:
                raise InvalidInput(f"cannot filter {self._table.name} by {name!r}")
            col = self._table.c[name]
            if isinstance(value, frozenset | set):
                clauses.append(col.in_([getattr(v, "value", v) for v in value]))
            elif value is None:
                clauses.append(col.is_(None))
            else:
                clauses.append(col == getattr(value, "value", value))
        return clauses

    def _shape(self, filters: Mapping[str, object]) -> tuple[Shape, dict[str, Any]]:
        """The filters as a statement's shape and its parameters."""
        shape: list[tuple[str, str]] = []
        params: dict[str, Any] = {}
        for name, value in filters.items():
            if name not in self._table.c:
                raise InvalidInput(f"cannot filter {self._table.name} by {name!r}")
            if isinstance(value, frozenset | set):
                shape.append((name, "in"))
                params[f"v_{name}"] = [getattr(v, "value", v) for v in value]
            elif value is None:
                shape.append((name, "null"))
            else:
                shape.append((name, "="))
                params[f"v_{name}"] = getattr(value, "value", value)
        return tuple(shape), params

    def get(self, ident: str) -> T | None:
        query = _selecting(self._table, (("id", "="),))
        found = self._conn.execute(query, {"v_id": ident}).mappings().first()
        return self._loaded(found) if found else None

    def lock(self, ident: str) -> T | None:
        """SELECT ... FOR UPDATE on PostgreSQL; SQLite's write transactions are serial."""
        query = _selecting(self._table, (("id", "="),), for_update=True)
        found = self._conn.execute(query, {"v_id": ident}).mappings().first()
        return self._loaded(found) if found else None

    def add(self, item: T) -> None:
        row = to_row(item)
        # the row as parameters of one cached statement (not .values(), compiled anew each time)
        self._conn.execute(insert(self._table), row)
        self._read[row["id"]] = row

    def update(self, item: T, *, when: Mapping[str, object] | None = None) -> None:
        """Only the columns that differ from the record as read are written, so a concurrent
        change to another column is kept; `when` guards the write on stored values."""
        row = to_row(item)
        before = self._as_read(row["id"])
        changed = {k: v for k, v in row.items() if before is None or before.get(k) != v}
        if not changed and when is None:
            return
        where = [self._table.c.id == row["id"], *self._where(when or {})]
        done = self._conn.execute(sql_update(self._table).where(*where).values(**changed))
        if when is not None and done.rowcount != 1:
            raise Conflict(f"{self._table.name} {row['id']} changed meanwhile; nothing was written")
        self._read[row["id"]] = row

    def delete(self, ident: str) -> None:
        self._conn.execute(delete(self._table).where(self._table.c.id == ident))

    def all(self, **filters: object) -> list[T]:
        shape, params = self._shape(filters)
        rows = self._conn.execute(_selecting(self._table, shape), params).mappings()
        return [self._loaded(r) for r in rows]

    def _matching(
        self,
        filters: Mapping[str, object],
        any_of: Mapping[str, frozenset[str | None]] | Mapping[str, frozenset[str]] | None,
    ) -> list[ColumnElement[bool]]:
        clauses = self._where(filters)
        if any_of is not None:
            clauses.append(or_(False, *(self._one_of(k, v) for k, v in any_of.items())))
        return clauses

    def count_by(
        self,
        column: str,
        filters: Mapping[str, object] | None = None,
        *,
        any_of: Mapping[str, frozenset[str | None]] | Mapping[str, frozenset[str]] | None = None,
    ) -> dict[Any, int]:
        col = self._table.c[column]
        query = (
            select(col, func.count())
            .where(and_(True, *self._matching(filters or {}, any_of)))
            .group_by(col)
        )
        return {value: n for value, n in self._conn.execute(query)}

    def find(
        self,
        filters: Mapping[str, object] | None = None,
        *,
        search: str | None = None,
        named: str | None = None,
        limit: int | None = None,
        offset: int = 0,
        order: str | None = None,
        any_of: Mapping[str, frozenset[str | None]] | Mapping[str, frozenset[str]] | None = None,
    ) -> Page[T]:
        clauses = self._matching(filters or {}, any_of)
        if search:
            pattern = f"%{search.lower()}%"
            clauses.append(or_(*(func.lower(self._table.c[c]).like(pattern) for c in self._search)))
        if named is not None:
            clauses.append(func.lower(self._table.c.name) == named.lower())
        where = and_(True, *clauses)
        query = select(self._table).where(where).order_by(*self._order(order))
        if limit is not None:
            query = query.limit(min(limit, MAX_PAGE))
        rows = self._conn.execute(query.offset(offset)).mappings()
        items = [self._loaded(r) for r in rows]
        if limit is None and (items or not offset):  # every row from offset: counted here
            return Page(items, offset + len(items), limit, offset)
        count = select(func.count()).select_from(self._table).where(where)
        return Page(items, self._conn.execute(count).scalar_one(), limit, offset)

    def _one_of(self, name: str, values: frozenset[str | None] | frozenset[str]) -> Any:
        """The column holds one of the values (None among them: or is NULL)."""
        col = self._table.c[name]
        named = col.in_([v for v in values if v is not None])
        return or_(named, col.is_(None)) if None in values else named

    def _order(self, order: str | None) -> list[Any]:
        name = (order or "").lstrip("-") or self._default_order()
        if name not in self._table.c:
            raise InvalidInput(f"cannot sort {self._table.name} by {name!r}")
        col = self._table.c[name]
        primary = col.desc() if (order or "").startswith("-") else col.asc()
        return [primary, self._table.c.id.asc()]

    def _default_order(self) -> str:
        return "name" if "name" in self._table.c else "id"
