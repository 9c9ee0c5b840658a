"""Reading a suite file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from charter.kernel.errors import InvalidInput
from charter.kernel.yaml_text import parse_yaml
from charter.validation.domain.suite import Suite, parse_suite


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
