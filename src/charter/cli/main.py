"""The `charter` command's entry point (charter.cli.main:run). It imports neither Typer nor
Rich itself: a plain `charter validate` begins its scan before they load (charter.cli.early);
the Typer app (charter.cli.app) loads when the command is parsed, or when `app` is asked
for here."""

from __future__ import annotations

import gc
import sys
from contextlib import AbstractContextManager, nullcontext
from typing import Any


def run() -> None:
    """The `charter` command. No garbage is collected while a command starts: start-up
    allocates modules, classes and tables that live as long as the process, and collecting
    over them cost a 1M-row validate run about 0.2 s of CPU (benchmarks/README.md).
    Collection resumes once the command's context is built or it serves; at exit what is
    left is frozen, so that no collection pass runs over it while the process ends."""
    gc.disable()
    try:
        with _begun(sys.argv[1:]):
            from charter.cli.app import app

            app()
    finally:
        gc.freeze()


def _begun(args: list[str]) -> AbstractContextManager[None]:
    """A validation begun before the command is parsed (charter.cli.early), if it is one."""
    if args[:1] != ["validate"]:
        return nullcontext()
    from charter.cli.early import validation_begun

    return validation_begun(args)


def __getattr__(name: str) -> Any:
    """`app`: the Typer app, loaded when first asked for."""
    if name == "app":
        from charter.cli.app import app

        return app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
