"""JSON texts parsed once per distinct text in a process.

For documents read on every request and rarely changed (a policy's source, the audit event
that put it in force): a text seen before gives back the value parsed from it then. The
value is shared by every reader of that text, so readers must not change it. Texts are
compared exactly, so `1` and `true` stay apart, as digests of the text do."""

from __future__ import annotations

import json
from typing import Any

#: distinct texts kept per process; past it, all are dropped and parsed again when read
KEPT = 1024
_parsed: dict[str, Any] = {}


def parsed_once(text: str | None) -> Any:
    """The value of this JSON text, parsed the first time it is seen (read only: shared)."""
    if text is None:
        return None
    found = _parsed.get(text)
    if found is None:
        if len(_parsed) >= KEPT:
            _parsed.clear()
        found = _parsed[text] = json.loads(text)
    return found
