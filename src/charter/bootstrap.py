"""Composition root: settings -> engine -> unit of work -> service context. The store
(SQLAlchemy) loads when a context is built, not with this module: a validation run starts
from the settings alone, before it (suite_runner, early_suite_runner): what only a context
needs (even of the standard library) loads when first used."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

from charter.kernel.errors import InvalidInput

if TYPE_CHECKING:
    from collections.abc import Mapping

    from sqlalchemy import Engine

    from charter.accountability.domain.rights import DecisionRights
    from charter.audit.domain.checkpoint import Checkpoint
    from charter.audit.domain.logcheck import LogCheck
    from charter.audit.ports import CheckpointCopy, Signer
    from charter.config import Settings
    from charter.environment import PlainSettings
    from charter.governance.domain.gates import Plugin
    from charter.identity.ports import PasswordHasher
    from charter.kernel.access import Actor
    from charter.monitoring.domain.rules import Rules
    from charter.notifications.domain import Network
    from charter.notifications.ports import Mailer
    from charter.risks.domain.assessment import Rules as RiskRules
    from charter.risks.domain.model import RiskModel
    from charter.strategy.domain.scoring import ScoringModel
    from charter.validation.engines.backend import Limits
    from charter.validation.engines.runner import GuardedRunner
    from charter.wiring import Context
    from charter.wiring.defaults import Later


def utc_now() -> datetime:
    return datetime.now(UTC)


def new_id(prefix: str) -> str:
    import secrets

    return f"{prefix}_{secrets.token_hex(8)}"


def _json_object(path: Path | None, shipped: str, what: str) -> dict[str, Any]:
    """A JSON object from `path`, or the shipped data file when no path is given."""
    from importlib import resources

    try:
        text = (
            path.read_text("utf-8")
            if path
            else resources.files("charter").joinpath(shipped).read_text("utf-8")
        )
        raw: Any = json.loads(text)
    except (OSError, json.JSONDecodeError) as exc:
        raise InvalidInput(f"cannot read {what} from {path}: {exc}") from exc
    if not isinstance(raw, dict):
        raise InvalidInput(f"{what} in {path or 'the default file'} must be an object")
    return raw


def load_rights(path: Path | None) -> DecisionRights:
    from charter.accountability.domain.rights import parse_decision_rights

    shipped = "accountability/data/decision_rights.json"
    return parse_decision_rights(_json_object(path, shipped, "decision rights"))


def load_scoring(path: Path | None) -> ScoringModel:
    from charter.strategy.domain.scoring import parse_scoring_model

    return parse_scoring_model(
        _json_object(path, "strategy/data/scoring.json", "the scoring model")
    )


def context_for(
    engine: Engine,
    rights: DecisionRights | None = None,
    key_file: Path | None = None,
    scoring: ScoringModel | None = None,
    settings: Settings | PlainSettings | None = None,
) -> Context:
    """The service context; with a signing key (or only its .pub verifier key) when one exists;
    `settings` give the checkpoint schedule and witness, the credential lifetimes and the
    risk model and catalogue. What a command does not use loads when first used."""
    from charter.environment import PlainSettings
    from charter.kernel.store.health import probe
    from charter.kernel.store.leader import Leader
    from charter.validation.engines.runner import GuardedRunner
    from charter.wiring import Context, SqlUnitOfWork
    from charter.wiring.defaults import (
        Later,
        WebhookPoster,
        shipped_risk_model,
        shipped_risk_rules,
    )

    settings = settings or PlainSettings()  # Settings' defaults
    signer, verify = _keys(key_file)
    networks = _networks(settings.webhook_allowed_networks)
    risk_model, risk_rules = _risk_model(settings)  # None, None: the shipped ones
    return Context(
        uow=lambda: SqlUnitOfWork(engine, risk_model),
        clock=utc_now,
        new_id=new_id,
        rights=rights or load_rights(None),
        signer=signer,
        verify_note=verify,
        check_in_chunks=partial(_check_in_chunks, engine.url.render_as_string(False)),
        leader=partial(Leader, engine),
        probe=partial(probe, engine),
        checkpoint_copies=Later(partial(_copies, key_file, settings.checkpoint_witness)),
        checkpoint_interval=settings.checkpoint_interval,
        plugins=requirement_plugins(),  # a plugin that does not load fails every command
        passwords=Later(_passwords),
        token_days=settings.token_days,
        session_idle=timedelta(minutes=settings.session_idle_minutes),
        late_grace=timedelta(days=settings.body_late_days),
        scoring=scoring or Later(partial(load_scoring, None)),
        run_suite=GuardedRunner(_secret_files(engine, key_file), _limits(settings)),
        risk_model=Later(shipped_risk_model) if risk_model is None else risk_model,
        risk_rules=Later(shipped_risk_rules) if risk_rules is None else risk_rules,
        mailer=_mailer(settings),
        poster=WebhookPoster(networks),
        webhook_networks=networks,
        public_url=settings.public_url,
        digest_hour=settings.digest_hour,
        reminder_days=settings.reminder_days,
        policy_file_bytes=settings.policy_file_bytes,
        data_dir=settings.resolved_data_dir(),
        incident_time_zone=settings.incident_time_zone,
        monitoring_rules=_monitoring_rules(settings),
    )


def _networks(text: str) -> tuple[Network, ...]:
    """The webhook networks the settings allow (none unless some are named)."""
    if not text.strip():
        return ()
    from charter.notifications.domain import parse_networks

    return parse_networks(text)


def _passwords() -> PasswordHasher:
    from charter.identity.adapters import Argon2Hasher

    return Argon2Hasher()


def _limits(settings: Settings | PlainSettings) -> Limits:
    """What one validation run may take of the server (its memory, threads, spill, time)."""
    from charter.validation.engines.backend import Limits

    return Limits(
        settings.validation_memory_mb, settings.validation_threads,
        settings.validation_spill_mb, settings.validation_seconds,
    )  # fmt: skip


def _mailer(settings: Settings | PlainSettings) -> Mailer | None:
    """The SMTP mailer the settings name, or None (e-mail is not configured)."""
    if not settings.smtp_host:
        return None
    from charter.notifications.adapters.transports import SmtpMailer

    s = settings
    return SmtpMailer(
        s.smtp_host or "", s.smtp_port, s.smtp_from, s.smtp_user, s.smtp_password, s.smtp_security
    )


def _risk_model(settings: Settings | PlainSettings) -> tuple[RiskModel | None, RiskRules | None]:
    """The organisation's risk model, catalogue and assessment rules, read once per context
    (a file that does not read fails every command at once); (None, None): the shipped ones,
    loaded when first used."""
    model_file = settings.risk_model_file
    catalogue_file = settings.risk_catalogue_file
    if model_file is None and catalogue_file is None:
        return None, None
    from charter.risks.files import load_model, load_rules

    model = load_model(model_file, catalogue_file)
    return model, load_rules(model)


def _monitoring_rules(settings: Settings | PlainSettings) -> Rules | Later[Rules]:
    """The organisation's triggers and freshness, read now (a file that does not read fails
    every command at once), or the shipped ones, loaded when first used."""
    if settings.monitoring_rules_file is None:
        from charter.wiring.defaults import Later, shipped_monitoring_rules

        return Later(shipped_monitoring_rules)
    from charter.monitoring.files import load_rules

    return load_rules(settings.monitoring_rules_file)


def _copies(key_file: Path | None, witness: str | None) -> tuple[CheckpointCopy, ...]:
    """Where checkpoints are also kept (the adapter loads only when there is a key)."""
    if key_file is None and not witness:
        return ()
    from charter.audit.adapters.copies import copies_for

    return copies_for(key_file, witness)


def _secret_files(engine: Engine, key_file: Path | None) -> tuple[Path, ...]:
    """The files a validation suite may never read: the signing key, the SQLite database and
    its journals (they hold password and token hashes)."""
    url = engine.url
    sqlite = url.get_backend_name() == "sqlite"
    return _secrets(key_file, url.database if sqlite else None)


def _secrets(key_file: Path | None, database: str | None) -> tuple[Path, ...]:
    files = [key_file] if key_file is not None else []
    for name in sqlite_files(database or ""):
        path = Path(name)
        files += [path, *(path.with_name(path.name + s) for s in ("-wal", "-shm", "-journal"))]
    return tuple(files)


def sqlite_files(database: str) -> list[str]:
    """The files an SQLite database name may open: the name itself and, for the URI form
    (`file:PATH?QUERY#FRAGMENT`, read as a URI when the URL says `uri=true`), the file its
    percent-decoded path names. Both are kept secret, whether SQLite is told to read the
    name as a URI or not (fail closed); none for a database in memory."""
    names = [database] if database not in ("", ":memory:") else []
    if database.startswith("file:"):
        path = database[5:].split("#", 1)[0].split("?", 1)[0]
        if path.startswith("//"):  # file://AUTHORITY/PATH: the authority is '' or localhost
            path = "/" + path[2:].partition("/")[2]
        if unquote(path) not in ("", ":memory:"):
            names.append(unquote(path))
    return names


#: SQLAlchemy's reading of a URL (sqlalchemy.engine.url._parse_url), for the database part
_URL = re.compile(
    r"(?P<name>[\w\+]+)://(?:(?P<username>[^:/]*)(?::(?P<password>[^@]*))?@)?"
    r"(?:(?:\[(?P<ipv6host>[^/\?]+)\]|(?P<ipv4host>[^/:\?]+))?(?::(?P<port>[^/\?]*))?)?"
    r"(?:/(?P<database>[^\?]*))?(?:\?(?P<query>.*))?"
)


def sqlite_database(url: str) -> str | None:
    """The database an SQLite URL names, as SQLAlchemy reads it (without loading SQLAlchemy);
    None for another kind of database. A URL it cannot read is refused, as SQLAlchemy does."""
    found = _URL.match(url)
    if found is None:
        raise InvalidInput("the database URL (CHARTER_DATABASE_URL) cannot be read")
    if found["name"].split("+")[0] != "sqlite" or found["database"] is None:
        return None
    return unquote(found["database"])


def suite_runner(settings: Settings | PlainSettings) -> GuardedRunner:
    """The validation engine the context will hold (the same secret files and limits), made
    from the settings alone: a run may start before the store is opened."""
    from charter.validation.engines.runner import GuardedRunner

    database = sqlite_database(settings.resolved_database_url())
    return GuardedRunner(_secrets(settings.resolved_key_file(), database), _limits(settings))


#: the settings the early run reads (charter.config.Settings' fields)
_EARLY = frozenset(
    {"home", "database_url", "signing_key_file"}
    | {f"validation_{n}" for n in ("memory_mb", "threads", "spill_mb", "seconds")}
)


def early_suite_runner(environ: Mapping[str, str]) -> GuardedRunner | None:
    """suite_runner(Settings()) read from the environment without pydantic (whose import
    cost a `charter validate` run about 0.1 s before its scan could start), from the fields
    it needs only (charter.environment); None where their forms are not read there:
    then Settings decides, and refuses what it refuses. tests/cli holds it to Settings."""
    from charter.environment import plain_settings

    plain = plain_settings(environ, _EARLY)
    return None if plain is None else suite_runner(plain)


def _keys(key_file: Path | None) -> tuple[Signer | None, Callable[[str], Checkpoint] | None]:
    """The signer of the key file and the check of its signatures, or of its .pub key alone;
    (None, None) without either (the key code loads only when a key is there)."""
    if key_file is None:
        return None, None
    if key_file.exists():
        from charter.audit.keys import load_signer, verify_note

        signer = load_signer(key_file)
        return signer, partial(verify_note, verifier=signer.verifier)
    if key_file.with_suffix(".pub").exists():
        from charter.audit.keys import read_verifier, verify_note

        return None, partial(verify_note, verifier=read_verifier(str(key_file.with_suffix(".pub"))))
    return None, None


def _check_in_chunks(
    url: str, size: int, wanted: frozenset[int], workers: int
) -> Iterator[LogCheck]:
    """The audit log checked on several processes (loaded when a command asks for it)."""
    from charter.audit.adapters.chunks import check_in_chunks

    return check_in_chunks(url, size, wanted, workers)


def requirement_plugins() -> dict[str, Plugin]:
    """Requirement plugins that installed packages declare under the entry-point group
    `charter.requirements` (name = the `plugin:` a policy names; value = a callable
    (requirement, facts) -> (Verdict, reason))."""
    from importlib.metadata import entry_points

    return {ep.name: ep.load() for ep in entry_points(group="charter.requirements")}


def build(
    settings: Settings | PlainSettings | None = None, *, migrate: bool = True
) -> tuple[Context, Engine]:
    """Everything a shell needs, with the schema brought up to date."""
    from charter.kernel.store.engine import make_engine
    from charter.kernel.store.migrate import upgrade

    if settings is None:
        from charter.config import Settings

        settings = Settings()
    engine = make_engine(settings.resolved_database_url())
    if migrate:
        upgrade(engine)
    rights = load_rights(settings.decision_rights_file)
    # the organisation's scoring model is read now (a file that does not read fails every
    # command at once); the shipped one when first used
    scoring = load_scoring(settings.scoring_file) if settings.scoring_file else None
    return context_for(engine, rights, settings.resolved_key_file(), scoring, settings), engine


def acting(ctx: Context, who: str) -> Actor:
    """The person an e-mail or id names, with the roles they hold, as the actor of use cases."""
    from charter.identity.services import access

    return access.actor_for(ctx, who)
