"""Reading everything one document rests on: a system's records, or the organisation's
(through the services that compute posture, the scorecard, value and obligation dates)."""

from __future__ import annotations

from charter.accountability.services import raci as raci_services
from charter.bodies.services import decisions as body_decisions
from charter.frameworks import services as frameworks
from charter.frameworks.files import classification_data
from charter.governance.services import gates as governance
from charter.incidents import services as incident_services
from charter.kernel.access import Action, Actor, ensure
from charter.kernel.lookups import require
from charter.reports.domain.board_facts import IncidentLine, RiskPicture
from charter.reports.domain.documents import ORGANISATION
from charter.reports.domain.org_facts import Blocked, Fresh, OrgRecords
from charter.reports.domain.system_records import SystemRecords
from charter.reports.ports import Context
from charter.risks.services.views import risk_summary
from charter.scorecard.services import leadership_scorecard
from charter.strategy.services import kpis, portfolio
from charter.validation import services as validation


def system_records(ctx: Context, actor: Actor, system_id: str) -> SystemRecords:
    with ctx.uow() as uow:
        system = require(uow.systems, "system", system_id)
        ensure(actor, Action.READ, system.business_unit_id, system.id)
    standing = next((p for p in governance.posture(ctx, actor) if p.system.id == system_id), None)
    with ctx.uow() as uow:
        system = require(uow.systems, "system", system_id)
        models = uow.models.all(system_id=system_id)
        versions = sorted(
            (v for m in models for v in uow.model_versions.all(model_id=m.id)),
            key=lambda v: (v.registered_at is not None, v.registered_at, v.id),
        )
        found = uow.classifications.all(system_id=system_id)
        entries = uow.raci.for_system(system_id)
        people = {e.person_id for e in entries} | {system.owner_id or ""}
        people |= {c.classified_by for c in found}
        names = {p.id: p.name for p in uow.people.all(id=frozenset(people))}
        unit = uow.units.get(system.business_unit_id)
        vendor = uow.vendors.get(system.vendor_id) if system.vendor_id else None
        return SystemRecords(
            system,
            ctx.clock(),
            getattr(unit, "name", ""),
            names.get(system.owner_id or "", ""),
            vendor.name if vendor else "",
            models,
            versions,
            {d.id: d for d in uow.datasets.all()},
            max(found, key=lambda c: c.classified_at) if found else None,
            entries,
            names,
            uow.evidence.for_system(system_id, limit=20),
            sorted(
                uow.documents.all(system_id=system_id), key=lambda d: d.attached_at, reverse=True
            ),
            governance.policies_in_force(uow),
            standing.policies if standing else (),
            standing.target if standing else None,
            uow.requests.find({"system_id": system_id}, order="requested_at").items,
            sorted(
                uow.issued_reports.all(subject_id=system_id),
                key=lambda i: i.issued_at,
                reverse=True,
            ),
        )


def org_records(ctx: Context, actor: Actor) -> OrgRecords:
    """The organisation's records; they cover the whole organisation, so an organisation-wide
    role is needed."""
    ensure(actor, Action.READ)
    blocked = [
        Blocked(p.system.id, p.system.name, p.target.value, tuple(p.blocking))
        for p in governance.posture(ctx, actor)
        if p.blocking
    ]
    fresh = [
        Fresh(f.system.id, f.system.name, f.latest, f.stale)
        for f in validation.evidence_freshness(ctx, actor)
    ]
    calendar = frameworks.obligations_calendar(ctx, actor, classification_data())
    categories = {c.id: c.title for c in ctx.risk_model.catalogue.values()}
    with ctx.uow() as uow:
        names = {s.id: s.name for s in uow.systems.all()} | {b.id: b.name for b in uow.bodies.all()}
        names |= {u.id: u.title for u in uow.use_cases.all()}
        people = {p.id: p.name for p in uow.people.all()}
        checkpoints = uow.audit.checkpoints()
        size = uow.audit.size()
        waivers = uow.waivers.all()
        previous = uow.issued_reports.all(subject_id=ORGANISATION, kind="iso42001-review")
    return OrgRecords(
        ctx.clock(),
        leadership_scorecard(ctx, actor),
        portfolio.list_use_cases(ctx, actor),
        kpis.value_report(ctx, actor).lines,
        blocked,
        body_decisions.decision_log(ctx, actor),
        calendar.items,
        raci_services.all_findings(ctx, actor),
        waivers,
        fresh,
        max(checkpoints, key=lambda c: c.size) if checkpoints else None,
        size,
        sorted(previous, key=lambda i: i.issued_at, reverse=True),
        names | people | categories,
        _risk_picture(ctx, actor),
        _incidents(ctx, actor),
    )


def _risk_picture(ctx: Context, actor: Actor) -> RiskPicture:
    s = risk_summary(ctx, actor)
    return RiskPicture(
        s.as_of,
        s.open,
        s.bands,
        s.above_appetite,
        s.accepted,
        s.overdue,
        [(c.control.id, c.control.title) for c in s.failing_controls],
        s.high,
        s.high_in_hand,
        s.groups.get("category", []),
    )


def _incidents(ctx: Context, actor: Actor) -> list[IncidentLine]:
    found = incident_services.list_incidents(ctx, actor)
    with ctx.uow() as uow:
        sent = uow.submissions.find(
            {"incident_id": frozenset(i.id for i, _ in found)}, order="sent_at"
        ).items
    return [IncidentLine(i, s.name, [x for x in sent if x.incident_id == i.id]) for i, s in found]
