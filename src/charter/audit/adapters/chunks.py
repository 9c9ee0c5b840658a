"""Checking the audit log in aligned chunks, several worker processes at once.

Each worker reads its own range of events with its own connection (events below the head are
immutable, so every worker sees the same bytes) and returns a LogCheck of that chunk; the
caller absorbs the chunks in order. Worth it for large logs on several cores; the processes
are forked, so it is meant for the command line, not for a threaded server.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor

from sqlalchemy import Engine

from charter.audit.adapters.log import SqlAuditLog
from charter.audit.domain.logcheck import LogCheck, check_range
from charter.audit.domain.merkle import Frontier
from charter.kernel.store.engine import make_engine

CHUNK = 1 << 14  # a power of two: chunks start at aligned offsets
_engine: Engine | None = None


def _start_worker(url: str) -> None:
    global _engine  # noqa: PLW0603 - one engine per worker process
    _engine = make_engine(url)


def _check_range(job: tuple[int, int, frozenset[int]]) -> LogCheck:
    start, end, wanted = job
    assert _engine is not None
    with _engine.connect() as conn:
        log = SqlAuditLog(conn)
        prev = log.scan(start - 1, 1) if start else []
        check = LogCheck(
            wanted, size=start, prev=prev[0][2] if prev else "0" * 64, frontier=Frontier()
        )
        return check_range(log, check, end)


def check_in_chunks(
    url: str, size: int, wanted: frozenset[int], workers: int, chunk: int = CHUNK
) -> Iterator[LogCheck]:
    """Chunks of events [1, size], checked by `workers` processes, yielded in order."""
    if chunk & (chunk - 1):
        raise ValueError("the chunk size must be a power of two")
    jobs = [
        (lo, min(lo + chunk, size), frozenset(w for w in wanted if lo < w <= lo + chunk))
        for lo in range(0, size, chunk)
    ]
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(
        workers, mp_context=context, initializer=_start_worker, initargs=(url,)
    ) as pool:
        yield from pool.map(_check_range, jobs)
