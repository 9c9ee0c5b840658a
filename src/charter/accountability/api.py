"""API: business units, people, role assignments."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Response

from charter.accountability.domain.org import BusinessUnit, Person
from charter.accountability.domain.raci import Activity, Finding, RaciEntry, RaciLetter
from charter.accountability.domain.rights import DecisionRight
from charter.accountability.ports import Context
from charter.accountability.schemas import (
    PersonIn,
    PersonPatch,
    RaciActivityIn,
    RaciCell,
    RaciLetterIn,
    RoleIn,
    SystemRaci,
    UnitIn,
    UnitPatch,
)
from charter.accountability.services import org, raci
from charter.kernel.present import as_json, page
from charter.kernel.roles import RoleAssignment, RoleKind
from charter.kernel.web.contract import Items, Listed, Paged, answer, returns
from charter.kernel.web.http import Pages, Who, context

Ctx = Annotated[Context, Depends(context)]
router = APIRouter()


@router.get("/business-units", tags=["organisation"], responses=returns(Paged[BusinessUnit]))
def list_units(ctx: Ctx, who: Who, p: Pages) -> dict[str, Any]:
    return page(
        org.list_directory(
            ctx,
            who,
            "business_units",
            search=p.search,
            limit=p.limit,
            offset=p.offset,
            order=p.order,
        )
    )


@router.post(
    "/business-units", status_code=201, tags=["organisation"], responses=returns(BusinessUnit, 201)
)
def create_unit(ctx: Ctx, who: Who, body: UnitIn) -> Any:
    return answer(as_json(org.create_unit(ctx, who, body.name, body.description)), 201)


@router.get("/business-units/{unit_id}", tags=["organisation"], responses=returns(BusinessUnit))
def get_unit(ctx: Ctx, who: Who, unit_id: str) -> Any:
    return as_json(org.get_directory(ctx, who, "business_units", unit_id))


@router.patch("/business-units/{unit_id}", tags=["organisation"], responses=returns(BusinessUnit))
def update_unit(ctx: Ctx, who: Who, unit_id: str, body: UnitPatch) -> Any:
    return as_json(org.update_unit(ctx, who, unit_id, **body.model_dump(exclude_unset=True)))


@router.get("/people", tags=["organisation"], responses=returns(Paged[Person]))
def list_people(
    ctx: Ctx, who: Who, p: Pages, business_unit_id: str | None = None, active: bool | None = None
) -> dict[str, Any]:
    filters = {
        k: v
        for k, v in {"business_unit_id": business_unit_id, "active": active}.items()
        if v is not None
    }
    return page(
        org.list_directory(
            ctx,
            who,
            "people",
            filters,
            search=p.search,
            limit=p.limit,
            offset=p.offset,
            order=p.order,
        )
    )


@router.post("/people", status_code=201, tags=["organisation"], responses=returns(Person, 201))
def create_person(ctx: Ctx, who: Who, body: PersonIn) -> Any:
    return as_json(
        org.create_person(
            ctx,
            who,
            body.name,
            body.email,
            body.business_unit_id,
            body.title,
            body.service_account,
        )
    )


@router.get("/people/{person_id}", tags=["organisation"], responses=returns(Person))
def get_person(ctx: Ctx, who: Who, person_id: str) -> Any:
    return as_json(org.get_directory(ctx, who, "people", person_id))


@router.patch("/people/{person_id}", tags=["organisation"], responses=returns(Person))
def update_person(ctx: Ctx, who: Who, person_id: str, body: PersonPatch) -> Any:
    return as_json(org.update_person(ctx, who, person_id, **body.model_dump(exclude_unset=True)))


@router.get("/role-assignments", tags=["organisation"], responses=returns(Paged[RoleAssignment]))
def list_roles(
    ctx: Ctx, who: Who, p: Pages, person_id: str | None = None, role: RoleKind | None = None
) -> dict[str, Any]:
    filters = {k: v for k, v in {"person_id": person_id, "role": role}.items() if v is not None}
    return page(
        org.list_directory(
            ctx,
            who,
            "role_assignments",
            filters,
            limit=p.limit,
            offset=p.offset,
            order=p.order or "person_id",
        )
    )


@router.post(
    "/role-assignments",
    status_code=201,
    tags=["organisation"],
    responses=returns(RoleAssignment, 201),
)
def assign_role(ctx: Ctx, who: Who, body: RoleIn) -> Any:
    return as_json(org.assign_role(ctx, who, body.person_id, body.role, body.scope, body.scope_id))


@router.delete("/role-assignments/{assignment_id}", status_code=204, tags=["organisation"])
def revoke_role(ctx: Ctx, who: Who, assignment_id: str) -> Response:
    org.revoke_role(ctx, who, assignment_id)
    return Response(status_code=204)


@router.get("/systems/{system_id}/raci", tags=["accountability"], responses=returns(SystemRaci))
def get_raci(ctx: Ctx, who: Who, system_id: str) -> dict[str, Any]:
    entries, findings = raci.system_raci(ctx, who, system_id)
    return {
        "entries": as_json(entries),
        "findings": as_json(findings),
        "builders": sorted(raci.system_builders(ctx, who, system_id)),
    }


@router.put(
    "/systems/{system_id}/raci/{activity}",
    tags=["accountability"],
    responses=returns(list[RaciEntry]),
)
def set_raci(ctx: Ctx, who: Who, system_id: str, activity: Activity, body: RaciActivityIn) -> Any:
    pairs = [(a.person_id, a.letter) for a in body.assignments]
    return as_json(raci.set_activity(ctx, who, system_id, activity, pairs))


CELL = "/systems/{system_id}/raci/{activity}/{person_id}"


def _cell(system_id: str, activity: Activity, person: str, letter: RaciLetter | None) -> Any:
    return {"system_id": system_id, "activity": activity, "person_id": person, "letter": letter}


@router.get(CELL, tags=["accountability"], responses=returns(RaciCell))
def get_raci_cell(ctx: Ctx, who: Who, system_id: str, activity: Activity, person_id: str) -> Any:
    """The letter one person (id or e-mail) holds in one activity of a system, or null."""
    return _cell(system_id, activity, *raci.raci_cell(ctx, who, system_id, activity, person_id))


@router.put(CELL, tags=["accountability"], responses=returns(RaciCell))
def set_raci_cell(
    ctx: Ctx, who: Who, system_id: str, activity: Activity, person_id: str, body: RaciLetterIn
) -> Any:
    """Give one person one letter in one activity, the rest of the activity as it stands (the
    web UI's in-place edit: same right, same audit event)."""
    raci.set_letter(ctx, who, system_id, activity, person_id, body.letter)
    return _cell(system_id, activity, *raci.raci_cell(ctx, who, system_id, activity, person_id))


@router.delete(CELL, status_code=204, tags=["accountability"])
def clear_raci_cell(
    ctx: Ctx, who: Who, system_id: str, activity: Activity, person_id: str
) -> Response:
    """Take one person's letter off one activity, the rest of the activity as it stands."""
    raci.set_letter(ctx, who, system_id, activity, person_id, None)
    return Response(status_code=204)


@router.get("/raci/findings", tags=["accountability"], responses=returns(Listed[Finding]))
def raci_findings(ctx: Ctx, who: Who) -> dict[str, Any]:
    findings = raci.all_findings(ctx, who)
    return {"items": as_json(findings), "total": len(findings)}


@router.get("/decision-rights", tags=["lifecycle"], responses=returns(Items[DecisionRight]))
def decision_rights(ctx: Ctx, who: Who) -> Any:
    return {"items": as_json(raci.decision_rights(ctx, who))}
