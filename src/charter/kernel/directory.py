"""Directory reads: collections any role holder may read (people, units, vendors, datasets,
models), filtered and paged in the database. Each capability names its collections."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from charter.kernel.access import Actor, ensure_member
from charter.kernel.lookups import require
from charter.kernel.paging import PAGE, every
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
    named: str | None = None,
    limit: int = 50,
    offset: int = 0,
    order: str | None = None,
    any_of: Mapping[str, frozenset[str | None]] | None = None,
) -> Page[Any]:
    """A page of the collection (`named`: the records of that name, case aside); `any_of`
    narrows it to what the reader may see."""
    ensure_member(actor)
    _, repo = collection
    with ctx.uow() as uow:
        return repo(uow).find(
            filters, search=search, named=named, limit=limit, offset=offset, order=order,
            any_of=any_of,
        )  # fmt: skip


def all_in(
    ctx: Context,
    actor: Actor,
    collection: Listing,
    filters: Mapping[str, object] | None = None,
    *,
    search: str | None = None,
    order: str | None = None,
    any_of: Mapping[str, frozenset[str | None]] | None = None,
) -> list[Any]:
    """Every record of the collection the query matches (for a choice among them or a
    count), read page by page in one transaction: never only the first page."""
    ensure_member(actor)
    _, repo = collection
    with ctx.uow() as uow:
        return every(
            lambda offset: repo(uow).find(
                filters, search=search, limit=PAGE, offset=offset, order=order, any_of=any_of
            )
        )


def get_in(ctx: Context, actor: Actor, collection: Listing, ident: str) -> Any:
    ensure_member(actor)
    kind, repo = collection
    with ctx.uow() as uow:
        return require(repo(uow), kind, ident)


def names_in(
    ctx: Context, actor: Actor, collections: Sequence[Callable[[Any], Any]]
) -> dict[str, str]:
    """What people call the records of some collections (people, units, systems), by id:
    for tables that show names rather than ids."""
    ensure_member(actor)
    with ctx.uow() as uow:
        return {
            item.id: str(getattr(item, "name", item.id))
            for repo in collections
            for item in repo(uow).all()
        }
