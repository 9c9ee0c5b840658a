"""Use cases for KPIs: define and change them, record measurements (one, a pipeline's batch
or a CSV file, all or nothing), and read trends, alerts and value realised."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any, TypeVar

from charter.inventory.services import ensure_active_owner
from charter.kernel.access import Action, Actor, allowed, ensure, ensure_member
from charter.kernel.context import record
from charter.kernel.errors import Conflict, InvalidInput, refuse_all
from charter.kernel.lookups import check_fields, person_id, require
from charter.kernel.names import require_name
from charter.kernel.records import changes
from charter.strategy.domain.kpis import (
    CHANNELS,
    Alert,
    Direction,
    Kpi,
    KpiPreview,
    Measurement,
    Reading,
    Tracks,
    UnitReturn,
    ValueLine,
    alert,
    check_kpi,
    finite,
    measured_period,
    measured_value,
    progress,
    readings_digest,
    returns_by_unit,
    value_line,
)
from charter.strategy.ports import Context, UnitOfWork
from charter.strategy.services.portfolio import visible

KPI_FIELDS = (
    "name", "unit", "direction", "target", "owner_id", "use_case_id", "system_id", "baseline",
    "tracks", "alert_after", "description", "active",
)  # fmt: skip
NULLABLE = frozenset({"use_case_id", "system_id", "baseline"})
MAX_BATCH = 100_000
PREVIEW_TTL = timedelta(minutes=30)  # a CSV preview waits this long for its confirmation
PREVIEWS_KEPT = 20  # a person's live previews, at most (the oldest dropped first)


def _number(value: float | None) -> str | None:
    """Audit data holds no floats: numbers are recorded as their shortest exact text."""
    return None if value is None else repr(float(value))


def _audit(kpi: Kpi) -> dict[str, Any]:
    return {
        "name": kpi.name, "unit": kpi.unit, "direction": kpi.direction.value,
        "target": _number(kpi.target), "baseline": _number(kpi.baseline),
        "owner": kpi.owner_id, "use_case": kpi.use_case_id, "system": kpi.system_id,
        "tracks": kpi.tracks.value, "alert_after": kpi.alert_after, "active": kpi.active,
    }  # fmt: skip


def unit_of(uow: UnitOfWork, kpi: Kpi) -> tuple[str, str | None]:
    """The business unit (and system) a KPI's permissions are judged in."""
    if kpi.use_case_id is not None:
        return require(uow.use_cases, "use case", kpi.use_case_id).business_unit_id, None
    system = require(uow.systems, "system", kpi.system_id or "")
    return system.business_unit_id, system.id


def _clean(kpi: Kpi) -> Kpi:
    return check_kpi(
        replace(
            kpi,
            name=require_name(kpi.name),
            unit=kpi.unit.strip(),
            direction=Direction(kpi.direction),
            tracks=Tracks(kpi.tracks),
            target=finite(kpi.target, "target"),
            baseline=None if kpi.baseline is None else finite(kpi.baseline, "baseline"),
            description=kpi.description.strip()[:4000],
        )
    )


def define_kpi(ctx: Context, actor: Actor, **values: Any) -> Kpi:
    check_fields("KPI", values, KPI_FIELDS, NULLABLE)
    missing = [f for f in ("name", "unit", "direction", "target", "owner_id") if f not in values]
    if missing:
        raise InvalidInput(f"missing KPI field(s): {', '.join(missing)}")
    kpi = _clean(Kpi(id=ctx.new_id("kpi"), **values))
    with ctx.uow() as uow:
        unit, system = unit_of(uow, kpi)
        ensure(actor, Action.KPI_DEFINE, unit, system)
        kpi = replace(kpi, owner_id=person_id(uow.people, kpi.owner_id))
        ensure_active_owner(uow, kpi.owner_id)
        uow.kpis.add(kpi)
        record(ctx, uow, actor, "kpi.defined", "kpi", kpi.id, _audit(kpi))
        uow.commit()
    return kpi


