"""Web UI page of people: business units, people and the roles they hold."""

from __future__ import annotations

from collections import Counter
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from charter.accountability.services import org
from charter.inventory import services as inventory
from charter.kernel.web.pages import ctx_of, page, signed_in

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
        roles=roles, scope_names=names,
        people_by_unit=Counter(p.business_unit_id for p in people),
        systems_by_unit=Counter(s.business_unit_id for s in systems),
    )  # fmt: skip
