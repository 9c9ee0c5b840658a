"""Web sign-in: a person's password credential, server-side sessions, and the throttle on
failed sign-ins."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from charter.kernel.errors import InvalidInput

SESSION_HOURS = 8
MIN_PASSWORD = 12
MAX_PASSWORD = 1024

#: this many failed sign-ins for one e-mail within SIGN_IN_WINDOW lock it for SIGN_IN_LOCKOUT
SIGN_IN_ATTEMPTS = 5
#: this many from one client address, whatever the e-mails, lock the address alike (against
#: one password tried on many e-mails)
ADDRESS_ATTEMPTS = 20
SIGN_IN_WINDOW = timedelta(minutes=15)
SIGN_IN_LOCKOUT = timedelta(minutes=15)


@dataclass(frozen=True, slots=True)
class Credential:
    id: str  # the person's id: one password per person
    password_hash: str  # argon2id, with its parameters and salt
    set_at: datetime


@dataclass(frozen=True, slots=True)
class WebSession:
    id: str  # SHA-256 of the cookie's secret: the secret itself is never stored
    person_id: str
    csrf: str  # the token every form of this session must carry
    created_at: datetime
    expires_at: datetime
    ended_at: datetime | None = None

    def live(self, now: datetime) -> bool:
        return self.ended_at is None and now < self.expires_at


def session_end(start: datetime) -> datetime:
    return start + timedelta(hours=SESSION_HOURS)


def check_password(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise InvalidInput(
            f"a password needs at least {MIN_PASSWORD} characters", details={"field": "password"}
        )
    if len(password) > MAX_PASSWORD:
        raise InvalidInput("the password is too long", details={"field": "password"})
    return password


@dataclass(frozen=True, slots=True)
class SignInThrottle:
    """Failed sign-ins for one e-mail, known or not (an unknown e-mail is throttled alike,
    so that the lock says nothing about who has an account)."""

    id: str  # email_key of the e-mail: the typed text itself is never stored
    failures: int  # since window_start
    window_start: datetime
    locked_until: datetime | None = None

    def locked(self, now: datetime) -> bool:
        return self.locked_until is not None and now < self.locked_until


def email_key(email: str) -> str:
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()


def address_key(address: str) -> str:
    """The throttle's key for a client address (the address itself is never stored)."""
    return hashlib.sha256(f"address {address}".encode()).hexdigest()


def after_failure(
    found: SignInThrottle | None, key: str, now: datetime, attempts: int = SIGN_IN_ATTEMPTS
) -> SignInThrottle:
    """The throttle once one more sign-in has failed: a failure outside the window starts a
    new one; the `attempts`-th inside it locks the key and starts the count again."""
    if found is None or now - found.window_start >= SIGN_IN_WINDOW:
        found = SignInThrottle(key, 0, now)
    counted = replace(found, failures=found.failures + 1)
    if counted.failures < attempts:
        return counted
    return SignInThrottle(key, 0, now, now + SIGN_IN_LOCKOUT)
