"""Turning domain dataclasses into rows and back, driven by their type hints."""

from __future__ import annotations

import types
import typing
from dataclasses import fields
from datetime import UTC, datetime
from enum import Enum
from functools import cache
from typing import Any, TypeVar

T = TypeVar("T")


@cache
def _hints(cls: Any) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _strip_optional(hint: Any) -> Any:
    if isinstance(hint, types.UnionType) or typing.get_origin(hint) is typing.Union:
        args = [a for a in typing.get_args(hint) if a is not type(None)]
        return args[0] if len(args) == 1 else hint
    return hint


def _decode(hint: Any, value: Any) -> Any:
    if value is None:
        return None
    base = _strip_optional(hint)
    if isinstance(base, type) and issubclass(base, Enum):
        return base(value)
    if base is datetime or (isinstance(base, type) and issubclass(base, datetime)):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if typing.get_origin(base) is tuple:
        return tuple(value)
    return value


def to_row(item: Any) -> dict[str, Any]:
    row: dict[str, Any] = {}
    for f in fields(item):
        value = getattr(item, f.name)
        if isinstance(value, Enum):
            value = value.value
        elif isinstance(value, tuple):
            value = list(value)
        elif isinstance(value, datetime):
            value = value.astimezone(UTC)
        row[f.name] = value
    return row


def from_row(cls: type[T], row: typing.Mapping[Any, Any]) -> T:
    shape: Any = cls
    hints = _hints(shape)
    values = {f.name: _decode(hints[f.name], row[f.name]) for f in fields(shape)}
    return cls(**values)
