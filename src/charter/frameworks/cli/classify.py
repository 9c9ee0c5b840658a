"""charter classify: from an answers file, a use case's screening, or the questionnaire at the
terminal (each answer checked as it is given, saved, and resumed when the command runs
again); --dry-run classifies without recording."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import typer

from charter.config import Settings
from charter.frameworks import present
from charter.frameworks import services as classification
from charter.frameworks.cli.interview import interview
from charter.frameworks.domain.classification import Classification
from charter.frameworks.files import classification_data, read_answers
from charter.frameworks.ports import Context
from charter.kernel.access import Actor
from charter.kernel.cli.output import JsonOpt, console, emit, reporting, table
from charter.kernel.cli.session import AS_HELP, acting, context
from charter.kernel.errors import InvalidInput


def classify(
    system: str = typer.Argument(..., help="The system."),
    answers: Path | None = typer.Option(
        None,
        "--answers",
        help="Answers file (YAML or JSON, at most 256 KB); asked at the terminal without it.",
    ),
    from_use_case: str | None = typer.Option(
        None, "--from-use-case", help="Use the screening of a use case the system delivers."
    ),
    progress: Path | None = typer.Option(
        None,
        "--progress",
        help="Where the questionnaire keeps the answers given so far "
        "(default: classify/SYSTEM.yaml in Charter's home); running again resumes from them.",
    ),
    dry_run: bool = typer.Option(
        False, "--dry-run", help="Classify and show the result without recording anything."
    ),
    who: str | None = typer.Option(None, "--as", help=AS_HELP),
    json_: bool = JsonOpt,
) -> None:
    """Classify a system under the EU AI Act: the tier with its reasoning cited article by
    article, the roles held and the obligations each brings with the date each applies from;
    the result is recorded, audited and sets the system's risk tier (not with --dry-run)."""
    with reporting(json_):
        ctx = context()
        actor = acting(ctx, who)
        given = _answers(ctx, actor, system, answers, from_use_case, progress)
        data = classification_data()
        if dry_run:
            result = classification.preview_classification(ctx, actor, system, given, data)
            shown = present.preview(system, given, result)
        else:
            item, result = classification.classify_system(ctx, actor, system, given, data)
            shown = {"id": item.id, "system_id": system, "answers": given, **item.result}
    emit(json.loads(json.dumps(shown, default=str)), json_, lambda: _human(result, dry_run))


def _human(result: Classification, dry_run: bool) -> None:
    flag = " (the tier rests on unsettled items)" if result.uncertain else ""
    roles = ", ".join(f"{h.role} ({h.basis})" for h in result.roles) or "none"
    console.print(f"[bold]{result.tier}[/bold]{flag}; roles: {roles}")
    if dry_run:
        console.print("dry run: nothing recorded")
    table("Reasoning", ["cite", "finding"], [(s.cite, s.finding) for s in result.reasoning])
    table(
        f"Obligations ({result.schedule} schedule)",
        ["id", "role", "ground", "obligation", "applies from", "in force", "uncertain"],
        [
            (o.id, o.role, o.ground, o.title, o.applies_from or "—",
             "yes" if o.in_force else "not yet", "yes" if o.uncertain else "")
            for o in result.obligations
        ],
    )  # fmt: skip
    if result.penalty:
        console.print(f"Penalty: {result.penalty.title}")
    for u in dict.fromkeys(u.reason for u in result.unsettled):
        ids = ", ".join(dict.fromkeys(x.id for x in result.unsettled if x.reason == u))
        console.print(f"[dim]Uncertain ({ids}): {u}[/dim]")


def _answers(
    ctx: Context, actor: Actor, system: str, path: Path | None, use_case: str | None,
    progress: Path | None,
) -> Any:  # fmt: skip
    """From a file, from a use case's screening, or asked at the terminal."""
    if path and use_case:
        raise InvalidInput("give --answers or --from-use-case, not both")
    if use_case:
        return classification.screening_answers(ctx, actor, system, use_case)
    data = classification_data()
    if path:
        return read_answers(path, data)
    saved = progress or Settings().home / "classify" / f"{system}.yaml"
    return interview(data, saved, ctx.clock().date())
