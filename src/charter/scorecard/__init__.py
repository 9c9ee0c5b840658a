"""The leadership scorecard: every pillar scored from live data."""
