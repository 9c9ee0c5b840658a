"""What an API route declares it answers: its success shape (`returns`) for the OpenAPI
document, the shapes lists share, and the problem every refusal sends. The declarations are
documentation the schemathesis run checks against what the server sends; the routes keep
presenting their records themselves (charter.kernel.present)."""

from __future__ import annotations

import json
from typing import Any, Generic, TypeVar

from fastapi import Response
from pydantic import BaseModel, ConfigDict, Field

T = TypeVar("T")


def returns(model: Any, status: int = 200, description: str = "") -> dict[int | str, Any]:
    """A route's `responses=`: the shape of its success answer."""
    said = description or ("Created" if status == 201 else "OK")
    return {status: {"model": model, "description": said}}


def answer(content: Any, status: int = 200) -> Response:
    """A JSON answer serialised in one call: for a route whose presenter already built
    JSON-ready data (dicts, lists, strings, numbers; charter.kernel.present), so FastAPI's
    `jsonable_encoder` need not walk it again. The bytes are those FastAPI's `JSONResponse`
    sends (no ASCII escaping, no NaN, no spaces); the declared shape (`returns`) stays the
    contract, and a value that is not JSON-ready fails here rather than being coerced."""
    body = json.dumps(content, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    return Response(body.encode(), status, media_type="application/json")


def returns_file(media_type: str, description: str) -> dict[int | str, Any]:
    """A route's `responses=` when it answers a file (a PDF, an archive): its media type, in
    place of a JSON shape."""
    binary = {"schema": {"type": "string", "format": "binary"}}
    return {200: {"description": description, "content": {media_type: binary}}}


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
    roles: list[str] | None = Field(
        None, description="for a missing right (403): the roles that would grant it"
    )
    action: str | None = Field(None, description="for a missing right (403): the action refused")
    business_unit_id: str | None = Field(None, description="where the right was asked (403)")
    system_id: str | None = Field(None, description="the system the right was asked on (403)")


class Ref(BaseModel):
    """A record named by its id and name."""

    id: str
    name: str
