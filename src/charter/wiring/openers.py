"""Each capability's repositories, opened on a transaction's connection when the unit of work
first reaches one of them: a command imports only the capabilities it touches (start-up is
part of every run, ADR 0002)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from charter.kernel.store.repositories import TableRepository

if TYPE_CHECKING:
    from sqlalchemy import Connection

Repositories = dict[str, object]


def _accountability(conn: Connection) -> Repositories:
    from charter.accountability import tables as at
    from charter.accountability.adapters import SqlRaciRepository
    from charter.accountability.domain.org import BusinessUnit, Person
    from charter.kernel.roles import RoleAssignment

    return {
        "units": TableRepository(conn, at.business_units, BusinessUnit),
        "people": TableRepository(conn, at.people, Person, ("name", "email", "title")),
        "roles": TableRepository(conn, at.role_assignments, RoleAssignment),
        "raci": SqlRaciRepository(conn),
    }


def _inventory(conn: Connection) -> Repositories:
    from charter.inventory import tables as it
    from charter.inventory.domain import AISystem, Dataset, Model, ModelVersion, Vendor

    return {
        "systems": TableRepository(conn, it.systems, AISystem, ("name", "purpose", "intended_use")),
        "models": TableRepository(conn, it.models, Model),
        "model_versions": TableRepository(conn, it.model_versions, ModelVersion, ("version",)),
        "datasets": TableRepository(conn, it.datasets, Dataset),
        "vendors": TableRepository(conn, it.vendors, Vendor),
    }


def _governance(conn: Connection) -> Repositories:
    from charter.governance import tables as gt
    from charter.governance.adapters import PolicyApplicability, RequestLifecycle
    from charter.governance.domain.lifecycle import Approval, TransitionRequest
    from charter.governance.domain.policy import PolicyRecord
    from charter.governance.domain.waivers import Document, Waiver

    requests = TableRepository(conn, gt.transition_requests, TransitionRequest, ("reason",))
    policies = TableRepository(conn, gt.policies, PolicyRecord, ("title",))
    return {
        "requests": requests,
        "approvals": TableRepository(conn, gt.approvals, Approval, ("reason",)),
        "lifecycle": RequestLifecycle(requests),
        "policies": policies,
        "applicability": PolicyApplicability(policies),
        "waivers": TableRepository(conn, gt.waivers, Waiver, ("reason",)),
        "documents": TableRepository(conn, gt.documents, Document, ("title",)),
    }


def _identity(conn: Connection) -> Repositories:
    from charter.identity import tables as idt
    from charter.identity.adapters import SqlThrottleRepository, SqlTokenRepository
    from charter.identity.domain.sessions import Credential, WebSession

    return {
        "tokens": SqlTokenRepository(conn),
        "credentials": TableRepository(conn, idt.credentials, Credential, ("id",)),
        "sessions": TableRepository(conn, idt.web_sessions, WebSession, ("id",)),
        "sign_in_throttles": SqlThrottleRepository(conn),
    }


def _audit(conn: Connection) -> Repositories:
    from charter.audit.adapters.log import SqlAuditLog

    return {"audit": SqlAuditLog(conn)}


def _validation(conn: Connection) -> Repositories:
    from charter.validation import tables as vt
    from charter.validation.adapters import SqlEvidenceRepository
    from charter.validation.domain.evidence import EvidenceReview

    return {
        "evidence": SqlEvidenceRepository(conn),
        "reviews": TableRepository(conn, vt.evidence_reviews, EvidenceReview, ("reason",)),
    }


def _frameworks(conn: Connection) -> Repositories:
    from charter.frameworks import tables as ft
    from charter.frameworks.domain.classification import ClassificationRecord
    from charter.frameworks.domain.questionnaire import Draft

    record = ClassificationRecord
    return {
        "classifications": TableRepository(conn, ft.classifications, record, ("tier",)),
        "classification_drafts": TableRepository(conn, ft.classification_drafts, Draft, ("id",)),
    }


def _strategy(conn: Connection) -> Repositories:
    from charter.strategy import tables as ts
    from charter.strategy.domain.delivery import Experiment, Iteration
    from charter.strategy.domain.kpis import Kpi, KpiPreview, Measurement
    from charter.strategy.domain.strategy import Objective, UseCase

    return {
        "objectives": TableRepository(conn, ts.objectives, Objective),
        "use_cases": TableRepository(
            conn, ts.use_cases, UseCase, ("title", "description", "data_needed")
        ),
        "kpis": TableRepository(conn, ts.kpis, Kpi),
        "measurements": TableRepository(conn, ts.kpi_measurements, Measurement, ("note",)),
        "kpi_previews": TableRepository(conn, ts.kpi_previews, KpiPreview),
        "iterations": TableRepository(conn, ts.iterations, Iteration, ("goal", "learnings")),
        "experiments": TableRepository(conn, ts.experiments, Experiment, ("hypothesis",)),
    }


def _bodies(conn: Connection) -> Repositories:
    from charter.bodies import tables as bt
    from charter.bodies.domain import Body, BodyDecision, Meeting, Member

    return {
        "bodies": TableRepository(conn, bt.bodies, Body, ("name", "charter")),
        "members": TableRepository(conn, bt.body_members, Member, ("id",)),
        "meetings": TableRepository(conn, bt.meetings, Meeting, ("minutes",)),
        "body_decisions": TableRepository(
            conn, bt.body_decisions, BodyDecision, ("title", "reason")
        ),
    }


def _people(conn: Connection) -> Repositories:
    from charter.people import tables as tp
    from charter.people.domain.adoption import Adoption, Communication, Survey
    from charter.people.domain.talent import Completion, Course, PersonSkill, RoleSkill, Skill

    return {
        "skills": TableRepository(conn, tp.skills, Skill, ("name", "description")),
        "person_skills": TableRepository(conn, tp.person_skills, PersonSkill, ("evidence",)),
        "role_skills": TableRepository(conn, tp.role_skills, RoleSkill, ("id",)),
        "courses": TableRepository(conn, tp.courses, Course, ("title",)),
        "completions": TableRepository(conn, tp.completions, Completion, ("evidence",)),
        "adoption": TableRepository(conn, tp.adoption, Adoption, ("id",)),
        "surveys": TableRepository(conn, tp.surveys, Survey, ("title",)),
        "communications": TableRepository(
            conn, tp.communications, Communication, ("title", "summary")
        ),
    }


def _notifications(conn: Connection) -> Repositories:
    from charter.notifications import tables as nt
    from charter.notifications.adapters.store import SqlDeliveryLog, SqlOutbox
    from charter.notifications.domain import Attempt, Endpoint, Preference

    return {
        "outbox": SqlOutbox(conn),
        "deliveries": SqlDeliveryLog(conn),
        "attempts": TableRepository(conn, nt.delivery_attempts, Attempt, ("error",)),
        "endpoints": TableRepository(conn, nt.webhook_endpoints, Endpoint),
        "preferences": TableRepository(conn, nt.notification_preferences, Preference, ("id",)),
    }


def _incidents(conn: Connection) -> Repositories:
    from charter.incidents import tables as inct
    from charter.incidents.domain import CorrectiveAction, Incident, Snapshot, Submission

    return {
        "incidents": TableRepository(conn, inct.incidents, Incident, ("title", "description")),
        "corrective_actions": TableRepository(
            conn, inct.corrective_actions, CorrectiveAction, ("description",)
        ),
        "snapshots": TableRepository(conn, inct.incident_snapshots, Snapshot, ("evidence_id",)),
        "submissions": TableRepository(conn, inct.incident_submissions, Submission, ("authority",)),
    }


def _monitoring(conn: Connection) -> Repositories:
    from charter.monitoring import tables as mt
    from charter.monitoring.domain.monitors import Alert, Monitor, Review, Run

    return {
        "monitors": TableRepository(conn, mt.monitors, Monitor),
        "runs": TableRepository(conn, mt.monitor_runs, Run, ("error",)),
        "alerts": TableRepository(conn, mt.monitor_alerts, Alert, ("check_id",)),
        "monitor_reviews": TableRepository(conn, mt.monitor_reviews, Review, ("reason",)),
    }


def _risks(conn: Connection) -> Repositories:
    from charter.risks import tables as rkt
    from charter.risks.domain.controls import Control, ControlLink, ControlTest
    from charter.risks.domain.register import Risk
    from charter.risks.domain.standing import Acceptance, AppetiteStatement

    return {
        "risks": TableRepository(conn, rkt.risks, Risk, ("title", "cause", "consequence")),
        "controls": TableRepository(conn, rkt.risk_controls, Control, ("title",)),
        "control_links": TableRepository(conn, rkt.risk_control_links, ControlLink, ("id",)),
        "control_tests": TableRepository(conn, rkt.control_tests, ControlTest, ("evidence",)),
        "risk_appetites": TableRepository(conn, rkt.risk_appetites, AppetiteStatement, ("id",)),
        "risk_acceptances": TableRepository(
            conn, rkt.risk_acceptances, Acceptance, ("conditions",)
        ),
    }


def _integrations(conn: Connection) -> Repositories:
    from charter.integrations import tables as intt
    from charter.integrations.adapters.lineage import SqlLineageRepository
    from charter.integrations.domain import records as r

    return {
        "lineage_nodes": SqlLineageRepository(conn),
        "lineage_edges": TableRepository(conn, intt.lineage_edges, r.LineageEdge, ("run_id",)),
        "external_links": TableRepository(conn, intt.external_links, r.ExternalLink, ("key",)),
        "reported_evidence": TableRepository(
            conn, intt.reported_evidence, r.ReportedEvidence, ("run_id",)
        ),
        "promotion_flags": TableRepository(
            conn, intt.promotion_flags, r.PromotionFlag, ("reason",)
        ),
        "discovery_scans": TableRepository(conn, intt.discovery_scans, r.DiscoveryScan, ("root",)),
        "proposals": TableRepository(conn, intt.discovery_proposals, r.Proposal),
    }


def _reports(conn: Connection) -> Repositories:
    from charter.reports import tables as rt
    from charter.reports.domain.documents import IssuedReport, Section, Submission

    return {
        "report_sections": TableRepository(conn, rt.report_sections, Section, ("text",)),
        "issued_reports": TableRepository(conn, rt.issued_reports, IssuedReport, ("title",)),
        "report_submissions": TableRepository(
            conn, rt.report_submissions, Submission, ("reference",)
        ),
    }


Opener = Callable[["Connection"], Repositories]
#: which capability's opener opens each repository of the unit of work
OPENED_BY: dict[str, Opener] = {
    name: opener
    for opener, names in (
        (_accountability, ("units", "people", "roles", "raci")),
        (_inventory, ("systems", "models", "model_versions", "datasets", "vendors")),
        (_governance, ("requests", "approvals", "lifecycle", "policies", "applicability",
                       "waivers", "documents")),
        (_identity, ("tokens", "credentials", "sessions", "sign_in_throttles")),
        (_audit, ("audit",)),
        (_validation, ("evidence", "reviews")),
        (_frameworks, ("classifications", "classification_drafts")),
        (_strategy, ("objectives", "use_cases", "kpis", "measurements", "kpi_previews",
                     "iterations", "experiments")),
        (_bodies, ("bodies", "members", "meetings", "body_decisions")),
        (_people, ("skills", "person_skills", "role_skills", "courses", "completions",
                   "adoption", "surveys", "communications")),
        (_notifications, ("outbox", "deliveries", "attempts", "endpoints", "preferences")),
        (_incidents, ("incidents", "corrective_actions", "snapshots", "submissions")),
        (_monitoring, ("monitors", "runs", "alerts", "monitor_reviews")),
        (_risks, ("risks", "controls", "control_links", "control_tests", "risk_appetites",
                  "risk_acceptances")),
        (_integrations, ("lineage_nodes", "lineage_edges", "external_links",
                         "reported_evidence", "promotion_flags", "discovery_scans",
                         "proposals")),
        (_reports, ("report_sections", "issued_reports", "report_submissions")),
    )
    for name in names
}  # fmt: skip
