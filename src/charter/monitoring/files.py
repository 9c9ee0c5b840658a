"""The monitoring rules file: the shipped one, or the organisation's, checked by its schema;
every problem named at once."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import yaml
from jsonschema import Draft202012Validator

from charter.kernel.errors import InvalidInput
from charter.kernel.yaml_text import parse_yaml
from charter.monitoring.domain.rules import Rules, parse_rules


def load_rules(path: Path | None = None) -> Rules:
    data = resources.files("charter.monitoring") / "data"
    try:
        text = path.read_text("utf-8") if path else (data / "rules.yaml").read_text("utf-8")
    except OSError as exc:
        raise InvalidInput(
            f"cannot read the monitoring rules {path.name if path else ''}: {exc.strerror}"
        ) from exc
    try:
        raw = parse_yaml(text)
    except yaml.YAMLError as exc:
        raise InvalidInput(f"the monitoring rules are not YAML: {exc}") from exc
    schema = json.loads((data / "rules.schema.json").read_text("utf-8"))
    problems = sorted(Draft202012Validator(schema).iter_errors(raw), key=lambda e: list(e.path))
    if problems:
        listed = "; ".join(f"{'/'.join(map(str, e.path)) or 'top'}: {e.message}" for e in problems)
        raise InvalidInput(f"the monitoring rules are not valid: {listed}")
    return parse_rules(raw)
