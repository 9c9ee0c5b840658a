"""charter talent | adoption"""

from __future__ import annotations

from pathlib import Path

import typer

from charter.kernel.cli.files import day as parse_day
from charter.kernel.cli.files import read_text
from charter.kernel.cli.output import JsonOpt, console, emit, reporting, table
from charter.kernel.cli.session import AS_HELP, acting, context
from charter.kernel.errors import InvalidInput
from charter.kernel.present import as_json
from charter.kernel.roles import RoleKind
from charter.people.domain.adoption import Channel, parse_adoption_csv
from charter.people.domain.talent import SkillCategory
from charter.people.present import adoption_json, talent_json
from charter.people.services import adoption, talent

talent_app = typer.Typer(
    help="Skills, needs, courses, training and AI literacy.", no_args_is_help=True
)
adoption_app = typer.Typer(help="Adoption, surveys and communications.", no_args_is_help=True)
AsOpt = typer.Option(None, "--as", help=AS_HELP)


@talent_app.command("show")
def talent_show(who: str | None = AsOpt, json_: bool = JsonOpt) -> None:
    """Gaps per person, the portfolio's demand for skills, AI literacy coverage."""
    with reporting(json_):
        ctx = context()
        actor = acting(ctx, who)
        view = talent.talent_view(ctx, actor)
        data = talent_json(view)

    def human() -> None:
        table("AI literacy by role", ["role", "people", "trained", "share"], [
            (c.key, c.people, c.trained, "-" if c.share is None else f"{c.share:.0%}")
            for c in view.by_role
        ])  # fmt: skip
        table("Portfolio demand", ["skill", "use cases", "holders"], [
            (d.skill, len(d.use_cases), len(d.holders)) for d in view.demand
        ])  # fmt: skip
        console.print(f"{len(view.gaps)} skill gaps; {len(view.renewals)} renewals due")

    emit(data, json_, human)


@talent_app.command("add-skill")
def talent_add_skill(
    name: str, category: SkillCategory = typer.Option(...), description: str = "",
    who: str | None = AsOpt, json_: bool = JsonOpt,
) -> None:  # fmt: skip
    """Add a skill to the catalogue."""
    with reporting(json_):
        ctx = context()
        skill = talent.add_skill(ctx, acting(ctx, who), name, category, description)
    emit(as_json(skill), json_, lambda: typer.echo(f"added skill {skill.id}"))


@talent_app.command("need")
def talent_need(
    role: RoleKind, skill: str, level: int = typer.Option(..., min=1, max=4),
    who: str | None = AsOpt, json_: bool = JsonOpt,
) -> None:  # fmt: skip
    """An AI role needs a skill at least at a level (1 aware to 4 leads others)."""
    with reporting(json_):
        ctx = context()
        item = talent.need_skill(ctx, acting(ctx, who), role, skill, level)
    emit(as_json(item), json_, lambda: typer.echo(f"{role.value} needs {skill} at {level}"))


@talent_app.command("assess")
def talent_assess(
    person: str, skill: str, level: int = typer.Option(..., min=1, max=4),
    evidence: str = typer.Option(...), who: str | None = AsOpt, json_: bool = JsonOpt,
) -> None:  # fmt: skip
    """Record the level a person holds a skill at, with its evidence."""
    with reporting(json_):
        ctx = context()
        item = talent.assess_skill(ctx, acting(ctx, who), person, skill, level, evidence)
    emit(as_json(item), json_, lambda: typer.echo(f"recorded {item.id}"))


@talent_app.command("add-course")
def talent_add_course(
    title: str, provider: str = "",
    literacy: bool = typer.Option(False, "--literacy", help="Counts as AI-literacy training."),
    role: list[RoleKind] | None = typer.Option(None, "--role", help="Trains for (repeat)."),
    validity: int | None = typer.Option(24, help="Months until it must be renewed."),
    who: str | None = AsOpt, json_: bool = JsonOpt,
) -> None:  # fmt: skip
    """Add a training course."""
    with reporting(json_):
        ctx = context()
        course = talent.add_course(
            ctx, acting(ctx, who), title, provider, literacy, role or [], (), validity
        )
    emit(as_json(course), json_, lambda: typer.echo(f"added course {course.id}"))


