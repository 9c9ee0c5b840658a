"""Exporting a decision bundle: a transition (its request, approvals with the right each
filled, the gate over the policies and facts as they stood), a body decision (attendance,
votes and, on a transition, its gate), a waiver or a classification; with every audit event
it rests on, their inclusion proofs against a signed checkpoint, a consistency proof to the
latest, and a seal signed by the audit key. Read only (a checkpoint is signed when the
latest does not yet cover the events)."""

from __future__ import annotations

import base64
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any

from charter.accountability.domain.raci import validate_raci
from charter.accountability.domain.rights import DecisionRight
from charter.audit import services as audit
from charter.audit.domain.events import AuditEvent
from charter.governance.domain.gates import GateFacts
from charter.governance.domain.lifecycle import (
    GateContext,
    RequestStatus,
    TransitionRequest,
    evaluate_gate,
    right_for,
)
from charter.governance.domain.waivers import Document, Waiver
from charter.governance.services.gates import current_versions, policies_in_force
from charter.inventory.domain import AISystem
from charter.kernel.access import Action, Actor, ensure
from charter.kernel.errors import InvalidInput
from charter.kernel.lookups import require
from charter.kernel.present import as_json
from charter.kernel.records import utc_timestamp
from charter.people.domain.talent import Completion
from charter.reports.domain.bundle import FORMAT, SUBJECTS, VERSION, seal_body
from charter.reports.ports import Context, UnitOfWork


def _at(events: Sequence[AuditEvent], upto: datetime) -> list[AuditEvent]:
    stamp = utc_timestamp(upto)
    return [e for e in events if e.body()["at"] <= stamp]


def _as_of(request: TransitionRequest, now: datetime) -> datetime:
    return (
        request.decided_at
        if request.status is not RequestStatus.PENDING and request.decided_at
        else now
    )


def _documents(found: Sequence[Document], at: datetime) -> list[Document]:
    out = []
    for d in found:
        if d.attached_at > at:
            continue
        later = d.approved_at is not None and d.approved_at > at
        out.append(
            replace(d, approved_by=None, approved_role=None, approved_at=None) if later else d
        )
    return out


def _waivers(found: Sequence[Waiver], at: datetime) -> list[Waiver]:
    return [
        w if w.revoked_at is None or w.revoked_at <= at else replace(w, revoked_at=None)
        for w in found
        if w.granted_at <= at
    ]


def _right(right: DecisionRight) -> dict[str, Any]:
    return {
        "source": right.source,
        "target": right.target,
        "request": sorted(r.value for r in right.request),
        "approvals": [
            {"label": s.label, "any_of": sorted(r.value for r in s.any_of)} for s in right.approvals
        ],
    }


def _facts_at(
    ctx: Context,
    uow: UnitOfWork,
    judged: AISystem,
    people: set[str],
    at: datetime,
    pending: bool,
) -> tuple[GateFacts, dict[str, str]]:
    """What the gate rested on as it stood at `at`: the records then, training then. Who has
    left is known as of now only (a departure is not dated): it counts for a pending
    request's gate, judged now, as the live gate counts it; never for one decided before
    (whose recorded facts must not change when someone leaves later). With the names, by
    id, of the owner and holders counted as gone (the bundle carries them, to judge again)."""
    entries = uow.raci.for_system(judged.id)
    left: dict[str, str] = {}
    if pending:
        named = frozenset({e.person_id for e in entries} | {judged.owner_id} - {None})
        left = {p.id: p.name for p in uow.people.all(id=named) if not p.active} if named else {}
    else:
        entries = [replace(e, holder_left=False) for e in entries]
    people = people | {e.person_id for e in entries}
    roles = [r for r in uow.roles.all() if r.person_id in people or r.scope_id == judged.id]
    people |= {r.person_id for r in roles}
    training: dict[str, list[Completion]] = {}
    for c in uow.completions.all(person_id=frozenset(people)):
        if c.completed_on <= at.date():
            training.setdefault(c.person_id, []).append(c)
    documents = _documents(uow.documents.all(system_id=judged.id), at)
    facts = GateFacts(
        judged,
        at,
        [e for e in uow.evidence.for_system(judged.id, limit=50) if e.recorded_at <= at],
        sorted(documents, key=lambda d: d.attached_at, reverse=True),
        _waivers(uow.waivers.all(system_id=judged.id), at),
        validate_raci(judged, entries, roles, left),
        (),
        current_versions(uow, judged.id).get(judged.id),
        ctx.plugins,
        entries,
        roles,
        training,
        {c.id: c for c in uow.courses.all()},
        {p.id: p.name for p in uow.people.all(id=frozenset(people))},
    )
    return facts, left


