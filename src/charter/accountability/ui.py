"""Web UI page of people: business units, people and the roles they hold; granting and
revoking roles (organisation writers; `administrator` by administrators only)."""

from __future__ import annotations

from collections import Counter
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response

from charter.accountability.services import org, refusals
from charter.inventory import services as inventory
from charter.kernel.access import Action, allowed
from charter.kernel.errors import CharterError
from charter.kernel.labels import label
from charter.kernel.roles import RoleKind, ScopeKind
from charter.kernel.web.pages import back_to, check_csrf, ctx_of, page, signed_in

router = APIRouter(prefix="/ui", include_in_schema=False)


@router.get("/people")
def people_page(request: Request) -> HTMLResponse:
    who, session = signed_in(request)
    ctx = ctx_of(request)
    units, people = (
        org.list_directory(ctx, who, "business_units", limit=500).items,
        org.list_directory(ctx, who, "people", limit=500).items,
    )
    roles: dict[str, list[Any]] = {}
    for r in org.list_directory(ctx, who, "role_assignments", limit=500).items:
        roles.setdefault(r.person_id, []).append(r)
    systems = inventory.list_systems(ctx, who, limit=500).items
    names = {u.id: u.name for u in units} | {s.id: s.name for s in systems}
    return page(
        request, "people.html", who, session, title="People", units=units, people=people,
        roles=roles, scope_names=names, kinds=list(RoleKind),
        may_grant=allowed(who, Action.ORG_WRITE),
        people_by_unit=Counter(p.business_unit_id for p in people),
        systems_by_unit=Counter(s.business_unit_id for s in systems),
    )  # fmt: skip


@router.post("/people/roles")
def grant_role(
    request: Request,
    person_id: Annotated[str, Form()],
    role: Annotated[RoleKind, Form()],
    unit_id: Annotated[str, Form()] = "",
    csrf: Annotated[str, Form()] = "",
) -> Response:
    """Grant a role organisation-wide, or in one business unit."""
    who, session = signed_in(request)
    check_csrf(session, csrf)
    ctx = ctx_of(request)
    scope = ScopeKind.BUSINESS_UNIT if unit_id else ScopeKind.ORGANISATION
    try:
        org.assign_role(ctx, who, person_id, role, scope, unit_id or None)
    except CharterError as exc:
        return back_to(request, "/ui/people", refusals.refusal(ctx, who, exc), error=True)
    return back_to(request, "/ui/people", f"{label(role)} granted")


@router.post("/people/roles/{assignment_id}/revoke")
def revoke_role(
    request: Request, assignment_id: str, csrf: Annotated[str, Form()] = ""
) -> Response:
    who, session = signed_in(request)
    check_csrf(session, csrf)
    ctx = ctx_of(request)
    try:
        org.revoke_role(ctx, who, assignment_id)
    except CharterError as exc:
        return back_to(request, "/ui/people", refusals.refusal(ctx, who, exc), error=True)
    return back_to(request, "/ui/people", "role revoked")
