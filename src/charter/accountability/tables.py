"""Tables of roles and accountability: business units, people, role assignments, RACI."""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    String,
    Table,
    Text,
    false,
)

from charter.kernel.store.metadata import ID, foreign_key, id_column, metadata

business_units = Table(
    "business_units",
    metadata,
    id_column(),
    Column("name", String(200), nullable=False, unique=True),
    Column("description", Text, nullable=False, default=""),
)


people = Table(
    "people",
    metadata,
    id_column(),
    Column("name", String(200), nullable=False),
    Column("email", String(320), nullable=False, unique=True),
    foreign_key("business_unit_id", "business_units"),
    Column("title", String(200), nullable=False, default=""),
    Column("active", Boolean, nullable=False, default=True),
    # a non-human account (a pipeline): set when created, never changed
    Column("service_account", Boolean, nullable=False, default=False, server_default=false()),
)


role_assignments = Table(
    "role_assignments",
    metadata,
    id_column(),
    foreign_key("person_id", "people", nullable=False),
    Column("role", String(40), nullable=False, index=True),
    Column("scope", String(20), nullable=False),
    Column("scope_id", String(ID), nullable=True),
)


raci = Table(
    "raci",
    metadata,
    Column("system_id", String(ID), ForeignKey("systems.id"), primary_key=True),
    Column("activity", String(40), primary_key=True),
    Column("person_id", String(ID), ForeignKey("people.id"), primary_key=True),
    Column("letter", String(1), nullable=False),
)


#: RACI letters taken off a system (removed or changed): who built it stays on record
raci_removals = Table(
    "raci_removals",
    metadata,
    Column("system_id", String(ID), ForeignKey("systems.id"), primary_key=True),
    Column("activity", String(40), primary_key=True),
    Column("person_id", String(ID), ForeignKey("people.id"), primary_key=True),
    Column("removed_at", DateTime(timezone=True), primary_key=True),
    Column("letter", String(1), nullable=False),
    Column("removed_by", String(ID), nullable=False),
)