def _facts_json(facts: GateFacts, left: dict[str, str]) -> dict[str, Any]:
    return {
        "left": left,
        "evidence": as_json(list(facts.evidence)),
        "documents": as_json(list(facts.documents)),
        "waivers": as_json(list(facts.waivers)),
        "raci": as_json(list(facts.raci)),
        "training": as_json(facts.training),
        "courses": as_json(facts.courses),
        "names": dict(facts.names),
        "current_model_version": facts.current_model_version,
    }


def gate_of(
    ctx: Context, uow: UnitOfWork, request: TransitionRequest
) -> tuple[dict[str, Any], list[str]]:
    """The gate of a request as it stood when decided (pending: now): the JSON the bundle
    carries, and the ids of the records its events are found by."""
    system = require(uow.systems, "system", request.system_id)
    at = _as_of(request, ctx.clock())
    judged = replace(system, stage=request.source, stage_before_suspension=None)
    right = right_for(ctx.rights, judged, request.target)
    approvals = [a for a in uow.approvals.all(request_id=request.id) if a.decided_at <= at]
    asked = {a.person_id for a in approvals} | {request.requested_by}
    pending = request.status is RequestStatus.PENDING
    facts, left = _facts_at(ctx, uow, judged, asked, at, pending)
    policies = list(policies_in_force(uow))
    records = {r.id: r for r in uow.policies.all(enabled=True)}
    gate = GateContext(
        judged, request, right, tuple(approvals), tuple(facts.roles), tuple(policies), facts
    )
    result = evaluate_gate(gate, ctx.conditions)
    data = {
        "as_of": utc_timestamp(at),
        "system": as_json(judged),
        "request": as_json(request),
        "right": _right(right),
        "approvals": as_json(approvals),
        "roles": as_json(list(facts.roles)),
        "policies": [
            {"id": p.id, "digest": p.digest, "source": records[p.id].source} for p in policies
        ],
        "facts": _facts_json(facts, left),
        "claimed": {
            "passed": result.passed,
            "results": [
                [r.condition, r.verdict.value, r.reason, r.blocking] for r in result.results
            ],
        },
    }
    refs = [
        request.id,
        *(e.id for e in facts.evidence),
        *(p.id for p in policies),
        *(d.id for d in facts.documents),
        *(w.id for w in facts.waivers),
    ]
    return data, refs


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def _mentions(event: AuditEvent, refs: set[str]) -> bool:
    body = event.body()
    if body["entity"]["id"] in refs:
        return True
    data = body["data"]
    return any(isinstance(v, str) and v in refs for v in data.values())


#: the events of each kind of entity a bundle may rest on
ACTIONS = {
    "policy": ("policy.loaded", "policy.changed"),
    "person": ("training.completed",),
    "body": ("body.decided", "meeting.held"),
}


def _events(
    uow: UnitOfWork, entities: Sequence[tuple[str, str]], refs: set[str]
) -> list[AuditEvent]:
    """The events about these entities that name one of the records: a system's that name a
    record the bundle holds, a policy's versions, a person's training, a body's decision and
    meeting."""
    found: dict[int, AuditEvent] = {}
    for kind, ident in dict.fromkeys(entities):
        for e in uow.audit.for_entity(kind, ident):
            action = e.body()["action"]
            if kind == "system" and not _mentions(e, refs):
                continue
            if kind == "body" and not _mentions(e, refs):
                continue
            if kind in ACTIONS and action not in ACTIONS[kind]:
                continue
            found[e.seq] = e
    return [found[k] for k in sorted(found)]


def _proofs(ctx: Context, actor: Actor, events: Sequence[AuditEvent]) -> dict[str, Any]:
    """Inclusion proofs of the events against the first checkpoint that covers them all (one
    is signed now when none does), and a consistency proof from it to the latest."""
    last = max((e.seq for e in events), default=1)
    with ctx.uow() as uow:
        covering = sorted(
            (c for c in uow.audit.checkpoints() if c.size >= last), key=lambda c: c.size
        )
    if not covering:
        covering = [audit.make_checkpoint(ctx, actor)]
    first, latest = covering[0], audit.latest_checkpoint(ctx, actor)
    consistency = audit.prove_consistency(ctx, actor, first.size, latest.size)
    return {
        "events": [
            {
                "seq": e.seq,
                "canonical": e.canonical.decode("utf-8"),
                "proof": [
                    _b64(p) for p in audit.prove_inclusion(ctx, actor, e.seq, first.size).path
                ],
            }
            for e in events
        ],
        "checkpoint": first.note,
        "latest": latest.note,
        "consistency": [_b64(p) for p in consistency.path],
    }


