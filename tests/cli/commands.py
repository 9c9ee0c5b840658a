"""Walk the CLI's command tree (Typer ships its own click)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import typer.main

from charter.cli.main import app


def leaves() -> Iterator[tuple[str, Any]]:
    def walk(command: Any, path: list[str]) -> Iterator[tuple[str, Any]]:
        subcommands = getattr(command, "commands", None)
        if subcommands:
            for name, sub in subcommands.items():
                yield from walk(sub, [*path, name])
        else:
            yield " ".join(path), command

    yield from walk(typer.main.get_command(app), ["charter"])


def options(command: Any) -> set[str]:
    return {opt for param in command.params for opt in getattr(param, "opts", [])}
