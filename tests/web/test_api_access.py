"""Every route, with a token of each role and with none: the expected 2xx/401/403/404."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from charter.accountability.services import org
from charter.audit import services as audit
from charter.audit.keys import create_key
from charter.bodies.domain import SubjectKind
from charter.bodies.services import bodies, decisions
from charter.bootstrap import context_for
from charter.frameworks import services as classification
from charter.frameworks.files import classification_data
from charter.governance.files import check_policy
from charter.governance.services import documents, lifecycle, policies
from charter.identity.services import access
from charter.incidents import services as incidents
from charter.inventory import services as inventory
from charter.inventory.domain import LifecycleStage as S
from charter.kernel.roles import RoleKind as R
from charter.kernel.store.engine import make_engine
from charter.kernel.store.migrate import upgrade
from charter.monitoring import services as monitoring
from charter.notifications import services as notifications
from charter.notifications.domain import EndpointKind, Status
from charter.people.services import talent
from charter.strategy.services import delivery, kpis
from charter.strategy.services import intake as strategy
from charter.validation import services as validation
from charter.validation.domain.evidence import Aggregates
from charter.validation.domain.suite import parse_suite
from charter.web.app import create_app
from tests.factory import World, make_world
from tests.risks import api_cases as risk_api

ALL = frozenset(R)
ORG_WRITERS = frozenset({R.ADMINISTRATOR, R.CHIEF_AI_OFFICER})
BUILDERS = frozenset({R.CHIEF_AI_OFFICER, R.PROGRAM_MANAGER, R.DATA_SCIENTIST, R.ML_ENGINEER})
CLASSIFIERS = frozenset({R.CHIEF_AI_OFFICER, R.ETHICS_COMPLIANCE})
RACI_WRITERS = frozenset({R.CHIEF_AI_OFFICER, R.PROGRAM_MANAGER, R.ETHICS_COMPLIANCE})
AUDIT_READERS = frozenset(
    {R.AUDITOR, R.ADMINISTRATOR, R.CHIEF_AI_OFFICER, R.ETHICS_COMPLIANCE, R.BOARD_MEMBER}
)
ADMINS = frozenset({R.ADMINISTRATOR})
n = itertools.count(1)

Call = tuple[str, dict[str, Any] | str | None]  # concrete path, JSON body (or CSV text)
SUITE = {
    "name": "s",
    "data": "scored.csv",
    "columns": {"label": "y", "prediction": "p"},
    "checks": [{"id": "acc", "metric": "accuracy", "min": 0.5}],
}


@dataclass(frozen=True)
class Case:
    method: str
    template: str
    allowed: frozenset[R]
    make: Callable[[World], Call]
    unknown: Callable[[World], Call] | None = None  # the same call naming an unknown id
    ok: int | None = None  # when not the method's usual success code
    label: str = ""  # tells apart the rules one route follows


def _system(w: World) -> str:
    return w.system().id


def _request(w: World) -> str:
    request, _ = lifecycle.request_transition(
        w.ctx, w.actor(R.PROGRAM_MANAGER), _system(w), S.ASSESSED, "ready"
    )
    return request.id


def _model(w: World) -> str:
    return inventory.register_model(w.ctx, w.actor(R.DATA_SCIENTIST), f"m{next(n)}").id


def _role(w: World) -> str:
    return org.assign_role(
        w.ctx, w.admin, w.people[R.AUDITOR].id, R.AI_CHAMPION, scope="system", scope_id=_system(w)
    ).id  # type: ignore[arg-type]


POLICY_MANAGERS = frozenset({R.CHIEF_AI_OFFICER, R.ETHICS_COMPLIANCE})
WAIVER_GRANTERS = frozenset({R.CHIEF_AI_OFFICER, R.BOARD_MEMBER})
EVIDENCE_RECORDERS = frozenset(
    {R.CHIEF_AI_OFFICER, R.PROGRAM_MANAGER, R.DATA_SCIENTIST, R.ML_ENGINEER, R.ETHICS_COMPLIANCE}
)


def _policy_raw(pid: str) -> dict[str, Any]:
    return {
        "id": pid,
        "title": "Owner named",
        "requirements": [{"id": "owner", "kind": "accountability", "owner_named": True}],
    }


def _policy(w: World) -> str:
    pid = f"p{next(n)}"
    raw = _policy_raw(pid)
    policies.load_policies(w.ctx, w.actor(R.CHIEF_AI_OFFICER), [(raw, check_policy(raw, pid))])
    return pid


def _waiver_body(w: World, system_id: str) -> dict[str, Any]:
    return {
        "system_id": system_id,
        "policy_id": _policy(w),
        "requirement_id": "owner",
        "reason": "owner being appointed",
        "compensating_measures": "weekly review by the board",
        "expires_at": (datetime.now(UTC) + timedelta(days=30)).isoformat(),
    }


def _waiver(w: World) -> str:
    body = _waiver_body(w, _system(w))
    return policies.grant_waiver(
        w.ctx,
        w.actor(R.BOARD_MEMBER),
        body["system_id"],
        body["policy_id"],
        "owner",
        body["reason"],
        body["compensating_measures"],
        datetime.fromisoformat(body["expires_at"]),
    ).id


def _pending_waiver(w: World) -> str:
    """A waiver on a high-risk system awaiting its second person, granted by a board member
    none of the tested roles is (each of them may confirm it)."""
    system = _system(w)
    inventory.update_system(w.ctx, w.actor(R.CHIEF_AI_OFFICER), system, risk_tier="high")
    granter = w.person(f"Granter {next(n)}", R.BOARD_MEMBER)
    body = _waiver_body(w, system)
    return policies.grant_waiver(
        w.ctx, access.actor_for(w.ctx, granter.id), system, body["policy_id"], "owner",
        body["reason"], body["compensating_measures"],
        datetime.fromisoformat(body["expires_at"]),
    ).id  # fmt: skip


def _document(w: World) -> str:
    return documents.attach_document(
        w.ctx, w.actor(R.DATA_SCIENTIST), _system(w), "dpia", "DPIA", "https://dms/1"
    ).id


def _classified(w: World) -> str:
    system_id = _system(w)
    classification.classify_system(
        w.ctx, w.actor(R.CHIEF_AI_OFFICER), system_id, {"annex_iii": ["4.a"]},
        classification_data(),
    )  # fmt: skip
    return system_id


def _fresh(w: World, role: R | None = None) -> str:
    return w.person(f"Extra {next(n)}", role).id


def _service_account(w: World) -> str:
    email = f"ci{next(n)}@example.org"
    return org.create_person(w.ctx, w.admin, "CI", email, service_account=True).id


def _administrator_grant(w: World) -> str:
    person = _fresh(w, R.ADMINISTRATOR)
    with w.ctx.uow() as uow:
        return uow.roles.all(person_id=person, role=R.ADMINISTRATOR)[0].id


def _token(w: World) -> str:
    return access.create_token(w.ctx, w.actor(R.AUDITOR), None, "x")[0].id


def _objective(w: World) -> str:
    return strategy.create_objective(w.ctx, w.actor(R.CHIEF_AI_OFFICER), f"Goal {next(n)}").id


def _use_case(w: World, sponsor: bool = False) -> str:
    fields: dict[str, Any] = {
        "title": f"Use case {next(n)} {uuid_words()}",
        "objective_id": _objective(w),
        "business_unit_id": w.unit.id,
    }
    if sponsor:
        fields["sponsor_id"] = w.people[R.EXECUTIVE_SPONSOR].id
    champion = w.actor(R.AI_CHAMPION)
    return strategy.submit_use_case(w.ctx, champion, classification_data(), **fields)[0].id


def uuid_words() -> str:
    """Distinct words, so that no use case of the walk is a duplicate of another."""
    return " ".join(f"w{next(n)}x{next(n)}" for _ in range(3))


def _approved(w: World) -> str:
    use_case = _use_case(w, sponsor=True)
    strategy.decide_use_case(w.ctx, w.actor(R.CHIEF_AI_OFFICER), use_case, "approve", "go")
    return use_case


def _linked(w: World) -> tuple[str, str]:
    use_case, system = _use_case(w), _system(w)
    strategy.link_system(w.ctx, w.actor(R.CHIEF_AI_OFFICER), use_case, system)
    return use_case, system


def _kpi_body(w: World) -> dict[str, Any]:
    return {
        "name": "Adoption",
        "unit": "%",
        "direction": "increase",
        "target": 50.0,
        "owner_id": w.people[R.PROGRAM_MANAGER].id,
        "use_case_id": _use_case(w),
    }


def _kpi(w: World) -> str:
    return kpis.define_kpi(w.ctx, w.actor(R.CHIEF_AI_OFFICER), **_kpi_body(w)).id


def _csv_import(text: str, query: str) -> tuple[str, str]:
    """A CSV import: its dry run (which keeps a preview for the caller, with the rights of
    recording), or a confirmation without a preview (the rights checked before it is
    missed). A confirmation needs the caller's own preview: tests/security covers it."""
    return f"/api/v1/measurements/csv?{query}", text


