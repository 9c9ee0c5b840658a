"""What every request body shares: unknown fields are refused so that typos do not pass
silently; names are 1 to 200 characters; a value must have the JSON type its field
declares (no `0` for false, no `"5"` for 5, no number of seconds for a date)."""

from __future__ import annotations

import types
from datetime import date
from functools import cache
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel, ConfigDict, Field, model_validator

Name = Field(min_length=1, max_length=200)

_NUMBER = (int, float)
_PLAIN: dict[Any, tuple[type, ...]] = {bool: (bool,), int: (int,), float: _NUMBER}
_SAID = {
    (bool,): "true or false",
    (int,): "a whole number",
    _NUMBER: "a number",
    (str,): "a date as text (ISO 8601)",
}


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid")

    @model_validator(mode="before")
    @classmethod
    def _json_types(cls, data: Any) -> Any:
        if isinstance(data, dict):
            wanted = _kinds(cls)
            wrong = [
                f"{name} must be {_SAID[wanted[name]]}"
                for name, value in sorted(data.items())
                if value is not None and name in wanted and not _is(value, wanted[name])
            ]
            if wrong:
                raise ValueError("; ".join(wrong))
        return data


def _is(value: Any, kinds: tuple[type, ...]) -> bool:
    return isinstance(value, kinds) and not (isinstance(value, bool) and bool not in kinds)


@cache
def _kinds(model: type[BaseModel]) -> dict[str, tuple[type, ...]]:
    """The JSON types each scalar field takes, for the fields a lax parse would coerce."""
    found = {}
    for name, field in model.model_fields.items():
        kinds = _scalar(field.annotation)
        if kinds:
            found[field.alias or name] = kinds
    return found


def _scalar(annotation: Any) -> tuple[type, ...]:
    if get_origin(annotation) is Annotated:
        return _scalar(get_args(annotation)[0])
    if get_origin(annotation) in (Union, types.UnionType):
        arms = [a for a in get_args(annotation) if a is not type(None)]
        return _scalar(arms[0]) if len(arms) == 1 else ()
    if isinstance(annotation, type) and issubclass(annotation, date):
        return (str,)
    return _PLAIN.get(annotation, ())
