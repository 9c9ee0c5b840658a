"""charter obligations calendar | impact: obligation dates per system and who answers for
them; what a change of schedule or of the classification data changes."""

from __future__ import annotations

import typer

from charter.frameworks import present
from charter.frameworks import services as classification
from charter.frameworks.files import classification_data
from charter.kernel.cli.files import day
from charter.kernel.cli.output import JsonOpt, console, emit, reporting, table
from charter.kernel.cli.session import AS_HELP, acting, context

obligations_app = typer.Typer(
    help="Obligation dates per system: the calendar, and the impact of a change of schedule.",
    no_args_is_help=True,
)
SCHEDULES = "original or amended"


@obligations_app.command("calendar")
def calendar(
    system: str | None = typer.Option(None, "--system", help="One system; every visible one."),
    until: str | None = typer.Option(None, "--until", help="Up to this day (YYYY-MM-DD)."),
    schedule: str | None = typer.Option(
        None,
        "--schedule",
        help=f"{SCHEDULES}; default: what each system's answers name, else the schedule in force.",
    ),
    who: str | None = typer.Option(None, "--as", help=AS_HELP),
    json_: bool = JsonOpt,
) -> None:
    """Upcoming obligation dates per classified system, with the person who answers for
    each (the RACI Accountable of its activity, else the system's owner)."""
    with reporting(json_):
        ctx = context()
        last = day(until, "--until") if until else None
        found = classification.obligations_calendar(
            ctx, acting(ctx, who), classification_data(), schedule, last, system
        )
    data = present.calendar(found)

    def human() -> None:
        table(
            "Upcoming obligations",
            ["date", "system", "obligation", "role", "answers for it", "uncertain"],
            [
                (i["on"], i["system"], f"{i['obligation']}: {i['title']}", i["role"],
                 f"{i['answerable']['name'] or '—'} ({i['answerable']['basis']})",
                 "yes" if i["uncertain"] else "")
                for i in data["items"]
            ],
        )  # fmt: skip
        for system_id, why in found.stale.items():
            console.print(f"[red]{system_id}: re-classify: {why}[/red]")

    emit(data, json_, human)


@obligations_app.command("impact")
def impact(
    schedule: str = typer.Option(..., "--schedule", help=SCHEDULES),
    who: str | None = typer.Option(None, "--as", help=AS_HELP),
    json_: bool = JsonOpt,
) -> None:
    """Per classified system: which obligations and dates change from its recorded
    classification under the schedule given (and the classification data shipped now), and
    who answers for each."""
    with reporting(json_):
        ctx = context()
        found = classification.obligations_impact(
            ctx, acting(ctx, who), classification_data(), schedule
        )
    data = present.impact(found)

    def human() -> None:
        for item in data["items"]:
            console.print(f"[bold]{item['system']}[/bold]: {item['before']} -> {item['after']}")
            if item["stale"]:
                console.print(f"[red]re-classify: {item['stale']}[/red]")
            table(
                "",
                ["obligation", "role", "ground", "change", "before", "after", "answers for it"],
                [
                    (c["obligation"], c["role"], c["ground"], c["change"], c["before"] or "—",
                     c["after"] or "—", c["answerable"]["name"] or "—")
                    for c in item["changes"]
                ],
            )  # fmt: skip
        console.print(f"{data['systems_changed']} of {data['total']} systems change")

    emit(data, json_, human)
