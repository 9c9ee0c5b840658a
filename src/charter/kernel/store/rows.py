"""Turning domain dataclasses into rows and back, driven by their type hints."""

from __future__ import annotations

import types
import typing
from dataclasses import asdict, fields, is_dataclass
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


def to_row(item: Any) -> dict[str, Any]:
    row: dict[str, Any] = {}
    for f in fields(item):
        value = getattr(item, f.name)
        if isinstance(value, Enum):
            value = value.value
        elif isinstance(value, tuple):
            value = [_plain(v) for v in value]
        elif isinstance(value, datetime):
            value = value.astimezone(UTC)
        row[f.name] = value
    return row


def _plain(value: Any) -> Any:
    """A nested record (an estimate in a tuple, say) as JSON-ready data."""
    if is_dataclass(value) and not isinstance(value, type):
        return {k: v.value if isinstance(v, Enum) else v for k, v in asdict(value).items()}
    return value


def _utc(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _member(kind: type[Enum]) -> Any:
    """The enum's member for a stored value: a dict lookup (calling the enum class goes
    through its metaclass, several times the cost, on every enum column of every row);
    a value it does not know still goes to the class, which refuses it."""
    members = {m.value: m for m in kind}

    def member(value: Any) -> Any:
        found = members.get(value)
        return kind(value) if found is None else found

    return member


def _converter(hint: Any) -> Any:
    """How to turn a column value into the field's type, decided once per field."""
    base = _strip_optional(hint)
    if isinstance(base, type) and issubclass(base, Enum):
        return _member(base)
    if base is datetime or (isinstance(base, type) and issubclass(base, datetime)):
        return _utc
    if typing.get_origin(base) is tuple:
        inner = typing.get_args(base)[0]
        if isinstance(inner, type) and is_dataclass(inner):
            return lambda items: tuple(from_row(inner, item) for item in items)
        if isinstance(inner, type) and issubclass(inner, Enum):
            each = _member(inner)
            return lambda items: tuple(each(item) for item in items)
        return tuple
    return None


@cache
def _plan(cls: Any) -> tuple[tuple[str, Any], ...]:
    hints = _hints(cls)
    return tuple((f.name, _converter(hints[f.name])) for f in fields(cls))


def from_row(cls: type[T], row: typing.Mapping[Any, Any]) -> T:
    shape: Any = cls
    values = {}
    for name, convert in _plan(shape):
        value = row[name]
        values[name] = value if value is None or convert is None else convert(value)
    return cls(**values)
