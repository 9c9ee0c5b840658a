"""The CLI's service context and acting person."""

from __future__ import annotations

from charter.bootstrap import build
from charter.config import Settings
from charter.domain.access import Actor
from charter.domain.errors import InvalidInput
from charter.services import access
from charter.services.context import Context

AS_HELP = (
    "Act as this person (e-mail or id); defaults to $CHARTER_ACTOR. The local CLI writes "
    "to the database directly; the person's roles decide what is allowed."
)


def context() -> Context:
    return build(Settings())[0]


def acting(ctx: Context, who: str | None) -> Actor:
    who = who or Settings().actor
    if not who:
        raise InvalidInput("say who acts: --as EMAIL or CHARTER_ACTOR=EMAIL")
    return access.actor_for(ctx, who)
