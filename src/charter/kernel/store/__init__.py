"""Storage every capability shares: engines, migrations, the one metadata, rows, the
table repository and the unit of work's transaction."""
