"""Use cases for web sign-in: passwords, sessions, sign-out. Sessions live on the server;
the browser holds only a random secret whose hash names the session."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import replace

from charter.accountability.domain.org import Person
from charter.identity.domain.sessions import (
    ADDRESS_ATTEMPTS,
    SEEN_EVERY,
    SIGN_IN_ATTEMPTS,
    SIGN_IN_WINDOW,
    Credential,
    SignInThrottle,
    WebSession,
    address_key,
    after_failure,
    check_password,
    pair_key,
    session_end,
)
from charter.identity.files import common_passwords
from charter.identity.ports import Context, PasswordHasher, UnitOfWork
from charter.identity.services.access import person_actor
from charter.kernel.access import Actor
from charter.kernel.context import record
from charter.kernel.errors import Forbidden, InvalidInput, Unauthenticated
from charter.kernel.lookups import find_person, require
from charter.kernel.roles import RoleKind

SIGN_IN_FAILED = "unknown e-mail or wrong password"
SIGN_IN = Actor(None, "sign-in")  # who records a lock: nobody has signed in


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _hasher(ctx: Context) -> PasswordHasher:
    if ctx.passwords is None:
        raise InvalidInput("this installation has no password hasher configured")
    return ctx.passwords


def _end_sessions(ctx: Context, uow: UnitOfWork, person_id: str) -> int:
    """End every live session of the person; how many there were."""
    now, ended = ctx.clock(), 0
    for session in uow.sessions.all(person_id=person_id, ended_at=None):
        uow.sessions.update(replace(session, ended_at=now))
        ended += 1
    return ended


def _new_password(ctx: Context, uow: UnitOfWork, person: Person, password: str) -> int:
    """Store the person's new password (if it may be one) and end their sessions."""
    if person.service_account:
        raise InvalidInput(f"{person.id} is a service account: it signs in with tokens only")
    checked = check_password(password, common_passwords(), person.email, person.name)
    item = Credential(person.id, _hasher(ctx).hash(checked), ctx.clock())
    (uow.credentials.update if uow.credentials.get(person.id) else uow.credentials.add)(item)
    return _end_sessions(ctx, uow, person.id)


def set_password(ctx: Context, actor: Actor, person_id: str, password: str) -> None:
    """A person sets their own password; an administrator may set anyone's. Every session of
    the person ends."""
    with ctx.uow() as uow:
        person = find_person(uow.people, person_id)
        if actor.person_id != person.id and not actor.holds(RoleKind.ADMINISTRATOR):
            raise Forbidden("only the person or an administrator may set a password")
        ended = _new_password(ctx, uow, person, password)
        record(
            ctx, uow, actor, "person.password_set", "person", person.id, {"sessions_ended": ended}
        )
        uow.commit()


def change_password(
    ctx: Context, actor: Actor, current: str, new: str, address: str | None = None
) -> tuple[str, WebSession]:
    """The signed-in person changes their password, proving the current one (a wrong one
    counts like a failed sign-in); every session ends and a new one starts."""
    hasher, now = _hasher(ctx), ctx.clock()
    with ctx.uow() as uow:
        person = require(uow.people, "person", actor.person_id or "")
        throttle = uow.sign_in_throttles.hold(pair_key(person.email, address), now)
        if throttle.locked(now):
            raise Unauthenticated(_locked(throttle))
        credential = uow.credentials.get(person.id)
        if credential is None or not hasher.verify(credential.password_hash, current):
            _count_failure(ctx, uow, throttle, SIGN_IN_ATTEMPTS, None)
            uow.commit()
            raise InvalidInput("your current password is wrong", details={"field": "current"})
        ended = _new_password(ctx, uow, person, new)
        record(ctx, uow, actor, "person.password_changed", "person", person.id,
               {"sessions_ended": ended})  # fmt: skip
        started = _start(ctx, uow, person, "password change")
        uow.commit()
    return started


def sign_out_everywhere(ctx: Context, actor: Actor) -> int:
    """End every session of the signed-in person; how many there were."""
    with ctx.uow() as uow:
        person = require(uow.people, "person", actor.person_id or "")
        ended = _end_sessions(ctx, uow, person.id)
        record(ctx, uow, actor, "session.ended_everywhere", "person", person.id,
               {"sessions_ended": ended})  # fmt: skip
        uow.commit()
    return ended


def _start(ctx: Context, uow: UnitOfWork, person: Person, method: str) -> tuple[str, WebSession]:
    """Open a server-side session for the person, audited with how they proved who they are."""
    secret, now = secrets.token_urlsafe(32), ctx.clock()
    session = WebSession(
        _hash(secret), person.id, secrets.token_urlsafe(32), now, session_end(now), None, now
    )
    uow.sessions.add(session)
    data = {"expires_at": session.expires_at.isoformat(), "method": method}
    record(ctx, uow, Actor(person.id, person.name), "session.started", "person", person.id, data)
    return secret, session


