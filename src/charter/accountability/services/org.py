"""Use cases for business units, people and role assignments."""

from __future__ import annotations

from collections.abc import Mapping
from contextlib import suppress
from dataclasses import replace
from typing import Any

from charter.accountability.domain.org import BusinessUnit, Person, require_email
from charter.accountability.ports import Context, UnitOfWork
from charter.kernel import directory
from charter.kernel.access import Action, Actor, ensure
from charter.kernel.context import record, snapshot
from charter.kernel.errors import Conflict, Forbidden, NotFound
from charter.kernel.lookups import (
    check_fields,
    ensure_unique,
    optional_unit_id,
    require,
    unit_id,
)
from charter.kernel.lookups import person_id as resolve_person
from charter.kernel.names import require_name
from charter.kernel.ports import Page
from charter.kernel.records import changes
from charter.kernel.roles import RoleAssignment, RoleKind, ScopeKind, check_scope


def create_unit(ctx: Context, actor: Actor, name: str, description: str = "") -> BusinessUnit:
    with ctx.uow() as uow:
        unit = add_unit(ctx, uow, actor, BusinessUnit(ctx.new_id("bu"), name, description))
        uow.commit()
    return unit


def add_unit(ctx: Context, uow: UnitOfWork, actor: Actor, unit: BusinessUnit) -> BusinessUnit:
    """Create a business unit inside the caller's transaction."""
    ensure(actor, Action.ORG_WRITE)
    unit = replace(unit, name=require_name(unit.name), description=unit.description.strip())
    ensure_unique(uow.units, "business unit", "name", unit.name)
    uow.units.add(unit)
    record(ctx, uow, actor, "business_unit.created", "business_unit", unit.id, snapshot(unit))
    return unit


def update_unit(
    ctx: Context,
    actor: Actor,
    unit_id: str,
    *,
    name: str | None = None,
    description: str | None = None,
) -> BusinessUnit:
    values = {k: v for k, v in (("name", name), ("description", description)) if v is not None}
    with ctx.uow() as uow:
        after = change_unit(ctx, uow, actor, unit_id, values)
        uow.commit()
    return after


def change_unit(
    ctx: Context, uow: UnitOfWork, actor: Actor, unit_id: str, values: Mapping[str, str]
) -> BusinessUnit:
    """Change a business unit's name or description inside the caller's transaction."""
    ensure(actor, Action.ORG_WRITE)
    check_fields("business unit", values, ("name", "description"))
    before = require(uow.units, "business unit", unit_id)
    after = replace(before, **values)
    after = replace(after, name=require_name(after.name))
    ensure_unique(uow.units, "business unit", "name", after.name, except_id=unit_id)
    diff = changes(before, after, ("name", "description"))
    if diff:
        uow.units.update(after)
        record(ctx, uow, actor, "business_unit.updated", "business_unit", unit_id, diff)
    return after


def create_person(
    ctx: Context,
    actor: Actor,
    name: str,
    email: str,
    business_unit_id: str | None = None,
    title: str = "",
    service_account: bool = False,
) -> Person:
    """A person; a service account (a pipeline's identity) is one for good: only an
    administrator may issue it tokens, and it never signs in to the UI."""
    person = Person(
        ctx.new_id("p"), name, email, business_unit_id, title, service_account=service_account
    )
    with ctx.uow() as uow:
        person = add_person(ctx, uow, actor, person)
        uow.commit()
    return person


def add_person(ctx: Context, uow: UnitOfWork, actor: Actor, person: Person) -> Person:
    """Create a person inside the caller's transaction."""
    ensure(actor, Action.ORG_WRITE)
    person = replace(
        person,
        name=require_name(person.name),
        email=require_email(person.email),
        title=person.title.strip(),
        business_unit_id=optional_unit_id(uow.units, person.business_unit_id),
    )
    ensure_unique(uow.people, "person", "email", person.email)
    uow.people.add(person)
    record(ctx, uow, actor, "person.created", "person", person.id, snapshot(person))
    return person


PERSON_FIELDS = ("name", "email", "business_unit_id", "title", "active")


def update_person(ctx: Context, actor: Actor, person_id: str, **fields: object) -> Person:
    with ctx.uow() as uow:
        after = change_person(ctx, uow, actor, person_id, fields)
        uow.commit()
    return after


def change_person(
    ctx: Context, uow: UnitOfWork, actor: Actor, person_id: str, fields: Mapping[str, object]
) -> Person:
    """Change a person's fields inside the caller's transaction; the last active
    administrator stays active."""
    ensure(actor, Action.ORG_WRITE)
    check_fields("person", fields, PERSON_FIELDS, nullable={"business_unit_id"})
    before = require(uow.people, "person", person_id)
    after = replace(before, **fields)  # type: ignore[arg-type]
    after = replace(
        after,
        name=require_name(after.name),
        email=require_email(after.email),
        business_unit_id=optional_unit_id(uow.units, after.business_unit_id),
    )
    ensure_unique(uow.people, "person", "email", after.email, except_id=person_id)
    diff = changes(before, after, sorted(PERSON_FIELDS))
    leaving = before.active and not after.active
    admin = bool(uow.roles.all(person_id=person_id, role=RoleKind.ADMINISTRATOR))
    if leaving and admin and not _active_administrators(uow, but_person=person_id):
        raise Conflict(LAST_ADMINISTRATOR)
    if diff:
        uow.people.update(after)
        record(ctx, uow, actor, "person.updated", "person", person_id, diff)
    return after


