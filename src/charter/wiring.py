"""The composition root's storage: one unit of work over every capability's tables (each
capability's `ports.UnitOfWork` is a view of it), the metadata that holds them all, and the
context every use case receives."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from sqlalchemy import Connection, Engine, MetaData

from charter.accountability import tables as at
from charter.accountability.adapters import SqlRaciRepository
from charter.accountability.domain.org import BusinessUnit, Person
from charter.accountability.domain.rights import DecisionRights
from charter.accountability.ports import Lifecycle, RaciRepository
from charter.audit import tables as audit_tables
from charter.audit.adapters.log import SqlAuditLog
from charter.audit.domain.checkpoint import Checkpoint
from charter.audit.ports import AuditLog, CheckpointCopy, ChunkCheck, Leadership, Signer
from charter.bodies import tables as bt
from charter.bodies.domain import Body, BodyDecision, Meeting, Member
from charter.frameworks import tables as ft
from charter.frameworks.domain.classification import ClassificationRecord
from charter.frameworks.domain.questionnaire import Draft
from charter.governance import tables as gt
from charter.governance.adapters import PolicyApplicability, RequestLifecycle
from charter.governance.domain.gates import Plugin, PolicyCondition
from charter.governance.domain.lifecycle import (
    Approval,
    ApprovalsCondition,
    Condition,
    TransitionRequest,
)
from charter.governance.domain.policy import PolicyRecord
from charter.governance.domain.waivers import Document, Waiver
from charter.identity import tables as idt
from charter.identity.adapters import SqlThrottleRepository
from charter.identity.domain.sessions import SESSION_IDLE, Credential, WebSession
from charter.identity.domain.tokens import TOKEN_DAYS, ApiToken
from charter.identity.ports import PasswordHasher, ThrottleRepository
from charter.incidents import tables as inct
from charter.incidents.domain import CorrectiveAction, Incident, Snapshot, Submission
from charter.incidents.ports import IncidentHook
from charter.integrations import tables as intt
from charter.integrations.adapters.lineage import SqlLineageRepository
from charter.integrations.adapters.mlflow import HttpRegistry
from charter.integrations.domain.records import (
    DiscoveryScan,
    ExternalLink,
    LineageEdge,
    PromotionFlag,
    Proposal,
    ReportedEvidence,
)
from charter.integrations.ports import Registry
from charter.integrations.services import reviews
from charter.inventory import tables as it
from charter.inventory.domain import AISystem, Dataset, Model, ModelVersion, Vendor
from charter.inventory.ports import Applicability
from charter.kernel.ports import Clock, IdFactory, Repository
from charter.kernel.roles import RoleAssignment
from charter.kernel.store.metadata import metadata
from charter.kernel.store.repositories import TableRepository
from charter.kernel.store.uow import SqlTransaction
from charter.monitoring import tables as mt
from charter.monitoring.domain.monitors import Alert, Monitor, Review, Run
from charter.monitoring.domain.rules import Rules
from charter.monitoring.files import load_rules
from charter.notifications import tables as nt
from charter.notifications.adapters.store import SqlDeliveryLog, SqlOutbox
from charter.notifications.adapters.transports import HttpPoster
from charter.notifications.domain import Attempt, Endpoint, Network, Preference
from charter.notifications.ports import DeliveryLog, Mailer, Outbox, Poster
from charter.people import tables as tp
from charter.people.domain.adoption import Adoption, Communication, Survey
from charter.people.domain.talent import Completion, Course, PersonSkill, RoleSkill, Skill
from charter.reports import tables as rt
from charter.reports.charts import DocumentRenderer
from charter.reports.domain.documents import IssuedReport, Section
from charter.reports.domain.documents import Submission as ReportSubmission
from charter.reports.ports import Renderer
from charter.risks import tables as rkt
from charter.risks.domain.assessment import Rules as RiskRules
from charter.risks.domain.controls import Control, ControlLink, ControlTest
from charter.risks.domain.model import RiskModel
from charter.risks.domain.register import Risk
from charter.risks.domain.standing import Acceptance, AppetiteStatement
from charter.risks.files import default_model, default_rules
from charter.risks.services.register import move_to_system
from charter.risks.services.standing import Register
from charter.strategy import tables as ts
from charter.strategy.domain.delivery import Experiment, Iteration
from charter.strategy.domain.kpis import Kpi, Measurement
from charter.strategy.domain.scoring import ScoringModel
from charter.strategy.domain.strategy import Objective, UseCase
from charter.strategy.ports import PromotionHook
from charter.validation import tables as vt
from charter.validation.adapters import SqlEvidenceRepository
from charter.validation.domain.evidence import EvidenceReview
from charter.validation.engines.runner import run_suite
from charter.validation.ports import EvidenceHook, EvidenceRepository, SuiteRunner

#: the modules whose tables are on the one metadata (importing them registers the tables)
TABLES = (at, audit_tables, bt, ft, gt, idt, inct, intt, it, mt, nt, rkt, rt, tp, ts, vt)


def schema() -> MetaData:
    """The whole schema: every capability's tables on one metadata."""
    return metadata


