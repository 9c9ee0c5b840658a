"""Plain parameters converted without pydantic. Typer (0.2x) converts every parameter's value
through a pydantic TypeAdapter it builds when the command runs: importing its adapters and
building one per parameter cost a `charter validate` run about 0.1 s of CPU before its scan
could start (benchmarks/README.md). Values Click already gives as the parameter's type (a
string for `str`, a boolean for `bool`, a non-empty string without a NUL for a plain `Path`)
come out as Typer's adapters would give them; any other value, or a parameter with a parser,
a file or a path type of its own, goes to Typer's own conversion, built when first needed.
On a Typer without these adapters nothing is changed."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

try:  # Typer's private conversion layer (0.2x); older versions convert through Click
    from typer import _coercion
    from typer._param_types import coerce_cli_path
except ImportError:  # pragma: no cover  (the installed Typer has it)
    _coercion = None  # type: ignore[assignment]


def install(command: Any) -> None:
    """Plain conversions on the parameters of a command and of every command under it."""
    if _coercion is None:  # pragma: no cover
        return
    for param in command.params:
        plain(param)
    made = command.get_help_option  # --help is made when the command runs

    def help_option(ctx: Any) -> Any:
        return plain(made(ctx))

    command.get_help_option = help_option
    for sub in getattr(command, "commands", {}).values():
        install(sub)


def plain(param: Any) -> Any:
    """The parameter, converted without pydantic when its type allows."""
    found = None if param is None else _plain(param)
    if found is not None:
        param._runtime_param = found
    return param


def _plain(param: Any) -> Any:
    descriptor = getattr(param, "type_descriptor", None)
    if descriptor is None or getattr(param, "_runtime_param", True) is not None:
        return None
    info = descriptor.parameter_info
    kind = descriptor.annotation
    if descriptor.file_annotation is not None or info.parser is not None:
        return None
    plain = kind in (str, bool) and not descriptor.is_path
    if plain or (kind is Path and info.path_type is None):
        return _Plain(info, kind, descriptor)
    return None


if _coercion is not None:

    @dataclass(frozen=True)
    class _Plain(_coercion.RuntimeParam):
        descriptor: Any

        def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
            kind = self.annotation
            if kind is Path and type(value) is str and value and "\x00" not in value:
                info = self.parameter_info
                return coerce_cli_path(Path(value), info, path_type=Path, param=param, ctx=ctx)
            if kind is not Path and type(value) is kind:
                return value
            full = _coercion.build_runtime_param(self.descriptor)  # anything else: as Typer does
            return full._coerce_value(value, param=param, ctx=ctx)
