"""Objectives, use cases, scoring, roadmap and KPIs as pure rules."""
