"""Use cases for RACI assignments and their findings."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from charter.accountability.domain.raci import (
    BUILD_ACTIVITIES,
    DEPLOYMENT_STAGES,
    Activity,
    Finding,
    RaciEntry,
    RaciLetter,
    builders,
    validate_raci,
)
from charter.accountability.domain.rights import DecisionRight
from charter.accountability.ports import Context, UnitOfWork
from charter.kernel.access import Action, Actor, allowed, ensure, ensure_member
from charter.kernel.context import record
from charter.kernel.errors import Forbidden, InvalidInput
from charter.kernel.lookups import hold, person_id, require


def builders_of(uow: UnitOfWork, system_id: str) -> frozenset[str]:
    """Who builds the system: Responsible for design or data preparation now, or at any
    time since it first entered development (ever, when it has not yet)."""
    since = uow.lifecycle.development_began(system_id)
    return builders(uow.raci.for_system(system_id)) | builders(uow.raci.removed(system_id, since))


def _check_own_eligibility(
    uow: UnitOfWork, actor: Actor, system_id: str, activity: Activity, before: set[RaciLetter],
    after: set[RaciLetter],
) -> None:  # fmt: skip
    """Nobody changes their own letter in a build activity while a deployment request is
    pending: whether they may approve it is decided on the RACI as it stood. `before` and
    `after`: the actor's letters in the activity."""
    if actor.person_id is None or activity not in BUILD_ACTIVITIES or before == after:
        return
    if uow.lifecycle.pending_targets(system_id) & DEPLOYMENT_STAGES:
        raise Forbidden(
            "segregation of duties: changing your own letter in a build activity would change "
            "your own eligibility to approve the pending deployment request"
        )


def _ensure_active(uow: UnitOfWork, named: set[str]) -> None:
    """Nobody who has left is given a letter (a new one, or another one); taking a letter
    off them, or keeping the one they hold, is how the RACI is cleaned up after they left."""
    gone = [p for p in uow.people.all(id=frozenset(named)) if not p.active] if named else []
    if gone:
        shown = ", ".join(sorted(f"{p.name} ({p.id})" for p in gone))
        raise InvalidInput(
            f"{shown}: inactive (has left the organisation): a letter can be taken off, not given",
            details={"field": "person_id", "people": sorted(p.id for p in gone)},
        )


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


def set_letter(
    ctx: Context,
    actor: Actor,
    system_id: str,
    activity: Activity,
    person: str,
    letter: RaciLetter | None,
) -> list[RaciEntry]:
    """Set one person's letter in one activity (None: take it off), the rest of the activity
    as it stands when the system is held: one cell of the matrix, so that two people editing
    other cells of the same row do not undo each other."""
    with ctx.uow() as uow:
        system = hold(uow.systems, "system", system_id)
        ensure(actor, Action.RACI_WRITE, system.business_unit_id, system.id)
        who = person_id(uow.people, person)
        activity = Activity(activity)
        kept = [
            (e.person_id, e.letter)
            for e in uow.raci.for_system(system_id)
            if e.activity is activity and e.person_id != who
        ]
        changed = [*kept, *([(who, RaciLetter(letter))] if letter is not None else [])]
        entries = replace_activity(ctx, uow, actor, system_id, activity, changed)
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
    system = hold(uow.systems, "system", system_id)
    ensure(actor, Action.RACI_WRITE, system.business_unit_id, system.id)
    pairs = {(person_id(uow.people, p), RaciLetter(letter)) for p, letter in assignments}
    if len({p for p, _ in pairs}) != len(pairs):
        raise InvalidInput("a person may hold only one RACI letter per activity")
    activity = Activity(activity)
    entries = [RaciEntry(system_id, activity, p, letter) for p, letter in sorted(pairs)]
    held = [e for e in uow.raci.for_system(system_id) if e.activity is activity]
    before = sorted([e.person_id, e.letter.value] for e in held)
    after = sorted([e.person_id, e.letter.value] for e in entries)
    if before == after:
        return entries
    _ensure_active(uow, {p for p, letter in after if [p, letter] not in before})
    _check_own_eligibility(
        uow, actor, system_id, activity,
        {e.letter for e in held if e.person_id == actor.person_id},
        {e.letter for e in entries if e.person_id == actor.person_id},
    )  # fmt: skip
    uow.raci.replace_activity(system_id, activity.value, entries, ctx.clock(), actor.ref)
    record(
        ctx, uow, actor, "raci.set", "system", system_id,
        {"activity": activity.value, "before": before, "after": after},
    )  # fmt: skip
    return entries


def _left(uow: UnitOfWork, named: Iterable[str | None]) -> dict[str, str]:
    """The names, by id, of those of `named` who have left the organisation."""
    ids = frozenset(p for p in named if p is not None)
    return {p.id: p.name for p in uow.people.all(id=ids) if not p.active} if ids else {}


def system_raci(
    ctx: Context, actor: Actor, system_id: str
) -> tuple[list[RaciEntry], list[Finding]]:
    with ctx.uow() as uow:
        system = require(uow.systems, "system", system_id)
        ensure(actor, Action.READ, system.business_unit_id, system.id)
        entries = uow.raci.for_system(system_id)
        left = _left(uow, [system.owner_id, *(e.person_id for e in entries)])
        return entries, validate_raci(system, entries, uow.roles.all(), left)


def raci_cell(
    ctx: Context, actor: Actor, system_id: str, activity: Activity, person: str
) -> tuple[str, RaciLetter | None]:
    """One cell of a system's RACI matrix: the person's id (named by id or e-mail) and the
    letter they hold in the activity, or None; for those who may read the system."""
    with ctx.uow().reading() as uow:
        system = require(uow.systems, "system", system_id)
        ensure(actor, Action.READ, system.business_unit_id, system.id)
        who = person_id(uow.people, person)
        held = [e.letter for e in uow.raci.for_system(system_id)
                if e.activity is Activity(activity) and e.person_id == who]  # fmt: skip
    return who, held[0] if held else None


def system_builders(ctx: Context, actor: Actor, system_id: str) -> frozenset[str]:
    """Who segregation of duties counts as the system's builders (`builders_of`)."""
    with ctx.uow() as uow:
        system = require(uow.systems, "system", system_id)
        ensure(actor, Action.READ, system.business_unit_id, system.id)
        return builders_of(uow, system_id)


def all_findings(ctx: Context, actor: Actor) -> list[Finding]:
    """Findings across the inventory (systems the actor may read)."""
    with ctx.uow() as uow:
        roles, by_system = uow.roles.all(), dict[str, list[RaciEntry]]()
        for e in uow.raci.all():
            by_system.setdefault(e.system_id, []).append(e)
        readable = [s for s in uow.systems.all()
                    if allowed(actor, Action.READ, s.business_unit_id, s.id)]  # fmt: skip
        on = [e.person_id for s in readable for e in by_system.get(s.id, [])]
        left = _left(uow, [*(s.owner_id for s in readable), *on])
        found: list[Finding] = []
        for system in readable:
            found.extend(validate_raci(system, by_system.get(system.id, []), roles, left))
        return found


def decision_rights(ctx: Context, actor: Actor) -> list[DecisionRight]:
    ensure_member(actor)
    return list(ctx.rights.rights)
