"""The `charter` command."""

from __future__ import annotations

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


def _context() -> Any:
    from charter.bootstrap import build
    from charter.config import Settings

    return build(Settings())[0]


def _actor_for(ctx: Any, who: str) -> Any:
    from charter.identity.services import access

    return access.actor_for(ctx, who)


def _default_actor() -> str | None:
    from charter.config import Settings

    return Settings().actor


@app.callback()
def main() -> None:
    """Charter: run your organisation's AI leadership as records and rules."""
    session.install(session.Session(_context, _actor_for, _default_actor))


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
        ctx = build(settings)[0]
        person, secret = access.initialise(ctx, name, email)
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


def serve_app(settings: Any, host: str, port: int) -> None:
    import uvicorn

    from charter.bootstrap import build
    from charter.web.app import create_app

    ctx = build(settings)[0]
    app = create_app(
        ctx,
        settings.checkpoint_interval,
        settings.resolved_data_dir(),
        oidc_provider(settings),
        settings.api_docs_public,
    )
    uvicorn.run(
        app,
        host=host,
        port=port,
        log_level="info",
        proxy_headers=True,
        forwarded_allow_ips=settings.trusted_proxies,
    )


def oidc_provider(settings: Any) -> Any:
    """The OIDC provider the settings name, or None; half a configuration is an error, and
    so is one without the public URL the provider sends browsers back to."""
    from charter.identity.oidc import Provider

    given = (settings.oidc_issuer, settings.oidc_client_id, settings.oidc_client_secret)
    if not any(given):
        return None
    if not all(given):
        raise typer.BadParameter(
            "single sign-on needs CHARTER_OIDC_ISSUER, CHARTER_OIDC_CLIENT_ID and "
            "CHARTER_OIDC_CLIENT_SECRET"
        )
    if not settings.public_url:
        raise typer.BadParameter(
            "single sign-on needs CHARTER_PUBLIC_URL: the provider sends browsers back there"
        )
    issuer, client_id, secret = (str(v) for v in given)
    back = str(settings.public_url).rstrip("/") + "/ui/oidc/callback"
    return Provider(issuer, client_id, secret, settings.oidc_scopes, redirect_uri=back)


@app.command()
def serve(
    host: str | None = typer.Option(None, help="Address to bind (default 127.0.0.1)."),
    port: int | None = typer.Option(None, min=1, max=65535),
) -> None:
    """Serve the API (OpenAPI at /api/docs). Binds 127.0.0.1 unless told otherwise."""
    from charter.config import Settings

    settings = Settings()
    serve_app(settings, host or settings.host, port or settings.port)


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
    """Build a fresh demo organisation in its own SQLite database, then serve it."""
    from charter.cli.demo import run_demo
    from charter.config import Settings

    settings = Settings()
    host, port = host or settings.host, port or settings.port
    demo_settings = run_demo(home or settings.home, json_, f"http://{host}:{port}")[0]
    if serve_:
        console.print(
            f"\nServing the web UI on http://{host}:{port}/ui/ and the API on "
            f"http://{host}:{port}/api/docs  (Ctrl-C to stop)\n"
            "Sign in to the UI with the password printed above; to the API docs with "
            "'Authorize' and a token printed above.",
            highlight=False,
        )
        serve_app(demo_settings, host, port)


def run() -> None:
    app()
