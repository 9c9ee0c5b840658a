"""Request dependencies: the service context and the authenticated actor."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from charter.domain.access import Actor
from charter.domain.errors import Unauthenticated
from charter.services.access import authenticate
from charter.services.context import Context

_bearer = HTTPBearer(auto_error=False, description="API token created with `charter tokens create`")


def context(request: Request) -> Context:
    ctx: Context = request.app.state.ctx
    return ctx


def actor(
    ctx: Annotated[Context, Depends(context)],
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Actor:
    if credentials is None:
        raise Unauthenticated("an API token is required (Authorization: Bearer <token>)")
    return authenticate(ctx, credentials.credentials)


Ctx = Annotated[Context, Depends(context)]
Who = Annotated[Actor, Depends(actor)]


class Paging:
    def __init__(
        self,
        limit: Annotated[int, Query(ge=1, le=500)] = 50,
        offset: Annotated[int, Query(ge=0)] = 0,
        q: Annotated[str | None, Query(max_length=200)] = None,
        sort: Annotated[str | None, Query(max_length=50)] = None,
    ) -> None:
        self.limit, self.offset, self.search, self.order = limit, offset, q, sort


Pages = Annotated[Paging, Depends()]
