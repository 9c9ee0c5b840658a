"""The SQL unit of work: one connection, one transaction, committed explicitly."""

from __future__ import annotations

from types import TracebackType
from typing import Self

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import IntegrityError

from charter.domain.adoption import Adoption, Communication, Survey
from charter.domain.bodies import Body, BodyDecision, Meeting, Member
from charter.domain.classification import ClassificationRecord
from charter.domain.delivery import Experiment, Iteration
from charter.domain.errors import Conflict
from charter.domain.inventory import AISystem, Dataset, Model, ModelVersion, Vendor
from charter.domain.kpis import Kpi, Measurement
from charter.domain.lifecycle import Approval, TransitionRequest
from charter.domain.org import BusinessUnit, Person, RoleAssignment
from charter.domain.policy import PolicyRecord
from charter.domain.sessions import Credential, WebSession
from charter.domain.strategy import Objective, UseCase
from charter.domain.talent import Completion, Course, PersonSkill, RoleSkill, Skill
from charter.domain.tokens import ApiToken
from charter.domain.waivers import Document, Waiver
from charter.services.ports import (
    AuditLog,
    EvidenceRepository,
    RaciRepository,
    Repository,
    ThrottleRepository,
)
from charter.store import tables as t
from charter.store import tables_people as tp
from charter.store import tables_strategy as ts
from charter.store.audit_log import SqlAuditLog
from charter.store.evidence_repo import SqlEvidenceRepository
from charter.store.repositories import SqlRaciRepository, SqlThrottleRepository, TableRepository


class SqlUnitOfWork:
    """Implements charter.services.ports.UnitOfWork. Leaving without commit rolls back."""

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
    audit: AuditLog
    evidence: EvidenceRepository
    policies: Repository[PolicyRecord]
    waivers: Repository[Waiver]
    documents: Repository[Document]
    classifications: Repository[ClassificationRecord]
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

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._conn: Connection | None = None

    def __enter__(self) -> Self:
        conn = self._engine.connect()
        conn.begin()
        self._conn = conn
        self.units = TableRepository(conn, t.business_units, BusinessUnit)
        self.people = TableRepository(conn, t.people, Person, ("name", "email", "title"))
        self.roles = TableRepository(conn, t.role_assignments, RoleAssignment)
        self.systems = TableRepository(
            conn, t.systems, AISystem, ("name", "purpose", "intended_use")
        )
        self.models = TableRepository(conn, t.models, Model)
        self.model_versions = TableRepository(conn, t.model_versions, ModelVersion, ("version",))
        self.datasets = TableRepository(conn, t.datasets, Dataset)
        self.vendors = TableRepository(conn, t.vendors, Vendor)
        self.requests = TableRepository(conn, t.transition_requests, TransitionRequest, ("reason",))
        self.approvals = TableRepository(conn, t.approvals, Approval, ("reason",))
        self.tokens = TableRepository(conn, t.api_tokens, ApiToken)
        self.raci = SqlRaciRepository(conn)
        self.audit = SqlAuditLog(conn)
        self.evidence = SqlEvidenceRepository(conn)
        self.policies = TableRepository(conn, t.policies, PolicyRecord, ("title",))
        self.waivers = TableRepository(conn, t.waivers, Waiver, ("reason",))
        self.documents = TableRepository(conn, t.documents, Document, ("title",))
        self.credentials = TableRepository(conn, t.credentials, Credential, ("id",))
        self.sessions = TableRepository(conn, t.web_sessions, WebSession, ("id",))
        self.sign_in_throttles = SqlThrottleRepository(conn)
        self.classifications = TableRepository(
            conn, t.classifications, ClassificationRecord, ("tier",)
        )
        self.objectives = TableRepository(conn, ts.objectives, Objective)
        self.use_cases = TableRepository(
            conn, ts.use_cases, UseCase, ("title", "description", "data_needed")
        )
        self.kpis = TableRepository(conn, ts.kpis, Kpi)
        self.measurements = TableRepository(conn, ts.kpi_measurements, Measurement, ("note",))
        self._people_side(conn)
        return self

    def _people_side(self, conn: Connection) -> None:
        self.bodies = TableRepository(conn, tp.bodies, Body, ("name", "charter"))
        self.members = TableRepository(conn, tp.body_members, Member, ("id",))
        self.meetings = TableRepository(conn, tp.meetings, Meeting, ("minutes",))
        self.body_decisions = TableRepository(
            conn, tp.body_decisions, BodyDecision, ("title", "reason")
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
        self.iterations = TableRepository(conn, tp.iterations, Iteration, ("goal", "learnings"))
        self.experiments = TableRepository(conn, tp.experiments, Experiment, ("hypothesis",))

    def commit(self) -> None:
        assert self._conn is not None, "commit outside the unit of work"
        self._conn.commit()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        conn, self._conn = self._conn, None
        if conn is None:
            return
        try:
            conn.rollback()  # a no-op after commit
        finally:
            conn.close()
        if isinstance(exc, IntegrityError):
            raise Conflict(
                f"the change clashes with existing records ({exc.orig.__class__.__name__})"
            ) from exc