def _scope_target(uow: UnitOfWork, scope: ScopeKind, scope_id: str | None) -> str | None:
    """The scope's id: a unit named by id or name, a system by id."""
    check_scope(scope, scope_id)
    if scope is ScopeKind.BUSINESS_UNIT and scope_id:
        return unit_id(uow.units, scope_id)
    if scope is ScopeKind.SYSTEM and scope_id:
        require(uow.systems, "system", scope_id)
    return scope_id


def _ensure_may_grant(actor: Actor, role: RoleKind) -> None:
    """Organisation writers grant roles; only an administrator grants or revokes
    `administrator` (no one raises their own rights)."""
    ensure(actor, Action.ORG_WRITE)
    if role is RoleKind.ADMINISTRATOR and not actor.holds(RoleKind.ADMINISTRATOR):
        raise Forbidden(f"{actor.label} may not grant or revoke the administrator role")


def _active_administrators(
    uow: UnitOfWork, *, but_person: str | None = None, but_assignment: str | None = None
) -> set[str]:
    """The active people holding `administrator`, leaving out one person or assignment."""
    found = set()
    for held in uow.roles.all(role=RoleKind.ADMINISTRATOR):
        if held.person_id == but_person or held.id == but_assignment:
            continue
        person = uow.people.get(held.person_id)
        if person is not None and person.active:
            found.add(person.id)
    return found


LAST_ADMINISTRATOR = (
    "refused: it would leave no active administrator (the last administrator stays)"
)


def assign_role(
    ctx: Context,
    actor: Actor,
    person_id: str,
    role: RoleKind,
    scope: ScopeKind = ScopeKind.ORGANISATION,
    scope_id: str | None = None,
) -> RoleAssignment:
    _ensure_may_grant(actor, RoleKind(role))
    with ctx.uow() as uow:
        person_id = resolve_person(uow.people, person_id)
        scope_id = _scope_target(uow, scope, scope_id)
        assignment = RoleAssignment(ctx.new_id("ra"), person_id, role, scope, scope_id)
        same = uow.roles.all(person_id=person_id, role=role, scope=scope, scope_id=scope_id)
        if same:
            raise Conflict(f"person {person_id} already holds {role.value} in that scope")
        uow.roles.add(assignment)
        record(ctx, uow, actor, "role.assigned", "person", person_id, snapshot(assignment))
        uow.commit()
    return assignment


def revoke_role(ctx: Context, actor: Actor, assignment_id: str) -> None:
    ensure(actor, Action.ORG_WRITE)
    with ctx.uow() as uow:
        assignment = require(uow.roles, "role assignment", assignment_id)
        _ensure_may_grant(actor, assignment.role)
        admin = assignment.role is RoleKind.ADMINISTRATOR
        if admin and not _active_administrators(uow, but_assignment=assignment_id):
            raise Conflict(LAST_ADMINISTRATOR)
        uow.roles.delete(assignment_id)
        record(
            ctx, uow, actor, "role.revoked", "person", assignment.person_id, snapshot(assignment)
        )
        uow.commit()


#: the organisation's directory collections, by the name the interfaces use
DIRECTORY: dict[str, directory.Listing] = {
    "business_units": ("business unit", lambda u: u.units),
    "people": ("person", lambda u: u.people),
    "role_assignments": ("role assignment", lambda u: u.roles),
}


def list_directory(
    ctx: Context, actor: Actor, name: str, filters: Mapping[str, object] | None = None, **page: Any
) -> Page[Any]:
    return directory.list_in(ctx, actor, DIRECTORY[name], _by_id(ctx, filters), **page)


def all_in_directory(
    ctx: Context, actor: Actor, name: str, filters: Mapping[str, object] | None = None, **how: Any
) -> list[Any]:
    """Every record of a directory collection the filters match, not only a first page."""
    return directory.all_in(ctx, actor, DIRECTORY[name], _by_id(ctx, filters), **how)


def _by_id(ctx: Context, filters: Mapping[str, object] | None) -> dict[str, object]:
    """Filters on a person or unit given by e-mail or name, on its id (one that names no
    one filters everything out, as an unknown id does)."""
    out = dict(filters or {})
    resolvers = {"person_id": ("people", resolve_person), "business_unit_id": ("units", unit_id)}
    with ctx.uow() as uow:
        for key, (repo, resolve) in resolvers.items():
            ref = out.get(key)
            if isinstance(ref, str):
                with suppress(NotFound):
                    out[key] = resolve(getattr(uow, repo), ref)
    return out


def get_directory(ctx: Context, actor: Actor, name: str, ident: str) -> Any:
    return directory.get_in(ctx, actor, DIRECTORY[name], ident)
