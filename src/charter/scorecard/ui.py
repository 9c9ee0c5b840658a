"""Web UI page of the leadership scorecard."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from charter.kernel.kept import kept_on
from charter.kernel.web import charts
from charter.kernel.web.pages import ctx_of, page, signed_in
from charter.scorecard import services as scorecard

router = APIRouter(prefix="/ui", include_in_schema=False)


@router.get("/scorecard")
def scorecard_page(request: Request) -> HTMLResponse:
    who, session = signed_in(request)
    ctx = ctx_of(request)
    pillars, as_of = scorecard.scorecard_as_of(
        ctx, who, kept=kept_on(request.app.state, "scorecards")
    )
    sparks = {
        p.pillar: charts.sparkline(
            [(d.strftime("%b"), s) for d, s in p.trend if s is not None], p.title
        )
        for p in pillars
    }
    return page(
        request, "scorecard.html", who, session, title="Leadership scorecard",
        pillars=pillars, sparks=sparks, as_of=as_of,
    )  # fmt: skip
