"""Request bodies of identity."""

from __future__ import annotations

from pydantic import Field

from charter.kernel.web.schemas import Body


class TokenIn(Body):
    person_id: str
    name: str = Field(min_length=1, max_length=100)
