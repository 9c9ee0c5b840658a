"""Compliance readiness: per system and pack, what applies, what is satisfied (by which
evidence), what is open and what does not apply yet; and the organisation's roll-up."""

from __future__ import annotations

import re
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import replace
from datetime import date
from typing import Any

from charter.frameworks.domain.classification import ClassificationRecord
from charter.frameworks.domain.packs import Pack, PackReadiness, SystemStanding, readiness, rollup
from charter.frameworks.domain.packs import standing as to_standing
from charter.governance.domain.gates import satisfied_by
from charter.governance.domain.policy import Kind, Policy, Requirement, system_facts
from charter.governance.ports import Context
from charter.governance.services.facts import Inventory
from charter.governance.services.gates import read_inventory
from charter.kernel.access import Actor, ensure_member
from charter.kernel.errors import NotFound
from charter.kernel.lookups import require


def _satisfied_by(
    ctx: Context, inventory: Inventory, policies: Sequence[Policy]
) -> dict[str, dict[str, list[str]]]:
    """Per system: every cited framework id -> the satisfied policy requirements citing it
    (a policy counts whatever transition it guards: readiness asks what holds now). What
    selects a system is found once per kind of system (see `_kind`)."""
    now = ctx.clock()
    scopes = [
        (policy, replace(policy.applies, transitions=()), citing, _reads_own(policy))
        for policy in policies
        if (citing := [r for r in policy.requirements if r.cites])
    ]
    kinds: dict[Hashable, tuple[bool | None, ...]] = {}  # what selects each kind of system
    out: dict[str, dict[str, list[str]]] = {}
    for s in inventory.systems:
        view = system_facts(s)
        if (chosen := kinds.get(kind := _kind(view))) is None:
            chosen = kinds[kind] = tuple(
                None if own else scope.matches(s, None, None, view) for _, scope, _, own in scopes
            )
        judged = [
            (p, reqs)
            for (p, scope, reqs, _), hit in zip(scopes, chosen, strict=True)
            if (scope.matches(s, None, None, view) if hit is None else hit)
        ]
        facts = inventory.facts(s, now, ctx.plugins, with_raci=any(map(_reads_raci, judged)))
        cited: dict[str, list[str]] = {}
        for policy, reqs in judged:
            for req in reqs:
                holds, by = satisfied_by(req, facts)
                if holds:
                    basis = f"{policy.id}/{req.id}" + (f" ({by})" if by else "")
                    for cite in req.cites:
                        cited.setdefault(cite, []).append(basis)
        out[s.id] = cited
    return out


#: a system's own fields in a `when` expression (conservatively: the words anywhere in it)
_OWN = re.compile(r"\b(id|name)\b")


def _reads_own(policy: Policy) -> bool:
    """Whether the policy's `when` may read the system's id or name: it then selects each
    system apart; any other policy selects alike the systems of one `_kind`."""
    return policy.applies.when is not None and _OWN.search(policy.applies.when) is not None


def _kind(view: Mapping[str, Any]) -> Hashable:
    """Every field of a system a policy's selector reads, but its id and name."""
    return tuple(
        (k, tuple(v) if isinstance(v, list) else v)
        for k, v in view.items()
        if k not in ("id", "name")
    )


def _reads_raci(judged: tuple[Policy, Sequence[Requirement]]) -> bool:
    """Whether judging these requirements reads the RACI findings (a plugin sees every fact)."""
    return any(r.raci_complete or r.kind is Kind.PLUGIN for r in judged[1])


def _latest(records: Sequence[ClassificationRecord]) -> dict[str, ClassificationRecord]:
    out: dict[str, ClassificationRecord] = {}
    for r in sorted(records, key=lambda r: r.classified_at):
        out[r.system_id] = r
    return out


def system_readiness(
    ctx: Context,
    actor: Actor,
    packs: Sequence[Pack],
    system_id: str | None = None,
    pack_id: str | None = None,
    schedule: str | None = None,
) -> list[PackReadiness]:
    """Readiness of every visible system (or one) against every pack (or one), on the date
    schedule given, by default each pack's schedule in force today."""
    ensure_member(actor)
    chosen = [p for p in packs if pack_id is None or p.id == pack_id]
    if not chosen:
        raise NotFound("pack", pack_id or "")
    today = ctx.clock().date()
    return [
        readiness(pack, s, today, schedule)
        for s in _standings(ctx, actor, system_id)
        for pack in chosen
    ]


