"""Settings: with charter.environment (the same settings without pydantic), the only places
that read the environment (variables prefixed CHARTER_)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from charter.kernel.limits import POLICY_FILE_BYTES


def default_home() -> Path:
    return Path.home() / ".local" / "share" / "charter"


def _run_limit(
    default: float,
    what: str,
    *,
    ge: float | None = None,
    gt: float | None = None,
    le: float | None = None,
) -> Any:
    """A bound on one validation run (CHARTER_VALIDATION_*): a DuckDB run's, and a Spark run's
    in local mode (memory and threads: its driver's, fixed when its session starts)."""
    return Field(default=default, ge=ge, gt=gt, le=le, description=f"{what}.")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CHARTER_", extra="ignore")

    home: Path = Field(
        default_factory=default_home,
        description="Folder for the default SQLite database and local files.",
    )
    database_url: str | None = Field(
        default=None,
        description="SQLAlchemy URL; unset means SQLite at HOME/charter.db. "
        "PostgreSQL: postgresql+psycopg://user:pass@host/db",
    )
    decision_rights_file: Path | None = Field(
        default=None, description="JSON file replacing the shipped default decision rights."
    )
    scoring_file: Path | None = Field(
        default=None, description="JSON file replacing the shipped use-case scoring model."
    )
    risk_model_file: Path | None = Field(
        default=None,
        description="JSON or YAML file replacing the shipped risk model: scales, bands, the "
        "residual rule, default appetite, who may own a risk (docs/risks.md).",
    )
    risk_catalogue_file: Path | None = Field(
        default=None,
        description="YAML or JSON file of risk categories added to the shipped catalogue.",
    )
    actor: str | None = Field(
        default=None, description="Person (e-mail or id) the local CLI acts as, unless --as."
    )
    signing_key_file: Path | None = Field(
        default=None,
        description="Ed25519 key that signs audit checkpoints; kept outside the "
        "database. Unset means HOME/keys/audit.key.",
    )
    checkpoint_interval: int = Field(
        default=300,
        ge=0,
        description="Seconds between checkpoints made by `charter serve` "
        "when the log has grown; 0 turns the schedule off.",
    )
    checkpoint_witness: str | None = Field(
        default=None,
        description="Where signed checkpoints are also kept, besides the append-only file "
        "beside the key: a folder (checkpoints.jsonl in it), or an http(s) URL that takes "
        "each checkpoint by POST and gives the latest back on GET. `charter audit verify` "
        "checks the log against the highest checkpoint found there.",
    )
    data_dir: Path | None = Field(
        default=None,
        description="Folder whose files validation suites sent to the API may "
        "read. Unset means HOME/data.",
    )
    oidc_issuer: str | None = Field(
        default=None,
        description="OpenID Connect issuer URL for single sign-on to the web UI (its "
        "/.well-known/openid-configuration is read); unset means passwords only.",
    )
    oidc_client_id: str | None = Field(default=None, description="The OIDC client id.")
    oidc_client_secret: str | None = Field(default=None, description="The OIDC client secret.")
    oidc_scopes: str = Field(default="openid email profile", description="Scopes to ask for.")
    public_url: str | None = Field(
        default=None,
        description="The address people reach Charter at (https://charter.example.org): "
        "single sign-on sends the browser back to it, never to the request's Host header.",
    )
    api_docs_public: bool = Field(
        default=False,
        description="Serve /api/docs and /api/openapi.json without sign-in.",
    )
    token_days: int = Field(
        default=90, ge=1, le=366, description="Days a new API token lives (at most 366)."
    )
    body_late_days: int = Field(
        default=7,
        ge=0,
        le=366,
        description="Days after a meeting within which its attendance and decisions may be "
        "recorded without a late-entry reason (shown with them).",
    )
    session_idle_minutes: int = Field(
        default=30, ge=1, description="Minutes a web UI session may go unused before it ends."
    )
    smtp_host: str | None = Field(
        default=None, description="SMTP server notices are e-mailed through; unset: no e-mail."
    )
    smtp_port: int = Field(default=587, ge=1, le=65535, description="The SMTP server's port.")
    smtp_security: str = Field(
        default="starttls",
        pattern="^(starttls|tls|none)$",
        description="starttls (upgrade the connection), tls (TLS from the start) or none.",
    )
    smtp_user: str | None = Field(default=None, description="SMTP user name, if it asks for one.")
    smtp_password: str | None = Field(default=None, description="SMTP password.")
    smtp_from: str = Field(
        default="charter@localhost", description="The From address of Charter's e-mail."
    )
    webhook_allowed_networks: str = Field(
        default="",
        description="Comma-separated addresses or CIDR blocks of this server's own network "
        "(loopback, private, link-local) that webhooks may be sent to; none by default.",
    )
    validation_memory_mb: int = _run_limit(
        1024, "Megabytes of memory one validation run may use (DuckDB; Spark's local driver)",
        ge=64,
    )  # fmt: skip
    validation_threads: int = _run_limit(
        2, "Threads one validation run uses (DuckDB; Spark's local cores)", ge=1, le=256
    )
    validation_spill_mb: int = _run_limit(
        2048,
        "Megabytes one validation run may spill to its private temporary folder (never the "
        "data folder) when its memory is full; 0: none (DuckDB; Spark spills to its own "
        "spark.local.dir, unbounded)",
        ge=0,
    )
    validation_seconds: float = _run_limit(
        300, "Seconds one validation run may take before its queries are stopped", gt=0
    )
    policy_file_bytes: int = Field(
        default=POLICY_FILE_BYTES,
        ge=1_000,
        le=900_000,
        description="Bytes a policy file may hold, checked or loaded from the web UI or the "
        "CLI (the largest shipped one holds 30,000; at most 900,000, within a request).",
    )
    digest_hour: int = Field(
        default=7, ge=0, le=23, description="Hour (UTC) at which daily digests are sent."
    )
    reminder_days: int = Field(
        default=14,
        ge=1,
        le=366,
        description="Days before a waiver or a training expires that its reminder is sent.",
    )
    schedule_interval: int = Field(
        default=30,
        ge=0,
        description="Seconds between the server's rounds of due monitors, incident "
        "escalations, reminders and notification deliveries; 0 turns them off.",
    )
    incident_time_zone: str = Field(
        default="Europe/Brussels",
        description="Time zone of the authority incidents are reported to, unless an "
        "incident names its own: a reporting deadline ends at midnight there.",
    )
    monitoring_rules_file: Path | None = Field(
        default=None,
        description="YAML file replacing the shipped monitoring rules (triggers, freshness).",
    )
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    serve_threads: int = Field(
        default=4,
        ge=1,
        le=256,
        description="Requests each server process works on at once; the others wait "
        "their turn, first come first served.",
    )
    trusted_proxies: str = Field(
        default="127.0.0.1",
        description="Comma-separated addresses (or *) of reverse proxies whose "
        "X-Forwarded-For names the client: failed sign-ins are counted per client address.",
    )

    def as_environment(self) -> dict[str, str]:
        """These settings as CHARTER_ variables (for worker processes to read them again)."""
        values = self.model_dump(exclude_none=True)
        return {f"CHARTER_{k.upper()}": str(v) for k, v in values.items()}

    def resolved_data_dir(self) -> Path:
        return self.data_dir or self.home / "data"

    def resolved_key_file(self) -> Path:
        return self.signing_key_file or self.home / "keys" / "audit.key"

    def resolved_database_url(self) -> str:
        return self.database_url or f"sqlite:///{self.home / 'charter.db'}"
