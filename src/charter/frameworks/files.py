"""Framework data shipped with Charter (data/packs/), read once."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from importlib.metadata import entry_points
from typing import Any

from jsonschema import Draft202012Validator

from charter.frameworks.domain.packs import Pack, parse_pack
from charter.kernel.errors import InvalidInput
from charter.kernel.yaml_text import parse_yaml

BUILTIN = ("eu-ai-act", "iso-42001", "nist-ai-rmf", "gdpr")


@cache
def classification_data() -> dict[str, Any]:
    """Points, obligations and dates of the EU AI Act classification (paraphrased)."""
    text = (
        resources.files("charter.frameworks")
        .joinpath("data/packs/eu-ai-act-classification.yaml")
        .read_text("utf-8")
    )
    data: dict[str, Any] = parse_yaml(text)
    return data


def _schema_validator() -> Draft202012Validator:
    schema = json.loads(
        resources.files("charter.frameworks").joinpath("data/pack.schema.json").read_text("utf-8")
    )
    return Draft202012Validator(schema)


def check_pack(raw: Any, where: str) -> Pack:
    """Validate one pack against the schema, naming the first problem's place."""
    if not isinstance(raw, dict):
        raise InvalidInput(f"{where}: a pack is a mapping")
    errors = sorted(_schema_validator().iter_errors(raw), key=lambda e: list(e.absolute_path))
    if errors:
        place = "/".join(str(p) for p in errors[0].absolute_path) or "(top)"
        raise InvalidInput(f"{where}: {place}: {errors[0].message}", details={"path": place})
    return parse_pack(raw)


def builtin_packs() -> list[str]:
    """The packs shipped with Charter, as YAML texts (the `charter.packs` entry point that
    Charter itself declares; a third party's entry point returns its own texts)."""
    folder = resources.files("charter.frameworks").joinpath("data/packs")
    return [folder.joinpath(f"{name}.yaml").read_text("utf-8") for name in BUILTIN]


@cache
def load_packs() -> tuple[Pack, ...]:
    """Every pack that installed packages declare under the entry-point group
    `charter.packs` (each a callable returning YAML texts), validated; ids unique."""
    packs: list[Pack] = []
    for ep in sorted(entry_points(group="charter.packs"), key=lambda e: e.name):
        for i, text in enumerate(ep.load()()):
            packs.append(check_pack(parse_yaml(text), f"pack {ep.name}#{i + 1}"))
    ids = [p.id for p in packs]
    if len(set(ids)) != len(ids):
        raise InvalidInput(
            f"pack ids declared twice: {sorted({i for i in ids if ids.count(i) > 1})}"
        )
    return tuple(packs)


@cache
def crosswalk() -> dict[str, Any]:
    text = (
        resources.files("charter.frameworks")
        .joinpath("data/packs/crosswalk.yaml")
        .read_text("utf-8")
    )
    data: dict[str, Any] = parse_yaml(text)
    return data
