"""Walk the CLI's command tree (Typer ships its own click), loading every lazy command."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import typer.main

from charter.cli.main import app


def leaves() -> Iterator[tuple[str, Any]]:
    root = typer.main.get_command(app)
    ctx = typer.Context(root)

    def walk(command: Any, path: list[str]) -> Iterator[tuple[str, Any]]:
        names = command.list_commands(ctx) if hasattr(command, "list_commands") else []
        if names:
            for name in names:
                yield from walk(command.get_command(ctx, name), [*path, name])
        else:
            yield " ".join(path), command

    yield from walk(root, ["charter"])


def options(command: Any) -> set[str]:
    return {opt for param in command.params for opt in getattr(param, "opts", [])}
