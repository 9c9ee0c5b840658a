"""Validation: suites of checks run where the data lives, and the evidence they record.

From Python: `from charter.validation import validate` (charter.validation.python)."""

from __future__ import annotations

from typing import Any


def __getattr__(name: str) -> Any:
    """`validate`, imported when first asked for (it builds Charter's whole context)."""
    if name == "validate":
        from charter.validation.python import validate  # noqa: PLC0415 (on first use)

        return validate
    raise AttributeError(f"module 'charter.validation' has no attribute {name!r}")
