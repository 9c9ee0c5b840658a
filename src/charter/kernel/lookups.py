"""Loading and checking what a use case is given, failing with errors that name the problem."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import TypeVar

from charter.kernel.errors import Conflict, InvalidInput, NotFound
from charter.kernel.ports import Lookup, Repository

T = TypeVar("T")


def require(repo: Lookup[T], kind: str, ident: str) -> T:
    item = repo.get(ident)
    if item is None:
        raise NotFound(kind, ident)
    return item


def hold(repo: Repository[T], kind: str, ident: str) -> T:
    """The record, locked against concurrent writers until the transaction ends. Every use
    case that changes a system's lifecycle, gate or fields holds the system first, then what
    hangs on it (requests, approvals): one lock order, so concurrent decisions serialise."""
    item = repo.lock(ident)
    if item is None:
        raise NotFound(kind, ident)
    return item


def ensure_unique(
    repo: Repository[T], kind: str, field: str, value: object, except_id: str | None = None
) -> None:
    clash = [i for i in repo.all(**{field: value}) if getattr(i, "id", None) != except_id]
    if clash:
        raise Conflict(
            f"a {kind} with {field} {value!r} already exists",
            details={"field": field, "value": value},
        )


def check_fields(
    kind: str,
    values: Mapping[str, object],
    allowed: Collection[str],
    nullable: Collection[str] = (),
    hint: str = "",
) -> None:
    """Refuse fields the use case does not take, and nulls for fields that need a value."""
    unknown = sorted(set(values) - set(allowed))
    if unknown:
        raise InvalidInput(
            f"{kind} field(s) not accepted here: {', '.join(unknown)}{hint}",
            details={"field": unknown[0]},
        )
    nulls = sorted(k for k, v in values.items() if v is None and k not in nullable)
    if nulls:
        raise InvalidInput(
            f"field(s) may not be null: {', '.join(nulls)}", details={"field": nulls[0]}
        )
