"""The CLI's service context and acting person. How to build the context and find a person
is the shell's to say (charter.cli.main installs it before any command runs): commands only
ask for them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from charter.kernel.access import Actor
from charter.kernel.errors import InvalidInput

AS_HELP = (
    "Act as this person (e-mail or id); defaults to $CHARTER_ACTOR. The local CLI writes "
    "to the database directly; the person's roles decide what is allowed."
)


@dataclass(frozen=True, slots=True)
class Session:
    context: Callable[[], Any]  # a new context (charter.wiring.Context) on the settings' store
    actor_for: Callable[[Any, str], Actor]  # (context, e-mail or id) -> the person acting
    default_actor: Callable[[], str | None]  # $CHARTER_ACTOR
    # the validation engine the context will hold, made from the settings alone (a run may
    # start before the context is built: charter.validation.engines.runner.Started)
    suite_runner: Callable[[], Any]
    # the run the shell began for (suite file, engine) before the command was parsed, if any
    # (charter.cli.early.Early), now the command's to close
    begun: Callable[[Path, str], Any] = lambda suite_file, engine: None


_installed: list[Session] = []


def install(session: Session) -> None:
    _installed[:] = [session]


def _session() -> Session:
    if not _installed:
        raise RuntimeError("the CLI session was not installed (charter.cli.main does that)")
    return _installed[0]


def context() -> Any:
    """The context every command's use cases receive (charter.wiring.Context)."""
    return _session().context()


def suite_runner() -> Any:
    """The context's validation engine (charter.validation.engines.runner.GuardedRunner),
    before the context is built."""
    return _session().suite_runner()


def begun(suite_file: Path, engine: str) -> Any:
    """The validation run begun for this suite file and engine before the command was
    parsed (charter.cli.early.Early), or None."""
    return _session().begun(suite_file, engine)


def acting(ctx: Any, who: str | None) -> Actor:
    who = who or _session().default_actor()
    if not who:
        raise InvalidInput("say who acts: --as EMAIL or CHARTER_ACTOR=EMAIL")
    return _session().actor_for(ctx, who)
