"""Reading policy files (YAML or JSON): schema-validated, then parsed into domain policies.

The JSON Schema (charter/data/policy.schema.json) is published for editors and pipelines;
parse_policy then checks what a schema cannot. Nothing in a policy file is executed.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft202012Validator, ValidationError

from charter.governance.domain.policy import Kind, Policy, over_limit, parse_policy
from charter.governance.domain.waivers import check_document_kind
from charter.kernel.errors import InvalidInput, OverLimit, refuse_all
from charter.kernel.limits import POLICY_FILE_BYTES
from charter.kernel.yaml_text import parse_yaml


@cache
def _validator() -> Draft202012Validator:
    schema = json.loads(
        resources.files("charter.governance").joinpath("data/policy.schema.json").read_text()
    )
    return Draft202012Validator(schema)


def schema_text() -> str:
    return resources.files("charter.governance").joinpath("data/policy.schema.json").read_text()


def policy_problems(raw: Any, where: str) -> list[tuple[str, str]]:
    """Every place where one policy mapping breaks the schema: (file#n/path, problem)."""
    return [
        (f"{where} {'/'.join(map(str, path)) or '(top)'}", message)
        for path, message in _schema_errors(raw)
    ]


def _schema_errors(raw: Any) -> list[tuple[tuple[str | int, ...], str]]:
    """Where in one policy mapping the schema is broken (a path of keys and indexes) and how."""
    if not isinstance(raw, dict):
        return [((), "a policy is a mapping")]
    errors = sorted(_validator().iter_errors(raw), key=lambda e: list(map(str, e.absolute_path)))
    return [(tuple(e.absolute_path), _message(e)) for e in errors]


def _message(error: ValidationError) -> str:
    """The schema's complaint as people read it: a length, not a repeated long value."""
    if error.validator == "maxLength":
        return f"longer than {error.validator_value} characters"
    return str(error.message)


def check_policies(raws: Sequence[Any], where: str) -> list[tuple[dict[str, Any], Policy]]:
    """Validate policy mappings, refusing them with every problem of every one at once."""
    out, found = _checked(raws, [f"{where}[{i}]" for i in range(len(raws))])
    refuse_all("the policies", found)
    return out


def _checked(
    raws: Sequence[Any], places: Sequence[str]
) -> tuple[list[tuple[dict[str, Any], Policy]], list[tuple[str, str]]]:
    """The policies that pass, and every problem of those that do not, each at its place."""
    out: list[tuple[dict[str, Any], Policy]] = []
    found: list[tuple[str, str]] = []
    for where, raw in zip(places, raws, strict=True):
        wrong = policy_problems(raw, where)
        try:
            if not wrong:
                out.append((raw, check_policy(raw, where)))
        except InvalidInput as exc:
            wrong = [(where, exc.message)]
        found += wrong
    return out, found


def check_policy(raw: Any, where: str) -> Policy:
    """Validate one policy mapping against the schema, naming every problem's place."""
    refuse_all("the policy", policy_problems(raw, where))
    policy = parse_policy(raw)
    known = {*document_kinds(), *policy.document_kinds}
    for r in policy.requirements:
        if r.kind is Kind.DOCUMENT:
            check_document_kind(r.document or "", known, f"{where}: requirement {r.id!r}: kind")
    return policy


@cache
def document_kinds() -> dict[str, dict[str, Any]]:
    """Charter's vocabulary of governed documents (data/document_kinds.json), by id."""
    text = resources.files("charter.governance").joinpath("data/document_kinds.json").read_text()
    kinds = json.loads(text)["kinds"]
    return {str(k["id"]): {"title": str(k["title"]), "cites": list(k["cites"])} for k in kinds}


def check_policy_text(
    text: str, name: str
) -> tuple[list[tuple[dict[str, Any], Policy]], list[tuple[str, str]]]:
    """A policy file's text (an upload) checked as `charter policies validate` checks a file,
    each problem at its line and field: the policies, when there is no problem, else every
    problem at once. Nothing is stored."""
    try:
        loaded = parse_yaml(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"{name} line {mark.line + 1}" if mark else name
        return [], [(where, f"not valid YAML: {exc.problem or exc.context}")]
    except (yaml.YAMLError, InvalidInput) as exc:
        return [], [(name, str(getattr(exc, "message", exc)))]
    if loaded is None or loaded == []:
        return [], [(name, "the file holds no policy")]
    node = yaml.compose(text, Loader=yaml.SafeLoader)  # lines only: no alias got this far
    items = loaded if isinstance(loaded, list) else [loaded]
    nodes = node.value if isinstance(node, yaml.SequenceNode) else [node]
    out, found = [], []
    for n, (raw, at) in enumerate(zip(items, nodes, strict=True), 1):
        wrong = [
            (f"{name} #{n} line {_line(at, path)}, {'/'.join(map(str, path)) or '(top)'}", msg)
            for path, msg in _schema_errors(raw)
        ]
        try:
            if not wrong:
                out.append((raw, check_policy(raw, f"{name} #{n}")))
        except InvalidInput as exc:
            wrong = [(f"{name} #{n} line {at.start_mark.line + 1}", exc.message)]
        found += wrong
    ids = [p.id for _, p in out]
    found += [
        (name, f"policy id {i!r} used twice") for i in sorted({i for i in ids if ids.count(i) > 1})
    ]
    return (out if not found else []), found


def _line(node: yaml.Node, path: tuple[str | int, ...]) -> int:
    """The line (from 1) of the YAML node at a path of keys and indexes, or of the deepest
    node on it that exists (a missing field: the mapping that lacks it)."""
    line = node.start_mark.line
    for step in path:
        if isinstance(node, yaml.MappingNode):
            pair = next((kv for kv in node.value if kv[0].value == str(step)), None)
            if pair is None:
                break
            line, node = pair[0].start_mark.line, pair[1]
        elif (
            isinstance(node, yaml.SequenceNode) and isinstance(step, int) and step < len(node.value)
        ):
            node = node.value[step]
            line = node.start_mark.line
        else:
            break
    return line + 1


def read_policy_file(path: Path) -> list[dict[str, Any]]:
    """The policies in one file (its size already checked): a mapping, or a list of mappings
    (not yet validated)."""
    try:
        loaded = parse_yaml(path.read_text("utf-8"))
    except OSError as exc:
        raise InvalidInput(
            f"cannot read {path}: {exc.strerror}", details={"file": str(path)}
        ) from exc
    except yaml.YAMLError as exc:
        raise InvalidInput(
            f"{path.name} is not valid YAML: {exc}", details={"file": str(path)}
        ) from exc
    items = loaded if isinstance(loaded, list) else [loaded]
    return items


def _within(files: list[Path], limit: int) -> None:
    """Refuse (OverLimit) if any of the files holds more than `limit` bytes, naming each."""
    sizes = [(f, f.stat().st_size) for f in files if f.is_file()]
    over = [over_limit(f.name, size, limit) for f, size in sizes if size > limit]
    if over:
        raise OverLimit("; ".join(over), details={"limit": limit})


def load_policy_files(
    paths: list[Path], limit: int = POLICY_FILE_BYTES
) -> list[tuple[dict[str, Any], Policy]]:
    """Every policy of the files (folders: their *.yaml, *.yml and *.json), all validated
    before any is returned; ids must be unique across them. A file over `limit` bytes refuses
    them all (413, every such file named) before any is read."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files += sorted(p for p in path.iterdir() if p.suffix in (".yaml", ".yml", ".json"))
        else:
            files.append(path)
    _within(files, limit)
    out: list[tuple[dict[str, Any], Policy]] = []
    found: list[tuple[str, str]] = []
    for file in files:
        try:
            items = read_policy_file(file)
        except InvalidInput as exc:
            found.append(("", exc.message))
            continue
        passed, wrong = _checked(items, [f"{file.name}#{i + 1}" for i in range(len(items))])
        out += passed
        found += wrong
    refuse_all("the policy files", found)
    ids = [p.id for _, p in out]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise InvalidInput(f"policy ids used twice: {', '.join(duplicates)}")
    return out


def library_path() -> Path:
    """The built-in policy library shipped with Charter."""
    return Path(str(resources.files("charter.governance").joinpath("data/policies")))