def _body(w: World) -> str:
    """A board of one: the board member chairs it, quorum 1, no function required."""
    body = bodies.create_body(w.ctx, w.admin, f"Board {uuid_words()}", "governance_board",
                              "Decides.", [], 1, 30, ["portfolio"])  # fmt: skip
    bodies.add_member(w.ctx, w.admin, body.id, w.people[R.BOARD_MEMBER].id, "legal", "chair")
    return body.id


def _meeting(w: World, held: bool = False) -> str:
    body = _body(w)
    meeting = bodies.schedule_meeting(w.ctx, w.admin, body, datetime.now(UTC))
    if held:
        bodies.hold_meeting(w.ctx, w.admin, meeting.id, [w.people[R.BOARD_MEMBER].id])
    return meeting.id


def _open_decision(w: World) -> str:
    """A motion put by an administrator with the votes of the board member (chair) and the
    ethics officer as minuted: open until each casts their own."""
    meeting = _meeting(w)
    body = bodies.get_meeting(w.ctx, w.admin, meeting)[1].id
    ethics = w.people[R.ETHICS_COMPLIANCE].id
    bodies.add_member(w.ctx, w.admin, body, ethics, "risk", "member")
    present = [w.people[R.BOARD_MEMBER].id, ethics]
    bodies.hold_meeting(w.ctx, w.admin, meeting, present)
    motion = decisions.Motion(SubjectKind.MOTION, "", "carried", "Adopt", "reviewed")
    return decisions.decide(w.ctx, w.admin, meeting, motion, dict.fromkeys(present, "for")).id


def _member(w: World) -> str:
    return bodies.add_member(
        w.ctx, w.admin, _body(w), w.people[R.AUDITOR].id, "operations", "advisor"
    ).id


def _skill(w: World) -> str:
    return talent.add_skill(w.ctx, w.admin, f"skill {uuid_words()}", "technical").id


def _course(w: World) -> str:
    return talent.add_course(w.ctx, w.admin, f"Course {uuid_words()}", literacy=True).id


def _iteration(w: World) -> str:
    today = datetime.now(UTC).date()
    return delivery.open_iteration(
        w.ctx, w.actor(R.PROGRAM_MANAGER), _approved(w), "pilot", today, today
    ).id


def _experiment(w: World) -> str:
    return delivery.start_experiment(
        w.ctx, w.actor(R.PROGRAM_MANAGER), _approved(w), "it helps", "uplift"
    ).id


def _adoption_row(w: World) -> dict[str, Any]:
    return {"system_id": _system(w), "business_unit_id": w.unit.id, "period": "2026-10",
            "active_users": 5, "eligible_users": 10}  # fmt: skip


def _issued(w: World) -> str:
    from charter.reports.services import documents, sections

    caio = w.actor(R.CHIEF_AI_OFFICER)
    sections.write_sections(w.ctx, caio, "board-pack", "organisation", {"commentary": "c"})
    return documents.issue(w.ctx, caio, "board-pack", "organisation").id


def _fria(w: World) -> str:
    from charter.reports.services import documents, sections

    system, caio = _system(w), w.actor(R.CHIEF_AI_OFFICER)
    texts = {k: "answered" for k in ("a", "b", "c", "d", "e", "f")}
    sections.write_sections(w.ctx, caio, "fria", system, texts)
    from charter.accountability.domain.raci import Activity, RaciLetter
    from charter.accountability.services import raci

    raci.set_activity(
        w.ctx,
        caio,
        system,
        Activity.MONITORING,
        [(w.people[R.PROGRAM_MANAGER].id, RaciLetter.ACCOUNTABLE)],
    )
    return documents.issue(w.ctx, caio, "fria", system).id


REPORT_WRITERS = EVIDENCE_RECORDERS


BODY_MANAGERS = frozenset({R.ADMINISTRATOR, R.CHIEF_AI_OFFICER})
CLERKS = BODY_MANAGERS | {R.BOARD_MEMBER}  # the board member chairs the bodies of the walk
TALENT_MANAGERS = BODY_MANAGERS
TRAINING_RECORDERS = BODY_MANAGERS | {R.PROGRAM_MANAGER, R.AI_CHAMPION}
ADOPTION_RECORDERS = frozenset(
    {R.CHIEF_AI_OFFICER, R.PROGRAM_MANAGER, R.AI_CHAMPION, R.EXECUTIVE_SPONSOR}
)
DELIVERY_RECORDERS = frozenset(
    {R.CHIEF_AI_OFFICER, R.PROGRAM_MANAGER, R.DATA_SCIENTIST, R.ML_ENGINEER}
)
PORTFOLIO_MANAGERS = frozenset({R.CHIEF_AI_OFFICER, R.PROGRAM_MANAGER})
PORTFOLIO_DECIDERS = frozenset({R.CHIEF_AI_OFFICER, R.BOARD_MEMBER})
KPI_DEFINERS = frozenset({R.CHIEF_AI_OFFICER, R.PROGRAM_MANAGER, R.EXECUTIVE_SPONSOR})
KPI_MEASURERS = KPI_DEFINERS | {R.DATA_SCIENTIST, R.ML_ENGINEER}
SUBMITTERS = ALL - {R.AUDITOR, R.ADMINISTRATOR}


def _dependent_dataset(w: World) -> str:
    """A dataset a system's model was trained on."""
    ds = w.actor(R.DATA_SCIENTIST)
    dataset = inventory.register_dataset(w.ctx, ds, f"data{next(n)}")
    model = inventory.register_model(w.ctx, ds, f"dm{next(n)}", _system(w))
    inventory.add_model_version(w.ctx, ds, model.id, "1", "s3://m", "", dataset.id)
    return dataset.id


def _review(w: World) -> str:
    from charter.integrations.services import reviews

    dataset, _ = _breach(w)
    return reviews.mark_dependents_for_review(
        w.ctx, w.actor(R.CHIEF_AI_OFFICER), dataset, "incident"
    )[0].id


def _breach(w: World) -> tuple[str, str]:
    dataset = _dependent_dataset(w)
    with w.ctx.uow() as uow:
        (version,) = uow.model_versions.all(training_dataset_id=dataset)
        model = uow.models.get(version.model_id)
    assert model is not None and model.system_id is not None
    evidence = validation.validate(
        w.ctx, w.actor(R.DATA_SCIENTIST), model.system_id, parse_suite(QUALITY),
        lambda s: Aggregates({}, None, "f", "e", {"nulls": 0.5}),
    )  # fmt: skip
    return dataset, evidence.id


def _breach_call(w: World) -> Call:
    dataset, evidence = _breach(w)
    return f"/api/v1/lineage/datasets/{dataset}/quality-breach", {"evidence_id": evidence}


def _proposal(w: World) -> str:
    from charter.integrations import files
    from charter.integrations.domain.discovery import Finding
    from charter.integrations.services import discovery

    found = [Finding("model-file", "model_file", f"m{next(n)}.onnx", 0, "ONNX")]
    _, made = discovery.record_scan(
        w.ctx, w.actor(R.ML_ENGINEER), "repo", 1, found, files.discovery_catalogue()
    )
    return made[0].id


def _bom(w: World) -> dict[str, Any]:
    return {
        "bomFormat": "CycloneDX", "specVersion": "1.6",
        "components": [{"type": "machine-learning-model", "name": f"bom-model-{next(n)}",
                        "version": "1", "supplier": {"name": "Acme"}}],
    }  # fmt: skip


def _lineage_event(w: World) -> dict[str, Any]:
    return {
        "eventType": "COMPLETE", "eventTime": "2026-01-01T00:00:00Z",
        "run": {"runId": f"run-{next(n)}"}, "job": {"namespace": "p", "name": "j"},
        "inputs": [{"namespace": "s3://lake", "name": f"in{next(n)}"}],
        "outputs": [{"namespace": "s3://lake", "name": "out"}],
    }  # fmt: skip


QUALITY = {
    "name": "quality",
    "data": "scored.csv",
    "columns": {"label": "y", "prediction": "p"},
    "checks": [{"id": "nulls", "metric": "null_rate", "column": "p", "max": 0.0}],
}


def get(
    template: str,
    path: Callable[[World], str] | None = None,
    allowed: frozenset[R] = ALL,
    unknown: str | None = None,
) -> Case:
    make = (lambda w: (path(w), None)) if path else (lambda w: (template, None))
    miss = (lambda w: (unknown, None)) if unknown else None
    return Case("GET", template, allowed, make, miss)


