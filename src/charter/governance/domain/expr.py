"""Selector expressions: a small, side-effect-free subset of CEL, parsed once, never eval'd.

    risk_tier == "high" && ("credit" in tags || business_unit == "retail")
    !(operator_role in ["deployer", "importer"]) && stage != "retired"

Literals (strings in double or single quotes, numbers, true, false, null, lists), names of the
system's attributes, `.` for nested fields, == != < <= > >=, `in` (list membership or
substring), && || ! and parentheses. No function calls, no loops, no access beyond the names
given: an expression can only compute a boolean over the facts it is handed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from charter.kernel.errors import InvalidInput

Bindings = Mapping[str, Any]
Compiled = Callable[[Bindings], Any]

_TOKEN = re.compile(
    r"\s*(?:(?P<num>\d+(?:\.\d+)?)|(?P<str>\"(?:[^\"\\]|\\.)*\"|'(?:[^'\\]|\\.)*')"
    r"|(?P<name>[A-Za-z_][A-Za-z0-9_]*)|(?P<op>&&|\|\||==|!=|<=|>=|[<>!()\[\],.]))"
)
_PRECEDENCE = {"||": 1, "&&": 2, "==": 3, "!=": 3, "<": 3, "<=": 3, ">": 3, ">=": 3, "in": 3}
_LITERALS = {"true": True, "false": False, "null": None}
MAX_LENGTH = 2000
MAX_NESTING = 32  # parentheses, lists and `!` inside each other: deeper is refused, not a crash
MAX_OPERATORS = 128  # each one a call deeper when evaluated


def _tokens(text: str) -> list[tuple[str, str]]:
    out, position = [], 0
    text = text.rstrip()
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None or match.end() == position:
            raise InvalidInput(
                f"expression: unexpected character at {position}: "
                f"{text[position : position + 10]!r}"
            )
        kind = match.lastgroup or ""
        out.append((kind, match.group(kind)))
        position = match.end()
    return out


def _compare(op: str, left: Any, right: Any) -> bool:
    try:
        if op == "==":
            return bool(left == right)
        if op == "!=":
            return bool(left != right)
        if op == "in":
            return bool(left in right) if right is not None else False
        if left is None or right is None:
            return False
        return bool(
            {"<": left < right, "<=": left <= right, ">": left > right, ">=": left >= right}[op]
        )
    except TypeError:
        return False  # comparing unlike types is false, never an error at evaluation


class _Parser:
    def __init__(self, text: str) -> None:
        if len(text) > MAX_LENGTH:
            raise InvalidInput(f"expression: longer than {MAX_LENGTH} characters")
        self.tokens = _tokens(text)
        self.i = 0
        self.depth = self.operators = 0

    def _nested(self, parse: Callable[[], Compiled]) -> Compiled:
        """Parse one level deeper, refusing expressions nested beyond MAX_NESTING."""
        self.depth += 1
        if self.depth > MAX_NESTING:
            raise InvalidInput(f"expression: nested deeper than {MAX_NESTING} levels")
        try:
            return parse()
        finally:
            self.depth -= 1

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def take(self, value: str | None = None) -> tuple[str, str]:
        token = self.peek()
        if token is None or (value is not None and token[1] != value):
            raise InvalidInput(f"expression: expected {value or 'more'} at token {self.i + 1}")
        self.i += 1
        return token

    def parse(self) -> Compiled:
        compiled = self.binary(0)
        if self.peek() is not None:
            raise InvalidInput(f"expression: unexpected {self.peek()[1]!r} at token {self.i + 1}")  # type: ignore[index]
        return compiled

    def binary(self, floor: int) -> Compiled:
        left = self.unary()
        while (token := self.peek()) is not None and _PRECEDENCE.get(token[1], 0) > floor:
            op = self.take()[1]
            right = self._nested(lambda: self.binary(_PRECEDENCE[op]))  # noqa: B023
            self.operators += 1
            if self.operators > MAX_OPERATORS:
                raise InvalidInput(f"expression: more than {MAX_OPERATORS} operators")
            left = self._combine(op, left, right)
        return left

    @staticmethod
    def _combine(op: str, left: Compiled, right: Compiled) -> Compiled:
        if op == "&&":
            return lambda f: bool(left(f)) and bool(right(f))
        if op == "||":
            return lambda f: bool(left(f)) or bool(right(f))
        return lambda f: _compare(op, left(f), right(f))

    def unary(self) -> Compiled:
        token = self.peek()
        if token is not None and token[1] == "!":
            self.take()
            inner = self._nested(self.unary)
            return lambda f: not bool(inner(f))
        return self.primary()

    def primary(self) -> Compiled:
        kind, value = self.take()
        if value == "(":
            inner = self._nested(lambda: self.binary(0))
            self.take(")")
            return inner
        if value == "[":
            items: list[Compiled] = []
            while (token := self.peek()) is not None and token[1] != "]":
                items.append(self._nested(lambda: self.binary(0)))
                if self.peek() is not None and self.peek()[1] == ",":  # type: ignore[index]
                    self.take(",")
            self.take("]")
            return lambda f: [item(f) for item in items]
        if kind == "num":
            number = float(value) if "." in value else int(value)
            return lambda f: number
        if kind == "str":
            text = value[1:-1].encode().decode("unicode_escape")
            return lambda f: text
        if kind == "name":
            if value in _LITERALS:
                literal = _LITERALS[value]
                return lambda f: literal
            return self._path(value)
        raise InvalidInput(f"expression: unexpected {value!r} at token {self.i}")

    def _path(self, first: str) -> Compiled:
        path = [first]
        while (token := self.peek()) is not None and token[1] == ".":
            self.take(".")
            path.append(self.take()[1])

        def lookup(facts: Bindings) -> Any:
            value: Any = facts
            for part in path:
                value = value.get(part) if isinstance(value, Mapping) else None
            return value

        return lookup


def compile_expression(text: str) -> Compiled:
    """Parse once; the result is evaluated per system with its facts."""
    if not isinstance(text, str) or not text.strip():
        raise InvalidInput("expression: must be a non-empty string")
    return _Parser(text).parse()
