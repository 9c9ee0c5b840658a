"""Verifying a decision bundle offline, with the Charter package and no database: the seal and
the checkpoints against the verifier key, every event's inclusion proof and the consistency
proof, each record against the signed event that recorded it, the gate evaluated again over
the recorded facts (the same pure evaluation the server runs), a body decision's tally, a
waiver's right, a classification re-run; with the data files, each evidence recomputed.
It says what it checked, what failed, and what it could not check."""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from charter.audit.domain.checkpoint import Checkpoint
from charter.audit.domain.merkle import ProofError, verify_consistency, verify_inclusion
from charter.audit.keys import verify_note, verify_signed
from charter.frameworks.files import classification_data
from charter.kernel.errors import CharterError, InvalidInput
from charter.reports.domain.bundle import FORMAT, VERSION, Findings, seal_body
from charter.reports.domain.recheck import (
    check_classification,
    check_decisions,
    check_gate,
    check_waiver,
    recompute_evidence,
)
from charter.validation.domain.evidence import Aggregates
from charter.validation.domain.suite import Suite

Runner = Callable[[Suite, Path], Aggregates]
TOLERANCE = 1e-9


def _b64(items: Sequence[str]) -> list[bytes]:
    try:
        return [base64.b64decode(p, validate=True) for p in items]
    except (binascii.Error, TypeError) as exc:
        raise InvalidInput("a proof hash is not base64") from exc


def _note(f: Findings, note: Any, key: str, what: str) -> Checkpoint | None:
    try:
        found = verify_note(str(note), key)
    except CharterError as exc:
        f.fail(f"{what}: {exc.message}")
        return None
    f.ok(f"{what}: signed by {key.split('+', maxsplit=1)[0]}, size {found.size}")
    return found


def _seal(f: Findings, bundle: Mapping[str, Any], key: str) -> None:
    content, seal = bundle["content"], str(bundle.get("seal", ""))
    try:
        body = verify_signed(seal, key)
    except CharterError as exc:
        f.fail(f"seal: {exc.message}")
        return
    f.expect(
        body == seal_body(content),
        "seal: the content is what the audit key signed",
        "seal: the content differs from what the audit key signed (a field was changed)",
    )


def _events(f: Findings, content: Mapping[str, Any], root: Checkpoint) -> list[dict[str, Any]]:
    """Each event's bytes proven in the log at the checkpoint; their bodies."""
    out = []
    for item in content.get("events") or []:
        canonical = str(item.get("canonical", "")).encode("utf-8")
        try:
            body = json.loads(canonical)
            seq = int(item["seq"])
            if body.get("seq") != seq:
                raise ProofError(f"its bytes say event {body.get('seq')}")
            leaf = hashlib.sha256(b"\x00" + canonical).digest()
            verify_inclusion(seq - 1, root.size, leaf, _b64(item.get("proof") or []), root.root)
        except (ProofError, ValueError, KeyError, TypeError, InvalidInput) as exc:
            f.fail(f"event {item.get('seq')}: not proven in the signed log ({exc})")
            continue
        out.append(body)
    f.ok(f"{len(out)} audit event(s) proven in the log of size {root.size}")
    return out


def _log(f: Findings, content: Mapping[str, Any], key: str) -> list[dict[str, Any]]:
    first = _note(f, content.get("checkpoint"), key, "checkpoint")
    latest = _note(f, content.get("latest"), key, "latest checkpoint")
    if first is None or latest is None:
        return []
    try:
        verify_consistency(
            first.size, latest.size, first.root, latest.root, _b64(content.get("consistency") or [])
        )
        f.ok(f"the log of size {first.size} is a prefix of the latest ({latest.size})")
    except (ProofError, InvalidInput) as exc:
        f.fail(f"consistency proof from {first.size} to {latest.size}: {exc}")
    return _events(f, content, first)


def _recompute(f: Findings, content: Mapping[str, Any], data: Path, run: Runner) -> None:
    for ev in (content.get("gate") or {}).get("facts", {}).get("evidence") or []:
        recompute_evidence(f, ev, lambda suite: run(suite, data), TOLERANCE)


def verify_bundle(
    bundle: Any, key: str | None = None, data: Path | None = None, run: Runner | None = None
) -> Findings:
    """Every check a bundle allows; a tampered bundle fails, naming what."""
    f = Findings()
    if not isinstance(bundle, Mapping) or not isinstance(bundle.get("content"), Mapping):
        f.fail("not a decision bundle: no content")
        return f
    content = bundle["content"]
    if content.get("format") != FORMAT or content.get("version") != VERSION:
        f.fail(f"not a {FORMAT} of version {VERSION}")
        return f
    trusted = key or str(content.get("verifier") or "")
    if key is None:
        f.cannot(
            "who signed: no --key given, so the key the bundle names was used; give the "
            "verifier key you hold to check the signer"
        )
    _seal(f, bundle, trusted)
    events = _log(f, content, trusted)
    try:
        check_gate(f, content, events)
        check_decisions(f, content, events)
        check_waiver(f, content, events)
        check_classification(f, content, events, classification_data())
        if data is not None and run is not None:
            _recompute(f, content, data, run)
        else:
            f.cannot("the evidence from its data: give --data DIR with the data files")
    except Exception as exc:  # a bundle is untrusted input: whatever it makes fail, fails it
        f.fail(f"the bundle's records cannot be read: {exc}")
    return f


def engine_runner(suite: Suite, folder: Path) -> Aggregates:
    """The DuckDB engine, confined to the data folder given (loaded when data is given)."""
    from charter.validation.engines.runner import run_suite

    return run_suite(suite, folder)
