"""The demo's risk register: risks across the systems and the organisation, rated, with
controls tested by the credit model's validation checks (some failing), by documents that
are missing, by a policy requirement and by manual tests (some failed, some stale), an
appetite, and one risk above appetite accepted by the AI Governance Board at its latest
meeting. Built through the services, after the bodies and the evidence exist."""

from __future__ import annotations

import json
from datetime import timedelta
from importlib import resources
from typing import TYPE_CHECKING, Any

from charter.bodies.domain import SubjectKind
from charter.bodies.services.decisions import Motion
from charter.demo.people import put_motion
from charter.risks.services import controls, register

if TYPE_CHECKING:
    from charter.demo.build import Demo

MANAGER = "amara"  # the chief AI officer keeps the register


def load_register() -> dict[str, Any]:
    text = resources.files("charter.demo").joinpath("risks.json").read_text("utf-8")
    spec: dict[str, Any] = json.loads(text)
    return spec


def _control(demo: Demo, c: dict[str, Any]) -> str:
    values: dict[str, Any] = {
        "title": c["title"], "kind": c["kind"], "owner_id": demo.ids[c["owner"]],
        "system_id": demo.ids[c["system"]] if c["system"] else None,
    }  # fmt: skip
    for key, field in (("check_id", "check_id"), ("document", "document"),
                       ("approvers", "approvers"), ("policy", "policy_id"),
                       ("requirement", "requirement_id")):  # fmt: skip
        if key in c:
            values[field] = c[key]
    made = controls.define_control(demo.ctx, demo.actor(MANAGER), values)
    now = demo.ctx.clock()
    for days_ago, passed, evidence in c.get("tests", []):
        controls.record_test(
            demo.ctx, demo.actor(MANAGER), made.id, passed, evidence,
            tested_at=now - timedelta(days=days_ago),
        )  # fmt: skip
    return made.id


def _risk(demo: Demo, r: dict[str, Any], made: dict[str, str]) -> str:
    values = {
        "title": r["title"], "category": r["category"], "cause": r["cause"],
        "consequence": r["consequence"], "owner_id": demo.ids[r["owner"]],
        "inherent_likelihood": r["inherent"][0], "inherent_impact": r["inherent"][1],
        "target_likelihood": r["target"][0], "target_impact": r["target"][1],
        "treatment": "mitigate" if r["controls"] else "accept",
        "requirements": r.get("requirements", []),
        "body_id": demo.ids[f"body:{r['body']}"] if "body" in r else None,
    }  # fmt: skip
    if "overdue_days" in r:  # a review the owner let slip
        values["review_by"] = demo.ctx.clock().date() - timedelta(days=r["overdue_days"])
    system = demo.ids[r["system"]] if r["system"] else None
    risk = register.register_risk(
        demo.ctx, demo.actor(MANAGER), values, register.known(), system_id=system
    )
    for key in r["controls"]:
        controls.link_control(demo.ctx, demo.actor(MANAGER), risk.id, made[key])
    return risk.id


def _accept(demo: Demo, spec: dict[str, Any], board: dict[str, Any], usual: list[str]) -> None:
    """The board accepts one risk above appetite at its latest meeting, every voting member
    present voting for."""
    accepted = spec["accepted"]
    chair = next(p for p, _, role in board["members"] if role == "chair")
    voting = {p for p, _, role in board["members"] if role != "advisor"}
    present = [p for p in usual if p in voting]
    terms = {
        "conditions": accepted["conditions"],
        "expires_at": demo.ctx.clock() + timedelta(days=accepted["days"]),
    }
    risk = demo.ids[f"risk:{accepted['risk']}"]
    motion = Motion(
        SubjectKind.RISK, risk, "accept", "Accept the age-parity risk of Retail Credit Scoring",
        accepted["reason"], terms,
    )  # fmt: skip
    put_motion(
        demo, demo.actor(chair), demo.ids["meeting:board"], motion, dict.fromkeys(present, "for")
    )


def build_register(demo: Demo, board: dict[str, Any], usual: list[str]) -> None:
    """The register; `board` is the AI Governance Board's spec, `usual` who attends."""
    spec = load_register()
    for a in spec["appetite"]:
        register.set_appetite(
            demo.ctx, demo.actor(MANAGER), a["category"], a["tier"], a["max_band"],
            a["rationale"],
        )  # fmt: skip
    made = {c["key"]: _control(demo, c) for c in spec["controls"]}
    for r in spec["risks"]:
        demo.ids[f"risk:{r['key']}"] = _risk(demo, r, made)
    _accept(demo, spec, board, usual)
