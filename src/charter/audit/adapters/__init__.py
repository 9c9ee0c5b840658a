"""The audit log in the database, and checking it on several processes."""
