"""Use cases for the human-authored sections of documents (the impact assessment's guided
form among them): every save is a new version; the latest counts."""

from __future__ import annotations

from charter.kernel.access import Actor
from charter.kernel.context import record
from charter.kernel.errors import InvalidInput
from charter.kernel.lookups import require
from charter.reports.domain.documents import ORGANISATION, Section
from charter.reports.files import field_map
from charter.reports.ports import Context
from charter.reports.services.documents import _readable, ensure_author

MAX_TEXT = 20_000


def write_sections(
    ctx: Context, actor: Actor, kind: str, subject_id: str, texts: dict[str, str]
) -> list[Section]:
    """Save the sections given (item id -> text) as their next versions, all at once; an
    unchanged text is not saved again. Refused, every problem named, when an item is not a
    section of this document type or a text is too long."""
    fmap = field_map(kind)
    allowed = {i.id for i in fmap.sections()}
    problems = [f"{item}: not a section of {kind}" for item in texts if item not in allowed]
    problems += [
        f"{item}: longer than {MAX_TEXT} characters"
        for item, t in texts.items()
        if len(t) > MAX_TEXT
    ]
    if problems:
        raise InvalidInput("; ".join(problems), details={"problems": problems})
    saved = []
    with ctx.uow() as uow:
        ensure_author(uow, actor, fmap, subject_id)
        if fmap.scope == "system":
            require(uow.systems, "system", subject_id)
        elif subject_id != ORGANISATION:
            raise InvalidInput(f"{kind} is about the organisation, not {subject_id!r}")
        for item, text in sorted(texts.items()):
            versions = uow.report_sections.all(subject_id=subject_id, kind=kind, item=item)
            latest = max(versions, key=lambda s: s.version, default=None)
            if latest is not None and latest.text == text.strip():
                continue
            section = Section(
                ctx.new_id("sec"),
                subject_id,
                kind,
                item,
                (latest.version if latest else 0) + 1,
                text.strip(),
                actor.ref,
                ctx.clock(),
            )
            uow.report_sections.add(section)
            saved.append(section)
        if saved:
            entity = ("organisation" if subject_id == ORGANISATION else "system", subject_id)
            record(
                ctx,
                uow,
                actor,
                "report.sections_written",
                *entity,
                {
                    "kind": kind,
                    "sections": [[s.item, s.version, s.id] for s in saved],
                },
            )
        uow.commit()
    return saved


def section_history(
    ctx: Context, actor: Actor, kind: str, subject_id: str, item: str
) -> list[Section]:
    """Every version of one section, newest first."""
    field_map(kind).item(item)
    _readable(ctx, actor, subject_id)
    with ctx.uow() as uow:
        found = uow.report_sections.all(subject_id=subject_id, kind=kind, item=item)
    return sorted(found, key=lambda s: s.version, reverse=True)
