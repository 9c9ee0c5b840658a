"""Web sign-in: a person's password credential and what a password must not be, server-side
sessions with an idle timeout, and the throttle that slows failed sign-ins down."""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from charter.kernel.errors import InvalidInput

SESSION_HOURS = 8
SESSION_IDLE = timedelta(minutes=30)  # the default; CHARTER_SESSION_IDLE_MINUTES
SEEN_EVERY = timedelta(minutes=1)  # a session's last use is written at most this often
MIN_PASSWORD = 12
MAX_PASSWORD = 1024

#: this many failed sign-ins for one e-mail from one address are checked as they come; each
#: one after them waits: FIRST_DELAY, then twice as long each time, up to MAX_DELAY
SIGN_IN_ATTEMPTS = 5
#: this many from one client address, whatever the e-mails, and its tries wait alike
#: (against one password tried on many e-mails)
ADDRESS_ATTEMPTS = 20
FIRST_DELAY = timedelta(seconds=30)
MAX_DELAY = timedelta(minutes=15)
#: a run of failures is forgotten this long after it began
SIGN_IN_WINDOW = timedelta(hours=1)


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
    last_seen_at: datetime | None = None  # None: not used since it started

    def live(self, now: datetime, idle: timedelta = SESSION_IDLE) -> bool:
        seen = self.last_seen_at or self.created_at
        return self.ended_at is None and now < self.expires_at and now - seen <= idle

    def idle(self, now: datetime, idle: timedelta = SESSION_IDLE) -> bool:
        return now - (self.last_seen_at or self.created_at) > idle


def session_end(start: datetime) -> datetime:
    return start + timedelta(hours=SESSION_HOURS)


def _mostly_one_character(password: str) -> bool:
    """More than half of it one character, or fewer than four different ones."""
    counts = Counter(password)
    return counts.most_common(1)[0][1] * 2 > len(password) or len(counts) < 4


def _common(password: str, common: Collection[str]) -> bool:
    """On the list as it is, with digits and signs around it stripped, or as two listed words
    (of four letters or more) run together."""
    typed = "".join(password.lower().split())
    core = typed.strip("0123456789!?.,;:@#$%^&*()_+-=~'\"/\\|<>[]{}")
    if typed in common or core in common:
        return True
    return any(core[:i] in common and core[i:] in common for i in range(4, len(core) - 3))


def check_password(
    password: str, common: Collection[str] = (), email: str = "", name: str = ""
) -> str:
    """The password, if it may be one: long enough, not on the list of common passwords, not
    mostly one character, not holding the person's e-mail (or its name part) or name."""
    if len(password) < MIN_PASSWORD:
        raise InvalidInput(
            f"a password needs at least {MIN_PASSWORD} characters", details={"field": "password"}
        )
    if len(password) > MAX_PASSWORD:
        raise InvalidInput("the password is too long", details={"field": "password"})
    if _common(password, common):
        raise InvalidInput("the password is too common", details={"field": "password"})
    if _mostly_one_character(password):
        raise InvalidInput("the password is mostly one character", details={"field": "password"})
    folded = "".join(password.lower().split())
    local = email.lower().split("@")[0]
    if email and (email.lower() in password.lower() or (len(local) >= 4 and local in folded)):
        raise InvalidInput("the password holds your e-mail address", details={"field": "password"})
    if len(name) >= 4 and "".join(name.lower().split()) in folded:
        raise InvalidInput("the password holds your name", details={"field": "password"})
    return password


@dataclass(frozen=True, slots=True)
class SignInThrottle:
    """Failed sign-ins under one key: an e-mail from one address, or one address whatever the
    e-mail (an unknown e-mail is throttled alike, so that a delay says nothing about who has
    an account)."""

    id: str  # a hash of the key: the typed e-mail and the address are never stored
    failures: int  # since window_start
    window_start: datetime
    locked_until: datetime | None = None  # no try is checked before then

    def locked(self, now: datetime) -> bool:
        return self.locked_until is not None and now < self.locked_until


def email_key(email: str) -> str:
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()


def pair_key(email: str, address: str | None) -> str:
    """The throttle's key for an e-mail tried from one address (the e-mail's own key when
    the address is unknown)."""
    if address is None:
        return email_key(email)
    return hashlib.sha256(f"pair {email.strip().lower()} {address}".encode()).hexdigest()


def address_key(address: str) -> str:
    """The throttle's key for a client address (the address itself is never stored)."""
    return hashlib.sha256(f"address {address}".encode()).hexdigest()


def delay(failures: int, free: int = SIGN_IN_ATTEMPTS) -> timedelta:
    """How long the next try waits after this many failures: nothing for the first `free`
    - 1, then FIRST_DELAY, doubling each time, up to MAX_DELAY."""
    if failures < free:
        return timedelta(0)
    return min(FIRST_DELAY * (1 << min(failures - free, 16)), MAX_DELAY)


def after_failure(
    found: SignInThrottle | None, key: str, now: datetime, free: int = SIGN_IN_ATTEMPTS
) -> SignInThrottle:
    """The throttle once one more sign-in has failed: a failure after the window starts a new
    run; from the `free`-th on, each makes the next try wait longer."""
    if found is None or now - found.window_start >= SIGN_IN_WINDOW:
        found = SignInThrottle(key, 0, now)
    failures = found.failures + 1
    wait = delay(failures, free)
    return replace(found, failures=failures, locked_until=now + wait if wait else None)
