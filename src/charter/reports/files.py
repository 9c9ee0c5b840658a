"""The field maps Charter ships (data/fieldmaps/*.yaml), each validated by its schema."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources

from jsonschema import Draft202012Validator

from charter.kernel.errors import InvalidInput, NotFound
from charter.kernel.yaml_text import parse_yaml
from charter.reports.domain.documents import FieldMap, parse_field_map

#: the document types, in the order pages list them
KINDS = (
    "annex-iv",
    "fria",
    "model-card",
    "eu-registration",
    "pmm-plan",
    "ll144-summary",
    "iso42001-review",
    "board-pack",
)


def _data(name: str) -> str:
    return resources.files("charter.reports").joinpath(f"data/{name}").read_text("utf-8")


@cache
def field_maps() -> dict[str, FieldMap]:
    """Every shipped field map by kind, checked against the schema."""
    validator = Draft202012Validator(json.loads(_data("fieldmap.schema.json")))
    out = {}
    for kind in KINDS:
        raw = parse_yaml(_data(f"fieldmaps/{kind}.yaml"))
        errors = sorted(validator.iter_errors(raw), key=lambda e: list(map(str, e.path)))
        if errors:
            place = "/".join(map(str, errors[0].path)) or "(top)"
            raise InvalidInput(f"field map {kind}: {place}: {errors[0].message}")
        out[kind] = parse_field_map(raw)
    return out


def field_map(kind: str) -> FieldMap:
    found = field_maps().get(kind)
    if found is None:
        raise NotFound("document type", kind)
    return found
