"""Regulatory framework packs and EU AI Act classification."""
