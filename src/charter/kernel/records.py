"""Values as audit data: enums as their value, datetimes as UTC strings, field-level changes."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime
from enum import Enum

from charter.kernel.errors import InvalidInput


def utc_timestamp(at: datetime) -> str:
    if at.tzinfo is None:
        raise InvalidInput("audit timestamps must be timezone-aware")
    utc = at.astimezone(UTC).replace(tzinfo=None)
    return f"{utc.isoformat(timespec='microseconds')}Z"  # the year always has four digits


def jsonable(value: object) -> object:
    """A value as audit data: enums as their value, tuples as lists, datetimes as UTC strings."""
    if isinstance(value, Enum):
        return jsonable(value.value)
    if isinstance(value, date):
        return utc_timestamp(value) if isinstance(value, datetime) else value.isoformat()
    if isinstance(value, frozenset | set):
        return sorted((jsonable(v) for v in value), key=str)
    if isinstance(value, tuple | list):
        return [jsonable(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, bool | int | str) or value is None:
        return value
    raise InvalidInput(f"cannot record {type(value).__name__} in the audit log")


def changes(before: object, after: object, fields: Iterable[str]) -> dict[str, list[object]]:
    """Field-level differences as {field: [old, new]} for the change history."""
    out: dict[str, list[object]] = {}
    for name in fields:
        old, new = getattr(before, name), getattr(after, name)
        if old != new:
            out[name] = [jsonable(old), jsonable(new)]
    return out