def _people_events(uow: UnitOfWork, gate: dict[str, Any]) -> list[tuple[str, str]]:
    return [("person", p) for p in sorted(gate["facts"]["training"])]


def _policy_entities(gate: dict[str, Any]) -> list[tuple[str, str]]:
    return [("policy", p["id"]) for p in gate["policies"]]


def _transition(
    ctx: Context, uow: UnitOfWork, request_id: str
) -> tuple[dict[str, Any], list[tuple[str, str]], set[str]]:
    request = require(uow.requests, "transition request", request_id)
    gate, refs = gate_of(ctx, uow, request)
    entities = [("system", request.system_id), *_policy_entities(gate), *_people_events(uow, gate)]
    bodies = {a["body_decision_id"] for a in gate["approvals"] if a.get("body_decision_id")}
    decisions = [require(uow.body_decisions, "body decision", b) for b in sorted(bodies)]
    out: dict[str, Any] = {"gate": gate}
    if decisions:
        out["body_decisions"] = [_body_decision(uow, d.id) for d in decisions]
        entities += [("body", d.body_id) for d in decisions]
        bodies |= {r for f in out["body_decisions"] for r in _decision_refs(f)}
    return out, entities, set(refs) | bodies


def _body_decision(uow: UnitOfWork, decision_id: str) -> dict[str, Any]:
    decision = require(uow.body_decisions, "body decision", decision_id)
    meeting = require(uow.meetings, "meeting", decision.meeting_id)
    return {
        "body": as_json(require(uow.bodies, "body", decision.body_id)),
        "members": as_json(uow.members.all(body_id=decision.body_id)),
        "meeting": as_json(meeting),
        "decision": as_json(decision),
    }


def _decision_refs(found: dict[str, Any]) -> set[str]:
    return {found["decision"]["id"], found["meeting"]["id"]}


def _subject(
    ctx: Context, uow: UnitOfWork, kind: str, ident: str
) -> tuple[dict[str, Any], list[tuple[str, str]], set[str], str]:
    """The subject's records, the entities whose events to search, the ids those events
    name, and the system it is about."""
    data: dict[str, Any]
    if kind == "transition":
        data, entities, refs = _transition(ctx, uow, ident)
        return data, entities, refs, data["gate"]["system"]["id"]
    if kind == "body_decision":
        found = _body_decision(uow, ident)
        decision = found["decision"]
        data = {"body_decisions": [found]}
        entities, refs = [("body", decision["body_id"])], _decision_refs(found)
        system_id = ""
        if decision["subject_kind"] == "transition":
            more, extra, refs2 = _transition(ctx, uow, decision["subject_id"])
            data |= {"gate": more["gate"]}
            entities += extra
            refs |= refs2
            system_id = more["gate"]["system"]["id"]
        elif decision["subject_kind"] == "waiver":
            system_id = decision["subject_id"]
        return data, entities, refs, system_id
    if kind == "waiver":
        waiver = require(uow.waivers, "waiver", ident)
        granter = [r for r in uow.roles.all(person_id=waiver.granted_by)]
        data = {
            "waiver": as_json(waiver),
            "granter_roles": as_json(granter),
            "waiver_right": sorted(r.value for r in ctx.rights.waivers),
        }
        return data, [("system", waiver.system_id)], {waiver.id}, waiver.system_id
    if kind == "classification":
        found_c = require(uow.classifications, "classification", ident)
        system = require(uow.systems, "system", found_c.system_id)
        data = {"classification": as_json(found_c), "operator_role": system.operator_role.value}
        return data, [("system", system.id)], {found_c.id}, system.id
    raise InvalidInput(f"a bundle is exported for one of: {', '.join(SUBJECTS)}")


def export_bundle(ctx: Context, actor: Actor, kind: str, ident: str) -> dict[str, Any]:
    """The sealed bundle of one decision (its JSON)."""
    ensure(actor, Action.AUDIT_READ)
    with ctx.uow() as uow:
        data, entities, refs, system_id = _subject(ctx, uow, kind, ident)
        if system_id:
            system = require(uow.systems, "system", system_id)
            ensure(actor, Action.READ, system.business_unit_id, system.id)
        events = _events(uow, entities, refs | {ident})
    signer = ctx.signer
    if signer is None:
        raise InvalidInput("a bundle is sealed by the audit signing key: run `charter keys init`")
    content = {
        "format": FORMAT,
        "version": VERSION,
        "subject": {"kind": kind, "id": ident},
        "exported_at": utc_timestamp(ctx.clock()),
        "exported_by": actor.ref,
        "verifier": signer.verifier,
        **data,
        **_proofs(ctx, actor, events),
    }
    return {"content": content, "seal": signer.sign_note(seal_body(content))}