def update_kpi(ctx: Context, actor: Actor, kpi_id: str, **values: Any) -> Kpi:
    check_fields("KPI", values, set(KPI_FIELDS) - {"use_case_id", "system_id"}, {"baseline"})
    with ctx.uow() as uow:
        before = require(uow.kpis, "KPI", kpi_id)
        ensure(actor, Action.KPI_DEFINE, *unit_of(uow, before))
        after = _clean(replace(before, **values))
        after = replace(after, owner_id=person_id(uow.people, after.owner_id))
        ensure_active_owner(uow, after.owner_id, before.owner_id)
        old, new = _audit(before), _audit(after)
        diff = {k: [old[k], new[k]] for k in new if old[k] != new[k]}
        diff |= changes(before, after, ("description",))
        if diff:
            uow.kpis.update(after)
            record(ctx, uow, actor, "kpi.updated", "kpi", kpi_id, diff)
            uow.commit()
    return after


T = TypeVar("T")


def _checked(
    reading: Reading, kpis: dict[str, Kpi], today: date
) -> tuple[tuple[Kpi, date, float] | None, list[str]]:
    """A reading's KPI, period and value, or every problem of the three."""
    problems: list[str] = []
    kpi = kpis.get(reading.kpi_id)
    if kpi is None:
        problems.append(f"KPI {reading.kpi_id!r} does not exist")
    elif not kpi.active:
        problems.append(f"KPI {kpi.id} is no longer active")
    period = _or_problem(lambda: measured_period(reading.period, today), problems)
    value = _or_problem(lambda: measured_value(reading.value), problems)
    if kpi is None or period is None or value is None or problems:
        return None, problems
    return (kpi, period, value), problems


def _or_problem(check: Callable[[], T], problems: list[str]) -> T | None:
    try:
        return check()
    except InvalidInput as exc:
        problems.append(exc.message)
        return None


def _all_checked(
    readings: Sequence[Reading], kpis: dict[str, Kpi], today: date
) -> list[tuple[Kpi, date, float]]:
    """Every reading checked; every problem of all of them refused at once, each at its
    place (a CSV line names each of its problems)."""
    checked, found = [], []
    for index, reading in enumerate(readings, start=1):
        good, problems = _checked(reading, kpis, today)
        found += [(reading.where(index), p) for p in problems]
        if good is not None:
            checked.append(good)
    refuse_all("the measurements", found)
    return checked


def _bound(readings: Sequence[Reading]) -> None:
    """Nothing given or too many: refused before any is read."""
    if not readings:
        raise InvalidInput("no measurements given")
    if len(readings) > MAX_BATCH:
        raise InvalidInput(f"at most {MAX_BATCH} measurements at once")


def _checked_batch(
    uow: UnitOfWork, actor: Actor, readings: Sequence[Reading], today: date
) -> tuple[dict[str, Kpi], list[tuple[Kpi, date, float]]]:
    """The KPIs the readings name that the actor may read, and every reading checked (the
    right to measure each KPI too): every problem refused at once."""
    _bound(readings)
    found = uow.kpis.all(id=frozenset(r.kpi_id for r in readings))
    kpis = {k.id: k for k in found if allowed(actor, Action.READ, *unit_of(uow, k))}
    checked = _all_checked(readings, kpis, today)
    for kpi_id in {k.id for k, _, _ in checked}:
        ensure(actor, Action.KPI_MEASURE, *unit_of(uow, kpis[kpi_id]))
    return kpis, checked


@dataclass(frozen=True, slots=True)
class Previewed:
    """A preview kept by the server: its secret (only its person's: the confirmation
    presents it), the rows' digest, and when it expires."""

    preview: str
    digest: str
    rows: int
    expires_at: datetime


def _key(preview: str) -> str:
    return hashlib.sha256(preview.encode()).hexdigest()


