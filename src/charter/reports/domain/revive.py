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


def _generic(hint: Any, raw: Any) -> tuple[bool, Any]:
    """Unions, tuples, frozensets and mappings: (handled, value)."""
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (types.UnionType, typing.Union):
        inner = [a for a in args if a is not type(None)]
        return True, _value(inner[0], raw) if len(inner) == 1 else raw
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            return True, tuple(_value(args[0], v) for v in raw)
        return True, tuple(_value(a, v) for a, v in zip(args, raw, strict=True))
    if origin is frozenset:
        return True, frozenset(_value(args[0], v) for v in raw)
    if origin in (dict, typing.Mapping) or hint is dict:
        return True, dict(raw)
    return False, raw


#: how a JSON value becomes a field of each plain type
_PLAIN: tuple[tuple[type, Any], ...] = (
    (Enum, lambda hint, raw: hint(raw)),
    (datetime, lambda hint, raw: datetime.fromisoformat(str(raw).replace("Z", "+00:00"))),
    (date, lambda hint, raw: date.fromisoformat(str(raw))),
)


def _value(hint: Any, raw: Any) -> Any:
    if raw is None:
        return None
    handled, value = _generic(hint, raw)
    if handled or not isinstance(hint, type):
        return value
    for base, convert in _PLAIN:
        if issubclass(hint, base):
            return convert(hint, raw)
    if is_dataclass(hint):
        return revive(typing.cast(type[Any], hint), raw)
    if hint is float and isinstance(raw, int) and not isinstance(raw, bool):
        return float(raw)
    return raw


def revive(cls: type[T], raw: Any) -> T:
    """A record of `cls` from its JSON form; a missing or malformed field is refused."""
    if not isinstance(raw, dict):
        raise InvalidInput(f"a {cls.__name__} record is an object")
    hints = _hints(typing.cast(Any, cls))
    values = {}
    try:
        for f in fields(cls):  # type: ignore[arg-type]
            if f.name in raw:
                values[f.name] = _value(hints[f.name], raw[f.name])
        return cls(**values)
    except (TypeError, ValueError, KeyError) as exc:
        raise InvalidInput(f"a {cls.__name__} record is malformed: {exc}") from exc