def sign_in(
    ctx: Context, email: str, password: str, address: str | None = None
) -> tuple[str, WebSession]:
    """A new session for the right e-mail and password: (cookie secret, session). A failure
    is counted against the e-mail from this address and against the address; once either has
    failed too often, each further try waits (longer each time) and is refused unchecked."""
    hasher, key, now = _hasher(ctx), pair_key(email, address), ctx.clock()
    with ctx.uow() as uow:
        # concurrent sign-ins wait here, the address's row held before the pair's by all
        origin = uow.sign_in_throttles.hold(address_key(address), now) if address else None
        throttle = uow.sign_in_throttles.hold(key, now)
        if origin is not None and origin.locked(now):
            raise Unauthenticated(_locked(origin, "from this address"))
        if throttle.locked(now):
            raise Unauthenticated(_locked(throttle))
        people = uow.people.all(email=email.strip().lower())
        person = people[0] if people and people[0].active else None
        credential = uow.credentials.get(person.id) if person else None
        if credential is None:
            hasher.refuse(password)
        elif person is not None and hasher.verify(credential.password_hash, password):
            uow.sign_in_throttles.delete(key)
            if origin is not None and origin.failures == 0:  # nothing to keep counting
                uow.sign_in_throttles.delete(origin.id)
            started = _start(ctx, uow, person, "password")
            uow.commit()
            return started
        held = {throttle.id} | ({origin.id} if origin else set())
        uow.sign_in_throttles.purge(now - SIGN_IN_WINDOW, now, held)  # long-gone failures
        known = ("session.sign_in_locked", "person", person.id) if person else None
        throttle = _count_failure(ctx, uow, throttle, SIGN_IN_ATTEMPTS, known)
        if origin is not None:
            # the address is personal data: its lock is audited by the first 32 hex digits
            # of its hash (128 bits; an entity id holds 40)
            by_hash = ("session.address_locked", "address", origin.id[:32])
            origin = _count_failure(ctx, uow, origin, ADDRESS_ATTEMPTS, by_hash)
        uow.commit()
    if throttle.locked(now):
        raise Unauthenticated(_locked(throttle))
    if origin is not None and origin.locked(now):
        raise Unauthenticated(_locked(origin, "from this address"))
    raise Unauthenticated(SIGN_IN_FAILED)


def _count_failure(
    ctx: Context,
    uow: UnitOfWork,
    held: SignInThrottle,
    attempts: int,
    audited: tuple[str, str, str] | None,
) -> SignInThrottle:
    """One more failure for the held throttle; the first wait it brings is audited as the
    (action, entity type, entity id) given, if any (the longer ones after it are not)."""
    now = ctx.clock()
    throttle = after_failure(held, held.id, now, attempts)
    uow.sign_in_throttles.update(throttle)
    if throttle.failures == attempts and audited is not None:
        until = {"locked_until": (throttle.locked_until or now).isoformat()}
        record(ctx, uow, SIGN_IN, *audited, until)
    return throttle


def _locked(throttle: SignInThrottle, whose: str = "for this e-mail from this address") -> str:
    until = throttle.locked_until.strftime("%H:%M:%S UTC") if throttle.locked_until else "later"
    return f"too many failed sign-ins {whose}: try again after {until}"


def federated_sign_in(ctx: Context, email: str, issuer: str) -> tuple[str, WebSession]:
    """A new session for a person whose e-mail an identity provider has verified (OIDC).
    Nobody is created on the way: the e-mail must belong to an active person already."""
    with ctx.uow() as uow:
        people = uow.people.all(email=email.strip().lower())
        person = people[0] if people and people[0].active else None
        if person is None:
            raise Unauthenticated(f"{email} is not an active person in Charter")
        started = _start(ctx, uow, person, f"oidc {issuer}")
        uow.commit()
    return started


def session_actor(ctx: Context, secret: str) -> tuple[Actor, WebSession]:
    """The signed-in person behind a session cookie, or Unauthenticated; notes when the
    session was last used (at most once a minute): unused for the idle time, it ends."""
    now = ctx.clock()
    with ctx.uow() as uow:
        session = uow.sessions.get(_hash(secret))
        if session is not None and session.ended_at is None and session.idle(now, ctx.session_idle):
            raise Unauthenticated("the session ended: it was idle too long")
        if session is None or not session.live(now, ctx.session_idle):
            raise Unauthenticated("not signed in, or the session has ended")
        person = uow.people.get(session.person_id)
        if person is None or not person.active:
            raise Unauthenticated("the session's person is inactive")
        actor = person_actor(person, uow.roles.all(person_id=person.id))
        if session.last_seen_at is None or now - session.last_seen_at >= SEEN_EVERY:
            session = replace(session, last_seen_at=now)
            uow.sessions.update(session)
            uow.commit()
        return actor, session


def sign_out(ctx: Context, secret: str) -> None:
    with ctx.uow() as uow:
        session = uow.sessions.get(_hash(secret))
        if session is None or session.ended_at is not None:
            return
        uow.sessions.update(replace(session, ended_at=ctx.clock()))
        record(
            ctx,
            uow,
            Actor(session.person_id, session.person_id),
            "session.ended",
            "person",
            session.person_id,
            {},
        )
        uow.commit()
