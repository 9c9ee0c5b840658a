"""charter risks"""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path
from typing import Any

import typer

from charter.kernel.cli.files import pairs
from charter.kernel.cli.output import JsonOpt, console, emit, reporting, table
from charter.kernel.cli.session import AS_HELP, acting, context
from charter.kernel.errors import InvalidInput
from charter.kernel.present import as_json
from charter.risks.domain.model import ControlState
from charter.risks.domain.standing import Position, Standing
from charter.risks.domain.views import GROUPINGS, parse_cell
from charter.risks.present import (
    control_view_json,
    detail_json,
    position_json,
    register_csv,
    summary_json,
)
from charter.risks.services import assessment, controls, register, views

risks_app = typer.Typer(
    help="The risk register: risks, controls, appetite, heat map, assessment.",
    no_args_is_help=True,
)
controls_app = typer.Typer(help="Controls and how they are tested.", no_args_is_help=True)
risks_app.add_typer(controls_app, name="controls")
AsOpt = typer.Option(None, "--as", help=AS_HELP)


def _rows(found: list[Position]) -> list[tuple[object, ...]]:
    return [
        (p.risk.id, p.risk.title[:40], p.risk.category, p.owner_name[:30], f"{p.inherent_band}",
         f"{p.residual_band} ({p.residual.likelihood}x{p.residual.impact})", p.appetite_band,
         p.standing.value, len(p.failing))
        for p in found
    ]  # fmt: skip


COLUMNS = ["id", "title", "category", "owner", "inherent", "residual", "appetite", "standing",
           "failing"]  # fmt: skip


@risks_app.command("list")
def risks_list(
    system: str | None = typer.Option(None, help="A system's risks."),
    owner: str | None = typer.Option(None, help="An owner's (a person's id, e-mail or name)."),
    body: str | None = typer.Option(None, help="Those a body oversees."),
    unit: str | None = typer.Option(None, help="Those of a business unit's systems."),
    category: str | None = typer.Option(None, help="A category or domain id."),
    standing: Standing | None = typer.Option(None, help="within, accepted, above, unrated"),
    overdue: bool = typer.Option(False, "--overdue", help="Only those whose review is overdue."),
    failing: bool = typer.Option(False, "--failing", help="Only those with a failing control."),
    closed: bool = typer.Option(False, "--closed", help="The closed risks instead."),
    cell: str | None = typer.Option(
        None, help="Those in a heat-map cell: inherent:LxI or residual:LxI (e.g. residual:4x3)."
    ),
    csv_: bool = typer.Option(False, "--csv", help="Print the register as CSV."),
    who: str | None = AsOpt,
    json_: bool = JsonOpt,
) -> None:
    """Risks with where each stands now, most severe residual first."""
    with reporting(json_):
        ctx = context()
        keep = views.Filters(
            system, None, owner, body, unit, category, standing, overdue, failing, closed,
            parse_cell(cell) if cell else None,
        )  # fmt: skip
        found = views.register(ctx, acting(ctx, who), keep)
    if csv_:
        typer.echo(register_csv(found), nl=False)
        return
    data = {"items": [position_json(p) for p in found], "total": len(found)}
    emit(data, json_, lambda: table("Risks", COLUMNS, _rows(found)))


def _values(file: Path | None, fields: list[str]) -> dict[str, Any]:
    """Risk fields from a JSON file and/or FIELD=VALUE pairs (these win)."""
    out: dict[str, Any] = {}
    if file is not None:
        try:
            out.update(json.loads(file.read_text("utf-8")))
        except (OSError, ValueError) as exc:
            raise InvalidInput(f"cannot read {file.name}: {exc}") from exc
    for key, value in pairs(fields, "FIELD=VALUE"):
        out[key] = value.split(",") if key == "requirements" else value
    return out


