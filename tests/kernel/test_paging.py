"""Reading every record page by page: as many pages as the total needs, and no endless loop
when rows vanish between pages."""

from __future__ import annotations

from charter.kernel.paging import PAGE, every
from charter.kernel.ports import Page
from charter.kernel.store.repositories import MAX_PAGE


def _pages(rows: list[int], size: int, total: int | None = None) -> list[int]:
    asked: list[int] = []

    def read(offset: int) -> Page[int]:
        asked.append(offset)
        return Page(
            rows[offset : offset + size], len(rows) if total is None else total, size, offset
        )

    found = every(read)
    assert found == rows[: len(found)]
    return asked


def test_every_page_is_read_until_the_total() -> None:
    assert PAGE == MAX_PAGE  # a page asks for no more than a repository answers
    assert _pages(list(range(1201)), 500) == [0, 500, 1000]
    assert _pages(list(range(1000)), 500) == [0, 500]
    assert _pages([], 500) == [0]


def test_rows_gone_between_pages_end_the_read() -> None:
    assert _pages(list(range(10)), 5, total=20) == [0, 5, 10]  # the third page came back empty
