"""Signed notes and checkpoints: interoperable with Go's golang.org/x/mod/sumdb/note."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from charter.audit.domain.checkpoint import Checkpoint, parse_body, parse_verifier_key, split_note
from charter.audit.keys import create_key, load_signer, read_verifier, verify_note
from charter.kernel.errors import Conflict, InvalidInput, VerificationFailed

# The example key pair and signed note from the Go note package's documentation.
GO_SKEY = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz"
GO_VKEY = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
GO_TEXT = (
    "If you think cryptography is the answer to your problem,\n"
    "then you don't know what your problem is.\n"
)
GO_NOTE = (
    GO_TEXT + "\n\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgY"
    "N1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n"
)
AT = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)


def test_signing_matches_go_byte_for_byte(tmp_path: Path) -> None:
    key = tmp_path / "go.key"
    key.write_text(GO_SKEY + "\n")
    signer = load_signer(key)
    assert signer.verifier == GO_VKEY
    assert signer.sign_note(GO_TEXT.encode()) == GO_NOTE


def test_go_note_verifies_and_its_tampered_twin_does_not() -> None:
    body, signatures = split_note(GO_NOTE)
    assert body == GO_TEXT.encode() and signatures[0].name == "PeterNeumann"
    with pytest.raises(VerificationFailed, match="does not verify"):
        verify_note(GO_NOTE.replace("answer", "Answer"), GO_VKEY)


def test_checkpoint_round_trip_and_wrong_key(tmp_path: Path) -> None:
    signer = create_key(tmp_path / "k" / "audit.key", "log.example/audit")
    other = create_key(tmp_path / "o" / "audit.key", "log.example/audit")
    checkpoint = Checkpoint("log.example/audit", 42, bytes(range(32)), AT)
    note = signer.sign_note(checkpoint.body())
    assert note.startswith(
        "log.example/audit\n42\nAAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\n"
        "time 2026-11-28T10:00:00Z\n\n\u2014 log.example/audit "
    )
    assert verify_note(note, signer.verifier) == checkpoint
    with pytest.raises(VerificationFailed, match="no signature by"):
        verify_note(note, other.verifier)
    assert (tmp_path / "k" / "audit.key").stat().st_mode & 0o777 == 0o600
    assert read_verifier(str(tmp_path / "k" / "audit.pub")) == signer.verifier


def test_many_keys_round_trip() -> None:
    """Base64 key data may contain '+': the parser splits from the left."""
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        for i in range(40):
            signer = create_key(Path(folder) / f"{i}.key", "n")
            assert parse_verifier_key(signer.verifier) == ("n", signer.public_key)
            assert load_signer(Path(folder) / f"{i}.key").verifier == signer.verifier


def test_key_files_refuse_to_be_overwritten_or_misread(tmp_path: Path) -> None:
    create_key(tmp_path / "a.key", "n")
    with pytest.raises(Conflict, match="--force"):
        create_key(tmp_path / "a.key", "n")
    with pytest.raises(InvalidInput, match="no spaces"):
        create_key(tmp_path / "b.key", "bad name")
    (tmp_path / "junk.key").write_text("hello")
    with pytest.raises(InvalidInput, match="not a Charter signing key"):
        load_signer(tmp_path / "junk.key")
    with pytest.raises(InvalidInput, match="keys init"):
        load_signer(tmp_path / "missing.key")


@pytest.mark.parametrize(
    ("note", "message"),
    [
        ("no blank line\n", "no blank line"),
        ("a\n\n\u2014 n notbase64!!\n", "not base64"),
        ("a\n\n- n AAAA\n", "malformed note signature"),
    ],
)
def test_malformed_notes_are_refused(note: str, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        split_note(note)


@pytest.mark.parametrize(
    "body",
    [
        b"origin\n",
        b"o\nx\nAAAA\ntime 2026-01-01T00:00:00Z\n",
        b"o\n1\nAAAA\ntime 2026-01-01T00:00:00Z\n",
        b"o\n1\n" + b"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\nnotime\n",
    ],
)
def test_malformed_checkpoint_bodies_are_refused(body: bytes) -> None:
    with pytest.raises(InvalidInput, match="malformed checkpoint"):
        parse_body(body)
