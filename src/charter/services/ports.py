"""Ports the services depend on; adapters in charter.store implement them."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from types import TracebackType
from typing import Any, Generic, Protocol, Self, TypeVar

from charter.domain.adoption import Adoption, Communication, Survey
from charter.domain.audit import AuditEvent
from charter.domain.bodies import Body, BodyDecision, Meeting, Member
from charter.domain.checkpoint import SignedCheckpoint
from charter.domain.classification import ClassificationRecord
from charter.domain.delivery import Experiment, Iteration
from charter.domain.evidence import Evidence
from charter.domain.inventory import AISystem, Dataset, Model, ModelVersion, Vendor
from charter.domain.kpis import Kpi, Measurement
from charter.domain.lifecycle import Approval, TransitionRequest
from charter.domain.org import BusinessUnit, Person, RoleAssignment
from charter.domain.policy import PolicyRecord
from charter.domain.raci import RaciEntry
from charter.domain.sessions import Credential, SignInThrottle, WebSession
from charter.domain.strategy import Objective, UseCase
from charter.domain.talent import Completion, Course, PersonSkill, RoleSkill, Skill
from charter.domain.tokens import ApiToken
from charter.domain.waivers import Document, Waiver

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    items: list[T]
    total: int
    limit: int | None
    offset: int


class Repository(Protocol[T]):
    def get(self, ident: str) -> T | None: ...
    def add(self, item: T) -> None: ...
    def update(self, item: T) -> None: ...
    def delete(self, ident: str) -> None: ...
    def find(
        self,
        filters: Mapping[str, object] | None = None,
        *,
        search: str | None = None,
        limit: int | None = None,
        offset: int = 0,
        order: str | None = None,
        any_of: Mapping[str, frozenset[str]] | None = None,
    ) -> Page[T]: ...
    def all(self, **filters: object) -> list[T]: ...


class RaciRepository(Protocol):
    def for_system(self, system_id: str) -> list[RaciEntry]: ...
    def all(self) -> list[RaciEntry]: ...
    def replace_activity(
        self, system_id: str, activity: str, entries: Sequence[RaciEntry]
    ) -> None: ...


class AuditLog(Protocol):
    def append(
        self,
        *,
        at: datetime,
        actor: str,
        action: str,
        entity_type: str,
        entity_id: str,
        data: Mapping[str, Any],
    ) -> AuditEvent: ...
    def events(self, *, after: int = 0, limit: int | None = None) -> list[AuditEvent]: ...
    def for_entity(self, entity_type: str, entity_id: str) -> list[AuditEvent]: ...
    def size(self) -> int: ...
    def scan(self, after: int, limit: int) -> list[tuple[int, bytes, str]]: ...
    def block(self, after: int, end: int) -> tuple[list[bytes], str] | None: ...
    def head(self) -> tuple[int, bytes]: ...
    def nodes(self, keys: Iterable[tuple[int, int]]) -> dict[tuple[int, int], bytes]: ...
    def add_checkpoint(self, checkpoint: SignedCheckpoint) -> None: ...
    def checkpoints(self) -> list[SignedCheckpoint]: ...


class Signer(Protocol):
    """Signs checkpoint bodies as signed notes with a key kept outside the database."""

    name: str

    @property
    def verifier(self) -> str: ...
    def sign_note(self, body: bytes) -> str: ...


class EvidenceRepository(Protocol):
    def add(self, item: Evidence) -> None: ...
    def for_system(self, system_id: str, limit: int = 100) -> list[Evidence]: ...
    def latest(self, per_system: int = 20) -> dict[str, list[Evidence]]: ...


class ThrottleRepository(Repository[SignInThrottle], Protocol):
    def hold(self, key: str, now: datetime) -> SignInThrottle:
        """The key's throttle (an empty one if none), held against concurrent sign-ins
        until the transaction ends."""
        ...

    def purge(self, started_before: datetime, now: datetime, keep: Collection[str]) -> None: ...


class PasswordHasher(Protocol):
    def hash(self, password: str) -> str: ...
    def verify(self, stored: str, password: str) -> bool: ...
    def refuse(self, password: str) -> bool: ...


class UnitOfWork(Protocol):
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

    def __enter__(self) -> Self: ...
    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...
    def commit(self) -> None: ...


UnitOfWorkFactory = Callable[[], UnitOfWork]
Clock = Callable[[], datetime]
IdFactory = Callable[[str], str]
