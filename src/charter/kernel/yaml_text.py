"""YAML as Charter reads it (suites, policies, packs, answers files): the safe loader, in C
where libyaml is there (a suite of a hundred checks parses in milliseconds, not tenths)."""

from __future__ import annotations

from typing import Any

import yaml

_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def parse_yaml(text: str) -> Any:
    """The document's data; yaml.YAMLError when it is not YAML."""
    return yaml.load(text, Loader=_Loader)  # noqa: S506 (a safe loader: no Python objects)
