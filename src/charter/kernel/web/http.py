"""What every API route shares: the context, the person an API token names (found by the
function the web shell installs as app.state.authenticate), and paging parameters.

Dependencies that do no I/O are `async`: FastAPI runs a plain `def` dependency on a worker
thread, a hop that costs more than the dependency itself."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime
from typing import Annotated, Any

from fastapi import Depends, Query, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BeforeValidator

from charter.kernel.access import Actor
from charter.kernel.errors import Unauthenticated

_bearer = HTTPBearer(auto_error=False, description="API token created with `charter tokens create`")

#: (context, token secret) -> the person the token belongs to, or Unauthenticated
Authenticator = Callable[[Any, str], Actor]


async def context(request: Request) -> Any:
    """The application's context (charter.wiring.Context); each capability's routes declare
    it as their own ports.Context."""
    return request.app.state.ctx


def actor(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Actor:
    if credentials is None:
        raise Unauthenticated("an API token is required (Authorization: Bearer <token>)")
    authenticate: Authenticator = request.app.state.authenticate
    return authenticate(request.app.state.ctx, credentials.credentials)


Who = Annotated[Actor, Depends(actor)]

#: the largest integer a query parameter takes: every database stores it (64-bit, signed)
MAX_INT = 2**53


class Paging:
    def __init__(
        self, limit: int = 50, offset: int = 0, q: str | None = None, sort: str | None = None
    ) -> None:
        self.limit, self.offset, self.search, self.order = limit, offset, q, sort


async def paging(
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=MAX_INT)] = 0,
    q: Annotated[str | None, Query(max_length=200)] = None,
    sort: Annotated[str | None, Query(max_length=50)] = None,
) -> Paging:
    return Paging(limit, offset, q, sort)


Pages = Annotated[Paging, Depends(paging)]


def _iso_day(value: object) -> object:
    if isinstance(value, str) and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise ValueError("a day is written YYYY-MM-DD")
    return value


#: a day in a query, written YYYY-MM-DD (not a number of seconds, as pydantic would take)
Day = Annotated[date, BeforeValidator(_iso_day)]


def _iso_moment(value: object) -> object:
    if isinstance(value, str) and not re.match(r"\d{4}-\d{2}-\d{2}", value):
        raise ValueError("a moment is written in ISO 8601 (YYYY-MM-DDTHH:MM[:SS][+HH:MM])")
    return value


#: a moment in a query, ISO 8601 (not a number of seconds, as pydantic would take)
Moment = Annotated[datetime, BeforeValidator(_iso_moment)]
