"""What an API route declares it answers: its success shape (`returns`) for the OpenAPI
document, the shapes lists share, and the problem every refusal sends. The declarations are
documentation the schemathesis run checks against what the server sends; the routes keep
presenting their records themselves (charter.kernel.present)."""

from __future__ import annotations

from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field

T = TypeVar("T")


def returns(model: Any, status: int = 200, description: str = "") -> dict[int | str, Any]:
    """A route's `responses=`: the shape of its success answer."""
    said = description or ("Created" if status == 201 else "OK")
    return {status: {"model": model, "description": said}}


class Paged(BaseModel, Generic[T]):
    """One page of a list: the items, how many there are in all, and where the page is."""

    items: list[T]
    total: int
    limit: int | None
    offset: int


class Listed(BaseModel, Generic[T]):
    """A whole list, and how many it holds."""

    items: list[T]
    total: int


class Items(BaseModel, Generic[T]):
    """A whole list."""

    items: list[T]


class FieldProblem(BaseModel):
    """One refused field: where it is (body, query or path, then the field) and why."""

    loc: list[str]
    msg: str


class Problem(BaseModel):
    """An RFC 9457 problem, sent as application/problem+json: every refusal names the
    problem; an unexpected failure carries the correlation id the server's log has too."""

    model_config = ConfigDict(extra="allow")

    type: str = Field(description="always about:blank: the status says the kind")
    title: str
    status: int
    detail: str = Field(description="what was wrong, in words")
    code: str | None = Field(None, description="a stable code for the kind of problem")
    errors: list[FieldProblem] | None = Field(None, description="every refused field (422)")
    correlation_id: str | None = Field(None, description="for an unexpected failure (500)")


class Ref(BaseModel):
    """A record named by its id and name."""

    id: str
    name: str
