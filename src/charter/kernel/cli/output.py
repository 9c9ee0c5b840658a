"""Presenting results: a Rich table for people, JSON for pipelines, documented exit codes."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, NoReturn

import typer
from rich.console import Console
from rich.table import Table

from charter.kernel.errors import (
    CharterError,
)

#: Exit codes, documented in docs/cli.md.
EXIT_OK = 0
EXIT_FAILED_CHECK = 1
EXIT_USAGE = 2
EXIT_INVALID = 3
EXIT_NOT_FOUND = 4
EXIT_CONFLICT = 5
EXIT_DENIED = 6
EXIT_BUSY = 7
EXIT_STORAGE_FULL = 8
EXIT_UNREADABLE = 9


JsonOpt = typer.Option(False, "--json", help="Print machine-readable JSON.")

console = Console()
errors = Console(stderr=True)


def exit_code(exc: CharterError) -> int:
    return exc.exit_code


def fail(exc: CharterError, as_json: bool) -> NoReturn:
    if as_json:
        payload = {"error": exc.code, "detail": exc.message, **exc.details}
        sys.stdout.write(json.dumps(payload, default=str) + "\n")
    else:
        errors.print(f"[bold red]error:[/] {exc.message}", highlight=False)
    raise typer.Exit(exit_code(exc))


@contextmanager
def reporting(as_json: bool) -> Iterator[None]:
    """Turn Charter errors into a message and the documented exit code."""
    try:
        yield
    except CharterError as exc:
        fail(exc, as_json)


def emit(data: Any, as_json: bool, human: Callable[[], None]) -> None:
    if as_json:
        sys.stdout.write(json.dumps(data, indent=2, sort_keys=True, default=str) + "\n")
    else:
        human()


def table(title: str, columns: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    grid = Table(title=title, title_justify="left")
    for column in columns:
        grid.add_column(column)
    for row in rows:
        grid.add_row(*("" if v is None else str(v) for v in row))
    console.print(grid)
