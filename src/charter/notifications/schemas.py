"""Request bodies of notifications: endpoints and preferences."""

from __future__ import annotations

from pydantic import Field

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
