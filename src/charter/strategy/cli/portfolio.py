"""charter objectives | usecases | portfolio"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from charter.frameworks.files import classification_data
from charter.inventory import services as inventory
from charter.kernel.cli.files import pairs, read_mapping
from charter.kernel.cli.output import JsonOpt, console, emit, name_of, reporting, table
from charter.kernel.cli.session import AS_HELP, acting, context
from charter.kernel.errors import InvalidInput
from charter.kernel.present import as_json
from charter.strategy.domain.strategy import LIVE, PortfolioDecision, UseCaseStatus
from charter.strategy.present import model_json, portfolio_json, roadmap_json, scored
from charter.strategy.services import intake as strategy
from charter.strategy.services import portfolio

objectives = typer.Typer(help="Strategic objectives that use cases serve.", no_args_is_help=True)
usecases = typer.Typer(help="AI use cases: intake, assessment, decisions.", no_args_is_help=True)
portfolio_app = typer.Typer(
    help="The ranked portfolio, its balance and the roadmap.", no_args_is_help=True
)
AsOpt = typer.Option(None, "--as", help=AS_HELP)
ValueOpt = typer.Option(
    None, "--value", help="Expected value per year: KIND=AMOUNT[@CONFIDENCE%] (repeat)."
)
RateOpt = typer.Option(None, "--rate", help="An assessor rating 1-5: CRITERION=N (repeat).")
FileOpt = typer.Option(None, "--file", help="A YAML or JSON file of use-case fields.")


def _int(text: str, what: str) -> int:
    try:
        return int(text.replace(",", "").replace("_", ""))
    except ValueError:
        raise InvalidInput(f"{what} {text!r} is not a whole number") from None


def _estimates(items: list[str]) -> list[dict[str, Any]]:
    out = []
    for kind, rest in pairs(items, "--value"):
        amount, _, confidence = rest.partition("@")
        entry: dict[str, Any] = {"kind": kind, "amount": _int(amount, "amount")}
        if confidence:
            entry["confidence"] = _int(confidence.rstrip("%"), "confidence")
        out.append(entry)
    return out


def _file_fields(path: Path | None) -> dict[str, Any]:
    return read_mapping(path, "use-case fields are a mapping") if path else {}


def _fields(
    path: Path | None, values: list[str] | None, rates: list[str] | None, **given: Any
) -> dict[str, Any]:
    fields = _file_fields(path) | {k: v for k, v in given.items() if v not in (None, [], ())}
    if values:
        fields["estimates"] = _estimates(values)
    if rates:
        ratings = dict(fields.get("ratings") or {})
        ratings |= {k: _int(v, f"rating {k}") for k, v in pairs(rates, "--rate")}
        fields["ratings"] = ratings
    return fields


@objectives.command("list")
def objectives_list(who: str | None = AsOpt, json_: bool = JsonOpt) -> None:
    """List strategic objectives."""
    with reporting(json_):
        ctx = context()
        items = portfolio.list_objectives(ctx, acting(ctx, who))
    emit(
        {"items": as_json(items)},
        json_,
        lambda: table("Objectives", ["id", "name", "description"], [
            (o.id, o.name, o.description) for o in items
        ]),
    )  # fmt: skip


@objectives.command("create")
def objectives_create(
    name: str,
    description: str = "",
    owner: str | None = typer.Option(None, help="The owner: id, e-mail or exact name."),
    who: str | None = AsOpt,
    json_: bool = JsonOpt,
) -> None:
    """Create a strategic objective."""
    with reporting(json_):
        ctx = context()
        item = strategy.create_objective(ctx, acting(ctx, who), name, description, owner)
    emit(as_json(item), json_, lambda: typer.echo(f"created objective {item.id}"))


@usecases.command("submit")
def usecases_submit(
    title: str | None = typer.Option(None),
    objective: str | None = typer.Option(None, help="Objective id."),
    business_unit: str | None = typer.Option(None, help="The business unit: id or exact name."),
    description: str | None = None,
    sponsor: str | None = typer.Option(None, help="Executive sponsor: id, e-mail or exact name."),
    value: list[str] | None = ValueOpt,
    cost: int | None = typer.Option(None, help="Cost estimate per year."),
    months: int | None = typer.Option(None, help="Months to first value."),
    rate: list[str] | None = RateOpt,
    skill: list[str] | None = typer.Option(None, "--skill", help="A skill needed (repeat)."),
    file: Path | None = FileOpt,
    who: str | None = AsOpt,
    json_: bool = JsonOpt,
) -> None:
    """Propose a use case (fields from --file and options); near-duplicates are flagged."""
    with reporting(json_):
        fields = _fields(
            file, value, rate, title=title, objective_id=objective,
            business_unit_id=business_unit, description=description, sponsor_id=sponsor,
            cost_estimate=cost, time_to_value_months=months, skills_needed=skill,
        )  # fmt: skip
        ctx = context()
        item, found = strategy.submit_use_case(
            ctx, acting(ctx, who), classification_data(), **fields
        )
    data = {**as_json(item), "possible_duplicates": as_json(found)}

    def human() -> None:
        typer.echo(f"submitted use case {item.id}")
        for m in found:
            console.print(
                f"[yellow]possible duplicate[/] of {m.ref} {m.title!r} ({m.similarity:.0%} alike)",
                highlight=False,
            )

    emit(data, json_, human)


@usecases.command("list")
def usecases_list(
    status: list[UseCaseStatus] | None = typer.Option(None, "--status"),
    business_unit: str | None = None,
    search: str | None = typer.Option(None, "--search", "-q"),
    who: str | None = AsOpt,
    json_: bool = JsonOpt,
) -> None:
    """List the use cases you may read, newest first."""
    with reporting(json_):
        ctx = context()
        actor = acting(ctx, who)
        items = portfolio.list_use_cases(ctx, actor, frozenset(status or ()), business_unit, search)
        named = inventory.names(ctx, actor)
    emit(
        {"items": as_json(items), "total": len(items)},
        json_,
        lambda: table("Use cases", ["id", "title", "status", "unit", "sponsor"], [
            (u.id, u.title, u.status.value, name_of(named, u.business_unit_id),
             name_of(named, u.sponsor_id)) for u in items
        ]),
    )  # fmt: skip


@usecases.command("show")
def usecases_show(use_case: str, who: str | None = AsOpt, json_: bool = JsonOpt) -> None:
    """One use case with its score, part by part."""
    from charter.strategy.domain.scoring import score

    with reporting(json_):
        ctx = context()
        item = portfolio.get_use_case(ctx, acting(ctx, who), use_case)
        found = score(portfolio.scoring_model(ctx), item)

    def human() -> None:
        total = f"{found.total:.1f}" if found.total is not None else "not scored"
        console.print(f"[bold]{item.title}[/] ({item.status.value}) score {total}", highlight=False)
        table("Score", ["criterion", "weight", "rating", "score", "basis"], [
            (p.criterion, p.weight, p.rating, "missing" if p.score is None else f"{p.score:.2f}",
             p.basis) for p in found.parts
        ])  # fmt: skip

    emit(scored(item, found), json_, human)


@usecases.command("update")
def usecases_update(
    use_case: str,
    title: str | None = None,
    description: str | None = None,
    sponsor: str | None = typer.Option(None, help="Executive sponsor: id, e-mail or exact name."),
    value: list[str] | None = ValueOpt,
    cost: int | None = typer.Option(None, help="Cost estimate per year."),
    months: int | None = typer.Option(None, help="Months to first value."),
    rate: list[str] | None = RateOpt,
    file: Path | None = FileOpt,
    who: str | None = AsOpt,
    json_: bool = JsonOpt,
) -> None:
    """Assess or correct a use case: ratings, estimates, sponsor, other intake fields."""
    with reporting(json_):
        fields = _fields(
            file, value, rate, title=title, description=description, sponsor_id=sponsor,
            cost_estimate=cost, time_to_value_months=months,
        )  # fmt: skip
        ctx = context()
        item = strategy.update_use_case(
            ctx, acting(ctx, who), use_case, classification_data(), **fields
        )
    emit(as_json(item), json_, lambda: typer.echo(f"updated use case {item.id}"))


@usecases.command("decide")
def usecases_decide(
    use_case: str,
    decision: PortfolioDecision = typer.Option(...),
    reason: str = typer.Option(...),
    who: str | None = AsOpt,
    json_: bool = JsonOpt,
) -> None:
    """Approve, park, reject, reopen, deliver or stop a use case, with a reason."""
    with reporting(json_):
        ctx = context()
        item = strategy.decide_use_case(ctx, acting(ctx, who), use_case, decision, reason)
    emit(as_json(item), json_, lambda: typer.echo(f"use case {item.id} is {item.status.value}"))


@usecases.command("plan")
def usecases_plan(
    use_case: str,
    start: str | None = typer.Option(None, help="First quarter, e.g. 2027-Q1."),
    end: str | None = typer.Option(None, help="Last quarter."),
    depends_on: list[str] | None = typer.Option(None, "--depends-on", help="Use case (repeat)."),
    who: str | None = AsOpt,
    json_: bool = JsonOpt,
) -> None:
    """Place a use case on the roadmap."""
    with reporting(json_):
        ctx = context()
        item = strategy.plan_use_case(
            ctx, acting(ctx, who), use_case, start, end, tuple(depends_on or ())
        )
    emit(as_json(item), json_, lambda: typer.echo(f"planned {item.id}: {start} to {end}"))


@usecases.command("link")
def usecases_link(
    use_case: str,
    system: str,
    unlink: bool = typer.Option(False, "--unlink", help="Remove the link instead."),
    who: str | None = AsOpt,
    json_: bool = JsonOpt,
) -> None:
    """Link an AI system that delivers the use case (or unlink it)."""
    with reporting(json_):
        ctx = context()
        item = strategy.link_system(ctx, acting(ctx, who), use_case, system, not unlink)
    emit(as_json(item), json_, lambda: typer.echo(f"systems of {item.id}: {item.system_ids}"))


@usecases.command("promote")
def usecases_promote(
    use_case: str, name: str | None = None, who: str | None = AsOpt, json_: bool = JsonOpt
) -> None:
    """Register an approved use case as an AI system, linked to it."""
    with reporting(json_):
        ctx = context()
        item, system = strategy.promote_use_case(ctx, acting(ctx, who), use_case, name)
    emit(
        {"use_case": as_json(item), "system": as_json(system)},
        json_,
        lambda: typer.echo(f"registered system {system.id} for use case {item.id}"),
    )


def _weights(items: list[str] | None) -> dict[str, float]:
    out = {}
    for name, text in pairs(items or [], "--weight"):
        try:
            out[name] = float(text)
        except ValueError:
            raise InvalidInput(f"weight {name}={text!r} is not a number") from None
    return out


@portfolio_app.command("rank")
def portfolio_rank(
    weight: list[str] | None = typer.Option(
        None, "--weight", help="Rank with a changed weight: CRITERION=W (repeat)."
    ),
    status: list[UseCaseStatus] | None = typer.Option(None, "--status"),
    who: str | None = AsOpt,
    json_: bool = JsonOpt,
) -> None:
    """The ranked portfolio: score, quadrant and horizon of each use case."""
    with reporting(json_):
        ctx = context()
        found = portfolio.portfolio(
            ctx, acting(ctx, who), _weights(weight), frozenset(status) if status else LIVE
        )
    rows = [
        (r.rank or "-", found.use_case(r).title,
         "missing " + ", ".join(r.score.missing) if r.score.total is None
         else f"{r.score.total:.1f}", r.score.quadrant or "unplaced", r.score.horizon or "?")
        for r in found.ranked
    ]  # fmt: skip
    emit(
        portfolio_json(found),
        json_,
        lambda: table("Portfolio", ["rank", "use case", "score", "quadrant", "horizon"], rows),
    )


@portfolio_app.command("balance")
def portfolio_balance(who: str | None = AsOpt, json_: bool = JsonOpt) -> None:
    """Use cases and expected value per year by business unit, objective, horizon, quadrant."""
    with reporting(json_):
        ctx = context()
        found = portfolio.portfolio(ctx, acting(ctx, who))

    def human() -> None:
        for b in found.balance:
            table(f"By {b.dimension.replace('_', ' ')}", ["", "use cases", "expected value"], [
                (key, n, f"{value:,.0f}") for key, n, value in b.rows
            ])  # fmt: skip

    emit(portfolio_json(found)["balance"], json_, human)


@portfolio_app.command("roadmap")
def portfolio_roadmap(who: str | None = AsOpt, json_: bool = JsonOpt) -> None:
    """Approved use cases by quarter, their systems and what is wrong with the plan."""
    with reporting(json_):
        ctx = context()
        items = portfolio.roadmap_view(ctx, acting(ctx, who))
    rows = [
        (i.use_case.title, i.use_case.start_quarter or "-", i.use_case.end_quarter or "-",
         ", ".join(f"{s.name} ({s.stage.value})" for s in i.systems), "; ".join(i.findings))
        for i in items
    ]  # fmt: skip
    emit(
        roadmap_json(items),
        json_,
        lambda: table("Roadmap", ["use case", "from", "to", "systems", "findings"], rows),
    )


@portfolio_app.command("model")
def portfolio_model(who: str | None = AsOpt, json_: bool = JsonOpt) -> None:
    """The scoring model in force (CHARTER_SCORING_FILE or the shipped one)."""
    with reporting(json_):
        ctx = context()
        portfolio.list_objectives(ctx, acting(ctx, who))
        model = portfolio.scoring_model(ctx)
    emit(
        model_json(model),
        json_,
        lambda: table("Scoring model", ["criterion", "weight", "source"], [
            (c.id, c.weight, c.source) for c in model.criteria
        ]),
    )  # fmt: skip
