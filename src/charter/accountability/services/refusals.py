"""A refusal in words a person can act on: what was refused, the roles that may do it, and
who holds one of them where it was asked (so the page can say whom to ask)."""

from __future__ import annotations

from charter.accountability.ports import Context
from charter.kernel.access import Actor, ensure_member
from charter.kernel.errors import CharterError, Forbidden
from charter.kernel.labels import label
from charter.kernel.roles import RoleKind

#: at most this many holders are named; the rest are counted
NAMED = 5


def holders(
    ctx: Context, actor: Actor, roles: frozenset[RoleKind], unit: str | None, system: str | None
) -> list[str]:
    """The names of the active people holding one of the roles over that scope."""
    ensure_member(actor)
    with ctx.uow() as uow:
        people = {p.id: p for p in uow.people.all()}
        assigned = uow.roles.all()
    found = {
        people[a.person_id].name
        for a in assigned
        if a.role in roles
        and a.covers(unit, system)
        and a.person_id in people
        and people[a.person_id].active
    }
    return sorted(found)


def refusal(ctx: Context, actor: Actor, error: CharterError) -> str:
    """The error's message; for a refused right, with the roles that may and their holders."""
    asked = error.details.get("roles") if isinstance(error, Forbidden) else None
    if not isinstance(asked, list | tuple) or not asked:
        return error.message
    roles = frozenset(RoleKind(r) for r in asked)
    unit, system = error.details.get("business_unit_id"), error.details.get("system_id")
    try:
        names = holders(ctx, actor, roles, _text(unit), _text(system))
    except Forbidden:
        names = []
    shown = ", ".join(names[:NAMED]) + (
        f" and {len(names) - NAMED} more" if len(names) > NAMED else ""
    )
    who = (
        f"held here by {shown}"
        if names
        else "nobody holds one here yet (an administrator grants roles)"
    )
    needs = " or ".join(label(r) for r in sorted(roles))
    return f"{error.message}: this needs the role {needs}; {who}."


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None
