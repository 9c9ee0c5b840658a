"""Web sign-in: a person's password credential and server-side sessions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from charter.domain.errors import InvalidInput

SESSION_HOURS = 8
MIN_PASSWORD = 12
MAX_PASSWORD = 1024


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
