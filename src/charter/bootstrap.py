"""Composition root: settings -> engine -> unit of work -> service context."""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from functools import partial
from importlib import resources
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from charter.accountability.domain.rights import DecisionRights, parse_decision_rights
from charter.audit.domain.checkpoint import Checkpoint
from charter.audit.domain.logcheck import LogCheck
from charter.audit.ports import CheckpointCopy, Signer
from charter.config import Settings
from charter.governance.domain.gates import Plugin
from charter.identity.adapters import Argon2Hasher
from charter.identity.services import access
from charter.kernel.access import Actor
from charter.kernel.errors import InvalidInput
from charter.kernel.store.engine import make_engine
from charter.kernel.store.health import probe
from charter.kernel.store.leader import Leader
from charter.kernel.store.migrate import upgrade
from charter.monitoring.files import load_rules
from charter.notifications.adapters.transports import HttpPoster, SmtpMailer
from charter.notifications.domain import parse_networks
from charter.notifications.ports import Mailer
from charter.risks.domain.model import RiskModel
from charter.risks.files import default_model, default_rules, load_model
from charter.risks.files import load_rules as load_risk_rules
from charter.strategy.domain.scoring import ScoringModel, parse_scoring_model
from charter.validation.engines.backend import Limits
from charter.validation.engines.runner import GuardedRunner
from charter.wiring import Context, SqlUnitOfWork


def utc_now() -> datetime:
    return datetime.now(UTC)


def new_id(prefix: str) -> str:
    return f"{prefix}_{secrets.token_hex(8)}"


def _json_object(path: Path | None, shipped: str, what: str) -> dict[str, Any]:
    """A JSON object from `path`, or the shipped data file when no path is given."""
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
    shipped = "accountability/data/decision_rights.json"
    return parse_decision_rights(_json_object(path, shipped, "decision rights"))


def load_scoring(path: Path | None) -> ScoringModel:
    return parse_scoring_model(
        _json_object(path, "strategy/data/scoring.json", "the scoring model")
    )


def context_for(
    engine: Engine,
    rights: DecisionRights | None = None,
    key_file: Path | None = None,
    scoring: ScoringModel | None = None,
    settings: Settings | None = None,
) -> Context:
    """The service context; with a signing key (or only its .pub verifier key) when one exists;
    `settings` give the checkpoint schedule and witness, the credential lifetimes and the
    risk model and catalogue."""
    settings = settings or Settings.model_construct()
    signer, verify = _keys(key_file)
    networks = parse_networks(settings.webhook_allowed_networks)
    risk_model = _risk_model(settings)
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
        checkpoint_copies=_copies(key_file, settings.checkpoint_witness),
        checkpoint_interval=settings.checkpoint_interval,
        plugins=requirement_plugins(),
        passwords=Argon2Hasher(),
        token_days=settings.token_days,
        session_idle=timedelta(minutes=settings.session_idle_minutes),
        late_grace=timedelta(days=settings.body_late_days),
        scoring=scoring or load_scoring(None),
        run_suite=GuardedRunner(_secret_files(engine, key_file), _limits(settings)),
        risk_model=risk_model,
        risk_rules=default_rules()
        if risk_model is default_model()
        else load_risk_rules(risk_model),
        mailer=_mailer(settings),
        poster=HttpPoster(networks),
        webhook_networks=networks,
        public_url=settings.public_url,
        digest_hour=settings.digest_hour,
        reminder_days=settings.reminder_days,
        data_dir=settings.resolved_data_dir(),
        incident_time_zone=settings.incident_time_zone,
        monitoring_rules=load_rules(settings.monitoring_rules_file),
    )


def _limits(settings: Settings) -> Limits:
    """What one validation run may take of the server (its memory, threads, spill, time)."""
    return Limits(
        settings.validation_memory_mb, settings.validation_threads,
        settings.validation_spill_mb, settings.validation_seconds,
    )  # fmt: skip


def _mailer(settings: Settings) -> Mailer | None:
    """The SMTP mailer the settings name, or None (e-mail is not configured)."""
    if not settings.smtp_host:
        return None
    s = settings
    return SmtpMailer(
        s.smtp_host or "", s.smtp_port, s.smtp_from, s.smtp_user, s.smtp_password, s.smtp_security
    )


def _risk_model(settings: Settings) -> RiskModel:
    """The shipped risk model and catalogue, or the organisation's (read once per context)."""
    model_file = settings.risk_model_file
    catalogue_file = settings.risk_catalogue_file
    if model_file is None and catalogue_file is None:
        return default_model()
    return load_model(model_file, catalogue_file)


def _copies(key_file: Path | None, witness: str | None) -> tuple[CheckpointCopy, ...]:
    """Where checkpoints are also kept (the adapter loads only when there is a key)."""
    if key_file is None and not witness:
        return ()
    from charter.audit.adapters.copies import copies_for

    return copies_for(key_file, witness)


def _secret_files(engine: Engine, key_file: Path | None) -> tuple[Path, ...]:
    """The files a validation suite may never read: the signing key, the SQLite database and
    its journals (they hold password and token hashes)."""
    files = [key_file] if key_file is not None else []
    if engine.url.get_backend_name() == "sqlite" and engine.url.database not in (None, ":memory:"):
        database = Path(str(engine.url.database))
        files += [database, *(database.with_name(database.name + s) for s in ("-wal", "-shm"))]
    return tuple(files)


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
    return {ep.name: ep.load() for ep in entry_points(group="charter.requirements")}


def build(settings: Settings | None = None, *, migrate: bool = True) -> tuple[Context, Engine]:
    """Everything a shell needs, with the schema brought up to date."""
    settings = settings or Settings()
    engine = make_engine(settings.resolved_database_url())
    if migrate:
        upgrade(engine)
    rights = load_rights(settings.decision_rights_file)
    scoring = load_scoring(settings.scoring_file)
    return context_for(engine, rights, settings.resolved_key_file(), scoring, settings), engine


def acting(ctx: Context, who: str) -> Actor:
    """The person an e-mail or id names, with the roles they hold, as the actor of use cases."""
    return access.actor_for(ctx, who)