def risk_cases() -> list[Case]:
    return risk_api.cases(Case, get)


CASES = [
    get("/api/v1/me"),
    get("/api/v1/business-units"),
    get(
        "/api/v1/business-units/{unit_id}",
        lambda w: f"/api/v1/business-units/{w.unit.id}",
        unknown="/api/v1/business-units/bu_nope",
    ),
    Case(
        "POST",
        "/api/v1/business-units",
        ORG_WRITERS,
        lambda w: ("/api/v1/business-units", {"name": f"Unit {next(n)}"}),
    ),
    Case(
        "PATCH",
        "/api/v1/business-units/{unit_id}",
        ORG_WRITERS,
        lambda w: (f"/api/v1/business-units/{w.unit.id}", {"description": f"d{next(n)}"}),
        lambda w: ("/api/v1/business-units/bu_nope", {"description": "x"}),
    ),
    get("/api/v1/people"),
    get(
        "/api/v1/people/{person_id}",
        lambda w: f"/api/v1/people/{w.people[R.AUDITOR].id}",
        unknown="/api/v1/people/p_nope",
    ),
    Case(
        "POST",
        "/api/v1/people",
        ORG_WRITERS,
        lambda w: ("/api/v1/people", {"name": "New", "email": f"new{next(n)}@example.org"}),
    ),
    Case(
        "PATCH",
        "/api/v1/people/{person_id}",
        ORG_WRITERS,
        lambda w: (f"/api/v1/people/{w.people[R.AUDITOR].id}", {"title": f"t{next(n)}"}),
        lambda w: ("/api/v1/people/p_nope", {"title": "x"}),
    ),
    get("/api/v1/role-assignments"),
    Case(
        "POST",
        "/api/v1/role-assignments",
        ORG_WRITERS,
        lambda w: (
            "/api/v1/role-assignments",
            {
                "person_id": w.people[R.AUDITOR].id,
                "role": "ai_champion",
                "scope": "system",
                "scope_id": _system(w),
            },
        ),
    ),
    Case(
        "POST",
        "/api/v1/role-assignments",
        ADMINS,
        lambda w: (
            "/api/v1/role-assignments",
            {"person_id": _fresh(w), "role": "administrator"},
        ),
        label="administrator",
    ),
    Case(
        "DELETE",
        "/api/v1/role-assignments/{assignment_id}",
        ORG_WRITERS,
        lambda w: (f"/api/v1/role-assignments/{_role(w)}", None),
        lambda w: ("/api/v1/role-assignments/ra_nope", None),
    ),
    Case(
        "DELETE",
        "/api/v1/role-assignments/{assignment_id}",
        ADMINS,
        lambda w: (f"/api/v1/role-assignments/{_administrator_grant(w)}", None),
        label="administrator",
    ),
    get("/api/v1/systems"),
    Case(
        "POST",
        "/api/v1/systems",
        BUILDERS,
        lambda w: (
            "/api/v1/systems",
            {"name": f"S{next(n)}", "purpose": "p", "business_unit_id": w.unit.id},
        ),
    ),
    get(
        "/api/v1/systems/{system_id}",
        lambda w: f"/api/v1/systems/{_system(w)}",
        unknown="/api/v1/systems/sys_nope",
    ),
    Case(
        "PATCH",
        "/api/v1/systems/{system_id}",
        BUILDERS,
        lambda w: (f"/api/v1/systems/{_system(w)}", {"purpose": "sharper"}),
        lambda w: ("/api/v1/systems/sys_nope", {"purpose": "x"}),
    ),
    *(
        Case(
            "PATCH",
            "/api/v1/systems/{system_id}",
            CLASSIFIERS,  # fields that decide which policies apply and which evidence counts
            lambda w, change=change: (f"/api/v1/systems/{_system(w)}", change),
            lambda w, change=change: ("/api/v1/systems/sys_nope", change),
            label=next(iter(change)),
        )
        for change in (
            {"risk_tier": "limited"},
            {"operator_role": "deployer"},
            {"official_suite": "holdout"},
        )
    ),
    get("/api/v1/vendors"),
    Case(
        "POST", "/api/v1/vendors", BUILDERS, lambda w: ("/api/v1/vendors", {"name": f"V{next(n)}"})
    ),
    get(
        "/api/v1/vendors/{vendor_id}",
        lambda w: (
            "/api/v1/vendors/"
            + inventory.register_vendor(w.ctx, w.actor(R.ML_ENGINEER), f"V{next(n)}").id
        ),
        unknown="/api/v1/vendors/ven_nope",
    ),
    Case(
        "PATCH",
        "/api/v1/vendors/{vendor_id}",
        BUILDERS,
        lambda w: (
            "/api/v1/vendors/"
            + inventory.register_vendor(w.ctx, w.actor(R.ML_ENGINEER), f"V{next(n)}").id,
            {"notes": f"n{next(n)}"},
        ),
        lambda w: ("/api/v1/vendors/ven_nope", {"notes": "x"}),
    ),
    get("/api/v1/datasets"),
    Case(
        "POST",
        "/api/v1/datasets",
        BUILDERS,
        lambda w: ("/api/v1/datasets", {"name": f"D{next(n)}"}),
    ),
    get(
        "/api/v1/datasets/{dataset_id}",
        lambda w: (
            "/api/v1/datasets/"
            + inventory.register_dataset(w.ctx, w.actor(R.ML_ENGINEER), f"D{next(n)}").id
        ),
        unknown="/api/v1/datasets/ds_nope",
    ),
    Case(
        "PATCH",
        "/api/v1/datasets/{dataset_id}",
        BUILDERS,
        lambda w: (
            "/api/v1/datasets/"
            + inventory.register_dataset(w.ctx, w.actor(R.ML_ENGINEER), f"D{next(n)}").id,
            {"retention": f"{next(n)} years"},
        ),
        lambda w: ("/api/v1/datasets/ds_nope", {"retention": "x"}),
    ),
    get("/api/v1/models"),
    Case("POST", "/api/v1/models", BUILDERS, lambda w: ("/api/v1/models", {"name": f"M{next(n)}"})),
    get(
        "/api/v1/models/{model_id}",
        lambda w: f"/api/v1/models/{_model(w)}",
        unknown="/api/v1/models/mdl_nope",
    ),
    Case(
        "PATCH",
        "/api/v1/models/{model_id}",
        BUILDERS,
        lambda w: (f"/api/v1/models/{_model(w)}", {"description": f"d{next(n)}"}),
        lambda w: ("/api/v1/models/mdl_nope", {"description": "x"}),
    ),
    Case(
        "POST",
        "/api/v1/models/{model_id}/versions",
        BUILDERS,
        lambda w: (
            f"/api/v1/models/{_model(w)}/versions",
            {"version": "1", "artifact_uri": "s3://m/1"},
        ),
        lambda w: ("/api/v1/models/mdl_nope/versions", {"version": "1", "artifact_uri": "x"}),
    ),
    get(
        "/api/v1/systems/{system_id}/raci",
        lambda w: f"/api/v1/systems/{_system(w)}/raci",
        unknown="/api/v1/systems/sys_nope/raci",
    ),
    Case(
        "PUT",
        "/api/v1/systems/{system_id}/raci/{activity}",
        RACI_WRITERS,
        lambda w: (
            f"/api/v1/systems/{_system(w)}/raci/design",
            {"assignments": [{"person_id": w.people[R.DATA_SCIENTIST].id, "letter": "R"}]},
        ),
        lambda w: ("/api/v1/systems/sys_nope/raci/design", {"assignments": []}),
    ),
    get(
        "/api/v1/systems/{system_id}/raci/{activity}/{person_id}",
        lambda w: f"/api/v1/systems/{_system(w)}/raci/design/{w.people[R.DATA_SCIENTIST].id}",
        unknown="/api/v1/systems/sys_nope/raci/design/p_nope",
    ),
    Case(
        "PUT",
        "/api/v1/systems/{system_id}/raci/{activity}/{person_id}",
        RACI_WRITERS,
        lambda w: (
            f"/api/v1/systems/{_system(w)}/raci/design/{w.people[R.DATA_SCIENTIST].id}",
            {"letter": "C"},
        ),
        lambda w: ("/api/v1/systems/sys_nope/raci/design/p_nope", {"letter": "C"}),
    ),
    Case(
        "DELETE",
        "/api/v1/systems/{system_id}/raci/{activity}/{person_id}",
        RACI_WRITERS,
        lambda w: (
            f"/api/v1/systems/{_system(w)}/raci/design/{w.people[R.DATA_SCIENTIST].id}",
            None,
        ),
        lambda w: ("/api/v1/systems/sys_nope/raci/design/p_nope", None),
    ),
    get("/api/v1/raci/findings"),
    get(
        "/api/v1/systems/{system_id}/transitions",
        lambda w: f"/api/v1/systems/{_system(w)}/transitions",
        unknown="/api/v1/systems/sys_nope/transitions",
    ),
    Case(
        "POST",
        "/api/v1/systems/{system_id}/transitions",
        frozenset({R.PROGRAM_MANAGER, R.CHIEF_AI_OFFICER}),
        lambda w: (
            f"/api/v1/systems/{_system(w)}/transitions",
            {"to": "assessed", "reason": "ready"},
        ),
        lambda w: ("/api/v1/systems/sys_nope/transitions", {"to": "assessed", "reason": "r"}),
    ),
    get(
        "/api/v1/transitions/{request_id}",
        lambda w: f"/api/v1/transitions/{_request(w)}",
        unknown="/api/v1/transitions/tr_nope",
    ),
    Case(
        "POST",
        "/api/v1/transitions/{request_id}/decisions",
        frozenset({R.ETHICS_COMPLIANCE}),
        lambda w: (
            f"/api/v1/transitions/{_request(w)}/decisions",
            {"decision": "approve", "reason": "screened"},
        ),
        lambda w: ("/api/v1/transitions/tr_nope/decisions", {"decision": "approve", "reason": "r"}),
    ),
    Case(
        "POST",
        "/api/v1/transitions/{request_id}/recheck",
        ALL,
        lambda w: (f"/api/v1/transitions/{_request(w)}/recheck", None),
        lambda w: ("/api/v1/transitions/tr_nope/recheck", None),
        ok=200,
    ),
    Case(
        "POST",
        "/api/v1/systems/{system_id}/validations",
        frozenset(
            {
                R.CHIEF_AI_OFFICER,
                R.PROGRAM_MANAGER,
                R.DATA_SCIENTIST,
                R.ML_ENGINEER,
                R.ETHICS_COMPLIANCE,
            }
        ),
        lambda w: (f"/api/v1/systems/{_system(w)}/validations", {"suite": SUITE}),
        lambda w: ("/api/v1/systems/sys_nope/validations", {"suite": SUITE}),
    ),
    get(
        "/api/v1/systems/{system_id}/evidence",
        lambda w: f"/api/v1/systems/{_system(w)}/evidence",
        unknown="/api/v1/systems/sys_nope/evidence",
    ),
    Case(
        "POST",
        "/api/v1/systems/{system_id}/classification",
        frozenset({R.CHIEF_AI_OFFICER, R.ETHICS_COMPLIANCE}),
        lambda w: (
            f"/api/v1/systems/{_system(w)}/classification",
            {"answers": {"ai_system": True}},
        ),
        lambda w: ("/api/v1/systems/sys_nope/classification", {"answers": {"ai_system": True}}),
    ),
    get(
        "/api/v1/systems/{system_id}/classification",
        lambda w: f"/api/v1/systems/{_classified(w)}/classification",
        unknown="/api/v1/systems/sys_nope/classification",
    ),
    get("/api/v1/packs"),
    get("/api/v1/packs/{pack_id}", lambda w: "/api/v1/packs/gdpr", unknown="/api/v1/packs/nope"),
    get(
        "/api/v1/packs/{pack_id}/diff",
        lambda w: "/api/v1/packs/eu-ai-act/diff?old=original&new=amended",
        unknown="/api/v1/packs/nope/diff?old=original&new=amended",
    ),
    get("/api/v1/obligations/calendar"),
    get("/api/v1/obligations/impact", lambda w: "/api/v1/obligations/impact?schedule=amended"),
    get("/api/v1/readiness"),
    get(
        "/api/v1/systems/{system_id}/readiness",
        lambda w: f"/api/v1/systems/{_system(w)}/readiness?pack=eu-ai-act",
        unknown="/api/v1/systems/sys_nope/readiness",
    ),
    get("/api/v1/policies/schema"),
    get("/api/v1/policies"),
    Case(
        "POST",
        "/api/v1/policies",
        POLICY_MANAGERS,
        lambda w: ("/api/v1/policies", {"policies": [_policy_raw(f"p{next(n)}")]}),
    ),
    get(
        "/api/v1/policies/{policy_id}",
        lambda w: f"/api/v1/policies/{_policy(w)}",
        unknown="/api/v1/policies/nope",
    ),
    Case(
        "PUT",
        "/api/v1/policies/{policy_id}/enabled",
        POLICY_MANAGERS,
        lambda w: (f"/api/v1/policies/{_policy(w)}/enabled", {"enabled": False}),
        lambda w: ("/api/v1/policies/nope/enabled", {"enabled": True}),
    ),
    get(
        "/api/v1/systems/{system_id}/gate",
        lambda w: f"/api/v1/systems/{_system(w)}/gate?to=assessed",
        unknown="/api/v1/systems/sys_nope/gate?to=assessed",
    ),
    get("/api/v1/posture"),
    get("/api/v1/waivers"),
    Case(
        "POST",
        "/api/v1/waivers",
        WAIVER_GRANTERS,
        lambda w: ("/api/v1/waivers", _waiver_body(w, _system(w))),
        lambda w: ("/api/v1/waivers", _waiver_body(w, "sys_nope")),
    ),
    Case(
        "POST",
        "/api/v1/waivers/{waiver_id}/revoke",
        WAIVER_GRANTERS,
        lambda w: (f"/api/v1/waivers/{_waiver(w)}/revoke", {"reason": "owner appointed"}),
        lambda w: ("/api/v1/waivers/wv_nope/revoke", {"reason": "x"}),
        ok=200,
    ),
    Case(
        "POST",
        "/api/v1/waivers/{waiver_id}/confirm",
        WAIVER_GRANTERS,
        lambda w: (f"/api/v1/waivers/{_pending_waiver(w)}/confirm", None),
        lambda w: ("/api/v1/waivers/wv_nope/confirm", None),
        ok=200,
    ),
    get(
        "/api/v1/systems/{system_id}/documents",
        lambda w: f"/api/v1/systems/{_system(w)}/documents",
        unknown="/api/v1/systems/sys_nope/documents",
    ),
    Case(
        "POST",
        "/api/v1/systems/{system_id}/documents",
        EVIDENCE_RECORDERS,
        lambda w: (
            f"/api/v1/systems/{_system(w)}/documents",
            {"kind": "dpia", "title": "DPIA", "uri": "https://dms/2"},
        ),
        lambda w: ("/api/v1/systems/sys_nope/documents", {"kind": "d", "title": "t", "uri": "u"}),
    ),
    get("/api/v1/document-kinds"),
    Case(
        "POST",
        "/api/v1/documents/{document_id}/approve",
        frozenset({R.ETHICS_COMPLIANCE}),
        lambda w: (
            f"/api/v1/documents/{_document(w)}/approve",
            {"role": "ethics_compliance_officer"},
        ),
        lambda w: ("/api/v1/documents/doc_nope/approve", {"role": "ethics_compliance_officer"}),
        ok=200,
    ),
    get("/api/v1/decision-rights"),
    get("/api/v1/inbox"),
    get("/api/v1/tokens"),  # one's own; an administrator's holds everyone's
    Case(
        "GET",
        "/api/v1/tokens",
        ADMINS | {R.AUDITOR},
        lambda w: (f"/api/v1/tokens?person_id={w.people[R.AUDITOR].id}", None),
        label="the auditor's",
    ),
    Case(
        "POST",
        "/api/v1/tokens",
        ALL,
        lambda w: ("/api/v1/tokens", {"name": "laptop"}),
        label="own token",
    ),
    Case(
        "POST",
        "/api/v1/tokens",
        frozenset(),
        lambda w: ("/api/v1/tokens", {"person_id": _fresh(w, R.AUDITOR), "name": "as them"}),
        label="another person's token",
    ),
    Case(
        "POST",
        "/api/v1/tokens",
        ADMINS,
        lambda w: ("/api/v1/tokens", {"person_id": _service_account(w), "name": "ci"}),
        label="service account's token",
    ),
    Case(
        "DELETE",
        "/api/v1/tokens/{token_id}",
        ADMINS | {R.AUDITOR},
        lambda w: (f"/api/v1/tokens/{_token(w)}", None),
        lambda w: ("/api/v1/tokens/tok_nope", None),
        label="the auditor's",
    ),
    get("/api/v1/audit/events", allowed=AUDIT_READERS),
    get("/api/v1/audit/verify", allowed=AUDIT_READERS),
    get("/api/v1/audit/checkpoints/latest", allowed=AUDIT_READERS),
    Case(
        "POST",
        "/api/v1/audit/checkpoints",
        AUDIT_READERS,
        lambda w: ("/api/v1/audit/checkpoints", None),
    ),
    get(
        "/api/v1/audit/proofs/inclusion",
        lambda w: "/api/v1/audit/proofs/inclusion?seq=2",
        allowed=AUDIT_READERS,
    ),
    get(
        "/api/v1/audit/proofs/consistency",
        lambda w: "/api/v1/audit/proofs/consistency?from=3",
        allowed=AUDIT_READERS,
    ),
    get("/api/v1/objectives"),
    Case(
        "POST",
        "/api/v1/objectives",
        PORTFOLIO_MANAGERS,
        lambda w: ("/api/v1/objectives", {"name": f"Objective {next(n)}"}),
    ),
    get("/api/v1/use-cases"),
    Case(
        "POST",
        "/api/v1/use-cases",
        SUBMITTERS,
        lambda w: (
            "/api/v1/use-cases",
            {
                "title": f"Idea {uuid_words()}",
                "objective_id": _objective(w),
                "business_unit_id": w.unit.id,
                "estimates": [{"kind": "revenue", "amount": 100000, "confidence": 40}],
            },
        ),
    ),
    get(
        "/api/v1/use-cases/{use_case_id}",
        lambda w: f"/api/v1/use-cases/{_use_case(w)}",
        unknown="/api/v1/use-cases/uc_nope",
    ),
    Case(
        "PATCH",
        "/api/v1/use-cases/{use_case_id}",
        PORTFOLIO_MANAGERS | {R.AI_CHAMPION},  # the champion submitted it and may still edit
        lambda w: (f"/api/v1/use-cases/{_use_case(w)}", {"ratings": {"feasibility": 3}}),
        lambda w: ("/api/v1/use-cases/uc_nope", {"ratings": {"feasibility": 3}}),
    ),
    Case(
        "POST",
        "/api/v1/use-cases/{use_case_id}/decisions",
        PORTFOLIO_DECIDERS,
        lambda w: (
            f"/api/v1/use-cases/{_use_case(w)}/decisions",
            {"decision": "park", "reason": "next year"},
        ),
        lambda w: ("/api/v1/use-cases/uc_nope/decisions", {"decision": "park", "reason": "r"}),
        ok=200,
    ),
    Case(
        "PUT",
        "/api/v1/use-cases/{use_case_id}/plan",
        PORTFOLIO_MANAGERS,
        lambda w: (
            f"/api/v1/use-cases/{_use_case(w)}/plan",
            {"start_quarter": "2027-Q1", "end_quarter": "2027-Q2"},
        ),
        lambda w: ("/api/v1/use-cases/uc_nope/plan", {}),
    ),
    Case(
        "POST",
        "/api/v1/use-cases/{use_case_id}/systems",
        PORTFOLIO_MANAGERS,
        lambda w: (f"/api/v1/use-cases/{_use_case(w)}/systems", {"system_id": _system(w)}),
        lambda w: ("/api/v1/use-cases/uc_nope/systems", {"system_id": _system(w)}),
        ok=200,
    ),
    Case(
        "DELETE",
        "/api/v1/use-cases/{use_case_id}/systems/{system_id}",
        PORTFOLIO_MANAGERS,
        lambda w: ("/api/v1/use-cases/{}/systems/{}".format(*_linked(w)), None),
        lambda w: (f"/api/v1/use-cases/uc_nope/systems/{_system(w)}", None),
        ok=200,
    ),
    Case(
        "POST",
        "/api/v1/use-cases/{use_case_id}/promote",
        PORTFOLIO_MANAGERS,
        lambda w: (f"/api/v1/use-cases/{_approved(w)}/promote", {"name": f"Sys {uuid_words()}"}),
        lambda w: ("/api/v1/use-cases/uc_nope/promote", {}),
    ),
    get("/api/v1/portfolio"),
    get("/api/v1/portfolio/model"),
    get("/api/v1/roadmap"),
    get("/api/v1/kpis"),
    Case("POST", "/api/v1/kpis", KPI_DEFINERS, lambda w: ("/api/v1/kpis", _kpi_body(w))),
    get(
        "/api/v1/kpis/{kpi_id}",
        lambda w: f"/api/v1/kpis/{_kpi(w)}",
        unknown="/api/v1/kpis/kpi_nope",
    ),
    Case(
        "PATCH",
        "/api/v1/kpis/{kpi_id}",
        KPI_DEFINERS,
        lambda w: (f"/api/v1/kpis/{_kpi(w)}", {"target": 55.0}),
        lambda w: ("/api/v1/kpis/kpi_nope", {"target": 55.0}),
    ),
    Case(
        "POST",
        "/api/v1/measurements",
        KPI_MEASURERS,
        lambda w: (
            "/api/v1/measurements",
            {"measurements": [{"kpi_id": _kpi(w), "period": "2026-10", "value": 12.5}]},
        ),
    ),
    Case(
        "POST",
        "/api/v1/measurements/csv",
        KPI_MEASURERS,
        lambda w: _csv_import(f"kpi_id,period,value\n{_kpi(w)},2026-10,3\n", "dry_run=true"),
        ok=200,
        label="dry run",
    ),
    Case(
        "POST",
        "/api/v1/measurements/csv",
        KPI_MEASURERS,
        lambda w: _csv_import(f"kpi_id,period,value\n{_kpi(w)},2026-10,3\n", "dry_run=false"),
        ok=422,
        label="without a preview",
    ),
    get("/api/v1/value"),
    get("/api/v1/bodies"),
    Case(
        "POST",
        "/api/v1/bodies",
        BODY_MANAGERS,
        lambda w: (
            "/api/v1/bodies",
            {
                "name": f"Council {uuid_words()}",
                "kind": "innovation_council",
                "charter": "Finds ideas.",
                "required_functions": ["it"],
                "quorum": 2,
                "cadence_days": 30,
                "remit": ["portfolio"],
            },
        ),
    ),
    get(
        "/api/v1/bodies/{body_id}",
        lambda w: f"/api/v1/bodies/{_body(w)}",
        unknown="/api/v1/bodies/bdy_nope",
    ),
    Case(
        "POST",
        "/api/v1/bodies/{body_id}/members",
        BODY_MANAGERS,
        lambda w: (
            f"/api/v1/bodies/{_body(w)}/members",
            {"person_id": w.people[R.AUDITOR].id, "function": "risk"},
        ),
        lambda w: (
            "/api/v1/bodies/bdy_nope/members",
            {"person_id": w.people[R.AUDITOR].id, "function": "risk"},
        ),
    ),
    Case(
        "DELETE",
        "/api/v1/members/{member_id}",
        BODY_MANAGERS,
        lambda w: (f"/api/v1/members/{_member(w)}", None),
        lambda w: ("/api/v1/members/mbr_nope", None),
    ),
    get(
        "/api/v1/bodies/{body_id}/agenda",
        lambda w: f"/api/v1/bodies/{_body(w)}/agenda",
        unknown="/api/v1/bodies/bdy_nope/agenda",
    ),
    Case(
        "POST",
        "/api/v1/bodies/{body_id}/meetings",
        CLERKS,
        lambda w: (
            f"/api/v1/bodies/{_body(w)}/meetings",
            {"scheduled_for": "2026-12-15T10:00:00+00:00"},
        ),
        lambda w: (
            "/api/v1/bodies/bdy_nope/meetings",
            {"scheduled_for": "2026-12-15T10:00:00+00:00"},
        ),
    ),
    get(
        "/api/v1/meetings/{meeting_id}",
        lambda w: f"/api/v1/meetings/{_meeting(w)}",
        unknown="/api/v1/meetings/mtg_nope",
    ),
    Case(
        "POST",
        "/api/v1/meetings/{meeting_id}/attendance",
        CLERKS,
        lambda w: (
            f"/api/v1/meetings/{_meeting(w)}/attendance",
            {"attendees": [w.people[R.BOARD_MEMBER].id]},
        ),
        lambda w: ("/api/v1/meetings/mtg_nope/attendance", {"attendees": []}),
        ok=200,
    ),
    Case(
        "POST",
        "/api/v1/meetings/{meeting_id}/decisions",
        CLERKS,
        lambda w: (
            f"/api/v1/meetings/{_meeting(w, held=True)}/decisions",
            {
                "subject_kind": "motion",
                "outcome": "carried",
                "title": "Adopt the AI policy",
                "reason": "reviewed",
                "votes": {w.people[R.BOARD_MEMBER].id: "for"},
            },
        ),
        lambda w: (
            "/api/v1/meetings/mtg_nope/decisions",
            {
                "subject_kind": "motion",
                "outcome": "carried",
                "title": "t",
                "reason": "r",
                "votes": {},
            },
        ),
    ),
    get("/api/v1/decisions"),
    Case(
        "POST",
        "/api/v1/decisions/{decision_id}/votes",
        frozenset({R.BOARD_MEMBER, R.ETHICS_COMPLIANCE}),  # the voting members present only
        lambda w: (f"/api/v1/decisions/{_open_decision(w)}/votes", {"vote": "for"}),
        lambda w: ("/api/v1/decisions/bd_nope/votes", {"vote": "for"}),
        ok=200,
    ),
    get("/api/v1/talent"),
    Case(
        "POST",
        "/api/v1/skills",
        TALENT_MANAGERS,
        lambda w: ("/api/v1/skills", {"name": f"s {uuid_words()}", "category": "business"}),
    ),
    Case(
        "POST",
        "/api/v1/skill-needs",
        TALENT_MANAGERS,
        lambda w: (
            "/api/v1/skill-needs",
            {"role": "data_scientist", "skill_id": _skill(w), "level": 2},
        ),
    ),
    Case(
        "POST",
        "/api/v1/people/{person_id}/skills",
        TRAINING_RECORDERS,
        lambda w: (
            f"/api/v1/people/{w.people[R.DATA_SCIENTIST].id}/skills",
            {"skill_id": _skill(w), "level": 2, "evidence": "a project"},
        ),
        lambda w: (
            "/api/v1/people/p_nope/skills",
            {"skill_id": _skill(w), "level": 2, "evidence": "a project"},
        ),
    ),
    get(
        "/api/v1/people/{person_id}/training",
        lambda w: f"/api/v1/people/{w.people[R.DATA_SCIENTIST].id}/training",
        unknown="/api/v1/people/p_nope/training",
    ),
    Case(
        "POST",
        "/api/v1/courses",
        TALENT_MANAGERS,
        lambda w: ("/api/v1/courses", {"title": f"Course {uuid_words()}", "literacy": True}),
    ),
    Case(
        "POST",
        "/api/v1/completions",
        TRAINING_RECORDERS,
        lambda w: (
            "/api/v1/completions",
            {
                "person_id": w.people[R.DATA_SCIENTIST].id,
                "course_id": _course(w),
                "completed_on": "2026-11-02",
            },
        ),
    ),
    get("/api/v1/adoption"),
    Case(
        "POST",
        "/api/v1/adoption",
        ADOPTION_RECORDERS,
        lambda w: ("/api/v1/adoption", {"rows": [_adoption_row(w)]}),
    ),
    Case(
        "POST",
        "/api/v1/surveys",
        ADOPTION_RECORDERS,
        lambda w: (
            "/api/v1/surveys",
            {
                "title": "Pulse",
                "period": "2026-10",
                "responses": 10,
                "sentiment": 3.5,
                "concerns": {"jobs": 2},
            },
        ),
    ),
    Case(
        "POST",
        "/api/v1/communications",
        ADOPTION_RECORDERS,
        lambda w: (
            "/api/v1/communications",
            {"title": "Launch", "channel": "email", "sent_on": "2026-11-02", "audience": "all"},
        ),
    ),
    get(
        "/api/v1/use-cases/{use_case_id}/iterations",
        lambda w: f"/api/v1/use-cases/{_use_case(w)}/iterations",
        unknown="/api/v1/use-cases/uc_nope/iterations",
    ),
    Case(
        "POST",
        "/api/v1/use-cases/{use_case_id}/iterations",
        DELIVERY_RECORDERS,
        lambda w: (
            f"/api/v1/use-cases/{_approved(w)}/iterations",
            {"goal": "pilot", "starts_on": "2026-11-01", "ends_on": "2026-11-14"},
        ),
        lambda w: (
            "/api/v1/use-cases/uc_nope/iterations",
            {"goal": "pilot", "starts_on": "2026-11-01", "ends_on": "2026-11-14"},
        ),
    ),
    Case(
        "POST",
        "/api/v1/iterations/{iteration_id}/close",
        DELIVERY_RECORDERS,
        lambda w: (
            f"/api/v1/iterations/{_iteration(w)}/close",
            {"decision": "persevere", "outcome": "worked"},
        ),
        lambda w: (
            "/api/v1/iterations/itr_nope/close",
            {"decision": "persevere", "outcome": "worked"},
        ),
        ok=200,
    ),
    Case(
        "POST",
        "/api/v1/use-cases/{use_case_id}/experiments",
        DELIVERY_RECORDERS,
        lambda w: (
            f"/api/v1/use-cases/{_approved(w)}/experiments",
            {"hypothesis": "it helps", "metric": "uplift"},
        ),
        lambda w: (
            "/api/v1/use-cases/uc_nope/experiments",
            {"hypothesis": "it helps", "metric": "uplift"},
        ),
    ),
    Case(
        "POST",
        "/api/v1/experiments/{experiment_id}/conclude",
        DELIVERY_RECORDERS,
        lambda w: (
            f"/api/v1/experiments/{_experiment(w)}/conclude",
            {"result": "supported", "finding": "+4%"},
        ),
        lambda w: (
            "/api/v1/experiments/exp_nope/conclude",
            {"result": "supported", "finding": "+4%"},
        ),
        ok=200,
    ),
    get("/api/v1/report-types"),
    get(
        "/api/v1/reports/{subject_id}",
        lambda w: f"/api/v1/reports/{_system(w)}",
        unknown="/api/v1/reports/sys_nope",
    ),
    get(
        "/api/v1/reports/{subject_id}/{kind}",
        lambda w: f"/api/v1/reports/{_system(w)}/model-card",
        unknown="/api/v1/reports/sys_nope/model-card",
    ),
    get(
        "/api/v1/reports/{subject_id}/{kind}/pdf",
        lambda w: f"/api/v1/reports/{_system(w)}/model-card/pdf",
    ),
    Case(
        "PUT",
        "/api/v1/reports/{subject_id}/{kind}/sections",
        REPORT_WRITERS,
        lambda w: (
            f"/api/v1/reports/{_system(w)}/model-card/sections",
            {"sections": {"limitations": f"v{next(n)}"}},
        ),
        lambda w: ("/api/v1/reports/sys_nope/model-card/sections", {"sections": {}}),
    ),
    Case(
        "POST",
        "/api/v1/reports/{subject_id}/{kind}/final",
        ORG_WRITERS,
        lambda w: ("/api/v1/reports/organisation/board-pack/final", None),
        ok=409,  # the commentary is not written: refused, naming it
        label="refused when incomplete",
    ),
    get(
        "/api/v1/issued-reports/{report_id}",
        lambda w: f"/api/v1/issued-reports/{_issued(w)}",
        unknown="/api/v1/issued-reports/rep_nope",
    ),
    get(
        "/api/v1/issued-reports/{report_id}/pdf",
        lambda w: f"/api/v1/issued-reports/{_issued(w)}/pdf",
    ),
    Case(
        "POST",
        "/api/v1/issued-reports/{report_id}/submissions",
        REPORT_WRITERS,
        lambda w: (
            f"/api/v1/issued-reports/{_fria(w)}/submissions",
            {"sent_to": "market surveillance authority", "reference": f"N-{next(n)}"},
        ),
        lambda w: (
            "/api/v1/issued-reports/rep_nope/submissions",
            {"sent_to": "a", "reference": "b"},
        ),
    ),
    get(
        "/api/v1/bundles/{kind}/{decision_id}",
        lambda w: f"/api/v1/bundles/transition/{_request(w)}",
        allowed=AUDIT_READERS,
        unknown="/api/v1/bundles/transition/tr_nope",
    ),
    Case(
        "POST",
        "/api/v1/imports",
        BUILDERS,
        lambda w: (
            "/api/v1/imports?name=systems.csv",
            f"name,purpose,business_unit\nImported {next(n)},Scores,{w.unit.name}\n",
        ),
    ),
    Case("POST", "/api/v1/lineage", BUILDERS, lambda w: ("/api/v1/lineage", _lineage_event(w))),
    get(
        "/api/v1/lineage/impact",
        lambda w: f"/api/v1/lineage/impact?dataset={_dependent_dataset(w)}",
        unknown="/api/v1/lineage/impact?dataset=ds_nope",
    ),
    Case(
        "POST",
        "/api/v1/lineage/datasets/{dataset}/review",
        EVIDENCE_RECORDERS,
        lambda w: (
            f"/api/v1/lineage/datasets/{_dependent_dataset(w)}/review",
            {"reason": "incident"},
        ),
        lambda w: ("/api/v1/lineage/datasets/ds_nope/review", {"reason": "incident"}),
    ),
    Case(
        "POST",
        "/api/v1/lineage/datasets/{dataset}/quality-breach",
        EVIDENCE_RECORDERS,
        _breach_call,
        lambda w: ("/api/v1/lineage/datasets/ds_nope/quality-breach", {"evidence_id": "ev_x"}),
    ),
    get("/api/v1/evidence-reviews"),
    Case(
        "POST",
        "/api/v1/evidence-reviews/{review_id}/resolve",
        EVIDENCE_RECORDERS,
        lambda w: (f"/api/v1/evidence-reviews/{_review(w)}/resolve", {"resolution": "ok"}),
        lambda w: ("/api/v1/evidence-reviews/rev_nope/resolve", {"resolution": "ok"}),
        ok=200,
    ),
    get(
        "/api/v1/systems/{system_id}/bom",
        lambda w: f"/api/v1/systems/{_system(w)}/bom",
        unknown="/api/v1/systems/sys_nope/bom",
    ),
    Case("POST", "/api/v1/boms", BUILDERS, lambda w: ("/api/v1/boms", _bom(w))),
    get("/api/v1/discovery/proposals"),
    Case(
        "POST",
        "/api/v1/discovery/proposals/{proposal_id}/accept",
        BUILDERS,
        lambda w: (f"/api/v1/discovery/proposals/{_proposal(w)}/accept", {}),
        lambda w: ("/api/v1/discovery/proposals/prop_nope/accept", {}),
        ok=200,
    ),
    Case(
        "POST",
        "/api/v1/discovery/proposals/{proposal_id}/dismiss",
        BUILDERS,
        lambda w: (f"/api/v1/discovery/proposals/{_proposal(w)}/dismiss", None),
        lambda w: ("/api/v1/discovery/proposals/prop_nope/dismiss", None),
        ok=200,
    ),
    get("/api/v1/integrations/mlflow/flags"),
    get(
        "/api/v1/systems/{system_id}/reported-metrics",
        lambda w: f"/api/v1/systems/{_system(w)}/reported-metrics",
        unknown="/api/v1/systems/sys_nope/reported-metrics",
    ),
    get("/api/v1/scorecard"),
    get(
        "/api/v1/audit/history/{entity_type}/{entity_id}",
        lambda w: f"/api/v1/audit/history/business_unit/{w.unit.id}",
        allowed=AUDIT_READERS,
    ),
    *risk_cases(),
]


