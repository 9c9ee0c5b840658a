"""Adapters of notifications: the outbox and delivery log on SQL, SMTP, HTTP."""
