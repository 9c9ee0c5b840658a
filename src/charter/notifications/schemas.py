"""Request bodies of notifications: endpoints and preferences."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from charter.kernel.web.schemas import Body, Name
from charter.notifications.domain import EndpointKind, Mode


class EndpointIn(Body):
    name: str = Name
    url: str = Field(min_length=8, max_length=2000)
    kind: EndpointKind = EndpointKind.STANDARD
    event_types: list[str] = Field(default_factory=list, max_length=50)


class EndpointState(Body):
    active: bool


class PreferenceIn(Body):
    event_type: str = Field(min_length=1, max_length=60)
    mode: Mode


# --- answers (the routes present the records themselves: charter.notifications.present) ---


class Open(BaseModel):
    """An answer's fields that clients rely on; the record's other fields come with them."""

    model_config = ConfigDict(extra="allow")


class EventType(BaseModel):
    type: str
    title: str


class NoticeOut(Open):
    id: str
    type: str
    title: str
    subject_type: str
    subject_id: str


class DeliveryOut(Open):
    id: str
    notice_id: str
    channel: str
    status: str
    attempts: int


class EndpointOut(Open):
    id: str
    name: str
    url: str
    kind: str
    active: bool


class Replayed(BaseModel):
    replayed: int


class PreferenceOut(Open):
    event_type: str
    mode: str