# --- after go-live: notifications, monitors, incidents --------------------------------------

NOTIFICATION_MANAGERS = frozenset({R.ADMINISTRATOR, R.CHIEF_AI_OFFICER})
MONITOR_MANAGERS = BUILDERS
INCIDENT_RECORDERS = ALL - {R.AUDITOR}
INCIDENT_MANAGERS = frozenset({R.CHIEF_AI_OFFICER, R.ETHICS_COMPLIANCE})
SUSPENSION_REQUESTERS = frozenset({R.CHIEF_AI_OFFICER, R.ETHICS_COMPLIANCE, R.PROGRAM_MANAGER})
MONITOR_SUITE = {
    "name": "window",
    "columns": {"label": "y", "prediction": "p"},
    "checks": [{"id": "acc", "metric": "accuracy", "min": 0.9}],  # 2 of 3 right: a breach
}
SLOT = datetime(2026, 1, 5, 6, tzinfo=UTC)


def _endpoint(w: World) -> str:
    return notifications.create_endpoint(
        w.ctx, w.admin, f"hook {uuid_words()}", "https://hooks.example.org/walk",
        EndpointKind.STANDARD, ["incident.deadline_near"],
    )[0].id  # fmt: skip


def _delivery(w: World, failed: bool = False) -> str:
    """A webhook delivery (to an endpoint of its own), failed for good when asked."""
    endpoint = _endpoint(w)
    with w.ctx.uow() as uow:
        notifications.notify(w.ctx, uow, "incident.deadline_near", ("incident", "inc_x"), "t", [])
        uow.commit()
    notifications.dispatch(w.ctx)
    with w.ctx.uow() as uow:
        (found,) = uow.deliveries.all(endpoint_id=endpoint)
        if failed:
            uow.deliveries.update(replace(found, status=Status.FAILED))
            uow.commit()
    return found.id