@risks_app.command("add")
def risks_add(
    field: list[str] = typer.Argument(None, help="FIELD=VALUE: title, category, cause, ..."),
    file: Path | None = typer.Option(None, "--file", help="A JSON object of the risk's fields."),
    system: str | None = typer.Option(None, help="The system it is a risk of."),
    use_case: str | None = typer.Option(None, "--use-case", help="Or the use case."),
    who: str | None = AsOpt,
    json_: bool = JsonOpt,
) -> None:
    """Register a risk (docs/risks.md lists its fields)."""
    with reporting(json_):
        ctx = context()
        actor = acting(ctx, who)
        risk = register.register_risk(
            ctx, actor, _values(file, field or []), register.known(), system, use_case
        )
        found = views.risk_detail(ctx, actor, risk.id)
    emit(detail_json(found), json_, lambda: typer.echo(f"registered risk {risk.id}"))


@risks_app.command("show")
def risks_show(risk: str, who: str | None = AsOpt, json_: bool = JsonOpt) -> None:
    """A risk, its controls and their states, its acceptances."""
    with reporting(json_):
        ctx = context()
        found = views.risk_detail(ctx, acting(ctx, who), risk)
    p = found.position

    def human() -> None:
        console.print(f"[bold]{p.risk.title}[/] ({p.risk.category}): {p.standing.value}")
        console.print(
            f"inherent {p.risk.inherent_likelihood}x{p.risk.inherent_impact} {p.inherent_band}; "
            f"residual {p.residual.likelihood}x{p.residual.impact} {p.residual_band}; "
            f"appetite {p.appetite_band} ({p.appetite_label})"
        )
        table("Controls", ["id", "title", "test", "state", "reason"], [
            (c.id, c.title, c.test, e.state.value, e.reason) for c, e in p.controls
        ])  # fmt: skip

    emit(detail_json(found), json_, human)


@risks_app.command("update")
def risks_update(
    risk: str,
    field: list[str] = typer.Argument(None, help="FIELD=VALUE (repeat)."),
    file: Path | None = typer.Option(None, "--file"),
    who: str | None = AsOpt,
    json_: bool = JsonOpt,
) -> None:
    """Change a risk's fields."""
    with reporting(json_):
        ctx = context()
        changed = register.update_risk(
            ctx, acting(ctx, who), risk, _values(file, field or []), register.known()
        )
    emit(as_json(changed), json_, lambda: typer.echo(f"changed risk {risk}"))


@risks_app.command("review")
def risks_review(
    risk: str,
    note: str = typer.Option(..., help="What the review found."),
    next_review: datetime | None = typer.Option(None, "--next", help="Next review date."),
    who: str | None = AsOpt,
    json_: bool = JsonOpt,
) -> None:
    """Record a risk's review and when it is next due."""
    with reporting(json_):
        ctx = context()
        due: date | None = next_review.date() if next_review else None
        done = register.review_risk(ctx, acting(ctx, who), risk, note, due)
    emit(as_json(done), json_, lambda: typer.echo(f"reviewed; next review {done.review_by}"))


@risks_app.command("close")
def risks_close(
    risk: str, reason: str = typer.Option(...), who: str | None = AsOpt, json_: bool = JsonOpt
) -> None:
    """Close a risk (refused while above appetite and unaccepted on a live system)."""
    with reporting(json_):
        ctx = context()
        done = register.close_risk(ctx, acting(ctx, who), risk, reason)
    emit(as_json(done), json_, lambda: typer.echo(f"closed risk {risk}"))


@risks_app.command("link")
def risks_link(risk: str, control: str, who: str | None = AsOpt, json_: bool = JsonOpt) -> None:
    """Say that a control mitigates a risk."""
    with reporting(json_):
        ctx = context()
        link = controls.link_control(ctx, acting(ctx, who), risk, control)
    emit(as_json(link), json_, lambda: typer.echo(f"control {control} mitigates {risk}"))


@risks_app.command("unlink")
def risks_unlink(
    risk: str,
    control: str,
    reason: str = typer.Option(...),
    who: str | None = AsOpt,
    json_: bool = JsonOpt,
) -> None:
    """Take a control off a risk (refused while it fails or is stale)."""
    with reporting(json_):
        ctx = context()
        controls.unlink_control(ctx, acting(ctx, who), risk, control, reason)
    emit({"unlinked": control}, json_, lambda: typer.echo(f"unlinked {control}"))


