"""Roles and accountability: business units, people, role assignments, decision
rights, RACI."""
