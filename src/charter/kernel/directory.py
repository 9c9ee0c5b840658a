"""Directory reads: collections any role holder may read (people, units, vendors, datasets,
models), filtered and paged in the database. Each capability names its collections."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from charter.kernel.access import Actor, ensure_member
from charter.kernel.lookups import require
from charter.kernel.ports import Context, Page, Repository

#: a collection: what one of its records is called, and where its repository is
Listing = tuple[str, Callable[[Any], Repository[Any]]]


def list_in(
    ctx: Context,
    actor: Actor,
    collection: Listing,
    filters: Mapping[str, object] | None = None,
    *,
    search: str | None = None,
    limit: int = 50,
    offset: int = 0,
    order: str | None = None,
    any_of: Mapping[str, frozenset[str | None]] | None = None,
) -> Page[Any]:
    """A page of the collection; `any_of` narrows it to what the reader may see."""
    ensure_member(actor)
    _, repo = collection
    with ctx.uow() as uow:
        return repo(uow).find(
            filters, search=search, limit=limit, offset=offset, order=order, any_of=any_of
        )


def get_in(ctx: Context, actor: Actor, collection: Listing, ident: str) -> Any:
    ensure_member(actor)
    kind, repo = collection
    with ctx.uow() as uow:
        return require(repo(uow), kind, ident)
