"""Build the demo organisation through the same services every interface uses.

Systems reach their stages through real transition requests and approvals, so the demo's
audit trail, RACI findings and pending decisions are what an organisation would see.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import timedelta
from importlib import resources
from pathlib import Path
from typing import Any

from charter.accountability.domain.raci import Activity, RaciLetter
from charter.accountability.domain.rights import DecisionRight
from charter.accountability.services import org, raci
from charter.demo.after_go_live import credit_incident, monitor_credit
from charter.demo.model import write_scored_data
from charter.demo.people import build_people_side, load_people
from charter.demo.risks import build_register
from charter.demo.strategy import build_portfolio
from charter.frameworks import services as classification
from charter.frameworks.files import classification_data
from charter.governance.domain.gates import UNWAIVABLE
from charter.governance.domain.lifecycle import (
    Decision,
    RequestStatus,
    TransitionRequest,
    right_for,
)
from charter.governance.files import library_path, load_policy_files
from charter.governance.services import gates as governance
from charter.governance.services import lifecycle, policies
from charter.identity.services import access, sessions
from charter.inventory import services as inventory
from charter.inventory.domain import LifecycleStage as S
from charter.kernel.access import Actor
from charter.kernel.lookups import require
from charter.kernel.roles import RoleKind, ScopeKind
from charter.kernel.verdicts import Verdict
from charter.validation import services as validation
from charter.validation.domain.evidence import Evidence
from charter.validation.engines.runner import run_suite
from charter.validation.files import load_suite
from charter.wiring import Context

PATH = [
    S.PROPOSED,
    S.ASSESSED,
    S.APPROVED_FOR_DEVELOPMENT,
    S.IN_DEVELOPMENT,
    S.IN_VALIDATION,
    S.APPROVED_FOR_DEPLOYMENT,
    S.DEPLOYED,
]


def load_spec() -> dict[str, Any]:
    text = resources.files("charter.demo").joinpath("organisation.json").read_text("utf-8")
    spec: dict[str, Any] = json.loads(text)
    return spec


@dataclass
class Demo:
    ctx: Context
    admin: Actor
    admin_secret: str
    ids: dict[str, str] = field(default_factory=dict)  # spec key -> id
    emails: dict[str, str] = field(default_factory=dict)
    actors: dict[str, Actor] = field(default_factory=dict)
    evidence: list[Evidence] = field(default_factory=list)

    def actor(self, key: str) -> Actor:
        """The person's actor; cached once the organisation (and so every role) exists."""
        if key not in self.actors:
            self.actors[key] = access.actor_for(self.ctx, self.ids[key])
        return self.actors[key]


def _email(name: str) -> str:
    return name.lower().replace("'", "").replace(" ", ".") + "@northwind.example"


def _organisation(demo: Demo, spec: dict[str, Any]) -> None:
    ctx, admin = demo.ctx, demo.admin
    for unit in spec["units"]:
        demo.ids[unit["key"]] = org.create_unit(ctx, admin, unit["name"], unit["description"]).id
    for p in spec["people"]:
        person = org.create_person(
            ctx, admin, p["name"], _email(p["name"]), demo.ids[p["unit"]], p["title"]
        )
        demo.ids[p["key"]], demo.emails[p["key"]] = person.id, person.email
        for role, unit_key in p["roles"]:
            scope = ScopeKind.BUSINESS_UNIT if unit_key else ScopeKind.ORGANISATION
            org.assign_role(
                ctx,
                admin,
                person.id,
                RoleKind(role),
                scope,
                demo.ids[unit_key] if unit_key else None,
            )


def _inventory(demo: Demo, spec: dict[str, Any]) -> None:
    ctx, caio = demo.ctx, demo.actor("amara")
    for v in spec["vendors"]:
        demo.ids[v["key"]] = inventory.register_vendor(
            ctx, caio, v["name"], v["website"], v["contact"]
        ).id
    for d in spec["datasets"]:
        values = {
            k: d[k]
            for k in ("source", "contains_personal_data", "special_category_data", "retention")
        }
        demo.ids[d["key"]] = inventory.register_dataset(
            ctx, caio, d["name"], demo.ids[d["owner"]], **values
        ).id
    for s in spec["systems"]:
        system = inventory.register_system(
            ctx,
            caio,
            name=s["name"],
            purpose=s["purpose"],
            intended_use=s["intended_use"],
            business_unit_id=demo.ids[s["unit"]],
            owner_id=demo.ids.get(s["owner"] or ""),
            operator_role=s["operator_role"],
            deployment_context=s["deployment_context"],
            vendor_id=demo.ids.get(s.get("vendor") or ""),
            tags=s["tags"],
        ).system
        demo.ids[s["key"]] = system.id
        if s["tier"] != "unclassified":
            inventory.update_system(ctx, demo.actor("liam"), system.id, risk_tier=s["tier"])
        if "model" in s:
            _model(demo, s, caio)


