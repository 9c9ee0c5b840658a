"""Packs, readiness rules and the EU AI Act classifier as pure rules."""
