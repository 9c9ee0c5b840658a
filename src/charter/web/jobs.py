"""The server's background jobs: due monitors, incident escalations, reminders and
notification deliveries, each run on a schedule in the one process that leads it when several
serve the same database (kernel.store.leader), with the context's clock deciding what is due.

`wake()` starts a round at once and `wait()` waits for rounds to finish: how tests drive the
schedule with an injected clock instead of sleeping."""

from __future__ import annotations

import logging
import threading
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI

from charter.kernel.errors import CharterError

log = logging.getLogger("charter.jobs")


@dataclass(frozen=True, slots=True)
class Job:
    name: str  # also the name of its leader lock
    tick: Callable[[Any], object]  # one round, given the context


class Runner:
    """Runs every job's round every `interval` seconds, or at once when woken."""

    def __init__(self, ctx: Any, jobs: Sequence[Job], interval: float) -> None:
        self._ctx, self._jobs, self._interval = ctx, tuple(jobs), interval
        self._stop, self._woken = threading.Event(), threading.Event()
        self._done = threading.Condition()
        self.rounds = 0  # rounds finished
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._loop, daemon=True, name="charter-jobs")
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._woken.set()
        if self._thread is not None:
            self._thread.join(timeout=30)

    def wake(self) -> int:
        """Start a round now; the number of rounds finished so far (wait for one more)."""
        with self._done:
            seen = self.rounds
        self._woken.set()
        return seen

    def wait(self, after: int, timeout: float = 60) -> bool:
        """Wait until a round after the `after`-th has finished."""
        with self._done:
            return self._done.wait_for(lambda: self.rounds > after, timeout)

    def _loop(self) -> None:
        leaders = {
            j.name: self._ctx.leader(j.name) if self._ctx.leader else None for j in self._jobs
        }
        try:
            while not self._stop.is_set():
                self._woken.wait(self._interval)
                self._woken.clear()
                if self._stop.is_set():
                    break
                self._round(leaders)
        finally:
            for leader in leaders.values():
                if leader is not None:
                    leader.release()

    def _round(self, leaders: dict[str, Any]) -> None:
        for job in self._jobs:
            leader = leaders[job.name]
            if leader is not None and not leader.acquire():
                continue
            try:
                job.tick(self._ctx)
            except (CharterError, OSError) as exc:  # keep serving; say why
                log.error("job %s failed: %s", job.name, exc)
            except Exception:  # a bug in one job must not stop the others
                log.exception("job %s failed", job.name)
        with self._done:
            self.rounds += 1
            self._done.notify_all()


def jobs_lifespan(
    app_state: Any, ctx: Any, jobs: Sequence[Job], interval: float
) -> Callable[[FastAPI], AbstractAsyncContextManager[None]]:
    """A lifespan that runs the jobs while the app serves (none when interval is 0); the
    runner is on app.state.jobs."""

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        runner = Runner(ctx, jobs, interval) if interval > 0 and jobs else None
        app_state.jobs = runner
        if runner is not None:
            runner.start()
        try:
            yield
        finally:
            if runner is not None:
                runner.stop()

    return lifespan
