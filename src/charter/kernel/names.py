"""Names people type: trimmed, non-empty, of bounded length, without control characters or
bidirectional overrides (which would corrupt a record on PostgreSQL, or make a name read
otherwise than it is stored)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from difflib import SequenceMatcher

from charter.kernel.errors import InvalidInput

#: how alike two folded names must be (difflib's ratio) to be flagged as a near-duplicate
NEAR_AT = 0.85

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


def name_key(name: str) -> str:
    """A name as people read it: case folded, runs of spaces as one ("Credit  Scoring" is
    "credit scoring")."""
    return " ".join(name.casefold().split())


def near_names(name: str, others: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """The (id, name) of `others` whose name reads almost as `name` does (a typo, a plural,
    a word more), most alike first; the same name folded is not near but equal."""
    key = name_key(name)
    found = []
    for ident, other in others:
        ratio = SequenceMatcher(None, key, name_key(other)).ratio()
        if NEAR_AT <= ratio < 1:
            found.append((ratio, ident, other))
    return [(ident, other) for _, ident, other in sorted(found, key=lambda f: (-f[0], f[1]))]
