"""A clock the tests move by hand: time injected into the context, never slept."""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from charter.wiring import Context


class Clock:
    def __init__(self, at: datetime | None = None) -> None:
        self.now = at or datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
        self._lock = threading.Lock()

    def __call__(self) -> datetime:
        with self._lock:
            return self.now

    def set(self, at: datetime) -> None:
        with self._lock:
            self.now = at

    def advance(self, by: timedelta) -> datetime:
        with self._lock:
            self.now += by
            return self.now


def clocked(ctx: Context, clock: Clock) -> Context:
    return replace(ctx, clock=clock)
