"""Framework data shipped with Charter (data/packs/), read once and validated by its schema;
pack files and answers files given on the command line, read with the limits of an input."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import replace
from functools import cache
from importlib import resources
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft202012Validator

from charter.frameworks.domain.answers import ANSWERS_LIMIT, Problem, problems, refuse
from charter.frameworks.domain.consistency import dangling
from charter.frameworks.domain.packs import Pack, parse_pack
from charter.kernel.errors import InvalidInput
from charter.kernel.yaml_text import parse_yaml

BUILTIN = ("eu-ai-act", "iso-42001", "nist-ai-rmf", "gdpr", "nyc-ll144")


def _data(name: str) -> str:
    return resources.files("charter.frameworks").joinpath(f"data/{name}").read_text("utf-8")


def _validator(schema: str) -> Draft202012Validator:
    return Draft202012Validator(json.loads(_data(schema)))


def _schema_errors(validator: Draft202012Validator, raw: Any) -> list[str]:
    errors = sorted(validator.iter_errors(raw), key=lambda e: list(map(str, e.absolute_path)))
    return [f"{'/'.join(map(str, e.absolute_path)) or '(top)'}: {e.message}" for e in errors]


@cache
def classification_data() -> dict[str, Any]:
    """Questions, points, obligation rules and dates of the EU AI Act classification
    (paraphrased), checked against its schema and for references that resolve."""
    data = parse_yaml(_data("packs/eu-ai-act-classification.yaml"))
    problems = _schema_errors(_validator("classification.schema.json"), data) or dangling(data)
    if problems:
        raise InvalidInput("classification data: " + "; ".join(problems[:5]))
    out: dict[str, Any] = data
    return out


def check_pack(raw: Any, where: str) -> Pack:
    """Validate one pack against the schema, naming the first problem's place."""
    if not isinstance(raw, dict):
        raise InvalidInput(f"{where}: a pack is a mapping")
    errors = sorted(
        _validator("pack.schema.json").iter_errors(raw), key=lambda e: list(e.absolute_path)
    )
    if errors:
        place = "/".join(str(p) for p in errors[0].absolute_path) or "(top)"
        raise InvalidInput(f"{where}: {place}: {errors[0].message}", details={"path": place})
    return parse_pack(raw)


def builtin_packs() -> list[str]:
    """The packs shipped with Charter, as YAML texts (the `charter.packs` entry point that
    Charter itself declares; a third party's entry point returns its own texts)."""
    return [_data(f"packs/{name}.yaml") for name in BUILTIN]


def _decided(pack: Pack) -> Pack:
    """The EU AI Act pack knows which of its ids the classification's rules decide."""
    if pack.id != "eu-ai-act":
        return pack
    rules = frozenset(str(o["id"]) for o in classification_data()["obligations"])
    return replace(pack, decided=rules & pack.ids())


@cache
def load_packs() -> tuple[Pack, ...]:
    """Every pack that installed packages declare under the entry-point group
    `charter.packs` (each a callable returning YAML texts), validated; ids unique."""
    packs: list[Pack] = []
    for ep in sorted(entry_points(group="charter.packs"), key=lambda e: e.name):
        for i, text in enumerate(ep.load()()):
            packs.append(check_pack(parse_yaml(text), f"pack {ep.name}#{i + 1}"))
    packs = [_decided(p) for p in packs]
    ids = [p.id for p in packs]
    if len(set(ids)) != len(ids):
        raise InvalidInput(
            f"pack ids declared twice: {sorted({i for i in ids if ids.count(i) > 1})}"
        )
    return tuple(packs)


@cache
def crosswalk() -> dict[str, Any]:
    data: dict[str, Any] = parse_yaml(_data("packs/crosswalk.yaml"))
    return data


class _Strict(yaml.SafeLoader):
    """The safe loader, noting each key a mapping names twice."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.twice: list[str] = []


def _mapping(loader: _Strict, node: yaml.MappingNode) -> dict[Any, Any]:
    seen: dict[Any, Any] = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in seen:
            loader.twice.append(f"line {key_node.start_mark.line + 1}: {key!r} is given twice")
        seen[key] = loader.construct_object(value_node, deep=True)
    return seen


_Strict.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)


def _unaliased(text: str, name: str) -> None:
    """Refuse anchors and aliases before anything is built (an alias can multiply a small
    file into a huge document)."""
    try:
        for token in yaml.scan(text, Loader=yaml.SafeLoader):
            if isinstance(token, yaml.AliasToken | yaml.AnchorToken):
                line = token.start_mark.line + 1
                raise InvalidInput(
                    f"{name}: line {line}: YAML anchors and aliases are not accepted"
                )
    except yaml.YAMLError as exc:
        raise InvalidInput(f"{name} is not valid YAML: {exc}") from exc


def _load(text: str, name: str) -> tuple[Any, list[str]]:
    """The document, and the keys it names twice."""
    loader = _Strict(text)
    try:
        return loader.get_single_data(), loader.twice
    except yaml.YAMLError as exc:
        raise InvalidInput(f"{name} is not valid YAML: {exc}") from exc
    finally:
        loader.dispose()


def read_answers(path: Path, data: Mapping[str, Any]) -> dict[str, Any]:
    """An answers file (YAML or JSON): at most 256 KB, without anchors or aliases (both
    refused before it is parsed), one mapping, not empty; a key given twice and every
    problem of the answers themselves are refused together."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise InvalidInput(f"cannot read {path}: {exc.strerror}") from exc
    if size > ANSWERS_LIMIT:
        raise InvalidInput(f"{path.name}: {size} bytes; an answers file is at most 256 KB")
    try:
        text = path.read_text("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidInput(f"{path.name} is not UTF-8 text: {exc.reason}") from exc
    _unaliased(text, path.name)
    loaded, twice = _load(text, path.name)
    if loaded is None or loaded == {}:
        raise InvalidInput(f"{path.name} is empty: give at least one answer")
    if not isinstance(loaded, dict):
        raise InvalidInput(f"{path.name}: answers are a mapping of question -> answer")
    refuse([Problem("answers", t) for t in twice] + problems(data, loaded))
    return loaded


def read_pack_file(path: Path) -> Pack:
    """A pack from a YAML file (a newer version to compare, a third party's draft)."""
    try:
        text = path.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidInput(f"cannot read {path}: {exc}") from exc
    try:
        raw = parse_yaml(text)
    except yaml.YAMLError as exc:
        raise InvalidInput(f"{path.name} is not valid YAML: {exc}") from exc
    return check_pack(raw, path.name)


def read_progress(path: Path, data: Mapping[str, Any]) -> dict[str, Any]:
    """The answers an unfinished questionnaire saved (none when there is no such file)."""
    if not path.exists():
        return {}
    return read_answers(path, data)


def save_answers(path: Path, answers: dict[str, Any]) -> None:
    """Write the answers given so far (the interactive questionnaire resumes from them)."""
    text = yaml.safe_dump(answers, sort_keys=False, allow_unicode=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".part")
    temporary.write_text(text, "utf-8")
    temporary.replace(path)
