"""Use cases for documents generated from records: build one (a draft, read only), render
it, issue it as final (refused while a mandated item is empty; recorded with its SHA-256 and,
for a system, attached as a governed document), list and fetch what was issued."""

from __future__ import annotations

import hashlib
from dataclasses import replace

from charter.governance.services.documents import attach_within
from charter.inventory.domain import AISystem
from charter.kernel.access import Action, Actor, ensure
from charter.kernel.context import record
from charter.kernel.errors import Conflict, NotFound
from charter.kernel.lookups import hold, require
from charter.reports.domain import org_facts, system_facts
from charter.reports.domain.applies import check_applies, registration_section
from charter.reports.domain.documents import (
    ORGANISATION,
    FieldMap,
    IssuedReport,
    Report,
    Section,
    fill,
    refuse_incomplete,
)
from charter.reports.files import field_map
from charter.reports.ports import Context, UnitOfWork
from charter.reports.services.read import org_records, system_records


def latest_sections(uow: UnitOfWork, subject_id: str, kind: str) -> dict[str, Section]:
    """The latest version of each section written for this subject and document type."""
    out: dict[str, Section] = {}
    for s in sorted(
        uow.report_sections.all(subject_id=subject_id, kind=kind), key=lambda s: s.version
    ):
        out[s.item] = s
    return out


def _authors(uow: UnitOfWork, sections: dict[str, Section]) -> dict[str, str]:
    """The name of each section's author, to print beside the section (the data keeps the
    person's id)."""
    people = frozenset(s.written_by for s in sections.values())
    return {p.id: p.name for p in uow.people.all(id=people)} if people else {}


def _system_report(ctx: Context, actor: Actor, fmap: FieldMap, system_id: str) -> Report:
    records = system_records(ctx, actor, system_id)
    check_applies(fmap.kind, records.system, records.classification)
    if fmap.kind == "eu-registration":  # only the section the classification puts it in
        chosen = registration_section(records.system, records.classification)
        fmap = replace(fmap, parts=tuple(p for p in fmap.parts if p.id == chosen))
    with ctx.uow() as uow:
        sections = latest_sections(uow, system_id, fmap.kind)
        authors = _authors(uow, sections)
    resolved = system_facts.resolve(records, fmap.fields())
    charted = next((e for e in records.evidence if any(c.groups for c in e.results)), None)
    context = {
        "fairness": charted.results if charted else (),
        "evidence": charted.id if charted else "",
        "authors": authors,
    }
    return fill(fmap, (system_id, records.system.name), records.now, resolved, sections, context)


def build(ctx: Context, actor: Actor, kind: str, subject_id: str) -> Report:
    """The document as the records stand now (nothing is written)."""
    fmap = field_map(kind)
    if fmap.scope == "system":
        return _system_report(ctx, actor, fmap, subject_id)
    if subject_id != ORGANISATION:
        raise NotFound("organisation document subject", subject_id)
    records = org_records(ctx, actor)
    with ctx.uow() as uow:
        sections = latest_sections(uow, ORGANISATION, kind)
        authors = _authors(uow, sections)
    resolved = org_facts.resolve(records, fmap.fields())
    pillars = [(p.title, p.score) for p in records.scorecard if p.score is not None]
    bands = list(records.risks.bands.items()) if records.risks else []
    return fill(
        fmap,
        (ORGANISATION, "the organisation"),
        records.now,
        resolved,
        sections,
        {
            "pillars": pillars if "org.scorecard" in fmap.fields() else [],
            "risk_bands": bands if "org.risks" in fmap.fields() else [],
            "authors": authors,
        },
    )


def ensure_author(uow: UnitOfWork, actor: Actor, fmap: FieldMap, subject_id: str) -> None:
    """Writing sections and issuing: who may attach documents to the system; for the
    organisation's documents, who may change the organisation's records."""
    if fmap.scope == "organisation":
        ensure(actor, Action.ORG_WRITE)
        return
    system = require(uow.systems, "system", subject_id)
    ensure(actor, Action.EVIDENCE_RECORD, system.business_unit_id, system.id)


