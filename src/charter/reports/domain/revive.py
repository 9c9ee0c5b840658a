"""Domain records back from their JSON form (a bundle's), driven by their type hints: enums
from values, datetimes and dates from ISO text, tuples and frozensets of them, nested
records. Pure: what a bundle verifier rebuilds gate facts from."""

from __future__ import annotations

import types
import typing
from dataclasses import fields, is_dataclass
from datetime import date, datetime
from enum import Enum
from functools import cache
from typing import Any, TypeVar

from charter.kernel.errors import InvalidInput

T = TypeVar("T")


@cache
def _hints(cls: Any) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _value(hint: Any, raw: Any) -> Any:
    if raw is None:
        return None
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (types.UnionType, typing.Union):
        inner = [a for a in args if a is not type(None)]
        return _value(inner[0], raw) if len(inner) == 1 else raw
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_value(args[0], v) for v in raw)
        return tuple(_value(a, v) for a, v in zip(args, raw, strict=True))
    if origin is frozenset:
        return frozenset(_value(args[0], v) for v in raw)
    if origin in (dict, typing.Mapping) or hint in (dict,):
        return dict(raw)
    if isinstance(hint, type):
        if issubclass(hint, Enum):
            return hint(raw)
        if issubclass(hint, datetime):
            return datetime.fromisoformat(str(raw).replace("Z", "+00:00"))
        if issubclass(hint, date):
            return date.fromisoformat(str(raw))
        if is_dataclass(hint):
            return revive(hint, raw)
        if hint is float and isinstance(raw, int | float) and not isinstance(raw, bool):
            return float(raw)
    return raw


def revive(cls: type[T], raw: Any) -> T:
    """A record of `cls` from its JSON form; a missing or malformed field is refused."""
    if not isinstance(raw, dict):
        raise InvalidInput(f"a {cls.__name__} record is an object")
    hints = _hints(cls)
    values = {}
    try:
        for f in fields(cls):  # type: ignore[arg-type]
            if f.name in raw:
                values[f.name] = _value(hints[f.name], raw[f.name])
        return cls(**values)
    except (TypeError, ValueError, KeyError) as exc:
        raise InvalidInput(f"a {cls.__name__} record is malformed: {exc}") from exc
