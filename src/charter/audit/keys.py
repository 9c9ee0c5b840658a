"""Ed25519 signing keys for audit checkpoints, kept in files outside the database.

The private key file uses the Go signed-note format
`PRIVATE+KEY+<name>+<hex key id>+<base64(0x01 || 32-byte seed)>`; the verifier key, which
auditors use offline, is `<name>+<hex key id>+<base64(0x01 || public key)>`.
"""

from __future__ import annotations

import base64
import binascii
import os
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from charter.audit.domain.checkpoint import (
    ED25519,
    Checkpoint,
    key_id,
    parse_body,
    parse_verifier_key,
    signature_line,
    split_note,
    verifier_key,
)
from charter.kernel.errors import Conflict, InvalidInput, VerificationFailed

PREFIX = "PRIVATE+KEY+"


def _public_bytes(key: Ed25519PrivateKey) -> bytes:
    return key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)


class Ed25519Signer:
    """Signs checkpoint bodies as C2SP signed notes (implements the services' Signer port)."""

    def __init__(self, name: str, key: Ed25519PrivateKey) -> None:
        self.name, self._key = name, key
        self.public_key = _public_bytes(key)

    @property
    def verifier(self) -> str:
        return verifier_key(self.name, self.public_key)

    def sign_note(self, body: bytes) -> str:
        signature = self._key.sign(body)
        return body.decode() + "\n" + signature_line(self.name, self.public_key, signature)


def create_key(path: Path, name: str, *, force: bool = False) -> Ed25519Signer:
    """Write a new private key file (mode 0600) and its .pub verifier key beside it."""
    if "+" in name or not name.strip() or any(c.isspace() for c in name):
        raise InvalidInput("a key name has no spaces and no '+', e.g. charter.example.org/audit")
    if path.exists() and not force:
        raise Conflict(
            f"{path} exists; pass --force to replace it (old checkpoints then "
            "need the old verifier key)"
        )
    key = Ed25519PrivateKey.generate()
    seed = key.private_bytes_raw()
    encoded = base64.b64encode(ED25519 + seed).decode()
    text = f"{PREFIX}{name}+{key_id(name, _public_bytes(key)).hex()}+{encoded}\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(text)
    signer = Ed25519Signer(name, key)
    path.with_suffix(".pub").write_text(signer.verifier + "\n")
    return signer


def load_signer(path: Path) -> Ed25519Signer:
    try:
        text = path.read_text().strip()
    except OSError as exc:
        raise InvalidInput(
            f"cannot read the signing key {path}: run `charter keys init` ({exc.strerror})"
        ) from exc
    try:
        name, hex_id, encoded = text.removeprefix(PREFIX).split("+", 2)
        raw = base64.b64decode(encoded, validate=True)
        key = Ed25519PrivateKey.from_private_bytes(raw[1:])
    except (ValueError, binascii.Error) as exc:
        raise InvalidInput(f"{path} is not a Charter signing key") from exc
    if (
        not text.startswith(PREFIX)
        or raw[:1] != ED25519
        or key_id(name, _public_bytes(key)).hex() != hex_id
    ):
        raise InvalidInput(f"{path} is not a Charter signing key (bad header or key id)")
    return Ed25519Signer(name, key)


def read_verifier(value: str) -> str:
    """A verifier key given inline or as the path of a file holding one."""
    candidate = Path(value)
    if "+" not in value or candidate.is_file():
        try:
            value = candidate.read_text().strip()
        except OSError as exc:
            raise InvalidInput(f"cannot read verifier key {value}: {exc.strerror}") from exc
    parse_verifier_key(value)
    return value


def verify_note(note: str, verifier: str) -> Checkpoint:
    """The checkpoint a note carries, if the verifier key signed it; else VerificationFailed."""
    return parse_body(verify_signed(note, verifier))


def verify_signed(note: str, verifier: str) -> bytes:
    """The body of a signed note (a checkpoint's, a decision bundle's seal), if the verifier
    key signed it; else VerificationFailed."""
    name, public = parse_verifier_key(verifier)
    body, signatures = split_note(note)
    wanted = key_id(name, public)
    mine = [s for s in signatures if s.name == name and s.key_id == wanted]
    if not mine:
        raise VerificationFailed(f"the checkpoint carries no signature by {name}")
    try:
        Ed25519PublicKey.from_public_bytes(public).verify(mine[0].signature, body)
    except InvalidSignature as exc:
        raise VerificationFailed("the signature does not verify") from exc
    return body
