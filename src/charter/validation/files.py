"""Reading a suite file, and keeping a suite sent to the server inside its data folder."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from charter.kernel.errors import InvalidInput
from charter.kernel.yaml_text import parse_yaml
from charter.validation.domain.suite import Source, Suite, parse_suite


def read_suite(path: Path) -> Any:
    """A suite file's contents, not yet checked."""
    try:
        return parse_yaml(path.read_text("utf-8"))
    except OSError as exc:
        raise InvalidInput(f"cannot read suite {path}: {exc.strerror}") from exc
    except yaml.YAMLError as exc:
        raise InvalidInput(f"suite {path} is not valid YAML: {exc}") from exc


def load_suite(path: Path) -> Suite:
    return parse_suite(read_suite(path))


def confined(suite: Suite, root: Path) -> Suite:
    """The suite, when every source it reads is a file or a DuckDB database under the data
    folder `root`: nothing else on the server (no path that leaves the folder, no table of the
    engine's catalog)."""
    for source in (suite.data, suite.reference):
        _inside(root, source)
    return suite


def _inside(root: Path, source: Source | None) -> None:
    if source is None:
        return
    name = source.file or source.database
    if name is None:
        raise InvalidInput(
            f"{source}: the server reads files and DuckDB databases in its data folder, "
            "not tables of the engine's catalog",
            details={"table": source.table},
        )
    if not (root / name).resolve().is_relative_to(root.resolve()):
        raise InvalidInput(f"{name!r} is outside the server's data folder", details={"file": name})
