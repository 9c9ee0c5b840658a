"""Web UI page of people: business units, people and the roles they hold; adding people and
business units, granting and revoking roles (organisation writers; `administrator` by
administrators only). A refused form comes back filled in, naming who may. And one cell of a
system's RACI matrix, set from the system page."""

from __future__ import annotations

from collections import Counter
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel, Field

from charter.accountability.domain.raci import Activity, RaciLetter
from charter.accountability.services import org, raci, refusals
from charter.inventory import services as inventory
from charter.kernel.access import Action, Actor, allowed, ensure
from charter.kernel.errors import CharterError, InvalidInput, NotFound
from charter.kernel.labels import label
from charter.kernel.roles import RoleKind, ScopeKind
from charter.kernel.web.pages import back_to, check_csrf, ctx_of, page, signed_in
from charter.kernel.web.picker import Choice, Picker, resolve

router = APIRouter(prefix="/ui", include_in_schema=False)


class PersonForm(BaseModel):
    name: str = Field("", max_length=200)
    email: str = Field("", max_length=320)
    business_unit_id: str = Field("", max_length=100)
    title: str = Field("", max_length=200)
    csrf: str = ""


class UnitForm(BaseModel):
    name: str = Field("", max_length=200)
    description: str = Field("", max_length=4000)
    csrf: str = ""


@router.get("/people")
def people_page(request: Request) -> HTMLResponse:
    return _people_page(request)


def _people_page(
    request: Request, forms: dict[str, Any] | None = None, message: str | None = None,
    status: int = 200,
) -> HTMLResponse:  # fmt: skip
    """The page; after a refused form, that form open and filled in as it was posted."""
    who, session = signed_in(request)
    ctx = ctx_of(request)
    units = org.all_in_directory(ctx, who, "business_units")
    people = org.all_in_directory(ctx, who, "people")
    roles: dict[str, list[Any]] = {}
    for r in org.all_in_directory(ctx, who, "role_assignments"):
        roles.setdefault(r.person_id, []).append(r)
    scoped = {r.scope_id for held in roles.values() for r in held if r.scope_id}
    names = {u.id: u.name for u in units} | inventory.system_names(ctx, who, scoped)
    response = page(
        request, "people.html", who, session, title="People", units=units, people=people,
        roles=roles, scope_names=names, kinds=list(RoleKind),
        may_grant=allowed(who, Action.ORG_WRITE), forms=forms or {},
        people_by_unit=Counter(p.business_unit_id for p in people),
        systems_by_unit=inventory.systems_per_unit(ctx, who, [u.id for u in units]),
        **({"message": message, "error": True} if message else {}),
    )  # fmt: skip
    response.status_code = status
    return response


@router.post("/people")
def add_person(request: Request, form: Annotated[PersonForm, Form()]) -> Response:
    """Add a person (organisation writers); their roles are granted below it."""
    who, session = signed_in(request)
    check_csrf(session, form.csrf)
    ctx = ctx_of(request)
    values = form.model_dump(exclude={"csrf"})
    try:
        person = org.create_person(
            ctx, who, **values | {"business_unit_id": form.business_unit_id or None}
        )
    except CharterError as exc:
        message = refusals.refusal(ctx, who, exc)
        return _people_page(request, {"person": values}, message, exc.status)
    note = f"{person.name} is added: grant their roles below"
    return back_to(request, "/ui/people#grant", note)


@router.post("/people/units")
def add_unit(request: Request, form: Annotated[UnitForm, Form()]) -> Response:
    """Add a business unit (organisation writers)."""
    who, session = signed_in(request)
    check_csrf(session, form.csrf)
    ctx = ctx_of(request)
    try:
        unit = org.create_unit(ctx, who, form.name, form.description)
    except CharterError as exc:
        message = refusals.refusal(ctx, who, exc)
        return _people_page(request, {"unit": form.model_dump()}, message, exc.status)
    return back_to(request, "/ui/people#units", f"business unit {unit.name} is added")


