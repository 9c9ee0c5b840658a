"""API tokens: only a hash of the secret is ever stored; each expires."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from charter.kernel.errors import InvalidInput

TOKEN_PREFIX = "chr_"  # noqa: S105 (a public prefix, not a secret)
TOKEN_DAYS = 90  # the default lifetime; CHARTER_TOKEN_DAYS
MAX_TOKEN_DAYS = 366
USED_EVERY = timedelta(minutes=1)  # a token's last use is written at most this often


@dataclass(frozen=True, slots=True)
class ApiToken:
    id: str
    person_id: str
    name: str
    secret_hash: str
    hint: str
    created_at: datetime
    revoked_at: datetime | None = None
    expires_at: datetime | None = None  # None only for rows older than expiry: refused
    last_used_at: datetime | None = None

    def usable(self, now: datetime) -> bool:
        return self.revoked_at is None and self.expires_at is not None and now < self.expires_at


def lifetime(days: int) -> timedelta:
    if not 1 <= days <= MAX_TOKEN_DAYS:
        raise InvalidInput(
            f"a token lives from 1 to {MAX_TOKEN_DAYS} days, not {days}", details={"field": "days"}
        )
    return timedelta(days=days)


def hash_secret(secret: str) -> str:
    """SHA-256 suffices for random 256-bit secrets; passwords, which are guessable, use argon2id."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()