@talent_app.command("complete")
def talent_complete(
    person: str, course: str, on: str = typer.Option(..., help="The day completed (ISO)."),
    evidence: str = "", who: str | None = AsOpt, json_: bool = JsonOpt,
) -> None:  # fmt: skip
    """Record that a person completed a course (it expires after the course's validity)."""
    with reporting(json_):
        day = parse_day(on, "--on")
        ctx = context()
        item = talent.record_completion(ctx, acting(ctx, who), person, course, day, evidence)
    emit(as_json(item), json_, lambda: typer.echo(f"recorded, expires {item.expires_on}"))


@adoption_app.command("show")
def adoption_show(who: str | None = AsOpt, json_: bool = JsonOpt) -> None:
    """Adoption by business unit over the months, surveys and communications."""
    with reporting(json_):
        ctx = context()
        data = adoption_json(adoption.adoption_view(ctx, acting(ctx, who)))
    emit(
        data,
        json_,
        lambda: table("Adoption (all units)", ["month", "active", "eligible", "share"], [
            (p["period"][:7], p["active"], p["eligible"],
             "-" if p["share"] is None else f"{p['share']:.0%}") for p in data["overall"]
        ]),
    )  # fmt: skip


@adoption_app.command("record")
def adoption_record(file: Path, who: str | None = AsOpt, json_: bool = JsonOpt) -> None:
    """Import adoption figures from CSV (system_id, business_unit_id, period, active_users,
    eligible_users[, uses]): all rows or none."""
    with reporting(json_):
        text = read_text(file)
        rows = parse_adoption_csv(text)
        ctx = context()
        done = adoption.record_adoption(ctx, acting(ctx, who), rows, "csv")
    emit({"recorded": len(done)}, json_, lambda: typer.echo(f"recorded {len(done)} rows"))


@adoption_app.command("survey")
def adoption_survey(
    title: str = typer.Option(...), period: str = typer.Option(..., help="YYYY-MM"),
    responses: int = typer.Option(..., min=1), sentiment: float = typer.Option(..., min=1, max=5),
    concern: list[str] | None = typer.Option(None, "--concern", help="THEME=COUNT (repeat)."),
    business_unit: str | None = None, who: str | None = AsOpt, json_: bool = JsonOpt,
) -> None:  # fmt: skip
    """Record a survey's result: mean sentiment (1-5) and the concerns named."""
    concerns = {}
    with reporting(json_):
        for item in concern or []:
            theme, _, count = item.partition("=")
            if not count.isdigit():
                raise InvalidInput(f"--concern {item!r} is not THEME=COUNT")
            concerns[theme] = int(count)
        ctx = context()
        survey = adoption.record_survey(
            ctx, acting(ctx, who), title, period, responses, sentiment, concerns, business_unit
        )
    emit(as_json(survey), json_, lambda: typer.echo(f"recorded survey {survey.id}"))


@adoption_app.command("communicate")
def adoption_communicate(
    title: str = typer.Option(...), channel: Channel = typer.Option(...),
    on: str = typer.Option(..., help="The day sent (ISO)."),
    audience: str = typer.Option("all", help="A business unit (id or exact name), or all."),
    summary: str = "", who: str | None = AsOpt, json_: bool = JsonOpt,
) -> None:  # fmt: skip
    """Log a communication about AI to staff."""
    with reporting(json_):
        day = parse_day(on, "--on")
        ctx = context()
        item = adoption.log_communication(
            ctx, acting(ctx, who), title, channel, day, audience, summary
        )
    emit(as_json(item), json_, lambda: typer.echo(f"logged {item.id}"))
