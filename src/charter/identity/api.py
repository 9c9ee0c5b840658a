"""API: who am I, and API tokens."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Response

from charter.identity.ports import Context
from charter.identity.schemas import Me, NewToken, Token, TokenIn
from charter.identity.services import access
from charter.kernel.present import as_json
from charter.kernel.web.contract import Listed, returns
from charter.kernel.web.http import Who, context

Ctx = Annotated[Context, Depends(context)]
router = APIRouter()


@router.get("/me", tags=["meta"], responses=returns(Me))
def me(who: Who) -> dict[str, Any]:
    return {"person_id": who.person_id, "name": who.label, "roles": as_json(who.roles)}


@router.get("/tokens", tags=["tokens"], responses=returns(Listed[Token]))
def list_tokens(ctx: Ctx, who: Who, person_id: str | None = None) -> dict[str, Any]:
    """Your own tokens; an administrator's list holds everyone's (or one person's)."""
    items = access.list_tokens(ctx, who, person_id)
    return {"items": as_json(items), "total": len(items)}


@router.post("/tokens", status_code=201, tags=["tokens"], responses=returns(NewToken, 201))
def create_token(ctx: Ctx, who: Who, body: TokenIn) -> dict[str, Any]:
    token, secret = access.create_token(ctx, who, body.person_id, body.name, body.days)
    return {
        **as_json(token),
        "secret": secret,
        "note": "the secret is shown once; only its hash is stored",
    }


@router.delete("/tokens/{token_id}", status_code=204, tags=["tokens"])
def revoke_token(ctx: Ctx, who: Who, token_id: str) -> Response:
    access.revoke_token(ctx, who, token_id)
    return Response(status_code=204)
