"""Domain errors. Each names the problem; interfaces map them to HTTP status or exit codes."""

from __future__ import annotations


class CharterError(Exception):
    """Base of every error Charter raises on purpose."""

    code = "error"

    def __init__(self, message: str, *, details: dict[str, object] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details or {}


class InvalidInput(CharterError):
    """Input of the wrong shape or value (a wrong type, an unknown enum value, an empty name)."""

    code = "invalid-input"


class NotFound(CharterError):
    """An id that names nothing."""

    code = "not-found"

    def __init__(self, kind: str, ident: str) -> None:
        super().__init__(f"{kind} {ident!r} does not exist", details={"kind": kind, "id": ident})


class Conflict(CharterError):
    """The request clashes with the current state (a duplicate name, a decided request)."""

    code = "conflict"


class TransitionRefused(CharterError):
    """A lifecycle transition that the state machine or the gate does not allow."""

    code = "transition-refused"


class Unauthenticated(CharterError):
    """No credentials, or credentials that do not match anyone."""

    code = "unauthenticated"


class Forbidden(CharterError):
    """The actor is known but holds no right to this action on this object."""

    code = "forbidden"


class VerificationFailed(CharterError):
    """A signature, proof or log that does not verify."""

    code = "verification-failed"
