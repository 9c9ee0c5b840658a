"""Re-performing a decision from its bundle, once each record is bound to the signed event
that recorded it (charter.reports.domain.signed): the gate evaluated again over the recorded
facts, a body's tally, a waiver's right, a classification run again, evidence recomputed.
Pure: the verifier hands over the events (already proven), the classification data and the
engine."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from datetime import date, datetime
from typing import Any

from charter.accountability.domain.raci import RaciEntry, validate_raci
from charter.accountability.domain.rights import ApprovalSlot, DecisionRight
from charter.bodies.domain import Body, BodyDecision, Meeting, Member, tally
from charter.frameworks.domain.classification import classify
from charter.governance.domain.gates import GateFacts, PolicyCondition
from charter.governance.domain.lifecycle import (
    Approval,
    ApprovalsCondition,
    GateContext,
    RequestStatus,
    TransitionRequest,
    evaluate_gate,
)
from charter.governance.domain.policy import parse_policy
from charter.governance.domain.waivers import Document, Waiver
from charter.inventory.domain import AISystem, OperatorRole
from charter.kernel.roles import RoleAssignment, RoleKind
from charter.people.domain.talent import Completion, Course
from charter.reports.domain.bundle import Findings
from charter.reports.domain.revive import revive
from charter.reports.domain.signed import Events, bind_gate, bind_waiver, bound, find_signed
from charter.validation.domain.evidence import Aggregates, Evidence, judge_suite
from charter.validation.domain.suite import Suite, parse_suite


def _right(raw: Mapping[str, Any]) -> DecisionRight:
    return DecisionRight(
        raw["source"],
        raw["target"],
        frozenset(RoleKind(r) for r in raw["request"]),
        tuple(
            ApprovalSlot(s["label"], frozenset(RoleKind(r) for r in s["any_of"]))
            for s in raw["approvals"]
        ),
    )


def _facts(gate: Mapping[str, Any], system: AISystem) -> GateFacts:
    raw = gate["facts"]
    entries = [revive(RaciEntry, e) for e in raw["raci"]]
    roles = [revive(RoleAssignment, r) for r in gate["roles"]]
    return GateFacts(
        system,
        datetime.fromisoformat(gate["as_of"].replace("Z", "+00:00")),
        [revive(Evidence, e) for e in raw["evidence"]],
        [revive(Document, d) for d in raw["documents"]],
        [revive(Waiver, w) for w in raw["waivers"]],
        validate_raci(system, entries, roles, dict(raw.get("left", {}))),
        (),
        raw["current_model_version"],
        {},
        entries,
        roles,
        {p: [revive(Completion, c) for c in done] for p, done in raw["training"].items()},
        {k: revive(Course, c) for k, c in raw["courses"].items()},
        dict(raw["names"]),
    )


def _plugins(gate: Mapping[str, Any]) -> list[str]:
    return [
        f"{p['id']}/{r['id']}"
        for p in gate["policies"]
        for r in p["source"]["requirements"]
        if r.get("kind") == "plugin"
    ]


def check_gate(f: Findings, content: Mapping[str, Any], events: Events) -> None:
    gate = content.get("gate")
    if not gate:
        return
    bind_gate(f, gate, events)
    system = revive(AISystem, gate["system"])
    request = revive(TransitionRequest, gate["request"])
    ctx = GateContext(
        system,
        request,
        _right(gate["right"]),
        tuple(revive(Approval, a) for a in gate["approvals"]),
        tuple(revive(RoleAssignment, r) for r in gate["roles"]),
        tuple(parse_policy(p["source"]) for p in gate["policies"]),
        _facts(gate, system),
    )
    result = evaluate_gate(ctx, [ApprovalsCondition(), PolicyCondition()])
    again = [[r.condition, r.verdict.value, r.reason, r.blocking] for r in result.results]
    claimed = gate["claimed"]
    verdict = "passes" if result.passed else "is blocked"
    f.expect(
        again == claimed["results"] and result.passed == claimed["passed"],
        f"gate re-evaluated over the recorded facts: it {verdict}, as recorded "
        f"({len(again)} conditions)",
        "gate re-evaluated over the recorded facts: a different verdict from the one "
        "recorded (" + "; ".join(_differences(again, claimed["results"])) + ")",
    )
    for name in _plugins(gate):
        f.cannot(f"requirement {name}: its plugin is not run offline")
    if request.status is RequestStatus.APPLIED:
        moved = find_signed(events, "system.transitioned", "request", request.id)
        said = moved[-1]["data"].get("verdicts") if moved else None
        f.expect(
            said == [[c, v] for c, v, _, _ in again],
            "the verdicts signed when the transition was applied are the ones re-evaluated",
            "the verdicts signed when the transition was applied differ from the ones "
            "re-evaluated (or no signed event records it)",
        )


def _differences(again: list[list[Any]], claimed: list[list[Any]]) -> list[str]:
    out = [
        f"{a[0]}: now {a[1]} ({a[2]}), recorded {c[1]} ({c[2]})"
        for a, c in zip(again, claimed, strict=False)
        if a != c
    ]
    if len(again) != len(claimed):
        out.append(f"{len(again)} conditions now, {len(claimed)} recorded")
    return out[:5]


def check_decisions(f: Findings, content: Mapping[str, Any], events: Events) -> None:
    for found in content.get("body_decisions") or []:
        decision = revive(BodyDecision, found["decision"])
        meeting = revive(Meeting, found["meeting"])
        body = revive(Body, found["body"])
        members = [revive(Member, m) for m in found["members"]]
        said = find_signed(events, "body.decided", "id", decision.id)
        snap = said[-1]["data"] if said else {}
        bound(
            f,
            f"body decision {decision.id}",
            said,
            {
                k: (snap.get(k), found["decision"][k])
                for k in (
                    "body_id",
                    "meeting_id",
                    "subject_kind",
                    "subject_id",
                    "outcome",
                    "carried",
                    "votes",
                    "reason",
                )
            },
        )
        held = find_signed(events, "meeting.held", "meeting", meeting.id)
        bound(
            f,
            f"meeting {meeting.id} attendance",
            held,
            {
                "attendees": (
                    held[-1]["data"].get("attendees") if held else None,
                    list(meeting.attendees),
                )
            },
        )
        try:
            carried = tally(body, members, meeting, decision.votes).carried
            f.expect(
                carried == decision.carried,
                f"body decision {decision.id}: quorum, functions present and votes give "
                f"{'carried' if carried else 'not carried'}, as recorded",
                f"body decision {decision.id}: the votes give a different outcome",
            )
        except Exception as exc:
            f.fail(f"body decision {decision.id}: the meeting could not have decided ({exc})")


def check_waiver(f: Findings, content: Mapping[str, Any], events: Events) -> None:
    raw = content.get("waiver")
    if not raw:
        return
    bind_waiver(f, raw, events)
    waiver = revive(Waiver, raw)
    wanted = {RoleKind(r) for r in content["waiver_right"]}
    roles = [revive(RoleAssignment, r) for r in content["granter_roles"]]
    found = [
        e
        for e in events
        if e["action"] == "waiver.granted" and e["data"].get("waiver") == waiver.id
    ]
    system = found[-1]["entity"]["id"] if found else ""
    holds = any(
        r.person_id == waiver.granted_by
        and r.role in wanted
        and (r.scope.value == "organisation" or r.scope_id == system)
        for r in roles
    )
    f.expect(
        holds,
        f"waiver {waiver.id}: granted by a person holding a right to grant waivers",
        f"waiver {waiver.id}: its granter holds no right to grant waivers on this system",
    )
    f.cannot("a waiver granted in a business-unit role: its unit is not in the bundle")


def check_classification(
    f: Findings, content: Mapping[str, Any], events: Events, data: Mapping[str, Any] | None = None
) -> None:
    raw = content.get("classification")
    if not raw:
        return
    found = find_signed(events, "system.classified", "classification", raw["id"])
    said = found[-1]["data"] if found else {}
    bound(
        f,
        f"classification {raw['id']}",
        found,
        {
            "tier": (said.get("tier"), raw["tier"]),
            "schedule": (said.get("schedule"), raw["result"].get("schedule")),
            "cites": (said.get("cites"), raw["result"].get("cites")),
        },
    )
    if data is None:
        f.cannot("the classification run again: no classification data")
        return
    recorded = raw["result"].get("data_version") or ""
    if recorded != data.get("version"):
        f.cannot(
            f"the classification run again: recorded with data {recorded or 'before versions'}, "
            f"this Charter ships {data.get('version')}"
        )
        return
    on = date.fromisoformat(raw["classified_at"][:10])
    again = classify(data, raw["answers"], OperatorRole(content["operator_role"]), on)
    f.expect(
        again.tier == raw["tier"]
        and [o.id for o in again.obligations]
        == [o["id"] for o in raw["result"].get("obligations") or []],
        f"classification run again from its answers: {again.tier}, as recorded",
        f"classification run again from its answers gives {again.tier}, not {raw['tier']}",
    )


def recompute_evidence(
    f: Findings, raw: Mapping[str, Any], run: Callable[[Suite], Aggregates], tolerance: float
) -> None:
    """Run the evidence's suite on the data given: the same fingerprint, every value within
    the tolerance, the same verdicts."""
    name = f"evidence {raw['id']}"
    source = raw.get("suite_source")
    if not source:
        f.cannot(f"{name}: recorded before suites were kept with evidence")
        return
    suite = parse_suite(source)
    if suite.digest != raw["suite_digest"]:
        f.fail(f"{name}: its suite's digest is not the one recorded")
        return
    try:
        found = run(suite)
    except Exception as exc:
        f.fail(f"{name}: could not be recomputed from the data given ({exc})")
        return
    if not f.expect(
        found.fingerprint == raw["data_fingerprint"],
        f"{name}: the data given has the recorded fingerprint",
        f"{name}: the data given is not the data recorded ({found.fingerprint})",
    ):
        return
    results = judge_suite(suite, found)
    off = [
        r.check_id
        for r, old in zip(results, raw["results"], strict=False)
        if r.verdict.value != old["verdict"] or not _close(r.value, old["value"], tolerance)
    ]
    f.expect(
        not off and len(results) == len(raw["results"]),
        f"{name}: {len(results)} check values recomputed within {tolerance:g}, same verdicts",
        f"{name}: recomputed values differ: {', '.join(off)}",
    )


def _close(a: float | None, b: float | None, tolerance: float) -> bool:
    if a is None or b is None:
        return a is b
    return abs(a - b) <= tolerance


def digest(value: Any) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True).encode()).hexdigest()
