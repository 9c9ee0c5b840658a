"""Request bodies and response shapes of roles and accountability."""

from __future__ import annotations

from pydantic import BaseModel, Field

from charter.accountability.domain.raci import Activity, Finding, RaciEntry, RaciLetter
from charter.kernel.roles import RoleKind, ScopeKind
from charter.kernel.web.schemas import Body, Name


class UnitIn(Body):
    name: str = Name
    description: str = Field(default="", max_length=4000)


class UnitPatch(Body):
    name: str | None = Field(default=None, min_length=1, max_length=200)
    description: str | None = Field(default=None, max_length=4000)


class PersonIn(Body):
    name: str = Name
    email: str = Field(min_length=3, max_length=320)
    business_unit_id: str | None = None
    title: str = Field(default="", max_length=200)
    service_account: bool = Field(
        default=False,
        description="A pipeline's identity, for good: only an administrator issues its "
        "tokens, every audit event it makes says `service-account:<id>`, it never signs in "
        "to the UI.",
    )


class PersonPatch(Body):
    name: str | None = Field(default=None, min_length=1, max_length=200)
    email: str | None = Field(default=None, min_length=3, max_length=320)
    business_unit_id: str | None = None
    title: str | None = Field(default=None, max_length=200)
    active: bool | None = None


class RoleIn(Body):
    person_id: str
    role: RoleKind
    scope: ScopeKind = ScopeKind.ORGANISATION
    scope_id: str | None = None


class RaciAssignmentIn(Body):
    person_id: str
    letter: RaciLetter


class RaciLetterIn(Body):
    letter: RaciLetter


class RaciCell(BaseModel):
    """One cell of a system's RACI matrix: the letter a person holds in an activity, if any."""

    system_id: str
    activity: Activity
    person_id: str
    letter: RaciLetter | None


class RaciActivityIn(Body):
    assignments: list[RaciAssignmentIn] = Field(max_length=100)


class SystemRaci(BaseModel):
    """A system's RACI entries, and what is wrong with them."""

    entries: list[RaciEntry]
    findings: list[Finding]
