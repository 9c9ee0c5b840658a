"""Checkpoints in the C2SP tlog-checkpoint format, carried in a C2SP signed note.

    <origin>
    <tree size>
    <base64 root hash>
    time <RFC 3339 UTC>
    <blank line>
    — <key name> <base64(key id || Ed25519 signature)>

The signature covers the body (the lines before the blank line, each ending in a newline).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime

from charter.kernel.errors import InvalidInput

ED25519 = b"\x01"
DASH = "\u2014"


@dataclass(frozen=True, slots=True)
class Checkpoint:
    origin: str
    size: int
    root: bytes
    at: datetime
    # set on the checkpoint a restore signs: the size of the log it replaced (an extension line)
    restored_from: int | None = None

    def body(self) -> bytes:
        when = self.at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        root = base64.b64encode(self.root).decode()
        restored = "" if self.restored_from is None else f"restored-from {self.restored_from}\n"
        return f"{self.origin}\n{self.size}\n{root}\ntime {when}\n{restored}".encode()


@dataclass(frozen=True, slots=True)
class NoteSignature:
    name: str
    key_id: bytes
    signature: bytes


def key_id(name: str, public_key: bytes) -> bytes:
    """The 4-byte key hash of a C2SP signed-note Ed25519 key."""
    return hashlib.sha256(name.encode() + b"\n" + ED25519 + public_key).digest()[:4]


def verifier_key(name: str, public_key: bytes) -> str:
    """The verifier key string: <name>+<hex key id>+<base64(0x01 || public key)>."""
    encoded = base64.b64encode(ED25519 + public_key).decode()
    return f"{name}+{key_id(name, public_key).hex()}+{encoded}"


def parse_verifier_key(text: str) -> tuple[str, bytes]:
    """(name, 32-byte public key) from a verifier key string; checks its key id."""
    try:
        name, hex_id, encoded = text.strip().split("+", 2)
        raw = base64.b64decode(encoded, validate=True)
    except (ValueError, binascii.Error) as exc:
        raise InvalidInput("not a verifier key: expected <name>+<key id>+<key>") from exc
    if raw[:1] != ED25519 or len(raw) != 33:
        raise InvalidInput("only Ed25519 verifier keys are supported")
    if key_id(name, raw[1:]).hex() != hex_id:
        raise InvalidInput("the verifier key's id does not match its key")
    return name, raw[1:]


def signature_line(name: str, public_key: bytes, signature: bytes) -> str:
    blob = base64.b64encode(key_id(name, public_key) + signature).decode()
    return f"{DASH} {name} {blob}\n"


def split_note(note: str) -> tuple[bytes, list[NoteSignature]]:
    """The signed body and its signatures; malformed notes are refused by name."""
    body, sep, rest = note.partition("\n\n")
    if not sep or not rest.endswith("\n"):
        raise InvalidInput("not a signed note: no blank line before the signatures")
    signatures = []
    for line in rest.splitlines():
        prefix, _, tail = line.partition(" ")
        name, _, blob = tail.rpartition(" ")
        try:
            raw = base64.b64decode(blob, validate=True)
        except binascii.Error as exc:
            raise InvalidInput("a note signature is not base64") from exc
        if prefix != DASH or not name or len(raw) != 68:
            raise InvalidInput(f"malformed note signature line: {line[:60]!r}")
        signatures.append(NoteSignature(name, raw[:4], raw[4:]))
    return (body + "\n").encode(), signatures


def parse_body(body: bytes) -> Checkpoint:
    lines = body.decode().split("\n")
    try:
        origin, size, root = lines[0], int(lines[1]), base64.b64decode(lines[2], validate=True)
        extras = dict(line.split(" ", 1) for line in lines[3:-1])
        at = datetime.strptime(extras["time"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
        restored = int(extras["restored-from"]) if "restored-from" in extras else None
    except (IndexError, ValueError, KeyError, binascii.Error) as exc:
        raise InvalidInput(f"malformed checkpoint body: {exc}") from exc
    if not origin or size < 0 or len(root) != 32:
        raise InvalidInput("malformed checkpoint: origin, size or root hash")
    return Checkpoint(origin, size, root, at, restored)


@dataclass(frozen=True, slots=True)
class SignedCheckpoint:
    """A checkpoint as stored: the signed note is the authority, size and root index it."""

    size: int
    root: bytes
    note: str
    created_at: datetime
