"""Alembic, driven from code: upgrade a database to the latest schema. A database already at
the latest revision is recognised with one query, without loading Alembic (every command
opens the store, and start-up is part of every run)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError

from charter.kernel.errors import Unreadable

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).parent / "migrations"


def head_revision() -> str:
    """The latest revision: migrations are named NNNN_what.py, and NNNN is their revision."""
    return max(p.name.split("_", 1)[0] for p in (MIGRATIONS / "versions").glob("[0-9]*_*.py"))


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at, or None (no schema yet)."""
    try:
        with engine.connect() as conn:
            found = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
            conn.rollback()
    except DBAPIError:
        return None
    return str(found) if found is not None else None


def alembic_config(engine: Engine) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    if revision == "head" and current_revision(engine) == head_revision():
        return
    from alembic import command

    try:
        command.upgrade(alembic_config(engine), revision)
    except DBAPIError as exc:
        raise Unreadable(f"the database cannot be read or migrated: {exc.orig}") from exc


def downgrade(engine: Engine, revision: str = "base") -> None:
    from alembic import command

    command.downgrade(alembic_config(engine), revision)
