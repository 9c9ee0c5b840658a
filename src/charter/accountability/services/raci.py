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
from charter.accountability.ports import Context
from charter.kernel.access import Action, Actor, allowed, ensure, ensure_member
from charter.kernel.context import record
from charter.kernel.errors import InvalidInput
from charter.kernel.lookups import person_id, require


def set_activity(
    ctx: Context,
    actor: Actor,
    system_id: str,
    activity: Activity,
    assignments: Sequence[tuple[str, RaciLetter]],
) -> list[RaciEntry]:
    """Replace who is R, A, C and I for one activity of one system."""
    with ctx.uow() as uow:
        system = require(uow.systems, "system", system_id)
        ensure(actor, Action.RACI_WRITE, system.business_unit_id, system.id)
        pairs = {(person_id(uow.people, p), RaciLetter(letter)) for p, letter in assignments}
        if len({p for p, _ in pairs}) != len(pairs):
            raise InvalidInput("a person may hold only one RACI letter per activity")
        entries = [
            RaciEntry(system_id, Activity(activity), p, letter) for p, letter in sorted(pairs)
        ]
        before = uow.raci.for_system(system_id)
        uow.raci.replace_activity(system_id, activity.value, entries)
        record(
            ctx,
            uow,
            actor,
            "raci.set",
            "system",
            system_id,
            {
                "activity": activity.value,
                "before": sorted(
                    [e.person_id, e.letter.value] for e in before if e.activity is activity
                ),
                "after": sorted([e.person_id, e.letter.value] for e in entries),
            },
        )
        uow.commit()
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