@router.post("/people/roles")
def grant_role(
    request: Request,
    person_id: Annotated[str, Form(max_length=320)],
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
        person = resolve(request, who, "people", person_id) or ""
        org.assign_role(ctx, who, person, role, scope, unit_id or None)
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


def _person(p: Any) -> Choice:
    return Choice(p.id, f"{p.name} ({p.email})")


def _people(
    listed: dict[str, object], got: dict[str, object], right: Action | None = None
) -> Picker:
    """People found by typing: those `listed` (filters) whose name, e-mail or title holds the
    text or whose name it is (case aside), by name; by id or e-mail, those `got`; with a
    `right`, for those who hold it only."""

    def search(ctx: Any, who: Actor, text: str, limit: int) -> list[Choice]:
        _ensure(who, right)
        found = org.list_directory(ctx, who, "people", listed, search=text, limit=limit,
                                   order="name")  # fmt: skip
        return [_person(p) for p in found.items]

    def get(ctx: Any, who: Actor, ref: str) -> Choice | None:
        _ensure(who, right)
        key = "email" if "@" in ref else "id"
        wanted = {key: ref.lower() if key == "email" else ref, **got}
        found = org.list_directory(ctx, who, "people", wanted, limit=1).items
        return _person(found[0]) if found else None

    def named(ctx: Any, who: Actor, name: str, limit: int) -> list[Choice]:
        _ensure(who, right)
        found = org.list_directory(ctx, who, "people", listed, named=name, limit=limit,
                                   order="name")  # fmt: skip
        return [_person(p) for p in found.items]

    return Picker("person", search, get, named)


def _ensure(who: Actor, right: Action | None) -> None:
    if right is not None:
        ensure(who, right)


def pickers() -> dict[str, Picker]:
    """Accountability's searchable choices (charter.kernel.web.picker): "people", the active
    people a form may name (service accounts by id or e-mail only); "actors", everyone the
    audit trail may name (people who have left and service accounts too), for audit readers."""
    return {
        "people": _people({"active": True, "service_account": False}, {"active": True}),
        "actors": _people({}, {}, Action.AUDIT_READ),
    }


def _holder(ctx: Any, who: Actor, system_id: str, activity: Activity, typed: str) -> str | None:
    """The person a matrix cell posts (their id) when they hold a letter in the activity,
    active or not: the picker offers active people only, but a letter of someone who left
    must still be taken off (the service refuses giving them one)."""
    try:
        person, held = raci.raci_cell(ctx, who, system_id, activity, typed.strip())
    except (NotFound, InvalidInput):
        return None
    return person if held is not None and person == typed.strip() else None


@router.post("/systems/{system_id}/raci")
def set_raci_cell(
    request: Request,
    system_id: str,
    activity: Annotated[Activity, Form()],
    person_id: Annotated[str, Form(max_length=320)],
    letter: Annotated[str, Form(max_length=1)] = "",
    csrf: Annotated[str, Form()] = "",
) -> Response:
    """Set one person's letter in one activity of a system (empty: none), as the API's RACI
    route does (same right, same audit event); back to the system's RACI."""
    who, session = signed_in(request)
    check_csrf(session, csrf)
    ctx = ctx_of(request)
    back = f"/ui/systems/{quote(system_id)}#raci"
    try:
        if letter not in ("", *RaciLetter):
            raise InvalidInput(f"no such RACI letter: {letter!r} (R, A, C, I or none)")
        person_id = (_holder(ctx, who, system_id, activity, person_id)
                     or resolve(request, who, "people", person_id) or "")  # fmt: skip
        raci.set_letter(
            ctx, who, system_id, activity, person_id, RaciLetter(letter) if letter else None
        )
        name = org.get_directory(ctx, who, "people", person_id).name
    except CharterError as exc:
        return back_to(request, back, refusals.refusal(ctx, who, exc), error=True)
    held = f"{label(RaciLetter(letter))} ({letter})" if letter else "no longer named"
    return back_to(request, back, f"{label(activity)}: {name} is {held}")
