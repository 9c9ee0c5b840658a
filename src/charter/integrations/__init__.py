"""Integrations: bring the AI estate in from where it already lives (spreadsheets, an MLflow
registry, OpenLineage events, vendors' ML-BOMs, source code) and exchange it in standard
formats."""
