"""Response shapes of the audit trail's API."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class EntityRef(BaseModel):
    type: str
    id: str


class EventBody(BaseModel):
    """An event's signed body, exactly as hashed."""

    seq: int
    prev: str = Field(description="the previous event's hash (hex)")
    at: str = Field(description="when, UTC, ISO 8601")
    actor: str = Field(description="the person's id, or charter")
    action: str
    entity: EntityRef
    data: dict[str, Any]


class Event(BaseModel):
    seq: int
    hash: str = Field(description="SHA-256 of the event's canonical bytes (hex)")
    event: EventBody


class EventPage(BaseModel):
    items: list[Event]
    next_after: int = Field(description="the seq to ask for the next page after")


class EventList(BaseModel):
    items: list[Event]
    total: int


class Verification(BaseModel):
    """What verifying the whole log found; `meaning` says what `intact` guarantees."""

    intact: bool
    size: int = Field(description="events verified (up to the first bad one)")
    root: str = Field(description="Merkle root of the verified events (base64)")
    checkpoint_size: int | None
    outside_checkpoint_size: int | None
    checkpoints_checked: int
    unsigned_tail: int
    first_bad_seq: int | None
    problem: str | None
    meaning: str


class Checkpoint(BaseModel):
    """A signed checkpoint, as a C2SP signed note."""

    size: int
    root: str = Field(description="base64")
    note: str


class LatestCheckpoint(Checkpoint):
    verifier_key: str | None = Field(description="the note verifier key, if the server signs")


class InclusionProof(BaseModel):
    """RFC 6962 inclusion proof of one event in the log of tree_size events."""

    seq: int
    leaf_index: int
    tree_size: int
    leaf_hash: str
    root: str
    proof: list[str]


class ConsistencyProof(BaseModel):
    """RFC 6962 consistency proof: the log of size `from` is a prefix of the log of `to`."""

    model_config = ConfigDict(populate_by_name=True)

    from_: int = Field(alias="from")
    to: int
    root_from: str
    root_to: str
    proof: list[str]
