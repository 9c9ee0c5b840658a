"""Alembic environment: the engine comes from the caller (charter.store.migrate)."""

from __future__ import annotations

from alembic import context

from charter.store.schema import metadata


def run() -> None:
    engine = context.config.attributes["engine"]
    with engine.connect() as conn:
        context.configure(
            connection=conn, target_metadata=metadata, render_as_batch=conn.dialect.name == "sqlite"
        )
        with context.begin_transaction():
            context.run_migrations()
        conn.commit()


run()
