"""The settings read from the environment without pydantic, for the forms read here exactly as
charter.config.Settings reads them; for any other form, None: Settings then decides, and
refuses what it refuses.

pydantic and pydantic-settings cost a `charter validate` run about 0.1 s of CPU while its
scan runs on the same two cores (benchmarks/README.md): a command's context is built from
these when they read. tests/cli/test_early_settings.py holds them to Settings, field by field,
defaults included, over environments of every form."""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from charter.kernel.limits import POLICY_FILE_BYTES


def _home() -> Path:
    return Path.home() / ".local" / "share" / "charter"


@dataclass(frozen=True, slots=True)
class PlainSettings:
    """Settings' fields, the same names, types and defaults (charter.config)."""

    home: Path = field(default_factory=_home)
    database_url: str | None = None
    decision_rights_file: Path | None = None
    scoring_file: Path | None = None
    risk_model_file: Path | None = None
    risk_catalogue_file: Path | None = None
    actor: str | None = None
    signing_key_file: Path | None = None
    checkpoint_interval: int = 300
    checkpoint_witness: str | None = None
    data_dir: Path | None = None
    oidc_issuer: str | None = None
    oidc_client_id: str | None = None
    oidc_client_secret: str | None = None
    oidc_scopes: str = "openid email profile"
    public_url: str | None = None
    api_docs_public: bool = False
    token_days: int = 90
    body_late_days: int = 7
    session_idle_minutes: int = 30
    smtp_host: str | None = None
    smtp_port: int = 587
    smtp_security: str = "starttls"
    smtp_user: str | None = None
    smtp_password: str | None = None
    smtp_from: str = "charter@localhost"
    webhook_allowed_networks: str = ""
    validation_memory_mb: int = 1024
    validation_threads: int = 2
    validation_spill_mb: int = 2048
    validation_seconds: float = 300.0
    policy_file_bytes: int = POLICY_FILE_BYTES
    digest_hour: int = 7
    reminder_days: int = 14
    schedule_interval: int = 30
    incident_time_zone: str = "Europe/Brussels"
    monitoring_rules_file: Path | None = None
    host: str = "127.0.0.1"
    port: int = 8000
    serve_threads: int = 4
    trusted_proxies: str = "127.0.0.1"

    def resolved_data_dir(self) -> Path:
        return self.data_dir or self.home / "data"

    def resolved_key_file(self) -> Path:
        return self.signing_key_file or self.home / "keys" / "audit.key"

    def resolved_database_url(self) -> str:
        return self.database_url or f"sqlite:///{self.home / 'charter.db'}"


#: the numbers' bounds (Settings' ge/gt/le), inclusive but a float's lower bound; where
#: Settings sets none above, the largest number the patterns below read (nine digits)
_BOUNDS: dict[str, tuple[float, float]] = {
    "checkpoint_interval": (0, 999_999_999), "token_days": (1, 366), "body_late_days": (0, 366),
    "session_idle_minutes": (1, 999_999_999), "smtp_port": (1, 65535),
    "validation_memory_mb": (64, 999_999_999), "validation_threads": (1, 256),
    "validation_spill_mb": (0, 999_999_999), "validation_seconds": (0, 999_999_999.999_999_999),
    "policy_file_bytes": (1_000, 900_000), "digest_hour": (0, 23), "reminder_days": (1, 366),
    "schedule_interval": (0, 999_999_999), "port": (1, 65535), "serve_threads": (1, 256),
}  # fmt: skip
_INT = re.compile(r"0|[1-9][0-9]{0,8}")
_FLOAT = re.compile(r"(0|[1-9][0-9]{0,8})(\.[0-9]{1,9})?")
_BOOL = {"true": True, "false": False, "1": True, "0": False}
_CHOICES = {"smtp_security": ("starttls", "tls", "none")}
_KINDS = {f.name: str(f.type) for f in fields(PlainSettings)}
_GIVE_WAY = object()  # a form not read here


def _value(name: str, text: str) -> Any:
    """The field's value as Settings reads `text`, or _GIVE_WAY."""
    kind = _KINDS[name]
    if not text or "\x00" in text:
        return _GIVE_WAY
    if name in _CHOICES:
        return text if text in _CHOICES[name] else _GIVE_WAY
    if kind == "bool":
        return _BOOL.get(text, _GIVE_WAY)
    if kind in ("int", "float"):
        if (_INT if kind == "int" else _FLOAT).fullmatch(text) is None:
            return _GIVE_WAY
        number = int(text) if kind == "int" else float(text)
        low, high = _BOUNDS[name]
        inside = low <= number <= high if kind == "int" else low < number <= high
        return number if inside else _GIVE_WAY
    return Path(text) if kind.startswith("Path") else text


def plain_settings(
    environ: Mapping[str, str], names: Collection[str] | None = None
) -> PlainSettings | None:
    """The settings (only the fields in `names` read, when given; the others left at their
    defaults) when every CHARTER_ variable naming one of them is in a form read here: its
    name in capitals, a value neither empty nor holding NUL, a number in plain decimals
    within Settings' bounds, a boolean as true, false, 1 or 0; else None."""
    found: dict[str, Any] = {}
    for key, text in environ.items():
        name = key.lower().removeprefix("charter_")
        if name == key.lower() or name not in _KINDS or (names is not None and name not in names):
            continue
        value = _value(name, text)
        if key != key.upper() or value is _GIVE_WAY:
            return None
        found[name] = value
    return PlainSettings(**found)
