"""Use cases for the human-authored sections of documents (the impact assessment's guided
form among them): every save is a new version; the latest counts."""

from __future__ import annotations

from charter.kernel.access import Actor
from charter.kernel.context import record
from charter.kernel.errors import InvalidInput
from charter.kernel.lookups import hold
from charter.reports.domain.documents import ORGANISATION, FieldMap, Section
from charter.reports.files import field_map
from charter.reports.ports import Context, UnitOfWork
from charter.reports.services.documents import ensure_author, ensure_reader

MAX_TEXT = 20_000


def _refuse_bad(fmap: FieldMap, texts: dict[str, str]) -> None:
    """Every item that is not a section of the document type, every text too long."""
    allowed = {i.id for i in fmap.sections()}
    problems = [f"{item}: not a section of {fmap.kind}" for item in texts if item not in allowed]
    problems += [
        f"{item}: longer than {MAX_TEXT} characters"
        for item, t in texts.items()
        if len(t) > MAX_TEXT
    ]
    if problems:
        raise InvalidInput("; ".join(problems), details={"problems": problems})


def _next_version(
    ctx: Context, uow: UnitOfWork, actor: Actor, kind: str, subject_id: str, item: str, text: str
) -> Section | None:
    """The section's next version, or None when its text is the latest one's."""
    versions = uow.report_sections.all(subject_id=subject_id, kind=kind, item=item)
    latest = max(versions, key=lambda s: s.version, default=None)
    if latest is not None and latest.text == text.strip():
        return None
    number = (latest.version if latest else 0) + 1
    return Section(
        ctx.new_id("sec"), subject_id, kind, item, number, text.strip(), actor.ref, ctx.clock()
    )


def write_sections(
    ctx: Context, actor: Actor, kind: str, subject_id: str, texts: dict[str, str]
) -> list[Section]:
    """Save the sections given (item id -> text) as their next versions, all at once; an
    unchanged text is not saved again. Refused, every problem named, when an item is not a
    section of this document type or a text is too long. A system's sections are written
    with the system held, so that concurrent writers take turns."""
    fmap = field_map(kind)
    _refuse_bad(fmap, texts)
    saved = []
    with ctx.uow() as uow:
        ensure_author(uow, actor, fmap, subject_id)
        if fmap.scope == "system":
            hold(uow.systems, "system", subject_id)
        elif subject_id != ORGANISATION:
            raise InvalidInput(f"{kind} is about the organisation, not {subject_id!r}")
        for item, text in sorted(texts.items()):
            section = _next_version(ctx, uow, actor, kind, subject_id, item, text)
            if section is not None:
                uow.report_sections.add(section)
                saved.append(section)
        if saved:
            entity = ("organisation" if subject_id == ORGANISATION else "system", subject_id)
            written = {"kind": kind, "sections": [[s.item, s.version, s.id] for s in saved]}
            record(ctx, uow, actor, "report.sections_written", *entity, written)
        uow.commit()
    return saved


def section_history(
    ctx: Context, actor: Actor, kind: str, subject_id: str, item: str
) -> list[Section]:
    """Every version of one section, newest first."""
    field_map(kind).item(item)
    ensure_reader(ctx, actor, subject_id)
    with ctx.uow() as uow:
        found = uow.report_sections.all(subject_id=subject_id, kind=kind, item=item)
    return sorted(found, key=lambda s: s.version, reverse=True)
