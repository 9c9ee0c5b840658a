"""Deprecated location, kept for one release: see charter.engines.packs."""
