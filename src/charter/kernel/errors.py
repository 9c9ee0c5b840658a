"""Errors Charter raises on purpose. Each names the problem and carries the HTTP status and the
CLI exit code it is answered with (docs/cli.md lists the exit codes)."""

from __future__ import annotations


class CharterError(Exception):
    """Base of every error Charter raises on purpose."""

    code = "error"
    status = 400  # HTTP status of the problem+json answer
    exit_code = 3  # the CLI's exit code

    def __init__(self, message: str, *, details: dict[str, object] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details or {}


class InvalidInput(CharterError):
    """Input of the wrong shape or value (a wrong type, an unknown enum value, an empty name)."""

    code = "invalid-input"
    status = 422
    exit_code = 3

    def __init__(self, message: str, *, details: dict[str, object] | None = None) -> None:
        super().__init__(message, details=_field_problems(details))


def _field_problems(details: dict[str, object] | None) -> dict[str, object] | None:
    """`errors` as the API describes them, one {loc, msg} each: a problem given as bare
    words keeps an empty place rather than one guessed from its text."""
    errors = (details or {}).get("errors")
    if not isinstance(errors, list):
        return details
    shaped = [{"loc": [], "msg": e} if isinstance(e, str) else e for e in errors]
    return {**(details or {}), "errors": shaped}


#: the most problems one refusal lists in its message (all are in its details)
LISTED = 20


def refuse_all(what: str, found: list[tuple[str, str]]) -> None:
    """Refuse input with every problem found in it at once, each at its place (a line, a
    path, a check): nothing of it is used when any is wrong. Does nothing when none is."""
    if not found:
        return
    head = f"{what}: 1 problem" if len(found) == 1 else f"{what}: {len(found)} problems"
    lines = [f"{where}: {message}" if where else message for where, message in found]
    more = [f"... and {len(found) - LISTED} more"] if len(found) > LISTED else []
    raise InvalidInput(
        "\n  ".join([head, *lines[:LISTED], *more]),
        details={
            "field": found[0][0],
            "errors": [
                {"loc": [where] if where else [], "msg": message} for where, message in found
            ],
        },
    )


class OverLimit(InvalidInput):
    """Input that needs more than a configured bound to process (memory, disk, time): refused
    as a whole, nothing of it written."""

    code = "over-limit"
    status = 413
    exit_code = 3


class NotFound(CharterError):
    """An id that names nothing."""

    code = "not-found"
    status = 404
    exit_code = 4

    def __init__(self, kind: str, ident: str) -> None:
        super().__init__(f"{kind} {ident!r} does not exist", details={"kind": kind, "id": ident})


class Conflict(CharterError):
    """The request clashes with the current state (a duplicate name, a decided request)."""

    code = "conflict"
    status = 409
    exit_code = 5


class TransitionRefused(CharterError):
    """A lifecycle transition that the state machine or the gate does not allow."""

    code = "transition-refused"
    status = 409
    exit_code = 5


class Unauthenticated(CharterError):
    """No credentials, or credentials that do not match anyone."""

    code = "unauthenticated"
    status = 401
    exit_code = 6


class Forbidden(CharterError):
    """The actor is known but holds no right to this action on this object."""

    code = "forbidden"
    status = 403
    exit_code = 6


class VerificationFailed(CharterError):
    """A signature, proof or log that does not verify."""

    code = "verification-failed"
    status = 400
    exit_code = 3


class Busy(CharterError):
    """The database could not serialise this change with a concurrent one (a deadlock or a
    serialisation failure) after retrying: nothing was written; try again shortly."""

    code = "busy"
    status = 503
    exit_code = 7


class Saturated(Busy):
    """Every database connection of this process stayed in use for the pool's whole wait:
    nothing was written; try again shortly (not run again here, which would wait as long)."""

    code = "saturated"


class StorageFull(CharterError):
    """The database has no room left (a full disk or a size limit): nothing was written."""

    code = "storage-full"
    status = 507
    exit_code = 8


class Unreadable(CharterError):
    """The database cannot be read as Charter's (not a database, damaged, unreachable): a
    different matter from a log that reads but does not verify."""

    code = "unreadable"
    status = 503
    exit_code = 9
