"""Ports of the audit trail: the Merkle log a unit of work appends to, and the key that signs
its checkpoints (kept outside the database)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import datetime
from typing import Any, Protocol

from charter.audit.domain.checkpoint import Checkpoint, SignedCheckpoint
from charter.audit.domain.events import AuditEvent
from charter.audit.domain.logcheck import IndexRow, LogCheck
from charter.audit.domain.search import EventFilter
from charter.kernel import ports


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
    def latest_of(self, entity_type: str, actions: Iterable[str]) -> dict[str, AuditEvent]:
        """Each entity's latest event among these actions, by entity id."""
        ...

    def search(
        self, found: EventFilter, *, limit: int, offset: int = 0
    ) -> tuple[list[AuditEvent], int]: ...
    def size(self) -> int: ...
    def scan(self, after: int, limit: int) -> list[tuple[int, bytes, str]]: ...
    def block(self, after: int, end: int) -> tuple[list[bytes], str] | None: ...
    def index(self, after: int, end: int) -> list[IndexRow]: ...
    def head(self, lock: bool = False) -> tuple[int, bytes]: ...
    def nodes(self, keys: Iterable[tuple[int, int]]) -> dict[tuple[int, int], bytes]: ...
    def add_checkpoint(self, checkpoint: SignedCheckpoint) -> None: ...
    def checkpoints(self) -> list[SignedCheckpoint]: ...


class Signer(Protocol):
    """Signs checkpoint bodies as signed notes with a key kept outside the database."""

    name: str

    @property
    def verifier(self) -> str: ...
    def sign_note(self, body: bytes) -> str: ...


class CheckpointCopy(Protocol):
    """A place outside the database that keeps every signed checkpoint (a file beside the
    key, a witness folder or URL)."""

    label: str  # how errors name it (never a server path)

    def keep(self, note: str) -> None: ...
    def notes(self) -> list[str]: ...


#: checks events [1, size] in aligned chunks on several processes: (size, sizes, workers)
ChunkCheck = Callable[[int, frozenset[int], int], Iterator[LogCheck]]


class Leadership(Protocol):
    """Leads a background job in one process at a time (kernel.store.leader)."""

    def acquire(self) -> bool: ...
    def release(self) -> None: ...


class Named(Protocol):
    """A record of a capability above the audit trail, as far as its pages name it."""

    @property
    def id(self) -> str: ...
    @property
    def name(self) -> str: ...


class Names(Protocol):
    def get(self, ident: str) -> Named | None: ...
    def all(self, **filters: object) -> Sequence[Named]: ...


class UnitOfWork(ports.UnitOfWork, Protocol):
    @property
    def audit(self) -> AuditLog: ...
    @property
    def people(self) -> Names: ...
    @property
    def systems(self) -> Names: ...


class Context(ports.Context, Protocol):
    @property
    def uow(self) -> Callable[[], UnitOfWork]: ...
    @property
    def signer(self) -> Signer | None: ...
    @property
    def verify_note(self) -> Callable[[str], Checkpoint] | None: ...
    @property
    def check_in_chunks(self) -> ChunkCheck | None: ...
    @property
    def leader(self) -> Callable[[str], Leadership] | None:
        """One process at a time for a job named so; None: this process alone runs jobs."""
        ...

    @property
    def checkpoint_copies(self) -> Sequence[CheckpointCopy]: ...
    @property
    def checkpoint_interval(self) -> float:
        """Seconds between scheduled checkpoints (0: none): how old the unsigned tail may be."""
        ...
