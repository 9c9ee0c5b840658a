"""Ports of the scorecard: it reads every capability's records."""

from __future__ import annotations

from charter.bodies.ports import Context, UnitOfWork

__all__ = ["Context", "UnitOfWork"]
