"""Request bodies of identity."""

from __future__ import annotations

from pydantic import Field

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
