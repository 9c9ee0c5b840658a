"""The scorecard's pillars and measures as pure functions."""
