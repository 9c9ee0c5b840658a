"""API tokens: only a hash of the secret is ever stored."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

TOKEN_PREFIX = "chr_"  # noqa: S105 (a public prefix, not a secret)


@dataclass(frozen=True, slots=True)
class ApiToken:
    id: str
    person_id: str
    name: str
    secret_hash: str
    hint: str
    created_at: datetime
    revoked_at: datetime | None = None


def hash_secret(secret: str) -> str:
    """SHA-256 suffices for random 256-bit secrets; passwords, which are guessable, use argon2id."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()
