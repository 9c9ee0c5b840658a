"""Business units, people and the AI roles they hold."""

from __future__ import annotations

import re
from dataclasses import dataclass

from charter.kernel.errors import InvalidInput


@dataclass(frozen=True, slots=True)
class BusinessUnit:
    id: str
    name: str
    description: str = ""


@dataclass(frozen=True, slots=True)
class Person:
    id: str
    name: str
    email: str
    business_unit_id: str | None = None
    title: str = ""
    active: bool = True
    service_account: bool = False  # a pipeline, not a human: cannot sign in to the UI


_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def require_email(value: str) -> str:
    email = value.strip().lower()
    if not _EMAIL.match(email) or len(email) > 320:
        raise InvalidInput(f"email {value!r} is not an e-mail address", details={"field": "email"})
    return email