@risks_app.command("heatmap")
def risks_heatmap(who: str | None = AsOpt, json_: bool = JsonOpt) -> None:
    """Likelihood x impact: open risks per cell, inherent / residual now."""
    with reporting(json_):
        ctx = context()
        summary = views.risk_summary(ctx, acting(ctx, who))
    cells = {(c.likelihood, c.impact): c for c in summary.heat_map}
    impacts = sorted({c.impact for c in summary.heat_map})
    likelihoods = sorted({c.likelihood for c in summary.heat_map}, reverse=True)

    def human() -> None:
        table("Heat map (inherent/residual)", ["likelihood", *map(str, impacts)], [
            (lv, *(f"{cells[lv, im].inherent}/{cells[lv, im].residual}" for im in impacts))
            for lv in likelihoods
        ])  # fmt: skip

    emit({"items": as_json(summary.heat_map)}, json_, human)


@risks_app.command("summary")
def risks_summary(who: str | None = AsOpt, json_: bool = JsonOpt) -> None:
    """What a board pack reads: bands, above appetite, accepted, failing controls, overdue."""
    with reporting(json_):
        ctx = context()
        s = views.risk_summary(ctx, acting(ctx, who))

    def human() -> None:
        table("Bands (inherent/residual)", ["band", "inherent", "residual"], [
            (k, a, b) for k, (a, b) in s.bands.items()
        ])  # fmt: skip
        console.print(
            f"{s.open} open; {len(s.above_appetite)} above appetite; {len(s.accepted)} accepted; "
            f"{len(s.failing_controls)} failing controls; {len(s.overdue)} overdue reviews; "
            f"high risks in hand {s.high_in_hand}/{s.high}"
        )

    emit(summary_json(s), json_, human)


@risks_app.command("groups")
def risks_groups(by: str = typer.Argument(..., help=", ".join(GROUPINGS)),
                 who: str | None = AsOpt, json_: bool = JsonOpt) -> None:  # fmt: skip
    """Open risks by owner, body, unit or category."""
    with reporting(json_):
        if by not in GROUPINGS:
            raise InvalidInput(f"group by one of {', '.join(GROUPINGS)}")
        ctx = context()
        found = views.grouped_by(ctx, acting(ctx, who), by)
    emit({"items": as_json(found)}, json_, lambda: table(
        f"Risks by {by}", [by, "open", "above", "accepted", "failing controls", "overdue"],
        [(g.label or g.key or "-", g.open, g.above, g.accepted, g.failing_controls, g.overdue)
         for g in found],
    ))  # fmt: skip


@risks_app.command("catalogue")
def risks_catalogue(who: str | None = AsOpt, json_: bool = JsonOpt) -> None:
    """The categories a risk is filed under, with their sources."""
    with reporting(json_):
        ctx = context()
        found = views.catalogue(ctx, acting(ctx, who))
    emit({"items": as_json(found)}, json_, lambda: table(
        "Risk catalogue", ["id", "title", "source"],
        [(c.id, c.title + (" (uncertain)" if c.uncertain else ""), c.url) for c in found],
    ))  # fmt: skip


@risks_app.command("appetite")
def risks_appetite(
    category: str | None = typer.Option(None, help="Set: a category, a domain or *."),
    tier: str = typer.Option("*", help="Set: an EU AI Act tier or *."),
    max_band: str | None = typer.Option(None, "--max", help="Set: the highest band accepted."),
    rationale: str | None = typer.Option(None, help="Set: why."),
    who: str | None = AsOpt,
    json_: bool = JsonOpt,
) -> None:
    """The appetite statements; with --category and --max, state one."""
    with reporting(json_):
        ctx = context()
        actor = acting(ctx, who)
        if category is not None or max_band is not None:
            if category is None or max_band is None or not rationale:
                raise InvalidInput("to state an appetite give --category, --max and --rationale")
            register.set_appetite(ctx, actor, category, tier, max_band, rationale)
        found = views.appetite(ctx, actor)
    emit({"items": as_json(found)}, json_, lambda: table(
        "Risk appetite", ["category", "tier", "max band", "rationale"],
        [(s.category, s.tier, s.max_band, s.rationale[:60]) for s in found],
    ))  # fmt: skip


