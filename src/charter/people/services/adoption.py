"""Use cases for change management and adoption: monthly adoption per system and business
unit (a batch from a pipeline, all or nothing), survey results, communications, trends."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from charter.kernel.access import Action, Actor, ensure, ensure_member
from charter.kernel.context import record, snapshot
from charter.kernel.errors import InvalidInput
from charter.kernel.lookups import require
from charter.kernel.names import require_name
from charter.kernel.visibility import visibility
from charter.people.domain.adoption import (
    Adoption,
    Channel,
    Communication,
    Survey,
    TrendPoint,
    check_adoption,
    check_survey,
    trend,
)
from charter.people.ports import Context, UnitOfWork
from charter.strategy.domain.kpis import parse_period

MAX_ROWS = 50_000


def _adoption(ctx: Context, actor: Actor, row: Mapping[str, Any], at: int) -> Adoption:
    try:
        return check_adoption(
            Adoption(
                ctx.new_id("adp"), str(row["system_id"]), str(row["business_unit_id"]),
                parse_period(str(row["period"])), row["active_users"], row["eligible_users"],
                row.get("uses", 0), actor.ref, ctx.clock(),
            )
        )  # fmt: skip
    except KeyError as exc:
        raise InvalidInput(f"adoption row {at}: missing {exc.args[0]}") from None
    except InvalidInput as exc:
        raise InvalidInput(f"adoption row {at}: {exc.message}", details=exc.details) from exc


def record_adoption(
    ctx: Context, actor: Actor, rows: Sequence[Mapping[str, Any]], source: str = "api"
) -> list[Adoption]:
    """Adoption figures {system_id, business_unit_id, period, active_users, eligible_users,
    uses}; a month given again replaces the earlier figure; all rows or none."""
    if not rows or len(rows) > MAX_ROWS:
        raise InvalidInput(f"give from 1 to {MAX_ROWS} adoption rows")
    items = [_adoption(ctx, actor, row, n) for n, row in enumerate(rows, start=1)]
    with ctx.uow() as uow:
        systems = {s.id: s for s in uow.systems.all()}
        for item in items:
            system = systems.get(item.system_id) or require(uow.systems, "system", item.system_id)
            require(uow.units, "business unit", item.business_unit_id)
            ensure(actor, Action.ADOPTION_RECORD, item.business_unit_id, system.id)
            ensure(actor, Action.READ, system.business_unit_id, system.id)
        existing = {(a.system_id, a.business_unit_id, a.period): a for a in uow.adoption.all()}
        for item in items:
            before = existing.get((item.system_id, item.business_unit_id, item.period))
            if before is None:
                uow.adoption.add(item)
            else:
                uow.adoption.update(Adoption(before.id, *_fields(item)))
        by_system: dict[str, list[list[Any]]] = {}
        for i in items:
            by_system.setdefault(i.system_id, []).append(
                [i.business_unit_id, i.period.isoformat(), i.active_users, i.eligible_users, i.uses]
            )
        for system_id, rows_data in sorted(by_system.items()):
            record(ctx, uow, actor, "adoption.recorded", "system", system_id,
                   {"source": source, "rows": rows_data})  # fmt: skip
        uow.commit()
    return items


def _fields(item: Adoption) -> tuple[Any, ...]:
    return (item.system_id, item.business_unit_id, item.period, item.active_users,
            item.eligible_users, item.uses, item.recorded_by, item.recorded_at)  # fmt: skip


def _readable(uow: UnitOfWork, actor: Actor, system_id: str | None) -> None:
    """Figures are recorded only about a system the recorder may read."""
    if system_id:
        system = require(uow.systems, "system", system_id)
        ensure(actor, Action.READ, system.business_unit_id, system.id)


def record_survey(
    ctx: Context,
    actor: Actor,
    title: str,
    period: str,
    responses: int,
    sentiment: float,
    concerns: Mapping[str, int],
    business_unit_id: str | None = None,
    system_id: str | None = None,
) -> Survey:
    ensure(actor, Action.ADOPTION_RECORD, business_unit_id)
    survey = check_survey(
        Survey(
            ctx.new_id("srv"), require_name(title, "title", 300), parse_period(period), responses,
            float(sentiment), {str(k).strip().lower(): v for k, v in concerns.items()},
            business_unit_id, system_id, actor.ref,
        )
    )  # fmt: skip
    with ctx.uow() as uow:
        if business_unit_id:
            require(uow.units, "business unit", business_unit_id)
        _readable(uow, actor, system_id)
        uow.surveys.add(survey)
        data = snapshot(survey, as_text=("sentiment",))
        record(ctx, uow, actor, "survey.recorded", "survey", survey.id, data)
        uow.commit()
    return survey


def log_communication(
    ctx: Context,
    actor: Actor,
    title: str,
    channel: Channel,
    sent_on: date,
    audience: str,
    summary: str,
    system_id: str | None = None,
) -> Communication:
    unit = None if audience == "all" else audience
    ensure(actor, Action.ADOPTION_RECORD, unit)
    if actor.person_id is None:
        raise InvalidInput("a communication is sent by a person")
    item = Communication(
        ctx.new_id("com"), require_name(title, "title", 300), Channel(channel), sent_on, audience,
        summary.strip()[:4000], actor.person_id, system_id,
    )  # fmt: skip
    with ctx.uow() as uow:
        if unit:
            require(uow.units, "business unit", unit)
        _readable(uow, actor, system_id)
        uow.communications.add(item)
        record(ctx, uow, actor, "communication.logged", "communication", item.id, snapshot(item))
        uow.commit()
    return item


@dataclass(frozen=True, slots=True)
class AdoptionView:
    figures: tuple[Adoption, ...]
    surveys: tuple[Survey, ...]  # by period
    communications: tuple[Communication, ...]  # newest first

    def by_unit(self) -> dict[str, list[TrendPoint]]:
        units = sorted({a.business_unit_id for a in self.figures})
        return {u: trend(self.figures, u) for u in units}

    def by_system(self) -> dict[str, list[TrendPoint]]:
        systems = sorted({a.system_id for a in self.figures})
        return {s: trend(self.figures, s, "system_id") for s in systems}

    def overall(self) -> list[TrendPoint]:
        return trend(self.figures)


def adoption_view(ctx: Context, actor: Actor) -> AdoptionView:
    """Adoption of the systems the reader may read (and what is about no system)."""
    ensure_member(actor)
    seen = visibility(actor)
    with ctx.uow() as uow:
        where = seen.systems_where(uow.systems)
        return AdoptionView(
            tuple(seen.only(uow.adoption.all(), lambda a: where(a.system_id))),
            tuple(sorted(seen.only(uow.surveys.all(), lambda s: where(s.system_id)),
                         key=lambda s: s.period)),
            tuple(sorted(seen.only(uow.communications.all(), lambda c: where(c.system_id)),
                         key=lambda c: c.sent_on, reverse=True)),
        )  # fmt: skip
