"""What gates and the system's pages read of the risk register. The register sits above
governance and provides these through the unit of work (`risk_register`): each open risk of a
system and how it stands now against the appetite for it. The `risk_appetite` requirement kind
is judged on them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from charter.kernel.verdicts import Verdict

WITHIN, ACCEPTED, ABOVE, UNRATED = "within", "accepted", "above", "unrated"


@dataclass(frozen=True, slots=True)
class RiskPosition:
    risk_id: str
    title: str
    category: str
    owner_id: str
    inherent: tuple[int, int]  # likelihood, impact
    residual: tuple[int, int]  # now, after the controls' latest tests
    inherent_band: str
    residual_band: str
    appetite_band: str
    standing: str  # within, accepted (by a body, until a date), above, unrated
    controls: int = 0
    failing: int = 0  # controls whose latest test failed
    overdue: bool = False  # its review date has passed
    accepted_until: datetime | None = None
    acceptance_id: str | None = None
    accepted_by: str | None = None  # the body's id


def judge_appetite(
    positions: Sequence[RiskPosition], assessed: bool
) -> tuple[Verdict, str, str | None]:
    """Satisfied when every open risk of the system is within appetite or accepted by a body
    (then resting on the first acceptance); a risk above appetite is not satisfied; one that
    cannot be judged, or (with `assessed`) no risk assessed at all, is inconclusive."""
    if not positions:
        if assessed:
            return Verdict.INCONCLUSIVE, "no risk of this system is assessed in the register", None
        return Verdict.SATISFIED, "no open risk registered for this system", None
    above = [p for p in positions if p.standing == ABOVE]
    if above:
        names = "; ".join(
            f"{p.title} ({p.risk_id}: residual {p.residual_band}, appetite {p.appetite_band})"
            for p in above
        )
        return Verdict.NOT_SATISFIED, f"residual risk above appetite, not accepted: {names}", None
    unrated = [p for p in positions if p.standing not in (WITHIN, ACCEPTED)]
    if unrated:
        names = ", ".join(p.risk_id for p in unrated)
        return Verdict.INCONCLUSIVE, f"risk standing cannot be judged: {names}", None
    accepted = [p for p in positions if p.standing == ACCEPTED]
    reason = f"{len(positions)} open risk(s) within appetite"
    if accepted:
        until = min(p.accepted_until for p in accepted if p.accepted_until is not None)
        reason += (
            f", {len(accepted)} of them accepted by a body (the first lapses {until:%Y-%m-%d})"
        )
    return Verdict.SATISFIED, reason, accepted[0].acceptance_id if accepted else None
