"""JSON texts parsed once per distinct text in a process.

For documents read on every request and rarely changed (a policy's source, the audit event
that put it in force): a text seen before gives back the value parsed from it then. The
value is shared by every reader of that text, so readers must not change it. Texts are
compared exactly, so `1` and `true` stay apart, as digests of the text do."""

from __future__ import annotations

import json
from typing import Any

#: characters of distinct texts kept per process; past it, all are dropped and parsed again
KEPT_CHARS = 32 * 2**20


class _Kept:
    parsed: dict[str, Any] = {}
    chars = 0


def parsed_once(text: str | None) -> Any:
    """The value of this JSON text, parsed the first time it is seen (read only: shared);
    None for a text Python cannot read as JSON (a number of thousands of digits, nesting
    deeper than the interpreter's stack), which its readers refuse as they refuse a
    missing value."""
    if text is None:
        return None
    found = _Kept.parsed.get(text)
    if found is not None:
        return found
    try:
        found = json.loads(text)
    except (ValueError, RecursionError):
        return None
    if _Kept.chars + len(text) > KEPT_CHARS:
        _Kept.parsed.clear()
        _Kept.chars = 0
    _Kept.parsed[text] = found
    _Kept.chars += len(text)
    return found
