"""What the register's views show, computed from positions: the heat map (likelihood x
impact, inherent and residual), risks grouped by owner, body, unit or category, and the view
gates and the system's pages read (governance's RiskPosition)."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from charter.governance.domain.risk_view import RiskPosition
from charter.kernel.errors import InvalidInput
from charter.risks.domain.model import Rating, RiskModel
from charter.risks.domain.standing import Position, Standing


@dataclass(frozen=True, slots=True)
class Cell:
    likelihood: int
    impact: int
    band: str
    inherent: int  # risks rated here before controls
    residual: int  # risks here now, after their controls' latest tests


#: a heat-map cell named in a drill-down: inherent:4x3 (likelihood 4, impact 3), residual:2x2
CELL = re.compile(r"(inherent|residual):(\d{1,2})x(\d{1,2})")


def parse_cell(text: str) -> tuple[str, int, int]:
    """A heat-map cell as `inherent:LxI` or `residual:LxI` (likelihood x impact)."""
    found = CELL.fullmatch(text.strip())
    if found is None:
        raise InvalidInput(
            f"{text!r}: name a heat-map cell as inherent:LxI or residual:LxI (e.g. residual:4x3)",
            details={"field": "cell"},
        )
    return found.group(1), int(found.group(2)), int(found.group(3))


def in_cell(p: Position, cell: tuple[str, int, int]) -> bool:
    """Whether a risk sits in the cell of that heat map (before controls, or now)."""
    kind, likelihood, impact = cell
    r = p.risk
    at = (r.inherent_likelihood, r.inherent_impact) if kind == "inherent" else (
        p.residual.likelihood, p.residual.impact)  # fmt: skip
    return at == (likelihood, impact)


def heat_map(model: RiskModel, positions: Sequence[Position]) -> list[Cell]:
    """Every cell of the scales, with how many risks sit there before and after controls."""
    inherent: dict[tuple[int, int], int] = {}
    now: dict[tuple[int, int], int] = {}
    for p in positions:
        for counts, rating in ((inherent, p.risk.inherent), (now, p.residual)):
            key = (rating.likelihood, rating.impact)
            counts[key] = counts.get(key, 0) + 1
    return [
        Cell(lv.value, im.value, model.band(Rating(lv.value, im.value).score).name,
             inherent.get((lv.value, im.value), 0), now.get((lv.value, im.value), 0))
        for lv in model.likelihood
        for im in model.impact
    ]  # fmt: skip


@dataclass(frozen=True, slots=True)
class Group:
    key: str  # an owner, body, unit or category id ("" for none)
    open: int
    above: int  # above appetite, not accepted
    accepted: int
    failing_controls: int
    overdue: int
    label: str = ""  # the key as people read it (an owner's name); "" when the key reads as is


Keyed = Callable[[Position], str]


def grouped(positions: Sequence[Position], key: Keyed, label: Keyed | None = None) -> list[Group]:
    """Risks by a key, the groups with the most above appetite first; each labelled as
    `label` reads its first risk, when given."""
    found: dict[str, list[Position]] = {}
    for p in positions:
        found.setdefault(key(p), []).append(p)
    groups = [
        Group(
            k, len(ps), sum(p.standing is Standing.ABOVE for p in ps),
            sum(p.standing is Standing.ACCEPTED for p in ps),
            sum(len(p.failing) for p in ps), sum(p.overdue for p in ps),
            label(ps[0]) if label else "",
        )
        for k, ps in found.items()
    ]  # fmt: skip
    return sorted(groups, key=lambda g: (-g.above, -g.open, g.key))


def by(name: str, units: Mapping[str, str]) -> Keyed:
    """The key of a grouping: owner, body, unit (of the risk's system) or category."""
    keys: dict[str, Keyed] = {
        "owner": lambda p: p.risk.owner_id,
        "body": lambda p: p.risk.body_id or "",
        "unit": lambda p: units.get(p.risk.system_id or "", ""),
        "category": lambda p: p.risk.category,
    }
    return keys[name]


GROUPINGS = ("owner", "body", "unit", "category")
#: how a grouping's key reads, where an id would not
LABELS: dict[str, Keyed] = {"owner": lambda p: p.owner_name}


def gate_view(p: Position) -> RiskPosition:
    a = p.acceptance
    return RiskPosition(
        p.risk.id, p.risk.title, p.risk.category, p.risk.owner_id,
        (p.risk.inherent_likelihood, p.risk.inherent_impact),
        (p.residual.likelihood, p.residual.impact), p.inherent_band, p.residual_band,
        p.appetite_band, p.standing.value, len(p.controls), len(p.failing), p.overdue,
        a.expires_at if a else None, a.id if a else None, a.body_id if a else None,
    )  # fmt: skip


def high(model: RiskModel, p: Position) -> bool:
    """A high risk: its inherent rating falls in one of the model's high bands."""
    return p.inherent_band in model.high_bands


def in_hand(p: Position) -> bool:
    """Within appetite, with at least one control and every control effective."""
    return (
        p.standing is Standing.WITHIN
        and bool(p.controls)
        and all(e.state.value == "effective" for _, e in p.controls)
    )
