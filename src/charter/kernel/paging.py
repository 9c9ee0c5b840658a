"""Reading every record a query matches, page by page: repositories answer at most
MAX_PAGE (500) rows a query, so a read of "all" that asks once silently sees the first
page only."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from charter.kernel.ports import Page

T = TypeVar("T")

#: rows read a query; the repositories' MAX_PAGE (charter.kernel.store.repositories)
PAGE = 500


def every(read_page: Callable[[int], Page[T]]) -> list[T]:
    """All the records: `read_page(offset)` asked from offset 0 until the total is read (or
    a page comes back empty, if rows vanish meanwhile)."""
    found: list[T] = []
    while True:
        page = read_page(len(found))
        found.extend(page.items)
        if not page.items or len(found) >= page.total:
            return found
