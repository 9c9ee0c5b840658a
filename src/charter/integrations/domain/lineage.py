"""OpenLineage run events as Charter reads them (https://openlineage.io/spec/): the job, the
datasets it read and wrote, and the facets that name Charter records. Pure: an event is a
mapping in, a `RunEvent` or the list of what is wrong with it out.

Charter links a lineage dataset to a Charter dataset whose source is the lineage dataset's
address (`namespace/name`) or whose name is the lineage dataset's name. ML facets: a job or run
facet `charter` naming a `model` and/or a `system` (by name) links the job to them; an output
dataset in the `mlflow` namespace, or named `models:/NAME/VERSION`, is the model NAME."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from charter.integrations.domain.records import NodeKind
from charter.kernel.errors import InvalidInput

EVENT_TYPES = frozenset({"START", "RUNNING", "COMPLETE", "ABORT", "FAIL", "OTHER"})
#: the facet, on a job or a run, that names the Charter model and system a job produces
CHARTER_FACET = "charter"
MODEL_NAMESPACES = frozenset({"mlflow"})
#: what one event may carry (a pipeline's event is a few; a flood is refused)
MAX_DATASETS = 1000
MAX_TEXT = 1000
MAX_NAMESPACE = 500


@dataclass(frozen=True, slots=True)
class Ref:
    """A node's address in the graph."""

    kind: NodeKind
    namespace: str
    name: str
    facets: tuple[str, ...] = ()

    @property
    def address(self) -> str:
        return f"{self.namespace}/{self.name}"


@dataclass(frozen=True, slots=True)
class RunEvent:
    event_type: str
    event_time: datetime
    run_id: str
    job: Ref
    inputs: tuple[Ref, ...]
    outputs: tuple[Ref, ...]
    model: str | None = None  # the Charter model the job produces (by name)
    system: str | None = None  # the Charter system it serves (by name)


def _text(raw: Mapping[str, Any], key: str, where: str, problems: list[str]) -> str:
    value = raw.get(key)
    if not isinstance(value, str) or not value.strip():
        problems.append(f"{where}.{key} must be a non-empty string")
        return ""
    limit = MAX_NAMESPACE if key == "namespace" else MAX_TEXT
    if len(value) > limit:
        problems.append(f"{where}.{key} is longer than {limit} characters")
        return ""
    return value.strip()


def _facets(raw: Mapping[str, Any], *keys: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key in keys:
        found = raw.get(key)
        if isinstance(found, Mapping):
            out.update(found)
    return out


def model_name(namespace: str, name: str) -> str | None:
    """The model an output dataset is (models:/NAME/VERSION, or a name in the mlflow
    namespace), or None."""
    if name.startswith("models:/"):
        return name.removeprefix("models:/").split("/", 1)[0] or None
    return name if namespace in MODEL_NAMESPACES else None


def _datasets(raw: Any, where: str, problems: list[str]) -> tuple[Ref, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, Sequence) or isinstance(raw, str):
        problems.append(f"{where} must be a list")
        return ()
    if len(raw) > MAX_DATASETS:
        problems.append(f"{where} holds over {MAX_DATASETS} datasets")
        return ()
    out = []
    for i, item in enumerate(raw):
        if not isinstance(item, Mapping):
            problems.append(f"{where}[{i}] must be an object")
            continue
        ns, name = (_text(item, k, f"{where}[{i}]", problems) for k in ("namespace", "name"))
        facets = _facets(item, "facets", "inputFacets", "outputFacets")
        kind = NodeKind.MODEL if model_name(ns, name) else NodeKind.DATASET
        if ns and name:
            out.append(Ref(kind, ns, name, tuple(sorted(facets))))
    return tuple(out)


def _time(raw: Mapping[str, Any], problems: list[str]) -> datetime:
    text = raw.get("eventTime")
    try:
        when = datetime.fromisoformat(str(text).replace("Z", "+00:00"))
    except ValueError:
        problems.append("eventTime must be an ISO 8601 time")
        return datetime.min
    if when.tzinfo is None:
        problems.append("eventTime must carry its time zone")
    return when


def _charter(job: Mapping[str, Any], run: Mapping[str, Any], problems: list[str]) -> list[Any]:
    facet: dict[str, Any] = {}
    for given in (_facets(job, "facets").get(CHARTER_FACET), _facets(run, "facets").get(
            CHARTER_FACET)):  # fmt: skip
        if given is not None and not isinstance(given, Mapping):
            problems.append(f"the {CHARTER_FACET} facet must be an object")
        elif given:
            facet.update(given)
    found: list[Any] = []
    for key in ("model", "system"):
        value = facet.get(key)
        if value is not None and (not isinstance(value, str) or len(value) > 200):
            problems.append(f"the {CHARTER_FACET} facet's {key} must be a name")
            value = None
        found.append(value or None)
    return found


def parse_event(raw: Any) -> RunEvent:
    """A run event, or InvalidInput listing everything wrong with it."""
    if not isinstance(raw, Mapping):
        raise InvalidInput("an OpenLineage run event is a JSON object")
    problems: list[str] = []
    kind = str(raw.get("eventType") or "OTHER").upper()
    if kind not in EVENT_TYPES:
        problems.append(f"eventType {kind!r} is not one of {', '.join(sorted(EVENT_TYPES))}")
    run: Mapping[str, Any] = raw["run"] if isinstance(raw.get("run"), Mapping) else {}
    job: Mapping[str, Any] = raw["job"] if isinstance(raw.get("job"), Mapping) else {}
    run_id = _text(run, "runId", "run", problems)
    space, name = (_text(job, k, "job", problems) for k in ("namespace", "name"))
    job_ref = Ref(NodeKind.JOB, space, name, tuple(sorted(_facets(job, "facets"))))
    inputs = _datasets(raw.get("inputs"), "inputs", problems)
    outputs = _datasets(raw.get("outputs"), "outputs", problems)
    model, system = _charter(job, run, problems)
    when = _time(raw, problems)
    if problems:
        raise InvalidInput("; ".join(problems), details={"errors": problems})
    return RunEvent(kind, when, run_id, job_ref, inputs, outputs, model, system)


def edges(event: RunEvent) -> list[tuple[Ref, Ref]]:
    """Data flows: each input into the job, the job into each output."""
    return [(i, event.job) for i in event.inputs] + [(event.job, o) for o in event.outputs]