def preview_measurements(ctx: Context, actor: Actor, readings: Sequence[Reading]) -> Previewed:
    """Check readings as recording them would (months, numbers, rights) and keep, bound to
    the person for PREVIEW_TTL, which rows they saw: the confirmation records those only.
    The person's expired previews, and all but their newest PREVIEWS_KEPT, are dropped."""
    now, secret = ctx.clock(), secrets.token_urlsafe(32)
    kept = KpiPreview(_key(secret), actor.ref, readings_digest(readings), len(readings), now,
                      now + PREVIEW_TTL)  # fmt: skip
    with ctx.uow() as uow:
        _checked_batch(uow, actor, readings, now.date())
        mine = sorted(uow.kpi_previews.all(actor=actor.ref), key=lambda p: p.created_at)
        live = [p for p in mine if p.expires_at > now]
        for old in [p for p in mine if p.expires_at <= now] + live[: -PREVIEWS_KEPT + 1]:
            uow.kpi_previews.delete(old.id)
        uow.kpi_previews.add(kept)
        uow.commit()
    return Previewed(secret, kept.digest, kept.rows, kept.expires_at)


def import_measurements(
    ctx: Context, actor: Actor, readings: Sequence[Reading], preview: str | None, channel: str
) -> list[Measurement]:
    """Record a CSV file's readings as record_measurements does, only as the confirmation of
    the person's own preview, unexpired, of exactly these rows (409 otherwise: the server
    kept what it showed them; a digest the caller computes proves nothing). The rows' own
    problems (and rights) are named first, then the preview's; nothing is written."""
    now = ctx.clock()
    with ctx.uow() as uow:
        batch = _checked_batch(uow, actor, readings, now.date())  # the rows' problems first
        if not preview:
            raise InvalidInput(
                "preview: required: preview the file first (API: dry_run=true; command line: "
                "--dry-run) and confirm with the preview it gives; the rows recorded are "
                "those previewed",
                details={"field": "preview", "errors": [{"loc": ["preview"], "msg": "required"}]},
            )
        held = uow.kpi_previews.lock(_key(preview))
        if held is None or held.actor != actor.ref or held.expires_at <= now:
            raise Conflict(UNKNOWN_PREVIEW, details={"field": "preview"})
        if held.digest != readings_digest(readings):
            raise Conflict(OTHER_ROWS, details={"field": "preview"})
        uow.kpi_previews.delete(held.id)  # once: a second confirmation finds none
        written = _record(ctx, uow, actor, readings, channel, "", batch)
        uow.commit()
    return written


UNKNOWN_PREVIEW = (
    "no preview of yours with this key is waiting (unknown, expired after "
    f"{PREVIEW_TTL.seconds // 60} minutes, or already recorded): preview the file again and "
    "confirm what it shows"
)
OTHER_ROWS = (
    "these rows are not the ones previewed: preview the file again and confirm what it shows"
)


def record_measurements(
    ctx: Context, actor: Actor, readings: Sequence[Reading], source: str = "api",
    stated_source: str = "",
) -> list[Measurement]:  # fmt: skip
    """Record readings in one transaction: all or none. A period measured again with the
    same value changes nothing; with another value it is corrected (both kept in the log).
    `source`: the interface they came through (one of CHANNELS, the server's word);
    `stated_source`: what the caller said they came from, kept apart as theirs."""
    with ctx.uow() as uow:
        written = _record(ctx, uow, actor, readings, source, stated_source)
        uow.commit()
    return written


def _record(
    ctx: Context, uow: UnitOfWork, actor: Actor, readings: Sequence[Reading], source: str,
    stated: str, batch: tuple[dict[str, Kpi], list[tuple[Kpi, date, float]]] | None = None,
) -> list[Measurement]:  # fmt: skip
    """record_measurements inside the caller's transaction (`batch`: the readings checked
    in it already)."""
    if source not in CHANNELS:
        raise ValueError(f"not an interface measurements come through: {source!r}")
    now, stated = ctx.clock(), stated.strip()[:200]
    kpis, checked = batch or _checked_batch(uow, actor, readings, now.date())
    existing = {(m.kpi_id, m.period): m for m in uow.measurements.all(kpi_id=frozenset(kpis))}
    written, events = [], dict[str, list[list[str | None]]]()
    for (kpi, period, value), reading in zip(checked, readings, strict=True):
        before = existing.get((kpi.id, period))
        if before is not None and before.value == value:
            continue
        item = Measurement(
            before.id if before else ctx.new_id("msr"), kpi.id, period, value,
            actor.ref, now, source, reading.note.strip()[:2000], stated,
        )  # fmt: skip
        (uow.measurements.update if before else uow.measurements.add)(item)
        existing[(kpi.id, period)] = item
        change = [period.isoformat(), _number(before.value) if before else None, _number(value)]
        events.setdefault(kpi.id, []).append(change)
        written.append(item)
    for kpi_id, rows in sorted(events.items()):
        data = {"source": source, "measurements": rows}
        record(ctx, uow, actor, "kpi.measured", "kpi", kpi_id,
               data | ({"stated_source": stated} if stated else {}))  # fmt: skip
    return written