def draft_pdf(ctx: Context, actor: Actor, kind: str, subject_id: str) -> tuple[Report, bytes]:
    """The draft's PDF: DRAFT on every page, and the list of what is missing."""
    report = build(ctx, actor, kind, subject_id)
    return report, ctx.renderer.pdf(report, draft=True)


def _record_issued(
    ctx: Context,
    uow: UnitOfWork,
    actor: Actor,
    fmap: FieldMap,
    issued: IssuedReport,
    system: AISystem | None,
) -> IssuedReport:
    """Store the final, attach it to its system as a governed document (where its type is
    one), and record the audit event with both digests."""
    if system is not None and fmap.governed_as:
        doc = attach_within(
            ctx,
            uow,
            actor,
            system,
            fmap.governed_as,
            f"{fmap.title} ({issued.issued_at:%Y-%m-%d})",
            f"/ui/issued/{issued.id}/pdf",
        )
        issued = replace(issued, document_id=doc.id)
    uow.issued_reports.add(issued)
    entity = ("system", issued.subject_id) if system is not None else ("organisation", ORGANISATION)
    said = {
        "report": issued.id,
        "kind": issued.kind,
        "title": fmap.title,
        "data_sha256": issued.data_sha256,
        "pdf_sha256": issued.pdf_sha256,
        "document": issued.document_id,
    }
    record(ctx, uow, actor, "report.issued", *entity, said)
    return issued


def issue(ctx: Context, actor: Actor, kind: str, subject_id: str) -> IssuedReport:
    """Issue the document as final: refused while a mandated item is empty (every one named).
    The PDF is rendered outside the transaction; the sections it shows must still be the
    latest when it is recorded (else Conflict: issue it again)."""
    fmap = field_map(kind)
    with ctx.uow() as uow:
        ensure_author(uow, actor, fmap, subject_id)
    report = build(ctx, actor, kind, subject_id)
    refuse_incomplete(report)
    pdf = ctx.renderer.pdf(report, draft=False)
    data = report.data()
    with ctx.uow() as uow:
        system = hold(uow.systems, "system", subject_id) if fmap.scope == "system" else None
        shown = {i.section.id for p in report.parts for i in p.items if i.section}
        now = {s.id for s in latest_sections(uow, subject_id, kind).values()}
        if shown - now:
            raise Conflict("a section changed while the document was rendered; issue it again")
        issued = IssuedReport(
            ctx.new_id("rep"),
            subject_id,
            kind,
            fmap.title,
            actor.ref,
            ctx.clock(),
            data,
            report.digest(),
            pdf,
            hashlib.sha256(pdf).hexdigest(),
        )
        issued = _record_issued(ctx, uow, actor, fmap, issued, system)
        uow.commit()
    return issued


def ensure_reader(ctx: Context, actor: Actor, subject_id: str) -> None:
    if subject_id == ORGANISATION:
        ensure(actor, Action.READ)
        return
    with ctx.uow() as uow:
        system = require(uow.systems, "system", subject_id)
    ensure(actor, Action.READ, system.business_unit_id, system.id)


def issued_for(ctx: Context, actor: Actor, subject_id: str) -> list[IssuedReport]:
    """The final documents issued for a system (or the organisation), newest first."""
    ensure_reader(ctx, actor, subject_id)
    with ctx.uow() as uow:
        found = uow.issued_reports.all(subject_id=subject_id)
    return sorted(found, key=lambda i: i.issued_at, reverse=True)


def get_issued(ctx: Context, actor: Actor, report_id: str) -> IssuedReport:
    with ctx.uow() as uow:
        issued = require(uow.issued_reports, "issued report", report_id)
    ensure_reader(ctx, actor, issued.subject_id)
    return issued
