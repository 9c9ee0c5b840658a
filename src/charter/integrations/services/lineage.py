"""Lineage: OpenLineage run events build the dataset -> job -> dataset graph and link it to
Charter's datasets, models and systems; the impact of a dataset (its blast radius) follows the
graph and Charter's own links (a model version's training data, a model's system)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

from charter.frameworks.domain.impact import Due
from charter.frameworks.files import classification_data
from charter.frameworks.services import obligations_calendar
from charter.integrations.domain.lineage import Ref, RunEvent, edges, model_name, parse_event
from charter.integrations.domain.records import LineageEdge, LineageNode, NodeKind
from charter.integrations.ports import Context, UnitOfWork
from charter.inventory.domain import AISystem, Dataset, Model
from charter.kernel.access import Action, Actor, allowed, ensure, ensure_member
from charter.kernel.context import record
from charter.kernel.errors import NotFound
from charter.strategy.domain.strategy import UseCase


def _first(items: Iterable[Any]) -> Any:
    return next(iter(items), None)


def _links(uow: UnitOfWork, ref: Ref, event: RunEvent) -> dict[str, str | None]:
    """The Charter records a node is, where one matches."""
    if ref.kind is NodeKind.JOB:
        model = _first(uow.models.all(name=event.model)) if event.model else None
        system = _first(uow.systems.all(name=event.system)) if event.system else None
        return {"model_id": model and model.id, "system_id": system and system.id}
    if ref.kind is NodeKind.MODEL:
        model = _first(uow.models.all(name=model_name(ref.namespace, ref.name)))
        return {"model_id": model and model.id}
    found = _first(uow.datasets.all(source=ref.address)) or _first(uow.datasets.all(name=ref.name))
    return {"dataset_id": found and found.id}


def _node(ctx: Context, uow: UnitOfWork, ref: Ref, event: RunEvent, created: list[str]) -> str:
    links = _links(uow, ref, event)
    found = _first(uow.lineage_nodes.all(kind=ref.kind, namespace=ref.namespace, name=ref.name))
    if found is None:
        node = LineageNode(ctx.new_id("ln"), ref.kind, ref.namespace, ref.name, event.event_time,
                           event.event_time, facets=ref.facets, **links)  # fmt: skip
        uow.lineage_nodes.add(node)
        created.append(ref.address)
        return node.id
    known = {k: v for k, v in links.items() if v}  # a link once made stays
    after = replace(found, last_seen=max(found.last_seen, event.event_time), facets=ref.facets,
                    **known)  # fmt: skip
    if after != found:
        uow.lineage_nodes.update(after)
    return str(found.id)


def _edge(ctx: Context, uow: UnitOfWork, source: str, target: str, event: RunEvent) -> None:
    found = _first(uow.lineage_edges.all(source_id=source, target_id=target))
    if found is None:
        uow.lineage_edges.add(
            LineageEdge(ctx.new_id("le"), source, target, event.run_id, event.event_time)
        )
    elif event.event_time > found.last_seen:
        uow.lineage_edges.update(replace(found, run_id=event.run_id, last_seen=event.event_time))


@dataclass(frozen=True, slots=True)
class Recorded:
    run_id: str
    job: str
    nodes_created: list[str]
    edges: int


def record_run_event(ctx: Context, actor: Actor, raw: Any) -> Recorded:
    """Add a run event's datasets, job and flows to the graph (known nodes are updated, never
    duplicated), linked to the Charter records they name, in one transaction."""
    ensure(actor, Action.INVENTORY_WRITE)
    event = parse_event(raw)
    created: list[str] = []
    with ctx.uow() as uow:
        ids = {r: _node(ctx, uow, r, event, created)
               for r in (event.job, *event.inputs, *event.outputs)}  # fmt: skip
        flows = edges(event)
        for source, target in flows:
            _edge(ctx, uow, ids[source], ids[target], event)
        data = {
            "event": event.event_type, "job": event.job.address,
            "inputs": [r.address for r in event.inputs],
            "outputs": [r.address for r in event.outputs], "nodes_created": created,
        }  # fmt: skip
        record(ctx, uow, actor, "lineage.recorded", "lineage_run", event.run_id[:40], data)
        uow.commit()
    return Recorded(event.run_id, event.job.address, created, len(flows))


def find_dataset(uow: UnitOfWork, ref: str) -> tuple[Dataset | None, list[LineageNode]]:
    """A dataset by its Charter id or name, or a lineage dataset by `namespace/name` or name;
    and the lineage nodes that are it."""
    dataset = uow.datasets.get(ref) or _first(uow.datasets.all(name=ref))
    if dataset is not None:
        return dataset, uow.lineage_nodes.linked("dataset_id", [dataset.id])
    namespace, _, name = ref.rpartition("/")
    kind = NodeKind.DATASET
    nodes = (uow.lineage_nodes.all(kind=kind, namespace=namespace, name=name) if namespace
             else []) or uow.lineage_nodes.all(kind=kind, name=ref)  # fmt: skip
    if not nodes:
        raise NotFound("dataset", ref)
    linked = {n.dataset_id for n in nodes if n.dataset_id}
    return (uow.datasets.get(linked.pop()) if len(linked) == 1 else None), nodes


@dataclass(frozen=True, slots=True)
class Dependents:
    nodes: list[LineageNode]  # downstream of the dataset in the graph
    models: list[Model]
    systems: list[AISystem]


def dependents(uow: UnitOfWork, dataset: Dataset | None, start: list[LineageNode]) -> Dependents:
    """What depends on a dataset: the graph downstream of it, the models it trained (a
    version's training data) or that the graph reaches, and their systems."""
    nodes = uow.lineage_nodes.downstream([n.id for n in start]) if start else []
    model_ids = {n.model_id for n in nodes if n.model_id}
    datasets = {n.dataset_id for n in nodes if n.dataset_id} | ({dataset.id} if dataset else set())
    if datasets:
        trained = uow.model_versions.all(training_dataset_id=frozenset(datasets))
        model_ids |= {v.model_id for v in trained}
    models = uow.models.all(id=frozenset(model_ids)) if model_ids else []
    system_ids = {m.system_id for m in models if m.system_id} | {
        n.system_id for n in nodes if n.system_id
    }
    systems = uow.systems.all(id=frozenset(system_ids)) if system_ids else []
    kept = [n for n in nodes if n.id not in {s.id for s in start}]
    return Dependents(kept, sorted(models, key=lambda m: m.name),
                      sorted(systems, key=lambda s: s.name))  # fmt: skip


@dataclass(frozen=True, slots=True)
class Accountable:
    person_id: str
    name: str
    system_id: str
    basis: str  # "accountable for ACTIVITY (RACI)", "system owner"


@dataclass(frozen=True, slots=True)
class Impact:
    dataset: Dataset | None
    addresses: list[str]  # the lineage nodes that are the dataset
    nodes: list[LineageNode]
    models: list[Model]
    systems: list[AISystem]
    use_cases: list[UseCase]
    accountable: list[Accountable]
    obligations: list[Due]
    hidden: int  # systems downstream the actor may not read


def _accountable(uow: UnitOfWork, systems: list[AISystem]) -> list[Accountable]:
    out: list[Accountable] = []
    for s in systems:
        pairs = [(e.person_id, f"accountable for {e.activity.value} (RACI)")
                 for e in uow.raci.for_system(s.id) if e.letter.value == "A"]  # fmt: skip
        pairs += [(s.owner_id, "system owner")] if s.owner_id else []
        for person_id, basis in pairs:
            person = uow.people.get(person_id)
            out.append(Accountable(person_id, person.name if person else person_id, s.id, basis))
    return out


def impact(ctx: Context, actor: Actor, ref: str) -> Impact:
    """The blast radius of a dataset: the datasets, jobs, models and systems downstream, the
    use cases those systems serve, the people accountable for them and their upcoming
    obligations. Systems the actor may not read are counted, not shown."""
    ensure_member(actor)
    with ctx.uow() as uow:
        dataset, start = find_dataset(uow, ref)
        found = dependents(uow, dataset, start)
        systems = [s for s in found.systems
                   if allowed(actor, Action.READ, s.business_unit_id, s.id)]  # fmt: skip
        shown = {s.id for s in systems}
        models = [m for m in found.models if m.system_id is None or m.system_id in shown]
        use_cases = sorted(
            (u for u in uow.use_cases.all()
             if shown & set(u.system_ids) and allowed(actor, Action.READ, u.business_unit_id)),
            key=lambda u: u.title,
        )  # fmt: skip
        accountable = _accountable(uow, systems)
    dues: list[Due] = []
    if shown:
        calendar = obligations_calendar(ctx, actor, classification_data())
        dues = [d for d in calendar.items if d.system_id in shown]
    addresses = sorted(f"{n.namespace}/{n.name}" for n in start)
    return Impact(dataset, addresses, found.nodes, models, systems, use_cases, accountable,
                  dues, len(found.systems) - len(systems))  # fmt: skip
