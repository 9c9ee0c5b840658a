"""Composition root: settings -> engine -> unit of work -> service context."""

from __future__ import annotations

import json
import secrets
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from charter.config import Settings
from charter.domain.errors import InvalidInput
from charter.domain.rights import DecisionRights, parse_decision_rights
from charter.services.context import Context
from charter.store.engine import make_engine
from charter.store.migrate import upgrade
from charter.store.uow import SqlUnitOfWork


def utc_now() -> datetime:
    return datetime.now(UTC)


def new_id(prefix: str) -> str:
    return f"{prefix}_{secrets.token_hex(8)}"


def load_rights(path: Path | None) -> DecisionRights:
    try:
        text = (
            path.read_text("utf-8")
            if path
            else resources.files("charter").joinpath("data/decision_rights.json").read_text("utf-8")
        )
        raw: Any = json.loads(text)
    except (OSError, json.JSONDecodeError) as exc:
        raise InvalidInput(f"cannot read decision rights from {path}: {exc}") from exc
    if not isinstance(raw, dict):
        raise InvalidInput(f"decision rights in {path or 'the default file'} must be an object")
    return parse_decision_rights(raw)


def context_for(engine: Engine, rights: DecisionRights | None = None) -> Context:
    return Context(
        uow=lambda: SqlUnitOfWork(engine),
        clock=utc_now,
        new_id=new_id,
        rights=rights or load_rights(None),
    )


def build(settings: Settings | None = None, *, migrate: bool = True) -> tuple[Context, Engine]:
    """Everything a shell needs, with the schema brought up to date."""
    settings = settings or Settings()
    engine = make_engine(settings.resolved_database_url())
    if migrate:
        upgrade(engine)
    return context_for(engine, load_rights(settings.decision_rights_file)), engine
