"""The `charter` command."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from charter import __version__
from charter.accountability import cli as accountability
from charter.audit import cli as audit
from charter.bodies import cli as bodies
from charter.config import Settings
from charter.frameworks import cli as frameworks
from charter.governance.cli import policies, readiness, transitions
from charter.identity import cli as identity
from charter.inventory import cli as inventory
from charter.kernel.cli import session
from charter.kernel.cli.output import JsonOpt, console, emit, reporting
from charter.people import cli as people
from charter.scorecard import cli as scorecard
from charter.strategy.cli import delivery, kpis, portfolio
from charter.validation import cli as validation

app = typer.Typer(
    name="charter",
    no_args_is_help=True,
    add_completion=False,
    help="Charter: run your organisation's AI leadership as records and rules.",
)
app.add_typer(accountability.units, name="units")
accountability.people.command("set-password")(identity.people_set_password)
app.add_typer(accountability.people, name="people")
app.add_typer(accountability.roles, name="roles")
inventory.systems.command("show")(accountability.systems_show)
app.add_typer(inventory.systems, name="systems")
app.add_typer(inventory.vendors, name="vendors")
app.add_typer(inventory.datasets, name="datasets")
app.add_typer(inventory.models, name="models")
app.add_typer(accountability.raci_app, name="raci")
app.add_typer(transitions.transitions, name="transitions")
app.add_typer(identity.tokens, name="tokens")
app.add_typer(audit.audit_app, name="audit")
app.add_typer(audit.keys, name="keys")
app.command("validate")(validation.validate)
app.command("classify")(frameworks.classify)
app.add_typer(frameworks.packs_app, name="packs")
frameworks.packs_app.command("show")(readiness.packs_show)
app.command("readiness")(readiness.readiness_command)
app.add_typer(policies.policies_app, name="policies")
app.add_typer(policies.gate_app, name="gate")
app.command("posture")(policies.posture_command)
app.add_typer(policies.waivers_app, name="waivers")
app.add_typer(policies.documents_app, name="documents")
app.add_typer(portfolio.objectives, name="objectives")
app.add_typer(portfolio.usecases, name="usecases")
app.add_typer(portfolio.portfolio_app, name="portfolio")
app.add_typer(kpis.kpi_app, name="kpi")
app.add_typer(bodies.bodies_app, name="bodies")
app.add_typer(people.talent_app, name="talent")
app.add_typer(people.adoption_app, name="adoption")
app.add_typer(delivery.delivery_app, name="delivery")
app.command("scorecard")(scorecard.scorecard_command)


def _context() -> Any:
    from charter.bootstrap import build

    return build(Settings())[0]


def _actor_for(ctx: Any, who: str) -> Any:
    from charter.identity.services import access

    return access.actor_for(ctx, who)


@app.callback()
def main() -> None:
    """Charter: run your organisation's AI leadership as records and rules."""
    session.install(session.Session(_context, _actor_for, lambda: Settings().actor))


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


def serve_app(settings: Settings, host: str, port: int) -> None:
    import uvicorn

    from charter.bootstrap import build
    from charter.web.app import create_app

    ctx = build(settings)[0]
    app = create_app(
        ctx, settings.checkpoint_interval, settings.resolved_data_dir(), oidc_provider(settings)
    )
    uvicorn.run(
        app,
        host=host,
        port=port,
        log_level="info",
        proxy_headers=True,
        forwarded_allow_ips=settings.trusted_proxies,
    )


def oidc_provider(settings: Settings) -> Any:
    """The OIDC provider the settings name, or None; half a configuration is an error."""
    from charter.identity.oidc import Provider

    given = (settings.oidc_issuer, settings.oidc_client_id, settings.oidc_client_secret)
    if not any(given):
        return None
    if not all(given):
        raise typer.BadParameter(
            "single sign-on needs CHARTER_OIDC_ISSUER, CHARTER_OIDC_CLIENT_ID and "
            "CHARTER_OIDC_CLIENT_SECRET"
        )
    issuer, client_id, secret = (str(v) for v in given)
    return Provider(issuer, client_id, secret, settings.oidc_scopes)


@app.command()
def serve(
    host: str | None = typer.Option(None, help="Address to bind (default 127.0.0.1)."),
    port: int | None = typer.Option(None, min=1, max=65535),
) -> None:
    """Serve the API (OpenAPI at /api/docs). Binds 127.0.0.1 unless told otherwise."""
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
