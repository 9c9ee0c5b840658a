"""Web UI pages of the framework packs (each requirement by id, so that a classification's
citations open) and of the obligations calendar."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from charter.frameworks import present
from charter.frameworks import services as classification
from charter.frameworks.files import classification_data, load_packs
from charter.inventory import services as inventory
from charter.kernel.access import ensure_member
from charter.kernel.errors import InvalidInput, NotFound
from charter.kernel.web.pages import ctx_of, page, signed_in

router = APIRouter(prefix="/ui", include_in_schema=False)


@router.get("/packs/{pack_id}")
def pack_page(request: Request, pack_id: str) -> HTMLResponse:
    who, session = signed_in(request)
    ensure_member(who)
    pack = next((p for p in load_packs() if p.id == pack_id), None)
    if pack is None:
        raise NotFound("pack", pack_id)
    return page(
        request, "pack.html", who, session, title=pack.title, pack=pack,
        versions=present.versions_line(pack),
    )  # fmt: skip


def _day(text: str) -> date | None:
    if not text.strip():
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInput(f"'until' {text!r} is not a date (YYYY-MM-DD)") from None


@router.get("/obligations")
def obligations_page(
    request: Request, until: Annotated[str, Query(max_length=10)] = ""
) -> HTMLResponse:
    who, session = signed_in(request)
    found = classification.obligations_calendar(
        ctx_of(request), who, classification_data(), until=_day(until)
    )
    stale = {i: inventory.get_system(ctx_of(request), who, i).name for i in found.stale}
    return page(
        request, "obligations.html", who, session, title="Obligations calendar",
        calendar=present.calendar(found), until=until, stale_names=stale,
    )  # fmt: skip
