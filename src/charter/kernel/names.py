"""Names people type: trimmed, non-empty, of bounded length."""

from __future__ import annotations

from charter.kernel.errors import InvalidInput


def require_name(value: str, what: str = "name", max_len: int = 200) -> str:
    """A trimmed, non-empty name of bounded length."""
    name = value.strip()
    if not name:
        raise InvalidInput(f"{what} must not be empty", details={"field": what})
    if len(name) > max_len:
        raise InvalidInput(f"{what} is longer than {max_len} characters", details={"field": what})
    return name
