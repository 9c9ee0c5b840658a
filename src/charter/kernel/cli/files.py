"""Files and dates named on the command line, read with errors that name them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from charter.kernel.errors import InvalidInput, refuse_all
from charter.kernel.yaml_text import parse_yaml


def read_text(path: Path) -> str:
    """A UTF-8 text file (a byte-order mark is dropped, as spreadsheets write one)."""
    try:
        return path.read_text("utf-8-sig")
    except OSError as exc:
        raise InvalidInput(f"cannot read {path}: {exc.strerror}") from exc
    except UnicodeDecodeError as exc:
        raise InvalidInput(f"{path.name} is not UTF-8 text: {exc.reason}") from exc


def read_mapping(path: Path, what: str) -> dict[str, Any]:
    """A YAML (or JSON) file holding one mapping."""
    try:
        loaded = parse_yaml(read_text(path))
    except yaml.YAMLError as exc:
        raise InvalidInput(f"{path.name} is not valid YAML: {exc}") from exc
    if not isinstance(loaded, dict):
        raise InvalidInput(f"{path.name}: {what}")
    return loaded


def pairs(items: Sequence[str], what: str) -> list[tuple[str, str]]:
    """NAME=VALUE arguments as (name, value), trimmed; every malformed one refused at once."""
    split = [item.partition("=") for item in items]
    refuse_all(
        f"the {what} arguments",
        [(repr(item), "write NAME=VALUE") for item, (key, sep, _) in zip(items, split, strict=True)
         if not sep or not key.strip()],
    )  # fmt: skip
    return [(key.strip(), value.strip()) for key, _, value in split]


def day(text: str, what: str) -> date:
    """A date given on the command line (YYYY-MM-DD), or an error naming the option."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidInput(f"{what} {text!r} is not a date (YYYY-MM-DD)") from None
