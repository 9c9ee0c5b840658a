"""Request bodies and response shapes of identity: who am I, and API tokens."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from charter.kernel.roles import RoleAssignment
from charter.kernel.web.schemas import Body


class TokenIn(Body):
    person_id: str | None = Field(
        default=None,
        description="Whose token: yourself (the default), or, for an administrator, a "
        "service account. Nobody creates a token for another person.",
    )
    name: str = Field(min_length=1, max_length=100)
    days: int | None = Field(
        default=None,
        ge=1,
        le=366,
        description="How many days the token lives (default: CHARTER_TOKEN_DAYS, 90).",
    )


class Me(BaseModel):
    person_id: str | None
    name: str
    roles: list[RoleAssignment]


class Token(BaseModel):
    """An API token as listed: never its secret, nor the secret's hash."""

    id: str
    person_id: str
    name: str
    hint: str = Field(description="the secret's last characters, to tell tokens apart")
    created_at: datetime
    revoked_at: datetime | None
    expires_at: datetime | None
    last_used_at: datetime | None


class NewToken(Token):
    secret: str = Field(description="the token's secret: shown once, only its hash is kept")
    note: str
