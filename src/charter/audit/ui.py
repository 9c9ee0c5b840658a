"""Web UI page of the audit trail: whether the log verifies, in plain words; the latest
checkpoint; the events, found by who, what, which record and when, a page at a time, with
names instead of ids; and the same search exported as CSV or JSON Lines."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response, StreamingResponse

from charter.audit import present
from charter.audit import services as audit
from charter.audit.domain.logcheck import LogReport
from charter.audit.domain.search import EXPORT_LIMIT, EventFilter
from charter.audit.ports import Context
from charter.kernel.access import Actor
from charter.kernel.csv_text import in_blocks
from charter.kernel.errors import Forbidden, InvalidInput, NotFound
from charter.kernel.web.lanes import long_running
from charter.kernel.web.pages import ctx_of, page, refusal, signed_in
from charter.kernel.web.picker import picker, resolve

router = APIRouter(prefix="/ui", include_in_schema=False)
PER_PAGE = 50
#: how long the page shows its last check of the whole log, while the log's head and its
#: checkpoints stay as they were, before checking again (200,000 events take about a second;
#: `charter audit verify` and `GET /audit/verify` always check afresh)
RECHECK = timedelta(seconds=60)
FIELDS = ("who", "what", "system", "entity_type", "entity_id", "since", "until")


def _day(value: str, what: str, after: bool = False) -> datetime | None:
    if not value:
        return None
    try:
        start = datetime.combine(date.fromisoformat(value), time(), UTC)
    except ValueError as exc:
        raise InvalidInput(f"{what} must be a date (YYYY-MM-DD), not {value[:20]!r}") from exc
    return start + timedelta(days=1) if after else start


def _asked(request: Request) -> dict[str, str]:
    """The search's fields as the address gives them."""
    return {k: request.query_params.get(k, "").strip()[:320] for k in FIELDS}


def _filter(request: Request, who: Actor, asked: dict[str, str]) -> EventFilter:
    """The search the fields ask for (`until` counts its whole day; who and which system as
    typed: an id, an e-mail, a name or a suggestion); every field that names nothing, or
    several, refused at once."""
    problems, picked = [], {}
    for field, kind in (("who", "actors"), ("system", "systems")):
        try:
            picked[field] = resolve(request, who, kind, asked[field])
        except InvalidInput as exc:
            problems.append(f"{field}: {exc.message}")
    try:
        since, until = _day(asked["since"], "from"), _day(asked["until"], "to", after=True)
    except InvalidInput as exc:
        problems.append(exc.message)
    if problems:
        raise InvalidInput("; ".join(problems))
    found = EventFilter(
        actor=picked["who"], action=asked["what"] or None,
        entity_type="system" if picked["system"] else asked["entity_type"] or None,
        entity_id=picked["system"] or asked["entity_id"] or None, since=since, until=until,
    )  # fmt: skip
    return found


@router.get("/audit")
@long_running
def audit_page(request: Request, offset: int = 0) -> HTMLResponse:
    who, session = signed_in(request)
    ctx = ctx_of(request)
    try:
        report, checked = _verified(request, ctx, who)
        people, systems = audit.names(ctx, who)
    except Forbidden as exc:
        refused = page(request, "audit.html", who, session, title="Audit", report=None,
                       checkpoint=None, message=refusal(request, who, exc), error=True)  # fmt: skip
        refused.status_code = exc.status
        return refused
    try:
        checkpoint = audit.latest_checkpoint(ctx, who)
    except NotFound:
        checkpoint = None
    asked = _asked(request)
    try:
        found = _filter(request, who, asked)
        events, total = audit.search_events(ctx, who, found, PER_PAGE, max(offset, 0))
    except InvalidInput as exc:  # the filters come back as typed, with what they name
        return _page(request, who, session, report=report, checked=checked, asked=asked,
                     checkpoint=checkpoint, events=[], total=0, offset=0,
                     message=exc.message, error=True, status=exc.status)  # fmt: skip
    return _page(
        request, who, session, report=report, checked=checked, checkpoint=checkpoint,
        total=total, events=[present.line(e, people | systems) for e in events],
        offset=max(offset, 0), asked=_as_named(request, who, asked, found),
    )  # fmt: skip


def _page(
    request: Request, who: Actor, session: Any, status: int = 200, **values: Any
) -> HTMLResponse:
    asked = values["asked"]
    shown = page(
        request, "audit.html", who, session, title="Audit", limit=PER_PAGE,
        query=_query(asked), intact_means=audit.INTACT, **values,
    )  # fmt: skip
    shown.status_code = status
    return shown


def _as_named(
    request: Request, who: Actor, asked: dict[str, str], found: EventFilter
) -> dict[str, str]:
    """The filters as the fields show them: who and which system given by id (a link from
    another page) shown by name, as the suggestions show them."""
    named = dict(asked)
    for field, kind, ident in (("who", "actors", found.actor),
                               ("system", "systems", found.entity_id)):  # fmt: skip
        if ident and asked[field] == ident:
            choice = picker(request, kind).get(ctx_of(request), who, ident)
            named[field] = choice.label if choice else ident
    return named


def _verified(request: Request, ctx: Context, who: Actor) -> tuple[LogReport, datetime]:
    """The log's verification and when it ran: this process's last one while the log's head
    and checkpoints have not moved and it is under RECHECK old, else a new one."""
    head, now = audit.tree_head(ctx, who), ctx.clock()
    kept = getattr(request.app.state, "audit_verified", None)
    if kept is not None and kept[0] == head and timedelta(0) <= now - kept[2] < RECHECK:
        return kept[1], kept[2]
    report = audit.verify_log(ctx, who)
    request.app.state.audit_verified = (head, report, now)
    return report, now


def _query(asked: dict[str, str]) -> str:
    return urlencode({k: v for k, v in asked.items() if v})


@router.get("/audit/export.{fmt}")
def audit_export(request: Request, fmt: str) -> Response:
    """The events the search finds (up to EXPORT_LIMIT, newest first) as CSV or JSON Lines."""
    who, _ = signed_in(request)
    if fmt not in ("csv", "jsonl"):
        raise NotFound("export format", fmt)
    ctx = ctx_of(request)
    found = _filter(request, who, _asked(request))
    events, _ = audit.search_events(ctx, who, found, EXPORT_LIMIT, 0)
    people, systems = audit.names(ctx, who)
    body: Any = in_blocks(
        present.as_csv(events, people | systems) if fmt == "csv" else present.as_jsonl(events)
    )
    media = "text/csv" if fmt == "csv" else "application/x-ndjson"
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    return StreamingResponse(
        body, media_type=f"{media}; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="charter-audit-{stamp}.{fmt}"'},
    )  # fmt: skip