def _monitor(w: World) -> str:
    return monitoring.create_monitor(
        w.ctx, w.actor(R.ML_ENGINEER), _system(w), f"daily {uuid_words()}", MONITOR_SUITE,
        {"file": "scored.csv"}, "0 6 * * *",
    ).id  # fmt: skip


def _alert(w: World) -> str:
    monitor = _monitor(w)
    run = monitoring.run_monitor(w.ctx, monitor, SLOT)
    return monitoring.alerts(w.ctx, w.admin, run.system_id)[0].id


def _monitor_review(w: World) -> str:
    """Two breaching runs in a row: the shipped rules raise a review for the system's owner
    (the executive sponsor)."""
    monitor = _monitor(w)
    monitoring.run_monitor(w.ctx, monitor, SLOT)
    run = monitoring.run_monitor(w.ctx, monitor, SLOT + timedelta(days=1))
    return monitoring.reviews(w.ctx, w.admin, run.system_id)[0].id


def _incident(w: World) -> str:
    return incidents.record_incident(
        w.ctx, w.actor(R.PROGRAM_MANAGER), _system(w), "Wrong refusals",
        "Applicants over 60 refused", "a complaint", datetime.now(UTC) - timedelta(hours=2),
    ).id  # fmt: skip


def _minor_incident(w: World) -> str:
    incident = _incident(w)
    incidents.classify_incident(
        w.ctx, w.actor(R.CHIEF_AI_OFFICER), incident, [], False, False, "no harm"
    )
    return incident


