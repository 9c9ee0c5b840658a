"""`charter demo`: build the demo database and print what it holds and how to sign in."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer
from sqlalchemy.engine import make_url

from charter.audit import services as audit
from charter.audit.keys import create_key
from charter.bootstrap import build
from charter.config import Settings
from charter.demo.build import DEMO_PASSWORD, WEB_PEOPLE, build_demo
from charter.demo.report import summary
from charter.identity.services import access
from charter.kernel.cli.output import console, emit, reporting, table
from charter.kernel.errors import Conflict


def _ensure_empty(ctx: Any) -> None:
    """The demo builds only into an empty database: never over an organisation's records."""
    with ctx.uow() as uow:
        if uow.audit.size() > 0:
            raise Conflict(
                "the database CHARTER_DATABASE_URL names is not empty: the demo builds only "
                "into an empty database (or unset CHARTER_DATABASE_URL for a SQLite file)"
            )


def _fresh_sqlite(settings: Settings) -> str:
    """A new demo database, and the demo's checkpoint copies (which signed the old one)."""
    path = settings.home / "demo.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    settings.resolved_key_file().with_suffix(".checkpoints").unlink(missing_ok=True)
    return f"sqlite:///{path}"


def demo_settings(home: Path, database_url: str | None = None) -> Settings:
    """The demo's own database (a fresh SQLite file, or the empty database `database_url`
    names), checkpoint key and copies, beside (never over) the real ones; no witness: the
    demo is thrown away."""
    return Settings(
        home=home,
        database_url=database_url or f"sqlite:///{home / 'demo.db'}",
        signing_key_file=home / "keys" / "demo-audit.key",
        data_dir=home / "demo-data",  # the demo monitor's daily files
        checkpoint_witness=None,
    )


def run_demo(
    home: Path,
    as_json: bool,
    base_url: str = "http://127.0.0.1:8000",
    database_url: str | None = None,
) -> tuple[Settings, dict[str, Any]]:
    """Build the demo into a fresh SQLite file, or into the (empty) database `database_url`
    names, so that it can be tried on the database it would run on (PostgreSQL)."""
    settings = demo_settings(home, database_url)
    if database_url is None:
        _fresh_sqlite(settings)
    else:
        settings.resolved_key_file().with_suffix(".checkpoints").unlink(missing_ok=True)
    url = make_url(settings.resolved_database_url()).render_as_string(hide_password=True)
    with reporting(as_json):
        key = settings.resolved_key_file()
        if not key.exists():
            create_key(key, "demo.northwind.example/audit")
        ctx, engine = build(settings)
        try:
            _ensure_empty(ctx)
            demo = build_demo(ctx, home / "demo-data")
            amara = access.actor_for(ctx, demo.ids["amara"])
            caio_token = access.create_token(ctx, amara, None, "demo CAIO")[1]
            checkpoint = audit.make_checkpoint(ctx, demo.admin)
            data = summary(ctx, demo)
        finally:
            engine.dispose()
    data["database"] = url
    data["signed_checkpoint_size"] = checkpoint.size
    data["sign_in"] = {
        "administrator": {"email": demo.emails["admin"], "token": demo.admin_secret},
        "chief_ai_officer": {"email": demo.emails["amara"], "token": caio_token},
        "cli": f"CHARTER_DATABASE_URL={url} CHARTER_SIGNING_KEY_FILE="
        f"{settings.resolved_key_file()} charter systems list --as {demo.emails['amara']}",
        "web": {
            "url": f"{base_url}/ui/",
            "password": DEMO_PASSWORD,
            "people": {role: demo.emails[key] for role, key in WEB_PEOPLE.items()},
        },
    }
    emit(data, as_json, lambda: _human(data))
    return settings, data


def _role(role: str) -> str:
    """A role as people say it: chief_ai_officer -> chief AI officer."""
    return " ".join("AI" if word == "ai" else word for word in role.split("_"))


def _human(data: dict[str, Any]) -> None:
    console.print(
        f"[bold]{data['organisation']}[/] demo built in {data['database']}", highlight=False
    )
    table(
        "Demo organisation",
        ["what", "count"],
        [
            ("business units", data["business_units"]),
            ("people", data["people"]),
            ("AI roles covered", len(data["roles_covered"])),
            ("AI systems", data["systems"]),
            ("lifecycle stages covered", len(data["stages_covered"])),
            ("RACI findings", data["raci_findings"]),
            ("pending transition requests", data["pending_transition_requests"]),
            ("use cases", data["strategy"]["use_cases"]),
            (
                "KPIs (measurements)",
                f"{data['strategy']['kpis']} ({data['strategy']['kpi_measurements']})",
            ),
            (
                "leadership bodies (meetings)",
                f"{data['people_side']['bodies']} ({data['people_side']['meetings']})",
            ),
            ("audit events", data["audit_events"]),
            ("signed checkpoint at size", data["signed_checkpoint_size"]),
        ],
    )
    table("Systems by stage", ["stage", "systems"], sorted(data["systems_by_stage"].items()))
    table(
        "Leadership scorecard", ["pillar", "score"], list(data["people_side"]["scorecard"].items())
    )
    table(
        "RACI findings by kind", ["kind", "findings"], sorted(data["raci_findings_by_kind"].items())
    )
    for found in data["evidence"]:
        verdict = "passed" if found["passed"] else "FAILED: " + ", ".join(found["not_satisfied"])
        console.print(
            f"evidence {found['suite']} for {found['system_name']}: {verdict}", highlight=False
        )
    for role, info in data["sign_in"].items():
        if isinstance(info, dict) and "token" in info:
            typer.echo(f"API as {_role(role)}: {info['email']}  token {info['token']}")
    web = data["sign_in"]["web"]
    typer.echo(f"Web UI: {web['url']}  password {web['password']} for each of:")
    for role, email in web["people"].items():
        typer.echo(f"  {email}  ({_role(role)})")
    typer.echo(f"CLI: {data['sign_in']['cli']}")
