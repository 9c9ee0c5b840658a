"""Use cases for the first administrator, API tokens and authentication."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any

from charter.accountability.domain.org import Person, require_email
from charter.identity.domain.tokens import (
    TOKEN_PREFIX,
    USED_EVERY,
    ApiToken,
    hash_secret,
    lifetime,
)
from charter.identity.ports import Context
from charter.kernel.access import Action, Actor, allowed, ensure, roles_of
from charter.kernel.context import record, snapshot
from charter.kernel.errors import Conflict, Forbidden, Unauthenticated
from charter.kernel.lookups import find_person, require
from charter.kernel.names import require_name
from charter.kernel.records import jsonable
from charter.kernel.roles import RoleAssignment, RoleKind, ScopeKind

SYSTEM_ACTOR = Actor(person_id=None, label="charter")


def _new_token(
    ctx: Context, person_id: str, name: str, days: int | None = None
) -> tuple[ApiToken, str]:
    """A token living `days` (default: the installation's token lifetime)."""
    secret, now = TOKEN_PREFIX + secrets.token_urlsafe(32), ctx.clock()
    token = ApiToken(
        ctx.new_id("tok"),
        person_id,
        require_name(name, "token name", 100),
        hash_secret(secret),
        secret[-4:],
        now,
        expires_at=now + lifetime(days or ctx.token_days),
    )
    return token, secret


def initialise(ctx: Context, name: str, email: str) -> tuple[Person, str]:
    """Create the first administrator and a one-time token secret. Refused once anyone exists."""
    person = Person(ctx.new_id("p"), require_name(name), require_email(email))
    role = RoleAssignment(
        ctx.new_id("ra"), person.id, RoleKind.ADMINISTRATOR, ScopeKind.ORGANISATION
    )
    token, secret = _new_token(ctx, person.id, "initial administrator token")
    with ctx.uow() as uow:
        if uow.people.find(limit=1).total:
            raise Conflict("Charter is already initialised: people exist in this database")
        uow.people.add(person)
        uow.roles.add(role)
        uow.tokens.add(token)
        record(
            ctx,
            uow,
            SYSTEM_ACTOR,
            "charter.initialised",
            "person",
            person.id,
            {
                "person": snapshot(person),
                "role": role.role.value,
                "token": token.id,
            },
        )
        uow.commit()
    return person, secret


def _ensure_may_mint(actor: Actor, person: Person) -> None:
    """A person creates their own tokens; an administrator issues tokens to service accounts;
    nobody mints a token that acts as another person."""
    if person.id == actor.person_id:
        return
    if person.service_account and actor.holds(RoleKind.ADMINISTRATOR):
        return
    raise Forbidden(
        f"{actor.label} may not create a token for {person.id}: people create their own; "
        "an administrator issues tokens to service accounts only"
    )


def create_token(
    ctx: Context, actor: Actor, person_id: str | None, name: str, days: int | None = None
) -> tuple[ApiToken, str]:
    """A new token for the actor (or, from an administrator, for a service account), living
    `days` (default: the installation's lifetime); the secret is returned once and only its
    hash is kept."""
    target = person_id or actor.person_id
    if target is None:
        raise Forbidden(f"{actor.label} is not a person and holds no tokens")
    with ctx.uow() as uow:
        person = find_person(uow.people, target)
        target = person.id
        _ensure_may_mint(actor, person)
        if not person.active:
            raise Conflict(f"person {target} is inactive")
        token, secret = _new_token(ctx, target, name, days)
        uow.tokens.add(token)
        record(
            ctx,
            uow,
            actor,
            "token.created",
            "person",
            target,
            {"token": token.id, "name": token.name, "expires_at": jsonable(token.expires_at)},
        )
        uow.commit()
    return token, secret


def revoke_token(ctx: Context, actor: Actor, token_id: str) -> ApiToken:
    """Its owner or an administrator revokes a token."""
    with ctx.uow() as uow:
        token = require(uow.tokens, "token", token_id)
        if token.person_id != actor.person_id:
            ensure(actor, Action.TOKEN_MANAGE)
        if token.revoked_at is not None:
            raise Conflict(f"token {token_id} is already revoked")
        revoked = replace(token, revoked_at=ctx.clock())
        uow.tokens.update(revoked)
        record(ctx, uow, actor, "token.revoked", "person", token.person_id, {"token": token_id})
        uow.commit()
    return revoked


def person_actor(person: Person, roles: Sequence[RoleAssignment]) -> Actor:
    """A person as the actor of use cases, with the roles they hold."""
    return Actor(person.id, person.name, roles_of(person.id, roles), person.service_account)


def actor_for(ctx: Context, ref: str) -> Actor:
    """The actor for a person (id or e-mail), with the roles they hold now (the CLI's --as)."""
    with ctx.uow() as uow:
        person = find_person(uow.people, ref)
        if not person.active:
            raise Unauthenticated(f"person {person.id} is inactive")
        return person_actor(person, uow.roles.all(person_id=person.id))


def authenticate(ctx: Context, secret: str) -> Actor:
    """The actor behind a bearer token, or Unauthenticated; notes when it was last used (at
    most once a minute)."""
    if not secret.startswith(TOKEN_PREFIX):
        raise Unauthenticated("malformed API token")
    now = ctx.clock()
    with ctx.uow().reading(one_statement=True) as uow:  # waits for no writer, blocks none
        found = uow.tokens.bearer(hash_secret(secret))
    token, person, roles = found or (None, None, [])
    if token is None or token.revoked_at is not None:
        raise Unauthenticated("unknown or revoked API token")
    if not token.usable(now):
        raise Unauthenticated("the API token has expired: create a new one")
    if person is None or not person.active:
        raise Unauthenticated("the token's owner is inactive")
    actor = person_actor(person, roles)
    if token.last_used_at is None or now - token.last_used_at >= USED_EVERY:
        _note_use(ctx, token, now)
    return actor


def _note_use(ctx: Context, token: ApiToken, now: datetime) -> None:
    """When the token was last used (not an audited change): only that column is written,
    so a revocation meanwhile stands."""
    with ctx.uow() as uow:
        fresh = uow.tokens.get(token.id)
        if fresh is not None and fresh.last_used_at == token.last_used_at:
            uow.tokens.update(replace(fresh, last_used_at=now))
            uow.commit()


def list_tokens(ctx: Context, actor: Actor, person_id: str | None = None) -> list[Any]:
    """Everyone's tokens (or one person's) for an administrator; one's own for anyone else."""
    if person_id is None and not allowed(actor, Action.TOKEN_MANAGE):
        person_id = actor.person_id or ""
    if person_id != actor.person_id:
        ensure(actor, Action.TOKEN_MANAGE)
    with ctx.uow() as uow:
        filters = {"person_id": person_id} if person_id else {}
        return uow.tokens.find(filters, order="created_at").items
