"""The dashboard's view of the portfolio from one read of the gate facts: each system's
posture at its next gate, the readiness roll-up per pack and the systems' open risks."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from charter.frameworks.domain.packs import Pack
from charter.governance.domain.risk_view import RiskPosition
from charter.governance.ports import Context
from charter.governance.services.gates import SystemPosture, posture_of, read_inventory
from charter.governance.services.readiness import standings_of, totals_of
from charter.kernel.access import Actor, ensure_member


@dataclass(frozen=True, slots=True)
class Overview:
    posture: list[SystemPosture]
    readiness: dict[str, dict[str, int]]  # pack id -> status -> systems
    risks: Mapping[str, Sequence[RiskPosition]]  # by system: its open risks
    findings: int  # RACI findings across the systems, as `raci.all_findings` counts them

    @property
    def risks_above(self) -> int:
        """Open risks above appetite and not accepted."""
        return sum(r.standing == "above" for found in self.risks.values() for r in found)


def overview(ctx: Context, actor: Actor, packs: Sequence[Pack]) -> Overview:
    """What `gates.posture`, `readiness.readiness_totals`, `gates.risk_positions` and
    `raci.all_findings` tell of every system the actor may see, from one read of what gates
    rest on (each system's RACI validated once for all of them)."""
    ensure_member(actor)
    now = ctx.clock()
    with ctx.uow().reading() as uow:
        inventory = read_inventory(uow, actor, now, risks=True)
        classified = uow.classifications.all()
    standings = standings_of(ctx, inventory, classified)
    findings = sum(len(inventory.raci_findings(s)) for s in inventory.systems)
    return Overview(
        posture_of(ctx, inventory, now),
        totals_of(ctx, packs, standings),
        inventory.risks,
        findings,
    )
