"""What the register shows: risks with where they stand (filtered by system, use case,
owner, body, unit, category, standing, overdue review, failing controls), one risk in full,
controls and their states, the catalogue, the appetite, and the summary a board pack needs."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime

from charter.kernel.access import Action, Actor, allowed, ensure_member
from charter.kernel.errors import Forbidden, NotFound
from charter.kernel.lookups import by_ids, require
from charter.risks.domain.catalogue import Category
from charter.risks.domain.controls import Control, ControlLink, ControlTest, Effectiveness
from charter.risks.domain.model import ControlState, RiskModel
from charter.risks.domain.register import Risk, RiskStatus
from charter.risks.domain.standing import Acceptance, AppetiteStatement, Position, Standing
from charter.risks.domain.views import (
    GROUPINGS,
    LABELS,
    Cell,
    Group,
    by,
    grouped,
    heat_map,
    high,
    in_cell,
    in_hand,
)
from charter.risks.ports import Context, UnitOfWork
from charter.risks.services.register import owner_id_of, scope_of
from charter.risks.services.standing import Register


@dataclass(frozen=True, slots=True)
class Filters:
    system_id: str | None = None
    use_case_id: str | None = None
    owner_id: str | None = None
    body_id: str | None = None
    business_unit_id: str | None = None
    category: str | None = None  # a category or a domain id
    standing: Standing | None = None
    overdue: bool = False
    failing: bool = False  # with a control whose latest test failed
    closed: bool = False  # the closed risks instead of the open ones
    cell: tuple[str, int, int] | None = None  # a heat-map cell: inherent or residual, L, I

    def keeps(self, p: Position, unit: str | None, domain: str | None) -> bool:
        r = p.risk
        return (
            all(
                want is None or want == got
                for want, got in (
                    (self.system_id, r.system_id),
                    (self.use_case_id, r.use_case_id),
                    (self.owner_id, r.owner_id),
                    (self.body_id, r.body_id),
                    (self.business_unit_id, unit),
                    (self.standing, p.standing),
                )
            )
            and (self.category is None or self.category in (r.category, domain))
            and (not self.overdue or p.overdue)
            and (not self.failing or bool(p.failing))
            and (self.cell is None or in_cell(p, self.cell))
        )


def _may_read(uow: UnitOfWork, actor: Actor, risk: Risk) -> bool:
    unit, system = scope_of(uow, risk)
    if system is None and unit is None:
        return bool(actor.roles)
    return allowed(actor, Action.READ, unit, system)


def units_of(uow: UnitOfWork, risks: Iterable[Risk]) -> dict[str, str]:
    """System id -> its business unit id, for the systems the risks are on."""
    systems = by_ids(uow.systems, {r.system_id for r in risks if r.system_id})
    return {s.id: s.business_unit_id for s in systems.values()}


def read_positions(
    ctx: Context, uow: UnitOfWork, actor: Actor, filters: Filters = Filters()
) -> list[Position]:
    """The risks the actor may read, judged now, kept by the filters, most severe first."""
    status = RiskStatus.CLOSED if filters.closed else RiskStatus.OPEN
    if filters.owner_id:  # named by id, e-mail or name
        filters = replace(filters, owner_id=owner_id_of(uow, {"owner_id": filters.owner_id})[
            "owner_id"])  # fmt: skip
    query = {
        k: v for k, v in (("system_id", filters.system_id), ("owner_id", filters.owner_id)) if v
    }
    found = [r for r in uow.risks.all(status=status, **query) if _may_read(uow, actor, r)]
    units, catalogue = units_of(uow, found), ctx.risk_model.catalogue
    judged = Register(uow, ctx.risk_model).judge(found, ctx.clock())
    kept = [
        p for p in judged
        if filters.keeps(p, units.get(p.risk.system_id or ""),
                         getattr(catalogue.get(p.risk.category), "domain", None))
    ]  # fmt: skip
    return sorted(kept, key=lambda p: (-p.residual.score, -p.risk.inherent.score, p.risk.title))


def register(ctx: Context, actor: Actor, filters: Filters = Filters()) -> list[Position]:
    ensure_member(actor)
    with ctx.uow() as uow:
        return read_positions(ctx, uow, actor, filters)


@dataclass(frozen=True, slots=True)
class RiskDetail:
    position: Position
    tests: dict[str, list[ControlTest]]  # manual controls' tests, newest first, by control
    acceptances: list[Acceptance]  # every acceptance, newest first
    links: list[ControlLink]


def risk_detail(ctx: Context, actor: Actor, risk_id: str) -> RiskDetail:
    ensure_member(actor)
    with ctx.uow() as uow:
        risk = require(uow.risks, "risk", risk_id)
        if not _may_read(uow, actor, risk):
            raise Forbidden(f"{actor.label} may not read risk {risk_id}")
        [found] = Register(uow, ctx.risk_model).judge([risk], ctx.clock())
        controls = frozenset(c.id for c, _ in found.controls)
        tests = uow.control_tests.all(control_id=controls) if controls else []
        by_control: dict[str, list[ControlTest]] = {}
        for t in sorted(tests, key=lambda t: t.tested_at, reverse=True):
            by_control.setdefault(t.control_id, []).append(t)
        acceptances = sorted(
            uow.risk_acceptances.all(risk_id=risk_id), key=lambda a: a.accepted_at, reverse=True
        )
        return RiskDetail(found, by_control, acceptances, uow.control_links.all(risk_id=risk_id))


@dataclass(frozen=True, slots=True)
class ControlView:
    control: Control
    state: Effectiveness
    risks: tuple[str, ...]  # the risks it mitigates
    tests: tuple[ControlTest, ...] = ()


def controls(
    ctx: Context, actor: Actor, system_id: str | None = None, state: ControlState | None = None
) -> list[ControlView]:
    """Controls the actor may read (of the systems they may read, and manual ones), each
    with its state, failing first."""
    ensure_member(actor)
    with ctx.uow() as uow:
        found = uow.controls.all(system_id=system_id) if system_id else uow.controls.all()
        systems = by_ids(uow.systems, {c.system_id for c in found if c.system_id})
        visible = frozenset(
            c.id for c in found
            if c.system_id is None or allowed(
                actor, Action.READ, systems[c.system_id].business_unit_id, c.system_id)
        )  # fmt: skip
        judged = Register(uow, ctx.risk_model).effectiveness(visible, ctx.clock())
        links = uow.control_links.all(control_id=visible) if visible else []
    order = {ControlState.FAILING: 0, ControlState.STALE: 1, ControlState.UNTESTED: 2}
    out = [
        ControlView(c, e, tuple(x.risk_id for x in links if x.control_id == c.id))
        for c, e in judged.values()
        if state is None or e.state is state
    ]
    return sorted(out, key=lambda v: (order.get(v.state.state, 3), v.control.title))


def control_detail(ctx: Context, actor: Actor, control_id: str) -> ControlView:
    for view in controls(ctx, actor):
        if view.control.id == control_id:
            with ctx.uow() as uow:
                tests = uow.control_tests.all(control_id=control_id)
            ordered = tuple(sorted(tests, key=lambda t: t.tested_at, reverse=True))
            return ControlView(view.control, view.state, view.risks, ordered)
    with ctx.uow() as uow:
        require(uow.controls, "control", control_id)
    raise Forbidden(f"{actor.label} may not read control {control_id}")


def catalogue(ctx: Context, actor: Actor) -> list[Category]:
    ensure_member(actor)
    return list(ctx.risk_model.catalogue.values())


def category(ctx: Context, actor: Actor, category_id: str) -> Category:
    ensure_member(actor)
    found = ctx.risk_model.catalogue.get(category_id)
    if found is None:
        raise NotFound("risk category", category_id)
    return found


def appetite(ctx: Context, actor: Actor) -> list[AppetiteStatement]:
    """The organisation's appetite statements (the model's defaults apply where none does)."""
    ensure_member(actor)
    with ctx.uow() as uow:
        return sorted(uow.risk_appetites.all(), key=lambda s: (s.category, s.tier))


@dataclass(frozen=True, slots=True)
class RiskSummary:
    """What a board pack needs of the register, over the risks the reader may see."""

    as_of: datetime
    open: int
    heat_map: tuple[Cell, ...]  # inherent and residual counts per likelihood x impact
    bands: dict[str, tuple[int, int]]  # band -> (open risks inherently there, there now)
    above_appetite: tuple[Position, ...]  # not accepted: they block gates that ask
    accepted: tuple[Position, ...]  # above appetite, accepted by a body until a date
    failing_controls: tuple[ControlView, ...]
    overdue: tuple[Position, ...]
    high: int  # high risks (inherent band among the model's high bands)
    high_in_hand: int  # of those, within appetite with every control effective
    groups: dict[str, list[Group]] = field(default_factory=dict)  # by owner, body, unit, category


def risk_summary(ctx: Context, actor: Actor) -> RiskSummary:
    """The register in one read, for the board pack (issue 24) and the dashboard."""
    ensure_member(actor)
    with ctx.uow() as uow:
        found = read_positions(ctx, uow, actor)
        units = units_of(uow, (p.risk for p in found))
    return _summary(ctx, actor, found, units)


def register_page(
    ctx: Context, actor: Actor, filters: Filters = Filters()
) -> tuple[RiskSummary, list[Position]]:
    """`risk_summary` and `register(filters)` with the open risks read and judged once (the
    closed ones, when the filters ask for them, apart)."""
    ensure_member(actor)
    with ctx.uow() as uow:
        found = read_positions(ctx, uow, actor)
        units = units_of(uow, (p.risk for p in found))
        if filters.closed:
            kept = read_positions(ctx, uow, actor, filters)
        else:
            if filters.owner_id:  # named by id, e-mail or name, as `read_positions` takes it
                owner = owner_id_of(uow, {"owner_id": filters.owner_id})["owner_id"]
                filters = replace(filters, owner_id=owner)
            catalogue = ctx.risk_model.catalogue
            kept = [
                p for p in found
                if filters.keeps(p, units.get(p.risk.system_id or ""),
                                 getattr(catalogue.get(p.risk.category), "domain", None))
            ]  # fmt: skip
    return _summary(ctx, actor, found, units), kept


def _summary(
    ctx: Context, actor: Actor, found: Sequence[Position], units: dict[str, str]
) -> RiskSummary:
    model = ctx.risk_model
    cells = tuple(heat_map(model, found))
    before, after = Counter(p.inherent_band for p in found), Counter(p.residual_band for p in found)
    bands = {b.name: (before[b.name], after[b.name]) for b in model.bands}
    highs = [p for p in found if high(model, p)]
    return RiskSummary(
        ctx.clock(), len(found), cells, bands,
        tuple(p for p in found if p.standing is Standing.ABOVE),
        tuple(p for p in found if p.standing is Standing.ACCEPTED),
        tuple(controls(ctx, actor, state=ControlState.FAILING)),
        tuple(p for p in found if p.overdue), len(highs), sum(in_hand(p) for p in highs),
        {name: grouped(found, by(name, units), LABELS.get(name)) for name in GROUPINGS},
    )  # fmt: skip


def grouped_by(ctx: Context, actor: Actor, name: str) -> list[Group]:
    ensure_member(actor)
    with ctx.uow() as uow:
        found = read_positions(ctx, uow, actor)
        units = units_of(uow, (p.risk for p in found))
    return grouped(found, by(name, units), LABELS.get(name))


def above_in_remit(ctx: Context, uow: UnitOfWork, body_id: str) -> Sequence[Position]:
    """Open risks above appetite and not accepted that this body may accept (those it
    oversees, and those no body is named for): a body's agenda."""
    found = [r for r in uow.risks.all(status=RiskStatus.OPEN) if r.body_id in (None, body_id)]
    judged = Register(uow, ctx.risk_model).judge(found, ctx.clock())
    return [p for p in judged if p.standing is Standing.ABOVE]


MODEL_FIELDS = ("version", "likelihood", "impact", "bands", "high_bands", "rule", "appetite",
                "owner_roles", "review_days", "control_max_age_days")  # fmt: skip


def model(ctx: Context, actor: Actor) -> RiskModel:
    """The risk model in force (its catalogue is read with `catalogue`)."""
    ensure_member(actor)
    return ctx.risk_model
