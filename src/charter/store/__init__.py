"""Storage adapters: SQLAlchemy tables, the unit of work, repositories, migrations."""
