"""Use cases for RACI assignments and their findings."""

from __future__ import annotations

from collections.abc import Sequence

from charter.accountability.domain.raci import (
    Activity,
    Finding,
    RaciEntry,
    RaciLetter,
    validate_raci,
)
from charter.accountability.domain.rights import DecisionRight
from charter.accountability.ports import Context, UnitOfWork
from charter.kernel.access import Action, Actor, allowed, ensure, ensure_member
from charter.kernel.context import record
from charter.kernel.errors import InvalidInput
from charter.kernel.lookups import hold, require


def set_activity(
    ctx: Context,
    actor: Actor,
    system_id: str,
    activity: Activity,
    assignments: Sequence[tuple[str, RaciLetter]],
) -> list[RaciEntry]:
    """Replace who is R, A, C and I for one activity of one system."""
    with ctx.uow() as uow:
        entries = replace_activity(ctx, uow, actor, system_id, activity, assignments)
        uow.commit()
    return entries


def replace_activity(
    ctx: Context,
    uow: UnitOfWork,
    actor: Actor,
    system_id: str,
    activity: Activity,
    assignments: Sequence[tuple[str, RaciLetter]],
) -> list[RaciEntry]:
    """Replace one activity's RACI inside the caller's transaction (the system held first);
    nothing is written when it is the same."""
    pairs = {(p, RaciLetter(letter)) for p, letter in assignments}
    if len({p for p, _ in pairs}) != len(pairs):
        raise InvalidInput("a person may hold only one RACI letter per activity")
    activity = Activity(activity)
    entries = [RaciEntry(system_id, activity, p, letter) for p, letter in sorted(pairs)]
    system = hold(uow.systems, "system", system_id)
    ensure(actor, Action.RACI_WRITE, system.business_unit_id, system.id)
    for person_id, _ in pairs:
        require(uow.people, "person", person_id)
    before = sorted([e.person_id, e.letter.value] for e in uow.raci.for_system(system_id)
                    if e.activity is activity)  # fmt: skip
    after = sorted([e.person_id, e.letter.value] for e in entries)
    if before == after:
        return entries
    uow.raci.replace_activity(system_id, activity.value, entries)
    record(
        ctx, uow, actor, "raci.set", "system", system_id,
        {"activity": activity.value, "before": before, "after": after},
    )  # fmt: skip
    return entries


def system_raci(
    ctx: Context, actor: Actor, system_id: str
) -> tuple[list[RaciEntry], list[Finding]]:
    with ctx.uow() as uow:
        system = require(uow.systems, "system", system_id)
        ensure(actor, Action.READ, system.business_unit_id, system.id)
        entries = uow.raci.for_system(system_id)
        return entries, validate_raci(system, entries, uow.roles.all())


def all_findings(ctx: Context, actor: Actor) -> list[Finding]:
    """Findings across the inventory (systems the actor may read)."""
    with ctx.uow() as uow:
        roles, entries = uow.roles.all(), uow.raci.all()
        found: list[Finding] = []
        for system in uow.systems.all():
            if allowed(actor, Action.READ, system.business_unit_id, system.id):
                mine = [e for e in entries if e.system_id == system.id]
                found.extend(validate_raci(system, mine, roles))
        return found


def decision_rights(ctx: Context, actor: Actor) -> list[DecisionRight]:
    ensure_member(actor)
    return list(ctx.rights.rights)
