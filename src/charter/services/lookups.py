"""Loading what a use case needs, failing with NotFound or Conflict that name the problem."""

from __future__ import annotations

from typing import TypeVar

from charter.domain.errors import Conflict, NotFound
from charter.services.ports import Repository

T = TypeVar("T")


def require(repo: Repository[T], kind: str, ident: str) -> T:
    item = repo.get(ident)
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
