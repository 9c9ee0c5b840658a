"""charter kpi"""

from __future__ import annotations

from pathlib import Path

import typer

from charter.kernel.cli.files import read_text
from charter.kernel.cli.output import (
    EXIT_FAILED_CHECK,
    JsonOpt,
    console,
    emit,
    name_of,
    reporting,
    table,
)
from charter.kernel.cli.session import AS_HELP, acting, context
from charter.kernel.figures import readable
from charter.kernel.present import as_json
from charter.strategy.cli import names
from charter.strategy.domain.kpis import CHANNELS, Direction, Reading, Tracks, parse_csv
from charter.strategy.present import kpi_json, value_json
from charter.strategy.services import kpis

kpi_app = typer.Typer(
    help="KPIs of use cases and systems, and their measurements.", no_args_is_help=True
)
AsOpt = typer.Option(None, "--as", help=AS_HELP)


@kpi_app.command("define")
def kpi_define(
    name: str = typer.Option(...),
    unit: str = typer.Option(..., help="e.g. %, EUR, minutes"),
    direction: Direction = typer.Option(...),
    target: float = typer.Option(..., help="The target per period."),
    owner: str = typer.Option(..., help="The KPI's owner: id, e-mail or exact name."),
    use_case: str | None = typer.Option(None, help="The use case it measures."),
    system: str | None = typer.Option(None, help="Or the system it measures."),
    baseline: float | None = None,
    tracks: Tracks = typer.Option(Tracks.OUTCOME, help="outcome, or money: value or cost"),
    alert_after: int = typer.Option(3, help="Missed periods in a row that raise an alert."),
    who: str | None = AsOpt,
    json_: bool = JsonOpt,
) -> None:
    """Define a KPI of a use case or a system."""
    with reporting(json_):
        ctx = context()
        kpi = kpis.define_kpi(
            ctx, acting(ctx, who), name=name, unit=unit, direction=direction, target=target,
            owner_id=owner, use_case_id=use_case, system_id=system, baseline=baseline,
            tracks=tracks, alert_after=alert_after,
        )  # fmt: skip
    emit(as_json(kpi), json_, lambda: typer.echo(f"defined KPI {kpi.id}"))


@kpi_app.command("list")
def kpi_list(
    use_case: str | None = None,
    system: str | None = None,
    who: str | None = AsOpt,
    json_: bool = JsonOpt,
) -> None:
    """KPIs you may read, with their latest value and any alert."""
    with reporting(json_):
        ctx = context()
        actor = acting(ctx, who)
        views = kpis.kpi_views(ctx, actor, use_case, system)
        named = names(ctx, actor)
    rows = [
        (v.kpi.id, v.kpi.name, name_of(named, v.kpi.use_case_id or v.kpi.system_id),
         name_of(named, v.kpi.owner_id), v.kpi.unit, v.kpi.target, v.latest,
         f"missed {v.alert.missed}" if v.alert else "")
        for v in views
    ]  # fmt: skip
    columns = ["id", "name", "measures", "owner", "unit", "target", "latest", "alert"]
    emit(
        {"items": [kpi_json(v) for v in views], "total": len(views)},
        json_,
        lambda: table("KPIs", columns, rows),
    )


@kpi_app.command("show")
def kpi_show(kpi: str, who: str | None = AsOpt, json_: bool = JsonOpt) -> None:
    """One KPI with every measurement: who recorded it, through which interface, and the
    source they stated."""
    with reporting(json_):
        ctx = context()
        actor = acting(ctx, who)
        view = kpis.get_kpi(ctx, actor, kpi)
        named = names(ctx, actor) if not json_ else {}
    emit(
        kpi_json(view),
        json_,
        lambda: table(f"{view.kpi.name} ({view.kpi.unit}, target {readable(view.kpi.target)})",
                      ["period", "value", "recorded by", "through", "stated source", "note"],
                      [(m.period.isoformat()[:7], m.value, name_of(named, m.recorded_by),
                        CHANNELS.get(m.source, m.source), m.stated_source, m.note)
                       for m in view.series]),
    )  # fmt: skip


@kpi_app.command("update")
def kpi_update(
    kpi: str,
    target: float | None = None,
    baseline: float | None = None,
    owner: str | None = None,
    alert_after: int | None = None,
    active: bool | None = typer.Option(None, "--active/--inactive"),
    who: str | None = AsOpt,
    json_: bool = JsonOpt,
) -> None:
    """Change a KPI's target, baseline, owner or alert; retire it with --inactive."""
    given = {"target": target, "baseline": baseline, "owner_id": owner,
             "alert_after": alert_after, "active": active}  # fmt: skip
    with reporting(json_):
        ctx = context()
        item = kpis.update_kpi(
            ctx, acting(ctx, who), kpi, **{k: v for k, v in given.items() if v is not None}
        )
    emit(as_json(item), json_, lambda: typer.echo(f"updated KPI {item.id}"))


