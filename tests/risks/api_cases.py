"""The register's routes for tests/web/test_api_access.py: who may call each."""

from __future__ import annotations

import itertools
from typing import Any

from charter.kernel.roles import RoleKind as R
from charter.risks.services import controls, register
from tests.factory import World

ALL = frozenset(R)
RISK_MANAGERS = frozenset(
    {R.CHIEF_AI_OFFICER, R.PROGRAM_MANAGER, R.ETHICS_COMPLIANCE, R.EXECUTIVE_SPONSOR}
)
APPETITE_SETTERS = frozenset({R.CHIEF_AI_OFFICER, R.BOARD_MEMBER})
EVIDENCE_RECORDERS = frozenset(
    {R.CHIEF_AI_OFFICER, R.PROGRAM_MANAGER, R.DATA_SCIENTIST, R.ML_ENGINEER, R.ETHICS_COMPLIANCE}
)
n = itertools.count(1)


def risk_body(w: World) -> dict[str, Any]:
    return {"title": f"Risk {next(n)}", "category": "MIT.7.3", "cause": "drift",
            "consequence": "wrong answers", "owner_id": w.people[R.CHIEF_AI_OFFICER].id,
            "inherent_likelihood": 1, "inherent_impact": 1, "treatment": "mitigate",
            "system_id": w.system().id}  # fmt: skip


def risk(w: World) -> str:
    body = risk_body(w)
    system = body.pop("system_id")
    return register.register_risk(w.ctx, w.actor(R.CHIEF_AI_OFFICER), body, (), system_id=system).id


def control(w: World) -> str:
    values = {"title": f"Control {next(n)}", "kind": "manual"}
    return controls.define_control(w.ctx, w.actor(R.CHIEF_AI_OFFICER), values).id


def linked(w: World) -> tuple[str, str]:
    r, c = risk(w), control(w)
    controls.link_control(w.ctx, w.actor(R.CHIEF_AI_OFFICER), r, c)
    return r, c


def assessment(w: World) -> dict[str, Any]:
    return {"subject": "system", "subject_id": w.system().id,
            "answers": {"autonomy": "advisory", "audience": "internal"},
            "data": {"personal_data": True}}  # fmt: skip


def cases(case: Any, get: Any) -> list[Any]:
    """The cases, built with the access test's own Case and get."""
    v1 = "/api/v1"
    return [
        get(f"{v1}/risks"),
        get(f"{v1}/risks/export.csv"),
        get(f"{v1}/risks/summary"),
        get(f"{v1}/risks/groups/{{grouping}}", lambda w: f"{v1}/risks/groups/owner"),
        case("POST", f"{v1}/risks", RISK_MANAGERS, lambda w: (f"{v1}/risks", risk_body(w))),
        get(f"{v1}/risks/{{risk_id}}", lambda w: f"{v1}/risks/{risk(w)}",
            unknown=f"{v1}/risks/rsk_nope"),
        case("PATCH", f"{v1}/risks/{{risk_id}}", RISK_MANAGERS,
             lambda w: (f"{v1}/risks/{risk(w)}", {"title": "Renamed"}),
             lambda w: (f"{v1}/risks/rsk_nope", {"title": "Renamed"})),
        case("POST", f"{v1}/risks/{{risk_id}}/review", RISK_MANAGERS,
             lambda w: (f"{v1}/risks/{risk(w)}/review", {"note": "still right"}),
             lambda w: (f"{v1}/risks/rsk_nope/review", {"note": "n"}), ok=200),
        case("POST", f"{v1}/risks/{{risk_id}}/close", RISK_MANAGERS,
             lambda w: (f"{v1}/risks/{risk(w)}/close", {"reason": "system changed"}),
             lambda w: (f"{v1}/risks/rsk_nope/close", {"reason": "r"}), ok=200),
        case("POST", f"{v1}/risks/{{risk_id}}/controls", RISK_MANAGERS,
             lambda w: (f"{v1}/risks/{risk(w)}/controls", {"control_id": control(w)}),
             lambda w: (f"{v1}/risks/rsk_nope/controls", {"control_id": control(w)})),
        case("DELETE", f"{v1}/risks/{{risk_id}}/controls/{{control_id}}", RISK_MANAGERS,
             lambda w: ("{}/risks/{}/controls/{}?reason=superseded".format(v1, *linked(w)), None)),
        get(f"{v1}/risk-controls"),
        case("POST", f"{v1}/risk-controls", RISK_MANAGERS,
             lambda w: (f"{v1}/risk-controls", {"title": "Spot check", "kind": "manual"})),
        get(f"{v1}/risk-controls/{{control_id}}", lambda w: f"{v1}/risk-controls/{control(w)}",
            unknown=f"{v1}/risk-controls/ctl_nope"),
        case("POST", f"{v1}/risk-controls/{{control_id}}/tests", EVIDENCE_RECORDERS,
             lambda w: (f"{v1}/risk-controls/{control(w)}/tests",
                        {"passed": True, "evidence": "https://dms/test/1"}),
             lambda w: (f"{v1}/risk-controls/ctl_nope/tests",
                        {"passed": True, "evidence": "e"})),
        get(f"{v1}/risk-catalogue"),
        get(f"{v1}/risk-model"),
        get(f"{v1}/risk-appetite"),
        case("PUT", f"{v1}/risk-appetite", APPETITE_SETTERS,
             lambda w: (f"{v1}/risk-appetite", {"category": "MIT.1", "tier": "high",
                                                "max_band": "medium", "rationale": "board"})),
        case("POST", f"{v1}/risk-assessments", ALL,
             lambda w: (f"{v1}/risk-assessments", assessment(w)), ok=200),
        case("POST", f"{v1}/risk-assessments/adopt", RISK_MANAGERS,
             lambda w: (f"{v1}/risk-assessments/adopt", {
                 **assessment(w),
                 "choices": [{"rule": "privacy", "owner_id": w.people[R.CHIEF_AI_OFFICER].id}],
             })),
    ]  # fmt: skip
