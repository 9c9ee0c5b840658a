"""Presenting domain objects as JSON-ready data: dataclasses field by field (secrets left
out), or the form an object gives of itself (`presented()`)."""

from __future__ import annotations

import math
from dataclasses import fields, is_dataclass
from datetime import date, datetime
from typing import Any, Protocol, runtime_checkable

from charter.kernel.ports import Page
from charter.kernel.records import jsonable

HIDDEN = {"secret_hash"}


@runtime_checkable
class Presentable(Protocol):
    """A record that says how it is presented (an audit event: its number, hash and body)."""

    def presented(self) -> dict[str, Any]: ...


#: values presented as they are: most of what a record holds (checked by exact type first, as
#: a subclass, an enum say, is presented otherwise)
PLAIN = frozenset({str, int, bool, type(None)})


def as_json(item: Any) -> Any:
    if type(item) in PLAIN:
        return item
    # what isinstance(item, Presentable) decides, without a runtime protocol check (which
    # walks the protocol's members on every call: most of a listing's serialisation time)
    if callable(getattr(item, "presented", None)):
        return item.presented()
    if is_dataclass(item) and not isinstance(item, type):
        return {
            f.name: as_json(getattr(item, f.name)) for f in fields(item) if f.name not in HIDDEN
        }
    if isinstance(item, dict):
        return {k: as_json(v) for k, v in item.items()}
    if isinstance(item, list | tuple):
        return [as_json(v) for v in item]
    return _scalar(item)


def _scalar(item: Any) -> Any:
    if isinstance(item, float):  # measured values; the audit log itself takes no floats
        return item if math.isfinite(item) else None
    if isinstance(item, date) and not isinstance(item, datetime):
        return item.isoformat()
    return jsonable(item)


def everything(items: list[Any]) -> Page[Any]:
    """Every record read (page by page), as one page with no limit."""
    return Page(items, len(items), None, 0)


def page(p: Page[Any]) -> dict[str, Any]:
    return {
        "items": [as_json(i) for i in p.items],
        "total": p.total,
        "limit": p.limit,
        "offset": p.offset,
    }