def _model(demo: Demo, s: dict[str, Any], actor: Actor) -> None:
    m = s["model"]
    model = inventory.register_model(demo.ctx, actor, m["name"], demo.ids[s["key"]])
    for version, uri, framework in m["versions"]:
        inventory.add_model_version(
            demo.ctx, actor, model.id, version, uri, framework, demo.ids[m["dataset"]]
        )


def _raci_plan(team: dict[str, str], gaps: dict[str, Any]) -> dict[Activity, list[tuple[str, str]]]:
    a = Activity
    plan = {
        a.DESIGN: [
            (team["builder"], "R"),
            (team["pm"], "A"),
            (team["engineer"], "C"),
            (team["champion"], "I"),
        ],
        a.DATA_PREPARATION: [(team["engineer"], "R"), (team["pm"], "A"), (team["builder"], "C")],
        a.VALIDATION: [("liam", "R"), (team["pm"], "A"), (team["builder"], "C")],
        a.DEPLOYMENT_APPROVAL: [("maya", "R"), (team["sponsor"], "A"), (team["champion"], "I")],
        a.MONITORING: [(team["engineer"], "R"), (team["pm"], "A"), (team["champion"], "I")],
        a.INCIDENT_RESPONSE: [(team["engineer"], "R"), (team["pm"], "A"), ("liam", "C")],
        a.RETIREMENT: [(team["pm"], "R"), (team["sponsor"], "A")],
    }
    if "accountable_not_entitled" in gaps:
        plan[a.DESIGN] = [(team["builder"], "R"), (gaps["accountable_not_entitled"], "A")]
    if gaps.get("sod"):
        plan[a.DEPLOYMENT_APPROVAL].append((team["builder"], "R"))
    if "no_accountable" in gaps:
        plan[Activity(gaps["no_accountable"])] = [(team["engineer"], "R")]
    if "several_accountable" in gaps:
        plan[Activity(gaps["several_accountable"])].append((team["pm"], "A"))
    return plan


def _raci(demo: Demo, s: dict[str, Any]) -> None:
    if not s["team"]:
        return
    actor = demo.actor("amara")
    for activity, pairs in _raci_plan(s["team"], s.get("gaps", {})).items():
        raci.set_activity(
            demo.ctx,
            actor,
            demo.ids[s["key"]],
            activity,
            [(demo.ids[k], RaciLetter(letter)) for k, letter in pairs],
        )


def _holders(
    demo: Demo, roles: frozenset[RoleKind], system_key: str, prefer: list[str]
) -> list[str]:
    """Person keys holding any of the roles for the system, team members first."""
    spec_people = [p["key"] for p in load_spec()["people"]]
    ordered = prefer + [k for k in spec_people if k not in prefer]
    with demo.ctx.uow() as uow:
        system = require(uow.systems, "system", demo.ids[system_key])
    out = []
    for key in ordered:
        actor = demo.actor(key)
        if any(
            r.role in roles and r.covers(system.business_unit_id, system.id) for r in actor.roles
        ):
            out.append(key)
    return out


def _step(
    demo: Demo, s: dict[str, Any], target: S, approvals: int | None = None
) -> TransitionRequest:
    """Request one transition and give up to `approvals` approvals (all by default)."""
    team = list((s["team"] or {}).values())
    with demo.ctx.uow() as uow:
        system = require(uow.systems, "system", demo.ids[s["key"]])
    right: DecisionRight = right_for(demo.ctx.rights, system, target)
    requester = _holders(demo, right.request, s["key"], team)[0]
    request, _ = lifecycle.request_transition(
        demo.ctx,
        demo.actor(requester),
        system.id,
        target,
        f"{s['name']}: ready for {target.value.replace('_', ' ')}",
    )
    building = {s["team"]["builder"], s["team"]["engineer"]} if s["team"] else set()
    slots = right.approvals if approvals is None else right.approvals[:approvals]
    for slot in slots:
        blocked = {requester} | building
        approver = next(
            k for k in _holders(demo, slot.any_of, s["key"], ["amara", "liam"]) if k not in blocked
        )
        request, _ = lifecycle.decide(
            demo.ctx,
            demo.actor(approver),
            request.id,
            Decision.APPROVE,
            f"reviewed the {slot.label} evidence",
        )
    return request


def _advance(demo: Demo, s: dict[str, Any]) -> None:
    final = S(s["stage"])
    route = PATH[1:] if final in (S.SUSPENDED, S.RETIRED) else PATH[1 : PATH.index(final) + 1]
    for target in route:
        request = _step(demo, s, target)
        assert request.status is RequestStatus.APPLIED, (s["name"], target, request)
    if final in (S.SUSPENDED, S.RETIRED):
        _step(demo, s, final)
    if "pending" in s:
        _step(demo, s, S(s["pending"]["to"]), s["pending"]["approvals"])


def validate_credit_model(demo: Demo, folder: Path) -> Evidence:
    """Train, score and validate the credit-scoring model; record its evidence."""
    suite_file = write_scored_data(folder)
    return validation.validate(
        demo.ctx,
        demo.actor("farid"),
        demo.ids["credit"],
        load_suite(suite_file),
        lambda s: run_suite(s, folder),
    )


