"""Names people type: trimmed, non-empty, of bounded length, without control characters or
bidirectional overrides (which would corrupt a record on PostgreSQL, or make a name read
otherwise than it is stored)."""

from __future__ import annotations

import re

from charter.kernel.errors import InvalidInput

#: control characters (tab and newline included: a name is one line), DEL, bidi overrides
UNPRINTABLE = re.compile("[\x00-\x1f\x7f\u202a-\u202e\u2066-\u2069]")


def require_name(value: str, what: str = "name", max_len: int = 200) -> str:
    """A trimmed, non-empty name of bounded length."""
    name = value.strip()
    if not name:
        raise InvalidInput(f"{what} must not be empty", details={"field": what})
    if len(name) > max_len:
        raise InvalidInput(f"{what} is longer than {max_len} characters", details={"field": what})
    if UNPRINTABLE.search(name):
        raise InvalidInput(
            f"{what} holds control or bidirectional-override characters", details={"field": what}
        )
    return name