@kpi_app.command("record")
def kpi_record(
    kpi: str,
    period: str = typer.Argument(..., help="The month: YYYY-MM."),
    value: float = typer.Argument(...),
    note: str = typer.Option("", help="A note on this measurement."),
    stated_source: str = typer.Option(
        "",
        help="Where the figure came from (a system, a report): kept as your word, apart "
        "from what Charter records itself (who entered it, through the command line).",
    ),
    who: str | None = AsOpt,
    json_: bool = JsonOpt,
) -> None:
    """Record one measurement (a period recorded again is corrected), with who entered it,
    through the command line, and any source you state kept apart as yours."""
    with reporting(json_):
        ctx = context()
        written = kpis.record_measurements(
            ctx, acting(ctx, who), [Reading(kpi, period, value, note)], "cli", stated_source
        )
    emit(
        {"recorded": len(written), "items": as_json(written)},
        json_,
        lambda: typer.echo(f"recorded {len(written)} measurement(s)"),
    )


@kpi_app.command("import")
def kpi_import(
    file: Path,
    dry_run: bool = typer.Option(
        False, "--dry-run", help="Check the rows, show them and a preview key; record nothing."
    ),
    preview: str | None = typer.Option(
        None,
        help="Your dry run's preview key: record the rows, only if they are those it "
        "showed (within 30 minutes, once).",
    ),
    who: str | None = AsOpt,
    json_: bool = JsonOpt,
) -> None:
    """Import a CSV file (kpi_id, period, value[, note]): every row or none, as the
    confirmation of a dry run (--dry-run shows the rows and a preview key; --preview records
    them)."""
    with reporting(json_):
        readings = parse_csv(read_text(file))
        ctx = context()
        actor = acting(ctx, who)
        if dry_run:
            kept = kpis.preview_measurements(ctx, actor, readings)
        else:
            written = kpis.import_measurements(ctx, actor, readings, preview, "cli_csv")
    if dry_run:
        _show_preview(readings, kept, json_)
        return
    emit(
        {"recorded": len(written), "rows": len(readings)},
        json_,
        lambda: typer.echo(f"{len(readings)} rows read, {len(written)} recorded or corrected"),
    )


def _show_preview(readings: list[Reading], kept: kpis.Previewed, json_: bool) -> None:
    def human() -> None:
        table("Rows that would be recorded (nothing recorded yet)",
              ["line", "KPI", "period", "value", "note"],
              [(r.where(i), r.kpi_id, r.period, r.value, r.note or "")
               for i, r in enumerate(readings, start=1)])  # fmt: skip
        typer.echo(f"preview {kept.preview} (yours, until {kept.expires_at:%H:%M} UTC)")
        typer.echo(f"record them: charter kpi import FILE --preview {kept.preview}")

    emit(as_json(kept) | {"items": as_json(readings)}, json_, human)


@kpi_app.command("value")
def kpi_value(who: str | None = AsOpt, json_: bool = JsonOpt) -> None:
    """Value realised against planned, cost against budget, return per business unit."""
    with reporting(json_):
        ctx = context()
        actor = acting(ctx, who)
        report = kpis.value_report(ctx, actor)
        named = names(ctx, actor)

    def human() -> None:
        table("Value per use case", ["use case", "months", "realised", "planned", "cost",
                                     "budget"], [
            (name_of(named, line.use_case_id), line.months, f"{line.realised:,.0f}",
             "-" if line.planned is None else f"{line.planned:,.0f}", f"{line.cost:,.0f}",
             "-" if line.budget is None else f"{line.budget:,.0f}")
            for line in report.lines
        ])  # fmt: skip
        table("Return per business unit", ["unit", "realised", "cost", "return"], [
            (name_of(named, u.business_unit_id), f"{u.realised:,.0f}", f"{u.cost:,.0f}",
             "-" if u.net_return is None else f"{u.net_return:.0%}") for u in report.by_unit
        ])  # fmt: skip

    emit(value_json(report), json_, human)


@kpi_app.command("alerts")
def kpi_alerts(who: str | None = AsOpt, json_: bool = JsonOpt) -> None:
    """KPIs that missed their target for their set number of periods; exit 1 if any."""
    with reporting(json_):
        ctx = context()
        found = kpis.value_report(ctx, acting(ctx, who)).alerts

    def human() -> None:
        for a in found:
            console.print(
                f"[red]{a.name}[/] missed its target {readable(a.target)} for {a.missed} periods "
                f"since {a.since:%Y-%m} (last {readable(a.last)})",
                highlight=False,
            )
        if not found:
            typer.echo("no KPI alerts")

    emit({"alerts": as_json(list(found)), "total": len(found)}, json_, human)
    if found:
        raise typer.Exit(EXIT_FAILED_CHECK)
