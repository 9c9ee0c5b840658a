"""Talking to a Charter server instead of the local database (for CI pipelines)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from charter.client import Client
from charter.kernel.cli.output import (
    EXIT_CONFLICT,
    EXIT_DENIED,
    EXIT_INVALID,
    EXIT_NOT_FOUND,
    errors,
)

ServerOpt = typer.Option(
    None,
    "--server",
    envvar="CHARTER_SERVER",
    help="A Charter server's URL: ask it instead of the local database (token: $CHARTER_TOKEN).",
)

_STATUS = {400: EXIT_INVALID, 422: EXIT_INVALID, 404: EXIT_NOT_FOUND, 409: EXIT_CONFLICT}


@contextmanager
def server(url: str) -> Iterator[Client]:
    """A client for the server; its refusals become the CLI's documented exit codes."""
    token = os.environ.get("CHARTER_TOKEN", "")
    if not token:
        errors.print("error: set CHARTER_TOKEN to an API token of the server")
        raise typer.Exit(EXIT_DENIED)
    import httpx  # only a command that talks to a server needs it

    from charter.client import Client, ClientError

    try:
        with Client(url, token) as client:
            yield client
    except ClientError as exc:
        errors.print(f"error: {exc.problem.get('detail', exc)}")
        raise typer.Exit(_STATUS.get(exc.status, EXIT_DENIED)) from exc
    except httpx.HTTPError as exc:
        errors.print(f"error: cannot reach the Charter server at {url}: {exc}")
        raise typer.Exit(EXIT_INVALID) from exc
