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
from typing import TYPE_CHECKING

from charter.identity.domain.sessions import SESSION_IDLE
from charter.identity.domain.tokens import TOKEN_DAYS
from charter.kernel.limits import POLICY_FILE_BYTES
from charter.kernel.store.metadata import metadata
from charter.kernel.store.uow import SqlTransaction
from charter.wiring.defaults import (
    Later,
    PdfRenderer,
    WebhookPoster,
    breach_within,
    default_conditions,
    incident_within,
    mlflow_registry,
    move_to_system,
    run_suite,
    shipped_monitoring_rules,
    shipped_risk_model,
    shipped_risk_rules,
)
from charter.wiring.openers import OPENED_BY

__all__ = ["OPENED_BY", "TABLES", "Context", "Later", "SqlUnitOfWork", "schema"]

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
    from charter.identity.ports import PasswordHasher, ThrottleRepository, TokenRepository
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
    from charter.strategy.domain.kpis import Kpi, KpiPreview, Measurement
    from charter.strategy.domain.scoring import ScoringModel
    from charter.strategy.domain.strategy import Objective, UseCase
    from charter.strategy.ports import PromotionHook
    from charter.validation.domain.evidence import EvidenceReview
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
    tokens: TokenRepository
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
    kpi_previews: Repository[KpiPreview]
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


@dataclass(frozen=True)
class Context:
    """What every use case receives; each capability's `ports.Context` is a view of it."""

    uow: Callable[[], SqlUnitOfWork]
    clock: Clock
    new_id: IdFactory
    rights: DecisionRights
    conditions: Later[Sequence[Condition]] = Later(default_conditions)
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
    run_suite: SuiteRunner = run_suite  # the validation engines (DuckDB, Spark)
    mailer: Mailer | None = None  # SMTP; None: e-mail is not configured
    poster: Poster = field(default_factory=WebhookPoster)  # webhooks
    webhook_networks: Sequence[Network] = ()  # of this server's own, webhooks may reach
    public_url: str | None = None  # links in notices
    digest_hour: int = 7  # UTC hour of the daily digest
    reminder_days: int = 14  # a waiver or a training expiring this soon is reminded of
    policy_file_bytes: int = POLICY_FILE_BYTES  # a policy file checked or loaded, at most
    data_dir: Path | None = None  # where monitors read their data
    incident_time_zone: str = "Europe/Brussels"  # the authority's, unless an incident names one
    monitoring_rules: Later[Rules] = Later(shipped_monitoring_rules)  # triggers, freshness
    risk_model: Later[RiskModel] = Later(shipped_risk_model)  # scales, rule, catalogue
    risk_rules: Later[RiskRules] = Later(shipped_risk_rules)  # the automated assessment
    mlflow: Callable[[str, str | None], Registry] = mlflow_registry  # an MLflow model registry
    # what follows, in the same transaction: a data-quality breach, a serious incident
    after_evidence: EvidenceHook = breach_within
    after_serious_incident: IncidentHook = incident_within
    after_promotion: PromotionHook = move_to_system  # a use case's risks go to its system
    renderer: Renderer = field(default_factory=PdfRenderer)  # documents' PDFs
