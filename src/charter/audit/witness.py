"""`charter audit witness`: remember the last accepted checkpoint, refuse any rewrite."""

from __future__ import annotations

import base64
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from charter.audit import services as audit
from charter.audit.domain.checkpoint import Checkpoint
from charter.audit.domain.logcheck import LogCheck, export_rows, parse_export_header
from charter.audit.domain.merkle import ProofError, verify_consistency
from charter.audit.keys import verify_note
from charter.audit.ports import Context
from charter.kernel.access import Actor
from charter.kernel.errors import InvalidInput, VerificationFailed


def _load(path: Path) -> dict[str, Any] | None:
    if not path.exists():
        return None
    try:
        state: dict[str, Any] = json.loads(path.read_text())
        state["root_bytes"] = base64.b64decode(state["root"], validate=True)
        int(state["size"])
    except (ValueError, KeyError, TypeError) as exc:
        raise InvalidInput(f"witness state {path} is unreadable: {exc}") from exc
    return state


def _save(path: Path, cp: Checkpoint, note: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(
        json.dumps(
            {
                "origin": cp.origin,
                "size": cp.size,
                "root": base64.b64encode(cp.root).decode(),
                "note": note,
            },
            indent=2,
        )
        + "\n"
    )
    os.replace(tmp, path)


def _judge(
    state_path: Path, cp: Checkpoint, note: str, consistent: Callable[[int, bytes], None]
) -> dict[str, Any]:
    """Compare the new signed checkpoint with the remembered one; save it when consistent."""
    previous = _load(state_path)
    result: dict[str, Any] = {"size": cp.size, "previous_size": None, "consistent": True}
    if previous is not None:
        size, root = int(previous["size"]), previous["root_bytes"]
        result["previous_size"] = size
        try:
            if cp.origin != previous.get("origin"):
                raise VerificationFailed(f"origin changed from {previous.get('origin')!r}")
            if cp.size < size:
                raise VerificationFailed(f"the log shrank from {size} to {cp.size} events")
            if cp.size == size and cp.root != root:
                raise VerificationFailed(f"two different roots for size {size}")
            if cp.size > size:
                consistent(size, root)
        except (ProofError, VerificationFailed) as exc:
            result |= {
                "consistent": False,
                "message": f"INCONSISTENT: {exc}; the log is not an extension of the "
                f"checkpoint seen before (size {size})",
            }
            return result
    _save(state_path, cp, note)
    result["message"] = f"accepted checkpoint at size {cp.size}" + (
        f", consistent with size {result['previous_size']}"
        if previous is not None
        else " (first checkpoint seen)"
    )
    return result


def witness_local(ctx: Context, actor: Actor, state: Path, verifier: str) -> dict[str, Any]:
    latest = audit.latest_checkpoint(ctx, actor)
    cp = verify_note(latest.note, verifier)

    def consistent(size: int, root: bytes) -> None:
        proof = audit.prove_consistency(ctx, actor, size, cp.size)
        verify_consistency(size, cp.size, root, cp.root, proof.path)

    return _judge(state, cp, latest.note, consistent)


def witness_export(state: Path, export: Path, verifier: str) -> dict[str, Any]:
    with export.open("rb") as lines:
        notes = parse_export_header(next(lines, b"")).notes
        if not notes:
            raise InvalidInput(f"{export} carries no signed checkpoint")
        signed = [(verify_note(n, verifier), n) for n in notes]
        cp, note = max(signed, key=lambda pair: pair[0].size)
        previous = _load(state)
        wanted = {cp.size} | ({int(previous["size"])} if previous else set())
        check = LogCheck(frozenset(wanted))
        check.feed(export_rows(lines))

    if check.problem is not None or check.roots.get(cp.size) != cp.root:
        problem = check.problem or "its events do not match its latest signed checkpoint"
        return {
            "size": cp.size,
            "previous_size": previous and previous["size"],
            "consistent": False,
            "message": f"INCONSISTENT: the export does not verify "
            f"(event {check.bad_seq or '?'}): {problem}",
        }

    def consistent(size: int, root: bytes) -> None:
        if check.roots.get(size) != root:
            raise VerificationFailed(
                f"the export's tree at size {size} differs from the checkpoint seen before"
            )

    return _judge(state, cp, note, consistent)
