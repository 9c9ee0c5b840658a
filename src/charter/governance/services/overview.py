"""The dashboard's view of the portfolio from one read of the gate facts: each system's
posture at its next gate, the readiness roll-up per pack and the systems' open risks."""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from types import MappingProxyType

from charter.frameworks.domain.packs import Pack
from charter.governance.domain.risk_view import RiskPosition
from charter.governance.ports import Context
from charter.governance.services.gates import SystemPosture, posture_of, read_inventory
from charter.governance.services.readiness import standings_of, totals_of
from charter.kernel.access import Actor, ensure_member
from charter.kernel.kept import Kept


@dataclass(frozen=True, slots=True)
class Overview:
    """Immutable to its core (tuples, read-only mappings, frozen records): a kept overview is
    the same object for every reader of the process, so nothing one does to it reaches
    another."""

    posture: tuple[SystemPosture, ...]
    readiness: Mapping[str, Mapping[str, int]]  # pack id -> status -> systems
    risks: Mapping[str, Sequence[RiskPosition]]  # by system: its open risks
    findings: int  # RACI findings across the systems, as `raci.all_findings` counts them
    as_of: datetime  # when it was computed

    @property
    def risks_above(self) -> int:
        """Open risks above appetite and not accepted."""
        return sum(r.standing == "above" for found in self.risks.values() for r in found)


def overview(
    ctx: Context, actor: Actor, packs: Sequence[Pack], kept: Kept[Overview] | None = None
) -> Overview:
    """What `gates.posture`, `readiness.readiness_totals`, `gates.risk_positions` and
    `raci.all_findings` tell of every system the actor may see, from one read of what gates
    rest on (each system's RACI validated once for all of them). With `kept`, the one
    computed for the same reader, packs and day while no write has moved the audit log's
    head since, if it is under a minute old (its `as_of` says when it was computed)."""
    ensure_member(actor)
    now = ctx.clock()
    with ctx.uow().reading() as uow:
        key = _key(uow.audit.head(), actor, packs, now)
        found = kept.get(key, now) if kept is not None else None
        if found is not None:
            return found[0]
        inventory = read_inventory(uow, actor, now, risks=True)
        classified = uow.classifications.all()
    standings = standings_of(ctx, inventory, classified)
    findings = sum(len(inventory.raci_findings(s)) for s in inventory.systems)
    totals = totals_of(ctx, packs, standings)
    seen = Overview(
        tuple(posture_of(ctx, inventory, now)),
        MappingProxyType({pack: MappingProxyType(by) for pack, by in totals.items()}),
        MappingProxyType({system: tuple(found) for system, found in inventory.risks.items()}),
        findings,
        now,
    )
    if kept is not None:
        kept.put(key, seen, now)
    return seen


def _key(head: tuple[int, bytes], actor: Actor, packs: Sequence[Pack], now: datetime) -> Hashable:
    """Every input of the overview but the records the log's head stands for: the reader
    (whose roles decide what they see), the packs and the day (readiness's schedules)."""
    return head, actor.person_id, actor.roles, tuple(p.id for p in packs), now.date()