@dataclass(frozen=True, slots=True)
class KpiView:
    kpi: Kpi
    business_unit_id: str
    series: tuple[Measurement, ...]  # by period
    alert: Alert | None

    @property
    def latest(self) -> float | None:
        return self.series[-1].value if self.series else None

    @property
    def progress(self) -> float | None:
        return progress(self.kpi, self.latest)


def kpi_views(
    ctx: Context, actor: Actor, use_case_id: str | None = None, system_id: str | None = None
) -> list[KpiView]:
    """The KPIs the actor may read, with their measurements and any alert."""
    ensure_member(actor)
    filters = {k: v for k, v in (("use_case_id", use_case_id), ("system_id", system_id)) if v}
    with ctx.uow() as uow:
        kpis = uow.kpis.all(**filters)
        places = {k.id: unit_of(uow, k) for k in kpis}
        found = uow.measurements.all(kpi_id=frozenset(k.id for k in kpis)) if kpis else []
    series: dict[str, list[Measurement]] = {}
    for m in found:
        series.setdefault(m.kpi_id, []).append(m)
    views = []
    for kpi in sorted(kpis, key=lambda k: k.name):
        unit, system = places[kpi.id]
        if not allowed(actor, Action.READ, unit, system):
            continue
        ordered = tuple(sorted(series.get(kpi.id, []), key=lambda m: m.period))
        views.append(KpiView(kpi, unit, ordered, alert(kpi, ordered) if kpi.active else None))
    return views


def get_kpi(ctx: Context, actor: Actor, kpi_id: str) -> KpiView:
    with ctx.uow() as uow:
        kpi = require(uow.kpis, "KPI", kpi_id)
        unit, system = unit_of(uow, kpi)
    ensure(actor, Action.READ, unit, system)
    views = kpi_views(ctx, actor, kpi.use_case_id, kpi.system_id)
    return next(v for v in views if v.kpi.id == kpi_id)


@dataclass(frozen=True, slots=True)
class ValueReport:
    lines: tuple[ValueLine, ...]
    by_unit: tuple[UnitReturn, ...]
    alerts: tuple[Alert, ...]


def value_report(ctx: Context, actor: Actor) -> ValueReport:
    """Value realised against planned and cost against budget per use case (money KPIs of the
    use case and of its systems), return per business unit, and every KPI alert."""
    views = kpi_views(ctx, actor)
    with ctx.uow() as uow:
        cases = [uc for uc in uow.use_cases.all() if visible(actor, uc)]
    owner = {s: uc.id for uc in cases for s in uc.system_ids}
    money: dict[str, dict[Tracks, list[Measurement]]] = {}
    for v in views:
        case = v.kpi.use_case_id or owner.get(v.kpi.system_id or "")
        if case is not None and v.kpi.tracks is not Tracks.OUTCOME:
            money.setdefault(case, {}).setdefault(v.kpi.tracks, []).extend(v.series)
    lines = tuple(
        value_line(
            uc.id, uc.business_unit_id, uc.planned_value, uc.cost_estimate,
            money[uc.id].get(Tracks.VALUE, []), money[uc.id].get(Tracks.COST, []),
        )
        for uc in sorted(cases, key=lambda u: u.title)
        if uc.id in money
    )  # fmt: skip
    alerts = tuple(v.alert for v in views if v.alert is not None)
    return ValueReport(lines, tuple(returns_by_unit(lines)), alerts)
