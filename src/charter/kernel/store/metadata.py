"""The one metadata every capability's tables are defined on (SQLite and PostgreSQL alike;
Alembic migrations mirror it), and the columns they share."""

from __future__ import annotations

from sqlalchemy import (
    Column,
    ForeignKey,
    MetaData,
    String,
)

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
metadata = MetaData(naming_convention=NAMING)

ID = 40


def id_column() -> Column[str]:
    return Column("id", String(ID), primary_key=True)


def foreign_key(name: str, target: str, nullable: bool = True) -> Column[str]:
    return Column(name, String(ID), ForeignKey(f"{target}.id"), nullable=nullable, index=True)