def build_demo(ctx: Context, data_folder: Path | None = None) -> Demo:
    """Create the whole demo organisation in an empty database; with a data folder, also
    train and validate the credit-scoring model there."""
    spec = load_spec()
    person, secret = access.initialise(ctx, spec["admin"]["name"], spec["admin"]["email"])
    demo = Demo(ctx, access.authenticate(ctx, secret), secret)
    demo.ids["admin"], demo.emails["admin"] = person.id, person.email
    _organisation(demo, spec)
    _inventory(demo, spec)
    for s in spec["systems"]:
        _raci(demo, s)
        _advance(demo, s)
    classify_all(demo)
    for key in WEB_PEOPLE.values():
        sessions.set_password(demo.ctx, demo.admin, demo.ids[key], DEMO_PASSWORD)
    if data_folder is not None:
        demo.evidence.append(validate_credit_model(demo, data_folder))
        govern(demo, data_folder)
        monitor_credit(demo, data_folder)
    credit_incident(demo)
    build_portfolio(demo)
    build_people_side(demo)
    if data_folder is not None:  # the register's checks read the credit model's evidence
        people = load_people()
        board = next(b for b in people["bodies"] if b["key"] == "board")
        build_register(demo, board, people["meetings"]["board"]["usual"])
    return demo


#: who can sign in to the demo's web UI, with the demo's shared password (demo only)
DEMO_PASSWORD = "northwind-demo-password"  # noqa: S105 - printed by `charter demo`
WEB_PEOPLE = {
    "chief_ai_officer": "amara",
    "governance_board_member": "uma",
    "board_secretary": "maya",  # the board's secretary, who casts her own vote too
    "ethics_compliance_officer": "liam",
    "data_scientist": "farid",
}

#: the demo's answers to the EU AI Act questionnaire, per system
ANSWERS: dict[str, dict[str, Any]] = {
    "credit": {"annex_iii": ["5.b"], "profiling": True},
    "cv": {"annex_iii": ["4.a"], "profiling": True},
    "chatbot": {"transparency": ["chatbot"]},
    "fraud": {"annex_iii": ["5.b"], "fraud_detection_only": True},
    "triage": {},
    "ocr": {},
    "forecast": {},
    "propensity": {},
    "aml": {},
    "codeassist": {},
    "attrition": {"annex_iii": ["4.b"], "profiling": True},
    "copilot": {"transparency": ["synthetic_content"]},
    "creditline": {"annex_iii": ["5.b"], "profiling": True},
    "offers": {},
}


def classify_all(demo: Demo) -> None:
    """Every system through the EU AI Act questionnaire, by the ethics & compliance officer."""
    for key, answers in ANSWERS.items():
        classification.classify_system(
            demo.ctx, demo.actor("liam"), demo.ids[key], answers, classification_data()
        )


def govern(demo: Demo, folder: Path) -> None:
    """Adopt the policy library; Credit Line Review is refused approval for deployment by
    its failing fairness checks (and missing documents); the board waives the fairness
    requirements for Pre-approved Offers, which then passes its gate."""
    suite = load_suite(folder / "suite.yaml")
    for key in ("creditline", "offers"):  # the same shipped model, scored on the hold-out set
        demo.evidence.append(
            validation.validate(
                demo.ctx, demo.actor("amara"), demo.ids[key], suite,
                lambda s: run_suite(s, folder), _current_version(demo, key),
            )
        )  # fmt: skip
    policies.load_policies(demo.ctx, demo.actor("amara"), load_policy_files([library_path()]))
    spec = {s["key"]: s for s in load_spec()["systems"]}
    blocked = _step(demo, spec["creditline"], S.APPROVED_FOR_DEPLOYMENT)
    assert blocked.status is RequestStatus.PENDING, blocked
    check = governance.check_gate(
        demo.ctx, demo.actor("uma"), demo.ids["offers"], S.APPROVED_FOR_DEPLOYMENT, False
    )
    for verdict in check.policies:
        for r in verdict.requirements:
            if r.verdict is not Verdict.SATISFIED and r.kind not in UNWAIVABLE:
                policies.grant_waiver(
                    demo.ctx, demo.actor("uma"), demo.ids["offers"], verdict.policy_id,
                    r.requirement_id,
                    "Offers are marketing eligibility, not credit decisions; the age gap "
                    "comes from the credit data the model was trained on.",
                    "Offers go to every age group at the same rate; monthly review by the board.",
                    demo.ctx.clock() + timedelta(days=90),
                )  # fmt: skip
    passed = _step(demo, spec["offers"], S.APPROVED_FOR_DEPLOYMENT)
    assert passed.status is RequestStatus.APPLIED, passed


def _current_version(demo: Demo, key: str) -> str | None:
    with demo.ctx.uow() as uow:
        return governance.current_versions(uow).get(demo.ids[key])
