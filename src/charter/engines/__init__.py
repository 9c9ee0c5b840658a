"""Validation engines: compute a run's aggregates where the data lives."""
