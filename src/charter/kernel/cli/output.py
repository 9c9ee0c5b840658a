"""Presenting results: a Rich table for people, JSON for pipelines, documented exit codes."""

from __future__ import annotations

import json
import sys
import unicodedata
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any, NoReturn

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from charter.kernel.errors import (
    CharterError,
)
from charter.kernel.figures import readable

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
        # the message quotes what was typed: shown as typed, never as markup
        errors.print(f"[bold red]error:[/] {escape(_printable(exc.message))}", highlight=False)
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


def name_of(named: Mapping[str, str], ident: str | None) -> str:
    """What people call the record an id names (commands take the name too); the id when
    it names nothing known."""
    return "" if ident is None else named.get(ident, ident)


def cell(value: object) -> str:
    """A table cell as people read it: numbers with thousands separators, never 1e+04."""
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    if isinstance(value, int):
        return f"{value:,}" if abs(value) >= 10_000 else str(value)  # not years: 2026
    return readable(value)


def _printable(text: str) -> str:
    """The text with its control characters written out (\x1b), so that what a person typed
    (a note, a stated source) cannot move the cursor, recolour or clear the terminal;
    tabs and line breaks kept."""
    return "".join(
        c if c in "\t\n" or unicodedata.category(c) != "Cc" else f"\\x{ord(c):02x}" for c in text
    )


#: how wide a column of text may be before it wraps (at spaces, never within a word)
PROSE = 24


def table(title: str, columns: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    """A table whose ids, e-mails and other one-word cells are never cut: prose columns wrap
    at spaces, and the table is drawn wider than the terminal rather than cut a word."""
    cells = [[cell(v) for v in row] for row in rows]
    grid = Table(title=title, title_justify="left")
    least = 1  # the table's left border
    for at, column in enumerate(columns):
        values = [row[at] for row in cells if at < len(row)]
        whole = all(" " not in v for v in values)
        words = [w for v in values for w in (v.split() or [""])] + column.split()
        longest = max((len(v) for v in values), default=0)
        # one-word cells whole, and their header whole too (a no-wrap column never wraps
        # it); prose up to PROSE wide before it wraps at spaces
        width = max(longest if whole else min(longest, PROSE), *map(len, words))
        if whole:
            width = max(width, len(column))
        grid.add_column(column, no_wrap=whole, min_width=width)
        least += width + 3  # padding and border
    for row in cells:
        grid.add_row(*(Text(_printable(v)) for v in row))  # text, never markup
    shown = console.width
    console.width = max(shown, least)
    try:
        console.print(grid)
    finally:
        console.width = shown
