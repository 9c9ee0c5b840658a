"""Suites, metrics, drift, ROC AUC and evidence as pure rules."""
