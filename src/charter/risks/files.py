"""The risk data Charter ships (data/): the catalogue, the model and the assessment rules, each
checked against its JSON Schema, then against each other; and the files an organisation gives
instead (CHARTER_RISK_MODEL_FILE) or besides (CHARTER_RISK_CATALOGUE_FILE)."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft202012Validator

from charter.kernel.errors import InvalidInput
from charter.kernel.yaml_text import parse_yaml
from charter.risks.domain.assessment import Rules, parse_rules
from charter.risks.domain.catalogue import parse_catalogue
from charter.risks.domain.model import RiskModel, parse_model

MAX_BYTES = 1 << 20


def _shipped(name: str) -> str:
    return resources.files("charter.risks").joinpath(f"data/{name}").read_text("utf-8")


@cache
def _validator(schema: str) -> Draft202012Validator:
    return Draft202012Validator(json.loads(_shipped(schema)))


def _checked(raw: Any, schema: str, where: str) -> dict[str, Any]:
    """The mapping, or every schema problem named at once."""
    if not isinstance(raw, dict):
        raise InvalidInput(f"{where}: expected a mapping")
    errors = sorted(_validator(schema).iter_errors(raw), key=lambda e: list(map(str, e.path)))
    if errors:
        problems = [f"{'/'.join(map(str, e.path)) or '(top)'}: {e.message}" for e in errors]
        raise InvalidInput(f"{where}: " + "; ".join(problems[:10]), details={"errors": problems})
    return raw


def _read(path: Path) -> Any:
    try:
        if path.stat().st_size > MAX_BYTES:
            raise InvalidInput(f"{path.name}: larger than {MAX_BYTES} bytes")
        return parse_yaml(path.read_text("utf-8"))  # YAML reads JSON too
    except OSError as exc:
        raise InvalidInput(f"cannot read {path.name}: {exc.strerror}") from exc
    except yaml.YAMLError as exc:
        raise InvalidInput(f"{path.name} is neither YAML nor JSON: {exc}") from exc


def load_model(model_file: Path | None = None, catalogue_file: Path | None = None) -> RiskModel:
    """The model in force (the shipped one, or `model_file`) with the shipped catalogue and
    the organisation's own categories (`catalogue_file`)."""
    files = [("catalogue.yaml", parse_yaml(_shipped("catalogue.yaml")))]
    if catalogue_file is not None:
        files.append((catalogue_file.name, _read(catalogue_file)))
    checked = [(w, _checked(raw, "catalogue.schema.json", w)) for w, raw in files]
    catalogue = parse_catalogue(checked)
    where = model_file.name if model_file else "model.json"
    raw = _read(model_file) if model_file else json.loads(_shipped("model.json"))
    return parse_model(_checked(raw, "model.schema.json", where), catalogue)


def load_rules(model: RiskModel) -> Rules:
    raw = _checked(parse_yaml(_shipped("assessment.yaml")), "assessment.schema.json", "assessment")
    return parse_rules(raw, model)


@cache
def default_model() -> RiskModel:
    return load_model()


@cache
def default_rules() -> Rules:
    return load_rules(default_model())
