"""Checkpoints on a schedule while the server runs."""

from __future__ import annotations

import logging
import threading
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager

from fastapi import FastAPI

from charter.audit import services as audit
from charter.audit.ports import Context
from charter.kernel.errors import CharterError

log = logging.getLogger("charter.checkpoints")


def _loop(ctx: Context, interval: float, stop: threading.Event) -> None:
    """Sign the head every `interval` seconds when the log grew, in the one process that
    leads the job when several serve the same database."""
    leader = ctx.leader("checkpoints") if ctx.leader else None
    try:
        while not stop.wait(interval):
            if leader is None or leader.acquire():
                _tick(ctx)
    finally:
        if leader is not None:
            leader.release()


def _tick(ctx: Context) -> None:
    try:
        signed = audit.scheduled_checkpoint(ctx)
    except (CharterError, OSError) as exc:  # keep serving; say why
        log.error("scheduled checkpoint failed: %s", exc)
        return
    if signed is not None:
        log.info("signed checkpoint at size %d", signed.size)


def checkpoint_lifespan(
    ctx: Context, interval: float
) -> Callable[[FastAPI], AbstractAsyncContextManager[None]]:
    """A lifespan that runs the checkpoint loop in a daemon thread when a key is configured."""

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        stop = threading.Event()
        worker = None
        if interval > 0 and ctx.signer is not None:
            worker = threading.Thread(
                target=_loop, args=(ctx, interval, stop), daemon=True, name="charter-checkpoints"
            )
            worker.start()
        try:
            yield
        finally:
            stop.set()
            if worker is not None:
                worker.join(timeout=10)

    return lifespan
