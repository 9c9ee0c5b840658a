"""The composition root's storage: one unit of work over every capability's tables (each
capability's `ports.UnitOfWork` is a view of it), the metadata that holds them all, and the
context every use case receives.

A capability's tables, adapters and domain load when a use case first reaches one of its
repositories, not when Charter starts: a command imports only the capabilities it touches
(start-up is part of every run, ADR 0002). The context's defaults load the same way."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, TypeVar, overload

from charter.identity.domain.sessions import SESSION_IDLE
from charter.identity.domain.tokens import TOKEN_DAYS
from charter.kernel.store.metadata import metadata
from charter.kernel.store.repositories import TableRepository
from charter.kernel.store.uow import SqlTransaction

if TYPE_CHECKING:
    from sqlalchemy import Connection, Engine, MetaData

    from charter.accountability.domain.org import BusinessUnit, Person
    from charter.accountability.domain.rights import DecisionRights
    from charter.accountability.ports import Lifecycle, RaciRepository
    from charter.audit.domain.checkpoint import Checkpoint
    from charter.audit.ports import AuditLog, CheckpointCopy, ChunkCheck, Leadership, Signer
    from charter.bodies.domain import Body, BodyDecision, Meeting, Member
    from charter.frameworks.domain.classification import ClassificationRecord
    from charter.frameworks.domain.questionnaire import Draft
    from charter.governance.domain.gates import Plugin
    from charter.governance.domain.lifecycle import Approval, Condition, TransitionRequest
    from charter.governance.domain.policy import PolicyRecord
    from charter.governance.domain.waivers import Document, Waiver
    from charter.identity.domain.sessions import Credential, WebSession
    from charter.identity.domain.tokens import ApiToken
    from charter.identity.ports import PasswordHasher, ThrottleRepository
    from charter.incidents.domain import CorrectiveAction, Incident, Snapshot, Submission
    from charter.incidents.ports import IncidentHook
    from charter.integrations.adapters.lineage import SqlLineageRepository
    from charter.integrations.domain.records import (
        DiscoveryScan,
        ExternalLink,
        LineageEdge,
        PromotionFlag,
        Proposal,
        ReportedEvidence,
    )
    from charter.integrations.ports import Registry
    from charter.inventory.domain import AISystem, Dataset, Model, ModelVersion, Vendor
    from charter.inventory.ports import Applicability
    from charter.kernel.access import Actor
    from charter.kernel.ports import Clock, IdFactory, Repository
    from charter.kernel.roles import RoleAssignment
    from charter.monitoring.domain.monitors import Alert, Monitor, Review, Run
    from charter.monitoring.domain.rules import Rules
    from charter.notifications.domain import Attempt, Endpoint, Network, Preference
    from charter.notifications.ports import DeliveryLog, Mailer, Outbox, Poster
    from charter.people.domain.adoption import Adoption, Communication, Survey
    from charter.people.domain.talent import Completion, Course, PersonSkill, RoleSkill, Skill
    from charter.reports.domain.documents import IssuedReport, Section
    from charter.reports.domain.documents import Submission as ReportSubmission
    from charter.reports.ports import Renderer
    from charter.risks.domain.assessment import Rules as RiskRules
    from charter.risks.domain.controls import Control, ControlLink, ControlTest
    from charter.risks.domain.model import RiskModel
    from charter.risks.domain.register import Risk
    from charter.risks.domain.standing import Acceptance, AppetiteStatement
    from charter.risks.services.standing import Register
    from charter.strategy.domain.delivery import Experiment, Iteration
    from charter.strategy.domain.kpis import Kpi, Measurement
    from charter.strategy.domain.scoring import ScoringModel
    from charter.strategy.domain.strategy import Objective, UseCase
    from charter.strategy.ports import PromotionHook
    from charter.validation.domain.evidence import Evidence, EvidenceReview
    from charter.validation.domain.suite import Suite
    from charter.validation.ports import EvidenceHook, EvidenceRepository, SuiteRunner

#: the capabilities whose tables are on the one metadata (importing charter.<name>.tables
#: registers them)
TABLES = (
    "accountability", "audit", "bodies", "frameworks", "governance", "identity", "incidents",
    "integrations", "inventory", "monitoring", "notifications", "risks", "reports", "people",
    "strategy", "validation",
)  # fmt: skip


def schema() -> MetaData:
    """The whole schema: every capability's tables on one metadata."""
    for name in TABLES:
        import_module(f"charter.{name}.tables")
    return metadata


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
    from charter.identity.adapters import SqlThrottleRepository
    from charter.identity.domain.sessions import Credential, WebSession
    from charter.identity.domain.tokens import ApiToken

    return {
        "tokens": TableRepository(conn, idt.api_tokens, ApiToken),
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
    from charter.strategy.domain.kpis import Kpi, Measurement
    from charter.strategy.domain.strategy import Objective, UseCase

    return {
        "objectives": TableRepository(conn, ts.objectives, Objective),
        "use_cases": TableRepository(
            conn, ts.use_cases, UseCase, ("title", "description", "data_needed")
        ),
        "kpis": TableRepository(conn, ts.kpis, Kpi),
        "measurements": TableRepository(conn, ts.kpi_measurements, Measurement, ("note",)),
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
        (_strategy, ("objectives", "use_cases", "kpis", "measurements", "iterations",
                     "experiments")),
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


class SqlUnitOfWork(SqlTransaction):
    """Every capability's repositories on one transaction, each capability's opened when the
    transaction first reaches one of them; the risk register judges risks with the model it
    is given (the context's)."""

    def __init__(self, engine: Engine, risk_model: RiskModel | None = None) -> None:
        super().__init__(engine)
        self._risk_model = risk_model

    units: Repository[BusinessUnit]
    people: Repository[Person]
    roles: Repository[RoleAssignment]
    systems: Repository[AISystem]
    models: Repository[Model]
    model_versions: Repository[ModelVersion]
    datasets: Repository[Dataset]
    vendors: Repository[Vendor]
    requests: Repository[TransitionRequest]
    approvals: Repository[Approval]
    tokens: Repository[ApiToken]
    raci: RaciRepository
    lifecycle: Lifecycle
    applicability: Applicability
    audit: AuditLog
    evidence: EvidenceRepository
    policies: Repository[PolicyRecord]
    waivers: Repository[Waiver]
    documents: Repository[Document]
    classifications: Repository[ClassificationRecord]
    classification_drafts: Repository[Draft]
    credentials: Repository[Credential]
    sessions: Repository[WebSession]
    sign_in_throttles: ThrottleRepository
    objectives: Repository[Objective]
    use_cases: Repository[UseCase]
    kpis: Repository[Kpi]
    measurements: Repository[Measurement]
    bodies: Repository[Body]
    members: Repository[Member]
    meetings: Repository[Meeting]
    body_decisions: Repository[BodyDecision]
    skills: Repository[Skill]
    person_skills: Repository[PersonSkill]
    role_skills: Repository[RoleSkill]
    courses: Repository[Course]
    completions: Repository[Completion]
    adoption: Repository[Adoption]
    surveys: Repository[Survey]
    communications: Repository[Communication]
    iterations: Repository[Iteration]
    experiments: Repository[Experiment]
    outbox: Outbox
    deliveries: DeliveryLog
    attempts: Repository[Attempt]
    endpoints: Repository[Endpoint]
    preferences: Repository[Preference]
    incidents: Repository[Incident]
    corrective_actions: Repository[CorrectiveAction]
    snapshots: Repository[Snapshot]
    submissions: Repository[Submission]
    monitors: Repository[Monitor]
    runs: Repository[Run]
    alerts: Repository[Alert]
    monitor_reviews: Repository[Review]
    risks: Repository[Risk]
    controls: Repository[Control]
    control_links: Repository[ControlLink]
    control_tests: Repository[ControlTest]
    risk_appetites: Repository[AppetiteStatement]
    risk_acceptances: Repository[Acceptance]
    reviews: Repository[EvidenceReview]
    lineage_nodes: SqlLineageRepository
    lineage_edges: Repository[LineageEdge]
    external_links: Repository[ExternalLink]
    reported_evidence: Repository[ReportedEvidence]
    promotion_flags: Repository[PromotionFlag]
    discovery_scans: Repository[DiscoveryScan]
    proposals: Repository[Proposal]
    report_sections: Repository[Section]
    issued_reports: Repository[IssuedReport]
    report_submissions: Repository[ReportSubmission]

    @property
    def risk_register(self) -> Register:
        """How each system's risks stand now: what gates read of the register."""
        from charter.risks.files import default_model
        from charter.risks.services.standing import Register

        return Register(self, self._risk_model or default_model())

    def _open(self, conn: Connection) -> None:
        """Forget what an earlier transaction opened: repositories open on first use."""
        for name in OPENED_BY.keys() & vars(self).keys():
            del self.__dict__[name]

    def __getattr__(self, name: str) -> object:
        """A repository not opened yet in this transaction: its capability's, all at once."""
        opener = OPENED_BY.get(name)
        conn = self.__dict__.get("_conn")
        if opener is None or conn is None:
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
        self.__dict__.update(opener(conn))
        return self.__dict__[name]


T = TypeVar("T")


class Later(Generic[T]):
    """A context field whose value is loaded when first read (what a command does not use it
    does not load): given a loader as default, or as the value (`Later(load)`)."""

    def __init__(self, load: Callable[[], T]) -> None:
        self.load = load
        self._slot = ""

    def __set_name__(self, owner: type, name: str) -> None:
        self._slot = f"_loaded_{name}"

    @overload
    def __get__(self, obj: None, owner: Any = None) -> Later[T]: ...
    @overload
    def __get__(self, obj: object, owner: Any = None) -> T: ...
    def __get__(self, obj: object | None, owner: Any = None) -> T | Later[T]:
        if obj is None:
            return self  # the dataclass's default: this descriptor, loaded per instance
        found = obj.__dict__.get(self._slot, self)
        if isinstance(found, Later):
            found = found.load()
            obj.__dict__[self._slot] = found
        return found  # type: ignore[no-any-return]

    def __set__(self, obj: object, value: T | Later[T]) -> None:
        obj.__dict__[self._slot] = value


# The context's defaults, each loading its capability only when it is used.


def _default_conditions() -> tuple[Condition, ...]:
    from charter.governance.domain.gates import PolicyCondition
    from charter.governance.domain.lifecycle import ApprovalsCondition

    return (ApprovalsCondition(), PolicyCondition())


def _run_suite(*args: Any, **kwargs: Any) -> Any:
    from charter.validation.engines.runner import run_suite

    return run_suite(*args, **kwargs)


@dataclass(frozen=True)
class WebhookPoster:
    """Posts webhooks through the HTTP transport, loaded with the first post."""

    allowed: Sequence[Network] = ()  # networks of this server's own it may post to

    def post(self, url: str, body: bytes, headers: dict[str, str]) -> Any:
        from charter.notifications.adapters.transports import HttpPoster

        return HttpPoster(self.allowed).post(url, body, headers)


class PdfRenderer:
    """The documents' renderer, loaded with the first document."""

    def __init__(self) -> None:
        self._renderer: Renderer | None = None

    def pdf(self, report: Any, draft: bool) -> bytes:
        if self._renderer is None:
            from charter.reports.charts import DocumentRenderer

            self._renderer = DocumentRenderer()
        return self._renderer.pdf(report, draft)


def _mlflow(url: str, token: str | None) -> Registry:
    from charter.integrations.adapters.mlflow import HttpRegistry

    return HttpRegistry(url, token)


def _breach_within(ctx: Any, uow: Any, actor: Actor, evidence: Evidence, suite: Suite) -> object:
    """Evidence without a data-quality breach marks nothing: what acts on a breach (lineage,
    reviews) loads only when there is one."""
    if not evidence.quality_breaches:
        return []
    from charter.integrations.services import reviews

    return reviews.breach_within(ctx, uow, actor, evidence, suite)


def _incident_within(
    ctx: Any,
    uow: Any,
    actor: Actor,
    incident_id: str,
    system_id: str,
    dataset_id: str | None = None,
) -> object:
    from charter.integrations.services import reviews

    return reviews.incident_within(ctx, uow, actor, incident_id, system_id, dataset_id)


def _move_to_system(ctx: Any, uow: Any, actor: Actor, use_case_id: str, system_id: str) -> object:
    from charter.risks.services.register import move_to_system

    return move_to_system(ctx, uow, actor, use_case_id, system_id)


def shipped_monitoring_rules() -> Rules:
    from charter.monitoring.files import load_rules

    return load_rules()


def shipped_risk_model() -> RiskModel:
    from charter.risks.files import default_model

    return default_model()


def shipped_risk_rules() -> RiskRules:
    from charter.risks.files import default_rules

    return default_rules()


@dataclass(frozen=True)
class Context:
    """What every use case receives; each capability's `ports.Context` is a view of it."""

    uow: Callable[[], SqlUnitOfWork]
    clock: Clock
    new_id: IdFactory
    rights: DecisionRights
    conditions: Later[Sequence[Condition]] = Later(_default_conditions)
    signer: Signer | None = None
    verify_note: Callable[[str], Checkpoint] | None = None
    check_in_chunks: ChunkCheck | None = None
    leader: Callable[[str], Leadership] | None = None  # one process at a time for a job
    probe: Callable[[], None] | None = None  # raises Unreadable unless the store reads and writes
    checkpoint_copies: Later[Sequence[CheckpointCopy]] = Later(tuple)  # outside the database
    checkpoint_interval: float = 300  # seconds; the unsigned tail may not be much older
    # requirement plugins by name (entry points of group charter.requirements)
    plugins: Mapping[str, Plugin] = field(default_factory=dict)
    # web sign-in; None: passwords cannot be used
    passwords: Later[PasswordHasher | None] = Later(lambda: None)
    token_days: int = TOKEN_DAYS  # a new API token's lifetime
    session_idle: timedelta = SESSION_IDLE  # a web session ends when unused this long
    # meetings and body decisions recorded later than this after the fact are flagged late
    late_grace: timedelta = timedelta(days=7)
    scoring: Later[ScoringModel | None] = Later(lambda: None)  # None: portfolios cannot be scored
    run_suite: SuiteRunner = _run_suite  # the validation engines (DuckDB, Spark)
    mailer: Mailer | None = None  # SMTP; None: e-mail is not configured
    poster: Poster = field(default_factory=WebhookPoster)  # webhooks
    webhook_networks: Sequence[Network] = ()  # of this server's own, webhooks may reach
    public_url: str | None = None  # links in notices
    digest_hour: int = 7  # UTC hour of the daily digest
    reminder_days: int = 14  # a waiver or a training expiring this soon is reminded of
    data_dir: Path | None = None  # where monitors read their data
    incident_time_zone: str = "Europe/Brussels"  # the authority's, unless an incident names one
    monitoring_rules: Later[Rules] = Later(shipped_monitoring_rules)  # triggers, freshness
    risk_model: Later[RiskModel] = Later(shipped_risk_model)  # scales, rule, catalogue
    risk_rules: Later[RiskRules] = Later(shipped_risk_rules)  # the automated assessment
    mlflow: Callable[[str, str | None], Registry] = _mlflow  # an MLflow model registry
    # what follows, in the same transaction: a data-quality breach, a serious incident
    after_evidence: EvidenceHook = _breach_within
    after_serious_incident: IncidentHook = _incident_within
    after_promotion: PromotionHook = _move_to_system  # a use case's risks go to its system
    renderer: Renderer = field(default_factory=PdfRenderer)  # documents' PDFs
