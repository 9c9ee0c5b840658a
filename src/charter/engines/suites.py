"""Reading a suite file."""

from __future__ import annotations

from pathlib import Path

import yaml

from charter.domain.errors import InvalidInput
from charter.domain.suite import Suite, parse_suite


def load_suite(path: Path) -> Suite:
    try:
        raw = yaml.safe_load(path.read_text("utf-8"))
    except OSError as exc:
        raise InvalidInput(f"cannot read suite {path}: {exc.strerror}") from exc
    except yaml.YAMLError as exc:
        raise InvalidInput(f"suite {path} is not valid YAML: {exc}") from exc
    return parse_suite(raw)
