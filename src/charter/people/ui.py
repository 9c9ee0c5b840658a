"""Web UI pages of talent and AI literacy, and of adoption and change management. JSON
twins: GET /talent, /adoption. A refused form comes back on its page with the values typed
(`kept`: the form's name -> its values) and the refusal."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from charter.accountability.services import org
from charter.inventory import services as inventory
from charter.kernel.access import Actor
from charter.kernel.labels import label
from charter.kernel.web import charts
from charter.kernel.web.pages import ctx_of, page, signed_in
from charter.people.services import adoption, talent
from charter.strategy.ui import names_of

router = APIRouter(prefix="/ui", include_in_schema=False)


def _choices(ctx: Any, who: Actor) -> dict[str, list[Any]]:
    """What the forms choose among: active people, business units and systems, by name."""
    people = org.list_directory(ctx, who, "people", limit=2000, order="name").items
    return {
        "people": [p for p in people if p.active and not p.service_account],
        "units": org.list_directory(ctx, who, "business_units", limit=500, order="name").items,
        "systems": inventory.list_systems(ctx, who, limit=2000, order="name").items,
    }


@dataclass(frozen=True, slots=True)
class Refused:
    """A form refused: its name, the values as typed, why (in words), and the status."""

    form: str
    values: Mapping[str, Any]
    message: str
    status: int

    def shown(self) -> dict[str, Any]:
        return {"kept": {self.form: self.values}, "message": self.message, "error": True}


def _status(response: HTMLResponse, refused: Refused | None) -> HTMLResponse:
    if refused is not None:
        response.status_code = refused.status
    return response


@router.get("/talent")
def talent_page(request: Request) -> HTMLResponse:
    return show_talent(request)


def show_talent(request: Request, refused: Refused | None = None) -> HTMLResponse:
    """The talent page; with a refused form filled in as typed."""
    who, session = signed_in(request)
    ctx = ctx_of(request)
    view = talent.talent_view(ctx, who)
    names = names_of(ctx, who)
    skills = {s.id: s.name for s in view.skills}
    by_role = [(label(c.key), round(100 * (c.share or 0))) for c in view.by_role]
    return _status(page(
        request, "talent.html", who, session, title="Talent and AI literacy", view=view,
        names=names, skills=skills, courses={c.id: c.title for c in view.courses},
        role_chart=charts.bars(by_role, "role", "% with current AI-literacy training"),
        today=ctx.clock().date(), **_choices(ctx, who), **(refused.shown() if refused else {}),
    ), refused)  # fmt: skip


@router.get("/adoption")
def adoption_page(request: Request) -> HTMLResponse:
    return show_adoption(request)


def show_adoption(request: Request, refused: Refused | None = None) -> HTMLResponse:
    """The adoption page; with a refused form filled in as typed."""
    who, session = signed_in(request)
    ctx = ctx_of(request)
    view = adoption.adoption_view(ctx, who)
    names = names_of(ctx, who)
    rows = [
        {"month": p.period.isoformat()[:7], "share": p.share, "unit": names.get(unit, unit)}
        for unit, points in view.by_unit().items()
        for p in points
        if p.share is not None
    ]
    moods = [
        {"month": s.period.isoformat()[:7], "sentiment": s.sentiment, "survey": s.title}
        for s in view.surveys
    ]
    return _status(page(
        request, "adoption.html", who, session, title="Adoption", view=view, names=names,
        adoption_chart=charts.lines(rows, "month", "share", "unit", "active among eligible",
                                    share=True),
        sentiment_chart=charts.lines(moods, "month", "sentiment", "survey", "sentiment (1-5)"),
        this_month=ctx.clock().date().isoformat()[:7], **_choices(ctx, who),
        **(refused.shown() if refused else {}),
    ), refused)  # fmt: skip
