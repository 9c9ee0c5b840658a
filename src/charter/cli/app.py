"""The `charter` command: its Typer app (charter.cli.main runs it)."""

from __future__ import annotations

import gc
from pathlib import Path
from typing import Any

import typer

from charter import __version__
from charter.cli.commands import LazyGroup
from charter.kernel.cli import session
from charter.kernel.cli.output import JsonOpt, console, emit, reporting

app = typer.Typer(
    name="charter",
    cls=LazyGroup,
    no_args_is_help=True,
    add_completion=False,
    help="Charter: run your organisation's AI leadership as records and rules.",
)


def _settings(read: list[Any]) -> Any:
    """The settings, read once per command: without pydantic where their forms allow
    (charter.environment), else by Settings."""
    if not read:
        import os

        from charter.environment import plain_settings

        plain: Any = plain_settings(os.environ)
        if plain is None:
            from charter.config import Settings

            plain = Settings()
        read.append(plain)
    return read[0]


def _contexts(engines: list[Any], read: list[Any]) -> Any:
    """Contexts on the settings' store; their engines are kept to be closed with the command."""

    def context() -> Any:
        from charter.bootstrap import build

        ctx, engine = build(_settings(read))
        engines.append(engine)
        _started()
        return ctx

    return context


def _suite_runners(read: list[Any]) -> Any:
    def suite_runner() -> Any:
        """The engine the context will hold, from the settings."""
        from charter.bootstrap import suite_runner

        return suite_runner(_settings(read))

    return suite_runner


def _actor_for(ctx: Any, who: str) -> Any:
    from charter.identity.services import access

    return access.actor_for(ctx, who)


@app.callback()
def main(command: typer.Context) -> None:
    """Charter: run your organisation's AI leadership as records and rules."""
    engines: list[Any] = []
    read: list[Any] = []  # the settings, once read
    command.call_on_close(lambda: [e.dispose() for e in engines])
    session.install(
        session.Session(
            _contexts(engines, read),
            _actor_for,
            lambda: _settings(read).actor,
            _suite_runners(read),
            _taken,
        )
    )


def _taken(suite_file: Path, engine: str) -> Any:
    from charter.cli.early import take

    return take(suite_file, engine)


@app.command()
def version(json_: bool = JsonOpt) -> None:
    """Print Charter's version."""
    emit({"version": __version__}, json_, lambda: typer.echo(__version__))


@app.command()
def init(
    name: str = typer.Option(..., help="The first administrator's name."),
    email: str = typer.Option(..., help="The first administrator's e-mail."),
    json_: bool = JsonOpt,
) -> None:
    """Create the database and the first administrator; print a one-time API token."""
    from charter.bootstrap import build
    from charter.config import Settings
    from charter.identity.services import access

    settings = Settings()
    with reporting(json_):
        ctx, engine = build(settings)
        try:
            person, secret = access.initialise(ctx, name, email)
        finally:
            engine.dispose()
    data = {
        "person_id": person.id,
        "email": person.email,
        "token": secret,
        "database": _redacted(settings.resolved_database_url()),
    }
    emit(
        data,
        json_,
        lambda: console.print(
            f"Charter initialised at {data['database']}\n"
            f"administrator: {person.name} <{person.email}> ({person.id})\n"
            f"API token (shown once, keep it safe): [bold]{secret}[/]",
            highlight=False,
        ),
    )


def _redacted(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def serve_app(settings: Any, host: str, port: int, workers: int = 1) -> None:
    from charter.web.server import check_port, serve

    _started()
    with reporting(False):
        check_port(host, port)
        serve(settings, host, port, workers)


@app.command()
def serve(
    host: str | None = typer.Option(None, help="Address to bind (default 127.0.0.1)."),
    port: int | None = typer.Option(None, min=1, max=65535),
    workers: int = typer.Option(
        1, min=1, max=64, help="Server processes (on PostgreSQL, for several cores)."
    ),
) -> None:
    """Serve the API (OpenAPI at /api/docs). Binds 127.0.0.1 unless told otherwise."""
    from charter.config import Settings

    settings = Settings()
    serve_app(settings, host or settings.host, port or settings.port, workers)


@app.command()
def demo(
    serve_: bool = typer.Option(
        True, "--serve/--no-serve", help="Serve the app after building the demo."
    ),
    home: Path | None = typer.Option(None, help="Folder for demo.db (default CHARTER_HOME)."),
    host: str | None = None,
    port: int | None = typer.Option(None, min=1, max=65535),
    json_: bool = JsonOpt,
) -> None:
    """Build a fresh demo organisation in its own SQLite database (or in the empty database
    CHARTER_DATABASE_URL names), then serve it."""
    from charter.cli.demo import run_demo
    from charter.config import Settings

    settings = Settings()
    host, port = host or settings.host, port or settings.port
    if serve_:
        from charter.web.server import check_port

        with reporting(json_):
            check_port(host, port)  # before the build, which takes a while
    base = f"http://{host}:{port}"
    demo_settings = run_demo(home or settings.home, json_, base, settings.database_url)[0]
    if serve_:
        console.print(
            f"\nServing the web UI on http://{host}:{port}/ui/ and the API on "
            f"http://{host}:{port}/api/docs  (Ctrl-C to stop)\n"
            "Sign in to the UI with the password printed above; to the API docs with "
            "'Authorize' and a token printed above.",
            highlight=False,
        )
        serve_app(demo_settings, host, port)


def _started() -> None:
    """Start-up is over (the command's context is built, or it serves): what start-up built
    lives as long as the process, so it is kept out of collections, which resume. Only when
    `run` held them: the app called in-process (tests, embedding) is left alone."""
    if not gc.isenabled():
        gc.freeze()
        gc.enable()
