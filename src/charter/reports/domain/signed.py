"""Each record of a bundle against the signed audit event that recorded it, field by field:
the request and its approvals, the evidence, the policies in force, the documents, waivers and
training a gate rested on. A record no signed event states is a failure. Pure: the events
handed over are already proven in the log."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from charter.governance.domain.policy import parse_policy
from charter.reports.domain.bundle import Findings

Events = Sequence[Mapping[str, Any]]
Record = Mapping[str, Any]


def find_signed(
    events: Events, action: str | tuple[str, ...], key: str, value: str
) -> list[Mapping[str, Any]]:
    """The events of the action(s) whose data has `key` equal to `value`, in log order."""
    actions = (action,) if isinstance(action, str) else action
    return [e for e in events if e["action"] in actions and e["data"].get(key) == value]


def bound(
    f: Findings, what: str, found: list[Mapping[str, Any]], pairs: Mapping[str, tuple[Any, Any]]
) -> None:
    """The record agrees with the last signed event that recorded it, field by field."""
    if not found:
        f.fail(f"{what}: no signed audit event records it")
        return
    wrong = [k for k, (said, held) in pairs.items() if said != held]
    f.expect(
        not wrong,
        f"{what}: matches its signed event {found[-1]['seq']}",
        f"{what}: differs from its signed event {found[-1]['seq']} in {', '.join(wrong)}",
    )


def _last_data(found: list[Mapping[str, Any]]) -> Mapping[str, Any]:
    return found[-1]["data"] if found else {}


def _request(f: Findings, req: Record, events: Events) -> None:
    found = find_signed(events, "transition.requested", "request", req["id"])
    said = found[-1] if found else {"data": {}, "actor": None}
    bound(
        f,
        f"request {req['id']}",
        found,
        {
            "from": (said["data"].get("from"), req["source"]),
            "to": (said["data"].get("to"), req["target"]),
            "reason": (said["data"].get("reason"), req["reason"]),
            "actor": (said["actor"], req["requested_by"]),
        },
    )


def _approval(f: Findings, request_id: str, a: Record, events: Events) -> None:
    decided = ("transition.approved", "transition.refused")
    found = [
        e
        for e in find_signed(events, decided, "request", request_id)
        if e["data"].get("slot") == a["slot"]
    ]
    said = found[-1] if found else {"data": {}, "actor": None, "action": ""}
    actor = said["actor"].removeprefix("service-account:") if said["actor"] else None
    bound(
        f,
        f"approval {a['id']} ({a['slot']})",
        found,
        {
            "actor": (actor, a["person_id"]),
            "reason": (said["data"].get("reason"), a["reason"]),
            "decision": (said["action"].removeprefix("transition.")[:-1], a["decision"]),
            "body decision": (said["data"].get("body_decision"), a.get("body_decision_id")),
        },
    )


def _evidence(f: Findings, ev: Record, events: Events) -> None:
    found = find_signed(events, "evidence.recorded", "evidence", ev["id"])
    said = _last_data(found)
    verdicts = [[r["check_id"], r["verdict"]] for r in ev["results"]]
    bound(
        f,
        f"evidence {ev['id']}",
        found,
        {
            "suite digest": (said.get("suite_digest"), ev["suite_digest"]),
            "data fingerprint": (said.get("data"), ev["data_fingerprint"]),
            "model version": (said.get("model_version"), ev["model_version_id"]),
            "verdicts": (said.get("verdicts"), verdicts),
        },
    )


def _policy(f: Findings, p: Record, events: Events) -> None:
    found = [
        e
        for e in events
        if e["action"] in ("policy.loaded", "policy.changed")
        and e["entity"]["id"] == p["id"]
        and e["data"].get("digest") == p["digest"]
    ]
    loaded = json.loads(found[-1]["data"]["source"]) if found else None
    bound(
        f,
        f"policy {p['id']}",
        found,
        {
            "source": (loaded, p["source"]),
            "digest": (parse_policy(p["source"]).digest, p["digest"]),
        },
    )


def _document(f: Findings, d: Record, events: Events) -> None:
    found = find_signed(events, "document.attached", "document", d["id"])
    said = _last_data(found)
    bound(
        f,
        f"document {d['id']}",
        found,
        {"kind": (said.get("kind"), d["kind"]), "uri": (said.get("uri"), d["uri"])},
    )


def _training(f: Findings, person: str, c: Record, events: Events) -> None:
    found = [
        e for e in events if e["action"] == "training.completed" and e["data"].get("id") == c["id"]
    ]
    said = _last_data(found)
    fields = ("person_id", "course_id", "completed_on", "expires_on")
    bound(f, f"training {c['id']} of {person}", found, {k: (said.get(k), c[k]) for k in fields})


def bind_gate(f: Findings, gate: Mapping[str, Any], events: Events) -> None:
    """Every record a gate rested on, against its signed event."""
    facts = gate["facts"]
    _request(f, gate["request"], events)
    for a in gate["approvals"]:
        _approval(f, gate["request"]["id"], a, events)
    for ev in facts["evidence"]:
        _evidence(f, ev, events)
    for p in gate["policies"]:
        _policy(f, p, events)
    for d in facts["documents"]:
        _document(f, d, events)
    for w in facts["waivers"]:
        bind_waiver(f, w, events)
    for person, done in facts["training"].items():
        for c in done:
            _training(f, person, c, events)


def bind_waiver(f: Findings, w: Mapping[str, Any], events: Events) -> None:
    found = find_signed(events, "waiver.granted", "waiver", w["id"])
    said = _last_data(found)
    expires = datetime.fromisoformat(w["expires_at"].replace("Z", "+00:00"))
    bound(
        f,
        f"waiver {w['id']}",
        found,
        {
            "policy": (said.get("policy"), w["policy_id"]),
            "requirement": (said.get("requirement"), w["requirement_id"]),
            "reason": (said.get("reason"), w["reason"]),
            "expires": (
                said.get("expires_at") and datetime.fromisoformat(said["expires_at"]),
                expires,
            ),
        },
    )
