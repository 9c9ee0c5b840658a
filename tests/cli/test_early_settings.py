"""The engine `charter validate` starts its scan with, read from the environment without
pydantic (charter.bootstrap.early_suite_runner), is the one Settings gives: for every form
it reads itself, the same files kept secret and the same limits; for every other form it
gives way (None) and Settings decides, refusals included."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping
from dataclasses import asdict, fields
from pathlib import Path

import pytest
from pydantic import ValidationError

from charter.bootstrap import early_suite_runner, suite_runner
from charter.config import Settings
from charter.environment import PlainSettings, plain_settings
from charter.kernel.errors import CharterError

EARLY = {"home", "database_url", "signing_key_file"} | {
    f"validation_{n}" for n in ("memory_mb", "threads", "spill_mb", "seconds")
}

VALUES = {
    "HOME": ["{t}/h o", "rel/dir", "~/x", "", "{t}/a\x00b"],
    "DATABASE_URL": [
        "sqlite:///{t}/a.db", "sqlite+pysqlite:///{t}/b%20c.db?timeout=5", "sqlite://",
        "sqlite:///file:{t}/u.db?uri=true", "postgresql+psycopg://u:p@h/db", "", "not a url",
    ],
    "SIGNING_KEY_FILE": ["{t}/k/audit.key", "key", ""],
    "VALIDATION_MEMORY_MB": ["64", "63", "1024", "007", "+5", " 100", "1e3", "1_000", "", "0",
                             "999999999", "9999999999", "64.0", "abc"],
    "VALIDATION_THREADS": ["1", "256", "257", "0", "2.0", "-1", "\uff13"],
    "VALIDATION_SPILL_MB": ["0", "-1", "10", "00", "1.5"],
    "VALIDATION_SECONDS": ["0", "0.5", "300", "1e2", "-1", "nan", "inf", ".5", "5.", "0.0000001",
                           "1.25", "3.14159265358979"],
}  # fmt: skip

CASES: list[dict[str, str]] = [{}]
CASES += [{f"CHARTER_{k}": v} for k, vs in VALUES.items() for v in vs]
CASES += [
    {"CHARTER_HOME": "{t}/h", "CHARTER_VALIDATION_THREADS": "3", "CHARTER_VALIDATION_SECONDS": "9"},
    {"CHARTER_DATABASE_URL": "sqlite:///{t}/x.db", "CHARTER_SIGNING_KEY_FILE": "{t}/s.key",
     "CHARTER_VALIDATION_MEMORY_MB": "128", "CHARTER_VALIDATION_SPILL_MB": "0"},
    {"charter_validation_threads": "3"},  # Settings reads names in any case
    {"Charter_Home": "{t}/other"},
    {"CHARTER_HOME": "{t}/h", "charter_home": "{t}/lower"},
    {"CHARTER_PORT": "not a port", "CHARTER_VALIDATION_THREADS": "1"},  # not read early
    {"CHARTER_VALIDATIONS_SECONDS": "1", "CHARTERHOME": "{t}/x"},  # no such settings
]  # fmt: skip
CASES += [
    {"CHARTER_VALIDATION_MEMORY_MB": m, "CHARTER_VALIDATION_SECONDS": s}
    for m, s in itertools.product(["64", "2048"], ["1", "0.25"])
]


@pytest.mark.parametrize("case", CASES, ids=[repr(c)[:60] for c in CASES])
def test_the_early_engine_is_the_one_settings_give(
    case: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    early = _outcome(lambda: early_suite_runner(_environment(case, tmp_path, monkeypatch)))
    try:
        settings = Settings()
    except ValidationError as refused:  # the early reading gives way if it read the field
        fields = {str(e["loc"][0]) for e in refused.errors()}
        assert early is None or not fields & EARLY, case  # else refused once the store opens
        return
    expected = _outcome(lambda: suite_runner(settings))
    assert early is None or early == expected, case


def _environment(
    case: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Mapping[str, str]:
    """The process environment holding the case's CHARTER_ variables and no others (HOME in
    tmp_path); the case itself where a value holds NUL, which no environment variable can."""
    import os

    for key in list(os.environ):
        if key.upper().startswith("CHARTER"):
            monkeypatch.delenv(key)
    monkeypatch.setenv("HOME", str(tmp_path / "user"))
    env = {k: v.format(t=tmp_path) for k, v in case.items()}
    if any("\x00" in v for v in env.values()):
        return env
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    return os.environ


def _outcome(make: Callable[[], object]) -> object:
    """What `make` gives, or the kind and words of its refusal."""
    try:
        return make()
    except CharterError as error:
        return type(error).__name__, str(error)


@pytest.mark.parametrize("case", CASES[:1] + CASES[-6:])
def test_the_plain_forms_are_read_early(
    case: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """(else the scan would wait for pydantic: the benchmark's environment among them)"""
    env = {"HOME": str(tmp_path), **{k: v.format(t=tmp_path) for k, v in case.items()}}
    assert early_suite_runner(env) is not None


#: values of the fields read without pydantic beyond the early run's (their plain forms and
#: others: Settings decides those)
OTHERS = {
    "ACTOR": ["a@example.org", " spaced ", "null"],
    "DECISION_RIGHTS_FILE": ["{t}/r.json", "r.json"],
    "CHECKPOINT_INTERVAL": ["0", "300", "-1", "999999999", "1000000000"],
    "CHECKPOINT_WITNESS": ["https://w.example.org/c", "{t}/w"],
    "DATA_DIR": ["{t}/data"],
    "OIDC_SCOPES": ["openid", "openid  email"],
    "API_DOCS_PUBLIC": ["true", "false", "1", "0", "TRUE", "yes", "off", "2", "tru"],
    "TOKEN_DAYS": ["1", "366", "367", "0"],
    "BODY_LATE_DAYS": ["0", "366", "367"],
    "SESSION_IDLE_MINUTES": ["0", "1", "45"],
    "SMTP_PORT": ["1", "65535", "65536", "0"],
    "SMTP_SECURITY": ["starttls", "tls", "none", "TLS", "tls\n", "ssl"],
    "SMTP_HOST": ["mail.example.org"],
    "SMTP_FROM": ["c@example.org"],
    "WEBHOOK_ALLOWED_NETWORKS": ["10.0.0.0/8, 127.0.0.1"],
    "POLICY_FILE_BYTES": ["999", "1000", "900000", "900001"],
    "DIGEST_HOUR": ["0", "23", "24"],
    "REMINDER_DAYS": ["1", "366", "367", "0"],
    "SCHEDULE_INTERVAL": ["0", "45"],
    "INCIDENT_TIME_ZONE": ["UTC"],
    "MONITORING_RULES_FILE": ["{t}/m.yaml"],
    "PORT": ["8080", "0", "65536", "not a port"],
    "SERVE_THREADS": ["4", "1", "256", "0", "257"],
    "TRUSTED_PROXIES": ["*", "10.0.0.1,10.0.0.2"],
}
FULL = CASES + [{f"CHARTER_{k}": v} for k, vs in OTHERS.items() for v in vs]
EVERY = {f"CHARTER_{k}": vs[0] for k, vs in OTHERS.items()} | {
    "CHARTER_HOME": "{t}/h o", "CHARTER_DATABASE_URL": "sqlite:///{t}/a.db",
    "CHARTER_SIGNING_KEY_FILE": "{t}/s.key", "CHARTER_VALIDATION_MEMORY_MB": "64",
    "CHARTER_VALIDATION_THREADS": "1", "CHARTER_VALIDATION_SPILL_MB": "0",
    "CHARTER_VALIDATION_SECONDS": "0.5", "CHARTER_SCORING_FILE": "{t}/s.json",
    "CHARTER_RISK_MODEL_FILE": "{t}/m.json", "CHARTER_RISK_CATALOGUE_FILE": "{t}/c.json",
    "CHARTER_OIDC_ISSUER": "https://id.example.org", "CHARTER_OIDC_CLIENT_ID": "c",
    "CHARTER_OIDC_CLIENT_SECRET": "s", "CHARTER_PUBLIC_URL": "https://c.example.org",
    "CHARTER_SMTP_USER": "u", "CHARTER_SMTP_PASSWORD": "p", "CHARTER_HOST": "0.0.0.0",
    "CHARTER_SESSION_IDLE_MINUTES": "45", "CHARTER_POLICY_FILE_BYTES": "1000",
}  # fmt: skip
FULL += [EVERY, {"CHARTER_TOKEN_DAYS": "30", "charter_port": "9000"}]


@pytest.mark.parametrize("case", FULL, ids=[repr(c)[:60] for c in FULL])
def test_the_settings_read_without_pydantic_are_the_ones_settings_give(
    case: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every field, defaults included; None (Settings decides) for any form not read."""
    plain = plain_settings(_environment(case, tmp_path, monkeypatch))
    try:
        settings = Settings()
    except ValidationError:
        assert plain is None, case
        return
    if plain is not None:
        assert asdict(plain) == settings.model_dump(), case
        assert plain.resolved_database_url() == settings.resolved_database_url()
        assert plain.resolved_key_file() == settings.resolved_key_file()
        assert plain.resolved_data_dir() == settings.resolved_data_dir()


def test_every_setting_is_read_without_pydantic_with_its_default() -> None:
    assert [f.name for f in fields(PlainSettings)] == list(Settings.model_fields)
    assert {k.removeprefix("CHARTER_").lower() for k in EVERY} == set(Settings.model_fields)
    assert asdict(PlainSettings()) == Settings.model_construct().model_dump()


@pytest.mark.parametrize("case", FULL[:1] + FULL[-2:-1])
def test_the_plain_forms_of_every_setting_are_read(case: dict[str, str], tmp_path: Path) -> None:
    """(else a command's context would wait for pydantic)"""
    env = {"HOME": str(tmp_path), **{k: v.format(t=tmp_path) for k, v in case.items()}}
    assert plain_settings(env) is not None