def readiness_totals(
    ctx: Context, actor: Actor, packs: Sequence[Pack]
) -> dict[str, dict[str, int]]:
    """The organisation's roll-up per pack, as `rollup(system_readiness(...))` has it, with
    readiness judged once per kind of system: systems that read alike to readiness (see
    `_alike`) have the same statuses, so an estate of thousands costs what its kinds do."""
    ensure_member(actor)
    return totals_of(ctx, packs, _standings(ctx, actor, None))


def totals_of(
    ctx: Context, packs: Sequence[Pack], standings: Sequence[SystemStanding]
) -> dict[str, dict[str, int]]:
    """The roll-up per pack of these standings (see `readiness_totals`)."""
    return _totals(standings, packs, ctx.clock().date(), None)


def readiness_page(
    ctx: Context,
    actor: Actor,
    packs: Sequence[Pack],
    limit: int,
    offset: int = 0,
    pack_id: str | None = None,
    schedule: str | None = None,
) -> tuple[list[PackReadiness], int, dict[str, dict[str, int]]]:
    """One page of the visible systems (by name, then id) against every pack (or one): their
    readiness, how many systems there are in all, and the roll-up per pack over all of them
    (not the page), each system read once and judged in full only on the page."""
    ensure_member(actor)
    chosen = [p for p in packs if pack_id is None or p.id == pack_id]
    if not chosen:
        raise NotFound("pack", pack_id or "")
    today = ctx.clock().date()
    standings = sorted(_standings(ctx, actor, None), key=lambda s: (s.system.name, s.system.id))
    shown = standings[offset : offset + limit]
    items = [readiness(pack, s, today, schedule) for s in shown for pack in chosen]
    return items, len(standings), _totals(standings, chosen, today, schedule)


def _totals(
    standings: Sequence[SystemStanding], packs: Sequence[Pack], today: date, schedule: str | None
) -> dict[str, dict[str, int]]:
    """The roll-up per pack of the standings, readiness judged once per kind of system."""
    kinds: dict[Hashable, tuple[SystemStanding, int]] = {}
    for s in standings:
        first, count = kinds.get(_alike(s), (s, 0))
        kinds[_alike(s)] = (first, count + 1)
    out: dict[str, dict[str, int]] = {}
    for first, count in kinds.values():
        judged = [readiness(p, first, today, schedule) for p in packs]
        for pack, totals in rollup(judged).items():
            into = out.setdefault(pack, dict.fromkeys(totals, 0))
            for key, value in totals.items():
                into[key] += value * count
    return out


def _alike(s: SystemStanding) -> Hashable:
    """Everything `packs.readiness` reads of a standing but the system's id, name and the
    bases themselves (a status asks only whether a requirement has one)."""
    return (
        s.tier, s.transparency, s.gpai, s.classification_id is None, frozenset(s.satisfied_by),
        s.roles or (s.system.operator_role.value,), s.derogated, s.owed, s.grounds,
        frozenset(s.system.tags),
    )  # fmt: skip


def _standings(ctx: Context, actor: Actor, system_id: str | None) -> list[SystemStanding]:
    """What readiness knows of every visible system (or one)."""
    with ctx.uow() as uow:
        if system_id is not None:
            require(uow.systems, "system", system_id)
        inventory = read_inventory(uow, actor, ctx.clock(), system_id)
        if system_id is not None and not inventory.systems:
            raise NotFound("system", system_id)
        classified = uow.classifications.all()
    return standings_of(ctx, inventory, classified)


def standings_of(
    ctx: Context, inventory: Inventory, classifications: Sequence[ClassificationRecord]
) -> list[SystemStanding]:
    """What readiness knows of each system read, with its latest classification."""
    classified = _latest(classifications)
    satisfied = _satisfied_by(ctx, inventory, inventory.policies)
    out = []
    for s in inventory.systems:
        record = classified.get(s.id)
        out.append(to_standing(
            s, record.tier if record else None, record.result if record else {},
            record.id if record else None, satisfied[s.id],
        ))  # fmt: skip
    return out