class SqlUnitOfWork(SqlTransaction):
    """Every capability's repositories on one transaction; the risk register judges risks
    with the model it is given (the context's)."""

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
        return Register(self, self._risk_model or default_model())

    def _open_risks(self, conn: Connection) -> None:
        self.risks = TableRepository(conn, rkt.risks, Risk, ("title", "cause", "consequence"))
        self.controls = TableRepository(conn, rkt.risk_controls, Control, ("title",))
        self.control_links = TableRepository(conn, rkt.risk_control_links, ControlLink, ("id",))
        self.control_tests = TableRepository(conn, rkt.control_tests, ControlTest, ("evidence",))
        self.risk_appetites = TableRepository(conn, rkt.risk_appetites, AppetiteStatement, ("id",))
        self.risk_acceptances = TableRepository(
            conn, rkt.risk_acceptances, Acceptance, ("conditions",)
        )

    def _open(self, conn: Connection) -> None:  # noqa: PLR0915 (one line per repository)
        self.units = TableRepository(conn, at.business_units, BusinessUnit)
        self.people = TableRepository(conn, at.people, Person, ("name", "email", "title"))
        self.roles = TableRepository(conn, at.role_assignments, RoleAssignment)
        self.systems = TableRepository(
            conn, it.systems, AISystem, ("name", "purpose", "intended_use")
        )
        self.models = TableRepository(conn, it.models, Model)
        self.model_versions = TableRepository(conn, it.model_versions, ModelVersion, ("version",))
        self.datasets = TableRepository(conn, it.datasets, Dataset)
        self.vendors = TableRepository(conn, it.vendors, Vendor)
        self.requests = TableRepository(
            conn, gt.transition_requests, TransitionRequest, ("reason",)
        )
        self.approvals = TableRepository(conn, gt.approvals, Approval, ("reason",))
        self.tokens = TableRepository(conn, idt.api_tokens, ApiToken)
        self.raci = SqlRaciRepository(conn)
        self.lifecycle = RequestLifecycle(self.requests)
        self.audit = SqlAuditLog(conn)
        self.evidence = SqlEvidenceRepository(conn)
        self.policies = TableRepository(conn, gt.policies, PolicyRecord, ("title",))
        self.applicability = PolicyApplicability(self.policies)
        self.waivers = TableRepository(conn, gt.waivers, Waiver, ("reason",))
        self.documents = TableRepository(conn, gt.documents, Document, ("title",))
        self.credentials = TableRepository(conn, idt.credentials, Credential, ("id",))
        self.sessions = TableRepository(conn, idt.web_sessions, WebSession, ("id",))
        self.sign_in_throttles = SqlThrottleRepository(conn)
        self.classifications = TableRepository(
            conn, ft.classifications, ClassificationRecord, ("tier",)
        )
        self.classification_drafts = TableRepository(conn, ft.classification_drafts, Draft, ("id",))
        self.objectives = TableRepository(conn, ts.objectives, Objective)
        self.use_cases = TableRepository(
            conn, ts.use_cases, UseCase, ("title", "description", "data_needed")
        )
        self.kpis = TableRepository(conn, ts.kpis, Kpi)
        self.measurements = TableRepository(conn, ts.kpi_measurements, Measurement, ("note",))
        self.bodies = TableRepository(conn, bt.bodies, Body, ("name", "charter"))
        self.members = TableRepository(conn, bt.body_members, Member, ("id",))
        self.meetings = TableRepository(conn, bt.meetings, Meeting, ("minutes",))
        self.body_decisions = TableRepository(
            conn, bt.body_decisions, BodyDecision, ("title", "reason")
        )
        self.skills = TableRepository(conn, tp.skills, Skill, ("name", "description"))
        self.person_skills = TableRepository(conn, tp.person_skills, PersonSkill, ("evidence",))
        self.role_skills = TableRepository(conn, tp.role_skills, RoleSkill, ("id",))
        self.courses = TableRepository(conn, tp.courses, Course, ("title",))
        self.completions = TableRepository(conn, tp.completions, Completion, ("evidence",))
        self.adoption = TableRepository(conn, tp.adoption, Adoption, ("id",))
        self.surveys = TableRepository(conn, tp.surveys, Survey, ("title",))
        self.communications = TableRepository(
            conn, tp.communications, Communication, ("title", "summary")
        )
        self.iterations = TableRepository(conn, ts.iterations, Iteration, ("goal", "learnings"))
        self.experiments = TableRepository(conn, ts.experiments, Experiment, ("hypothesis",))
        self.outbox = SqlOutbox(conn)
        self.deliveries = SqlDeliveryLog(conn)
        self.attempts = TableRepository(conn, nt.delivery_attempts, Attempt, ("error",))
        self.endpoints = TableRepository(conn, nt.webhook_endpoints, Endpoint)
        self.preferences = TableRepository(conn, nt.notification_preferences, Preference, ("id",))
        self.incidents = TableRepository(conn, inct.incidents, Incident, ("title", "description"))
        self.corrective_actions = TableRepository(
            conn, inct.corrective_actions, CorrectiveAction, ("description",)
        )
        self.monitors = TableRepository(conn, mt.monitors, Monitor)
        self.runs = TableRepository(conn, mt.monitor_runs, Run, ("error",))
        self.alerts = TableRepository(conn, mt.monitor_alerts, Alert, ("check_id",))
        self.monitor_reviews = TableRepository(conn, mt.monitor_reviews, Review, ("reason",))
        self.snapshots = TableRepository(conn, inct.incident_snapshots, Snapshot, ("evidence_id",))
        self.submissions = TableRepository(
            conn, inct.incident_submissions, Submission, ("authority",)
        )
        self._open_risks(conn)
        self.reviews = TableRepository(conn, vt.evidence_reviews, EvidenceReview, ("reason",))
        self.lineage_nodes = SqlLineageRepository(conn)
        self.lineage_edges = TableRepository(conn, intt.lineage_edges, LineageEdge, ("run_id",))
        self.external_links = TableRepository(conn, intt.external_links, ExternalLink, ("key",))
        self.reported_evidence = TableRepository(
            conn, intt.reported_evidence, ReportedEvidence, ("run_id",)
        )
        self.promotion_flags = TableRepository(
            conn, intt.promotion_flags, PromotionFlag, ("reason",)
        )
        self.discovery_scans = TableRepository(conn, intt.discovery_scans, DiscoveryScan, ("root",))
        self.proposals = TableRepository(conn, intt.discovery_proposals, Proposal)
        self._open_reports(conn)

    def _open_reports(self, conn: Connection) -> None:
        self.report_sections = TableRepository(conn, rt.report_sections, Section, ("text",))
        self.issued_reports = TableRepository(conn, rt.issued_reports, IssuedReport, ("title",))
        self.report_submissions = TableRepository(
            conn, rt.report_submissions, ReportSubmission, ("reference",)
        )


