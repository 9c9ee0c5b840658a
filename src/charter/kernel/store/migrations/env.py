"""Alembic environment: the engine (and, for autogenerate, the metadata) come from the caller
(charter.kernel.store.migrate)."""

from __future__ import annotations

from alembic import context


def run() -> None:
    engine = context.config.attributes["engine"]
    with engine.connect() as conn:
        context.configure(
            connection=conn,
            target_metadata=context.config.attributes.get("metadata"),
            render_as_batch=conn.dialect.name == "sqlite",
        )
        with context.begin_transaction():
            context.run_migrations()
        conn.commit()


run()
