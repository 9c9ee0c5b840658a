"""Use cases of governance: transitions, gate checks, policies, the inbox, readiness."""
