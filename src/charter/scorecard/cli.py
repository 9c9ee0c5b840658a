"""charter scorecard"""

from __future__ import annotations

import typer

from charter.kernel.cli.output import JsonOpt, emit, reporting, table
from charter.kernel.cli.session import AS_HELP, acting, context
from charter.scorecard import services as scorecard
from charter.scorecard.present import pillar_json

AsOpt = typer.Option(None, "--as", help=AS_HELP)


def scorecard_command(
    months: int = typer.Option(6, min=1, max=24, help="Month-ends in the trend."),
    who: str | None = AsOpt,
    json_: bool = JsonOpt,
) -> None:
    """The leadership scorecard: each pillar's score, measures, trend and top actions."""
    with reporting(json_):
        ctx = context()
        pillars = scorecard.leadership_scorecard(ctx, acting(ctx, who), months)

    def human() -> None:
        table("Leadership scorecard", ["pillar", "score", "trend", "top action"], [
            (p.title, "-" if p.score is None else f"{p.score:.0f}",
             " ".join("-" if s is None else f"{s:.0f}" for _, s in p.trend),
             p.actions[0].text if p.actions else "")
            for p in pillars
        ])  # fmt: skip

    emit({"pillars": [pillar_json(p) for p in pillars]}, json_, human)