def _action(w: World) -> str:
    """A corrective action the program manager owns."""
    return incidents.add_action(
        w.ctx, w.actor(R.PROGRAM_MANAGER), _incident(w), "Retrain",
        w.people[R.PROGRAM_MANAGER].id,
    ).id  # fmt: skip


def _incident_body(w: World) -> dict[str, Any]:
    return {
        "title": "Wrong refusals",
        "description": "Applicants over 60 refused",
        "reported_by": "a complaint",
        "aware_at": (datetime.now(UTC) - timedelta(hours=1)).isoformat(),
    }


def _monitor_body() -> dict[str, Any]:
    return {"name": f"daily {uuid_words()}", "suite": MONITOR_SUITE,
            "location": {"file": "scored.csv"}, "schedule": "0 6 * * *"}  # fmt: skip


GO_LIVE = [
    get("/api/v1/notifications/events"),
    get("/api/v1/notifications"),
    get("/api/v1/notifications/deliveries"),
    get(
        "/api/v1/notifications/deliveries/{delivery_id}",
        lambda w: f"/api/v1/notifications/deliveries/{_delivery(w)}",
        NOTIFICATION_MANAGERS,
        unknown="/api/v1/notifications/deliveries/dl_nope",
    ),
    Case(
        "POST",
        "/api/v1/notifications/deliveries/{delivery_id}/replay",
        NOTIFICATION_MANAGERS,
        lambda w: (f"/api/v1/notifications/deliveries/{_delivery(w, failed=True)}/replay", None),
        lambda w: ("/api/v1/notifications/deliveries/dl_nope/replay", None),
        ok=200,
    ),
    get("/api/v1/notifications/endpoints", allowed=NOTIFICATION_MANAGERS),
    Case(
        "POST",
        "/api/v1/notifications/endpoints",
        NOTIFICATION_MANAGERS,
        lambda w: (
            "/api/v1/notifications/endpoints",
            {"name": f"ops {uuid_words()}", "url": "https://hooks.example.org/ops"},
        ),
    ),
    Case(
        "PUT",
        "/api/v1/notifications/endpoints/{endpoint_id}/state",
        NOTIFICATION_MANAGERS,
        lambda w: (f"/api/v1/notifications/endpoints/{_endpoint(w)}/state", {"active": False}),
        lambda w: ("/api/v1/notifications/endpoints/we_nope/state", {"active": False}),
    ),
    Case(
        "POST",
        "/api/v1/notifications/endpoints/{endpoint_id}/secret",
        NOTIFICATION_MANAGERS,
        lambda w: (f"/api/v1/notifications/endpoints/{_endpoint(w)}/secret", None),
        lambda w: ("/api/v1/notifications/endpoints/we_nope/secret", None),
        ok=200,
    ),
    Case(
        "POST",
        "/api/v1/notifications/endpoints/{endpoint_id}/replay",
        NOTIFICATION_MANAGERS,
        lambda w: (f"/api/v1/notifications/endpoints/{_endpoint(w)}/replay", None),
        lambda w: ("/api/v1/notifications/endpoints/we_nope/replay", None),
        ok=200,
    ),
    get("/api/v1/me/notification-preferences"),
    Case(
        "PUT",
        "/api/v1/me/notification-preferences",
        ALL,
        lambda w: ("/api/v1/me/notification-preferences", {"event_type": "*", "mode": "digest"}),
    ),
    get("/api/v1/monitors"),
    Case(
        "POST",
        "/api/v1/systems/{system_id}/monitors",
        MONITOR_MANAGERS,
        lambda w: (f"/api/v1/systems/{_system(w)}/monitors", _monitor_body()),
        lambda w: ("/api/v1/systems/sys_nope/monitors", _monitor_body()),
    ),
    Case(
        "POST",
        "/api/v1/monitors/{monitor_id}/runs",
        EVIDENCE_RECORDERS,
        lambda w: (f"/api/v1/monitors/{_monitor(w)}/runs", {"slot": SLOT.isoformat()}),
        lambda w: ("/api/v1/monitors/mon_nope/runs", {"slot": SLOT.isoformat()}),
    ),
    get(
        "/api/v1/monitors/{monitor_id}/runs",
        lambda w: f"/api/v1/monitors/{_monitor(w)}/runs",
        unknown="/api/v1/monitors/mon_nope/runs",
    ),
    get(
        "/api/v1/systems/{system_id}/series",
        lambda w: f"/api/v1/systems/{_system(w)}/series",
        unknown="/api/v1/systems/sys_nope/series",
    ),
    get("/api/v1/alerts"),
    Case(
        "POST",
        "/api/v1/alerts/{alert_id}/resolve",
        MONITOR_MANAGERS,
        lambda w: (f"/api/v1/alerts/{_alert(w)}/resolve", {"note": "data fixed upstream"}),
        lambda w: ("/api/v1/alerts/al_nope/resolve", {"note": "x"}),
        ok=200,
    ),
    get("/api/v1/reviews"),
    Case(
        "POST",
        "/api/v1/reviews/{review_id}/close",
        MONITOR_MANAGERS | {R.EXECUTIVE_SPONSOR},  # the sponsor owns the walk's systems
        lambda w: (f"/api/v1/reviews/{_monitor_review(w)}/close", {"note": "retrained"}),
        lambda w: ("/api/v1/reviews/rv_nope/close", {"note": "x"}),
        ok=200,
    ),
    get("/api/v1/evidence/stale"),
    get("/api/v1/incidents"),
    Case(
        "POST",
        "/api/v1/systems/{system_id}/incidents",
        INCIDENT_RECORDERS,
        lambda w: (f"/api/v1/systems/{_system(w)}/incidents", _incident_body(w)),
        lambda w: ("/api/v1/systems/sys_nope/incidents", _incident_body(w)),
    ),
    get(
        "/api/v1/incidents/{incident_id}",
        lambda w: f"/api/v1/incidents/{_incident(w)}",
        unknown="/api/v1/incidents/inc_nope",
    ),
    Case(
        "POST",
        "/api/v1/incidents/{incident_id}/classification",
        INCIDENT_MANAGERS,
        lambda w: (
            f"/api/v1/incidents/{_incident(w)}/classification",
            {"categories": ["fundamental_rights_infringement"], "reason": "age discrimination"},
        ),
        lambda w: ("/api/v1/incidents/inc_nope/classification", {"categories": [], "reason": "r"}),
        ok=200,
    ),
    Case(
        "POST",
        "/api/v1/incidents/{incident_id}/suspension",
        SUSPENSION_REQUESTERS,
        lambda w: (f"/api/v1/incidents/{_incident(w)}/suspension", {"reason": "stop harm"}),
        lambda w: ("/api/v1/incidents/inc_nope/suspension", {"reason": "r"}),
    ),
    Case(
        "POST",
        "/api/v1/incidents/{incident_id}/actions",
        INCIDENT_RECORDERS,
        lambda w: (
            f"/api/v1/incidents/{_incident(w)}/actions",
            {"description": "Retrain", "owner_id": w.people[R.PROGRAM_MANAGER].id},
        ),
        lambda w: (
            "/api/v1/incidents/inc_nope/actions",
            {"description": "Retrain", "owner_id": w.people[R.PROGRAM_MANAGER].id},
        ),
    ),
    Case(
        "POST",
        "/api/v1/corrective-actions/{action_id}/done",
        INCIDENT_MANAGERS | {R.PROGRAM_MANAGER},  # and its owner
        lambda w: (f"/api/v1/corrective-actions/{_action(w)}/done", {"outcome": "retrained"}),
        lambda w: ("/api/v1/corrective-actions/ca_nope/done", {"outcome": "x"}),
        ok=200,
    ),
    get(
        "/api/v1/incidents/{incident_id}/report",
        lambda w: f"/api/v1/incidents/{_incident(w)}/report?kind=initial",
        unknown="/api/v1/incidents/inc_nope/report",
    ),
    Case(
        "POST",
        "/api/v1/incidents/{incident_id}/submissions",
        INCIDENT_MANAGERS,
        lambda w: (
            f"/api/v1/incidents/{_incident(w)}/submissions",
            {
                "kind": "initial",
                "authority": "Market surveillance authority",
                "sent_at": datetime.now(UTC).isoformat(),
            },
        ),
        lambda w: (
            "/api/v1/incidents/inc_nope/submissions",
            {"kind": "initial", "authority": "x", "sent_at": datetime.now(UTC).isoformat()},
        ),
    ),
    Case(
        "POST",
        "/api/v1/incidents/{incident_id}/close",
        INCIDENT_MANAGERS,
        lambda w: (f"/api/v1/incidents/{_minor_incident(w)}/close", {"outcome": "no harm"}),
        lambda w: ("/api/v1/incidents/inc_nope/close", {"outcome": "x"}),
        ok=200,
    ),
]
CASES += GO_LIVE


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TestClient, World]]:
    engine: Engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('api')}/charter.db")
    upgrade(engine)
    key_file = tmp_path_factory.mktemp("keys") / "audit.key"
    create_key(key_file, "test.example/audit")
    data = tmp_path_factory.mktemp("data")
    (data / "scored.csv").write_text("y,p\n1,1\n0,0\n1,0\n")
    ctx = replace(context_for(engine, key_file=key_file), data_dir=data)  # monitors read it
    world = make_world(ctx)
    # DPIAs are approved by compliance (a policy that selects no system of the walk)
    raw = {
        "id": "dpia-approval",
        "title": "DPIA approved",
        "applies": {"tags_any": ["not-in-the-walk"]},
        "requirements": [{"id": "dpia", "kind": "document", "document": "dpia",
                          "approved_by": ["ethics_compliance_officer"]}],
    }  # fmt: skip
    policies.load_policies(
        ctx, world.actor(R.CHIEF_AI_OFFICER), [(raw, check_policy(raw, "dpia-approval"))]
    )
    audit.make_checkpoint(ctx, world.admin)
    with TestClient(create_app(ctx, data_dir=data)) as client:
        yield client, world
    engine.dispose()


