"""Governance: lifecycle transitions and gates, policies, waivers, documents, readiness."""
