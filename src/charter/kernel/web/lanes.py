"""Two lanes of threads in a server process. Quick requests run their (synchronous) routes
on anyio's default threads, at most CHARTER_SERVE_THREADS at once (charter.web.app); long
work (a validation run, a PDF, an import) runs in a lane of its own, so that a few long runs
never hold every place quick requests wait their turn for."""

from __future__ import annotations

from collections.abc import Callable, Coroutine, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import partial, wraps
from typing import Any, ParamSpec, TypeVar

from anyio import CapacityLimiter, to_thread
from anyio.lowlevel import RunVar

P = ParamSpec("P")
R = TypeVar("R")

#: long runs of one process at once; past it they wait their turn (each run's own limits,
#: memory and time, are the validation engine's). Small: Python runs one thread at a time,
#: so CPU-bound long work (a PDF) slows quick requests however many places they have; and
#: with the quick places and the background jobs it stays within the database pool's 15
#: connections (5 kept, 10 more on demand)
LONG_WORK = 4

_lane: RunVar[CapacityLimiter] = RunVar("charter_long_work")


def _long_lane() -> CapacityLimiter:
    """The event loop's lane for long work (each loop has its own)."""
    try:
        return _lane.get()
    except LookupError:
        limiter = CapacityLimiter(LONG_WORK)
        _lane.set(limiter)
        return limiter


#: what to call when the request being served moves its work to the long lane
_leaving: ContextVar[Callable[[], None] | None] = ContextVar("charter_leaving_quick", default=None)


@contextmanager
def leaving_quick(callback: Callable[[], None]) -> Iterator[None]:
    """While one request is served: `callback` is called (on the event loop) if its work
    moves to the long lane, for the server's count of quick requests (charter.web.workers)."""
    token = _leaving.set(callback)
    try:
        yield
    finally:
        _leaving.reset(token)


async def in_long_lane(work: Callable[P, R], *args: P.args, **kwargs: P.kwargs) -> R:
    """Run `work` on a thread of the long-work lane."""
    if (leave := _leaving.get()) is not None:
        leave()
    return await to_thread.run_sync(partial(work, *args, **kwargs), limiter=_long_lane())


def long_running(route: Callable[P, R]) -> Callable[P, Coroutine[Any, Any, R]]:
    """A synchronous route run in the long-work lane; FastAPI reads its parameters from the
    route itself (the wrapper keeps it as `__wrapped__`)."""

    @wraps(route)
    async def run(*args: P.args, **kwargs: P.kwargs) -> R:
        return await in_long_lane(route, *args, **kwargs)

    return run