def _default_conditions() -> tuple[Condition, ...]:
    return (ApprovalsCondition(), PolicyCondition())


@dataclass(frozen=True)
class Context:
    """What every use case receives; each capability's `ports.Context` is a view of it."""

    uow: Callable[[], SqlUnitOfWork]
    clock: Clock
    new_id: IdFactory
    rights: DecisionRights
    conditions: Sequence[Condition] = field(default_factory=_default_conditions)
    signer: Signer | None = None
    verify_note: Callable[[str], Checkpoint] | None = None
    check_in_chunks: ChunkCheck | None = None
    leader: Callable[[str], Leadership] | None = None  # one process at a time for a job
    probe: Callable[[], None] | None = None  # raises Unreadable unless the store reads and writes
    checkpoint_copies: Sequence[CheckpointCopy] = ()  # every checkpoint, outside the database
    checkpoint_interval: float = 300  # seconds; the unsigned tail may not be much older
    # requirement plugins by name (entry points of group charter.requirements)
    plugins: Mapping[str, Plugin] = field(default_factory=dict)
    passwords: PasswordHasher | None = None  # web sign-in; None: passwords cannot be used
    token_days: int = TOKEN_DAYS  # a new API token's lifetime
    session_idle: timedelta = SESSION_IDLE  # a web session ends when unused this long
    # meetings and body decisions recorded later than this after the fact are flagged late
    late_grace: timedelta = timedelta(days=7)
    scoring: ScoringModel | None = None  # use-case scoring; None: portfolios cannot be scored
    run_suite: SuiteRunner = run_suite  # the validation engines (DuckDB, Spark)
    mailer: Mailer | None = None  # SMTP; None: e-mail is not configured
    poster: Poster = field(default_factory=HttpPoster)  # webhooks
    webhook_networks: Sequence[Network] = ()  # of this server's own, webhooks may reach
    public_url: str | None = None  # links in notices
    digest_hour: int = 7  # UTC hour of the daily digest
    reminder_days: int = 14  # a waiver or a training expiring this soon is reminded of
    data_dir: Path | None = None  # where monitors read their data
    incident_time_zone: str = "Europe/Brussels"  # the authority's, unless an incident names one
    monitoring_rules: Rules = field(default_factory=load_rules)  # triggers and freshness
    risk_model: RiskModel = field(default_factory=default_model)  # scales, rule, catalogue
    risk_rules: RiskRules = field(default_factory=default_rules)  # the automated assessment
    mlflow: Callable[[str, str | None], Registry] = HttpRegistry  # an MLflow model registry
    # what follows, in the same transaction: a data-quality breach, a serious incident
    after_evidence: EvidenceHook = reviews.breach_within
    after_serious_incident: IncidentHook = reviews.incident_within
    after_promotion: PromotionHook = move_to_system  # a use case's risks go to its system
    renderer: Renderer = field(default_factory=DocumentRenderer)  # documents' PDFs
