"""A JSON column read as its stored text, parsed once per distinct text in a process
(charter.kernel.json_text): the database sends the text, with no parse by the driver, and a
policy's source, read by every gate, is parsed when it changes, not at every read."""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, ColumnElement, Dialect, Text, TypeDecorator, cast

from charter.kernel.json_text import parsed_once


class _Text(TypeDecorator[Any]):
    """The text a KeptJson column is read as, parsed through `parsed_once`."""

    impl = Text
    cache_ok = True

    def process_result_value(self, value: Any, dialect: Dialect) -> Any:
        return parsed_once(value)


class KeptJson(TypeDecorator[Any]):
    """JSON written as SQLAlchemy's JSON type writes it, read as text through `parsed_once`."""

    impl = JSON
    cache_ok = True

    def column_expression(self, column: ColumnElement[Any]) -> ColumnElement[Any]:
        return cast(column, _Text())