def test_every_route_is_covered() -> None:
    paths = create_app(None).openapi()["paths"]  # type: ignore[arg-type]
    routes = {(method.upper(), path) for path, ops in paths.items() for method in ops}
    public = {("GET", "/api/v1/health"), ("GET", "/api/v1/health/ready")}
    assert routes == {(c.method, c.template) for c in CASES} | public


def _call(
    client: TestClient,
    method: str,
    path: str,
    body: dict[str, Any] | str | None,
    token: str | None,
) -> int:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    if isinstance(body, str):
        headers["Content-Type"] = "text/csv"
        return client.request(method, path, content=body, headers=headers).status_code
    return client.request(method, path, json=body, headers=headers).status_code


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.method} {c.template} {c.label}".strip())
def test_route_by_role(api: tuple[TestClient, World], case: Case) -> None:
    client, world = api
    observed, expected = {}, {}
    for role in R:
        path, body = case.make(world)
        observed[role.value] = _call(client, case.method, path, body, world.tokens[role])
        usual = 204 if case.method == "DELETE" else 201 if case.method in ("POST",) else 200
        ok = case.ok or usual
        expected[role.value] = ok if role in case.allowed else 403
    path, body = case.make(world)
    observed["no token"] = _call(client, case.method, path, body, None)
    observed["bad token"] = _call(client, case.method, path, body, "chr_not-a-real-token")
    expected["no token"] = expected["bad token"] = 401
    assert observed == expected


@pytest.mark.parametrize("case", [c for c in CASES if c.unknown], ids=lambda c: c.template)
def test_unknown_id_is_404_for_an_entitled_role(api: tuple[TestClient, World], case: Case) -> None:
    client, world = api
    assert case.unknown is not None
    path, body = case.unknown(world)
    role = sorted(case.allowed)[0]
    response = client.request(
        case.method, path, json=body, headers={"Authorization": f"Bearer {world.tokens[role]}"}
    )
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    assert "does not exist" in response.json()["detail"]


def test_health_needs_no_token(api: tuple[TestClient, World]) -> None:
    client, _ = api
    assert client.get("/api/v1/health").json()["status"] == "ok"
    ready = client.get("/api/v1/health/ready")
    assert ready.status_code == 200 and ready.json()["status"] == "ready"