@risks_app.command("assess")
def risks_assess(
    subject: str = typer.Argument(..., help="system or use_case"),
    ident: str = typer.Argument(..., help="Its id."),
    answer: list[str] = typer.Option(..., "--answer", help="autonomy=..., audience=..."),
    data: list[str] = typer.Option([], "--data", help="personal_data, special_category"),
    adopt: list[str] = typer.Option([], "--adopt", help="RULE=OWNER: register it (repeat)."),
    who: str | None = AsOpt,
    json_: bool = JsonOpt,
) -> None:
    """Risks the catalogue proposes; nothing is written unless you --adopt proposals."""
    with reporting(json_):
        ctx = context()
        actor = acting(ctx, who)
        answers = dict(a.partition("=")[::2] for a in answer)
        extra = dict.fromkeys(data, True)
        if adopt:
            choices = [{"rule": r, "owner_id": o} for r, _, o in (a.partition("=") for a in adopt)]
            made = assessment.adopt(
                ctx, actor, subject, ident, answers, choices, register.known(), extra
            )
            emit({"items": as_json(made)}, json_,
                 lambda: typer.echo(f"registered {len(made)} risk(s)"))  # fmt: skip
            return
        found = assessment.assess(ctx, actor, subject, ident, answers, extra)
    emit(as_json(found), json_, lambda: table(
        "Proposed risks", ["rule", "category", "title", "rating", "registered"],
        [(p.rule, p.category, p.title, f"{p.rating.likelihood}x{p.rating.impact}",
          p.registered) for p in found.proposals],
    ))  # fmt: skip


@controls_app.command("list")
def controls_list(
    system: str | None = None,
    state: ControlState | None = typer.Option(None, help="effective, stale, failing, untested"),
    who: str | None = AsOpt,
    json_: bool = JsonOpt,
) -> None:
    """Controls with how each stands on its latest test, failing first."""
    with reporting(json_):
        ctx = context()
        found = views.controls(ctx, acting(ctx, who), system, state)
    emit({"items": [control_view_json(v) for v in found]}, json_, lambda: table(
        "Controls", ["id", "title", "test", "state", "risks"],
        [(v.control.id, v.control.title, v.control.test, v.state.state.value, len(v.risks))
         for v in found],
    ))  # fmt: skip


@controls_app.command("add")
def controls_add(
    field: list[str] = typer.Argument(None, help="FIELD=VALUE: title, kind, system_id, ..."),
    file: Path | None = typer.Option(None, "--file", help="A JSON object of its fields."),
    who: str | None = AsOpt,
    json_: bool = JsonOpt,
) -> None:
    """Define a control and how it is tested (check, document, requirement, manual)."""
    with reporting(json_):
        ctx = context()
        values = _values(file, field or [])
        if isinstance(values.get("approvers"), str):
            values["approvers"] = values["approvers"].split(",")
        made = controls.define_control(ctx, acting(ctx, who), values)
    emit(as_json(made), json_, lambda: typer.echo(f"defined control {made.id}"))


@controls_app.command("test")
def controls_test(
    control: str,
    passed: bool = typer.Option(..., "--passed/--failed"),
    evidence: str = typer.Option(..., help="A link or reference to the evidence."),
    note: str = "",
    who: str | None = AsOpt,
    json_: bool = JsonOpt,
) -> None:
    """Record a manual test of a control."""
    with reporting(json_):
        ctx = context()
        done = controls.record_test(ctx, acting(ctx, who), control, passed, evidence, note)
    emit(as_json(done), json_, lambda: typer.echo(f"recorded test {done.id}"))
