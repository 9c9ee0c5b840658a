"""Use cases for the audit log: checkpoints, proofs, verification, export, history."""

from __future__ import annotations

import base64
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from charter.audit.domain.checkpoint import Checkpoint, SignedCheckpoint, parse_body, split_note
from charter.audit.domain.events import AuditEvent
from charter.audit.domain.logcheck import (
    BATCH,
    LogCheck,
    LogReport,
    check_range,
    conclude,
    export_header,
)
from charter.audit.domain.merkle import (
    consistency_proof,
    inclusion_proof,
    needed_nodes,
    subtree_hash,
)
from charter.audit.domain.search import EXPORT_LIMIT, EventFilter
from charter.audit.ports import AuditLog, Context
from charter.kernel.access import Action, Actor, ensure
from charter.kernel.context import record
from charter.kernel.errors import InvalidInput, NotFound, VerificationFailed

PARALLEL_FROM = 100_000  # below this, starting processes costs more than it saves
NoteVerifier = Callable[[str], Checkpoint]


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def make_checkpoint(ctx: Context, actor: Actor) -> SignedCheckpoint:
    """Sign the current tree head on demand."""
    ensure(actor, Action.AUDIT_READ)
    signed = _sign_head(ctx, only_if_grown=False)
    assert signed is not None
    return signed


def scheduled_checkpoint(ctx: Context) -> SignedCheckpoint | None:
    """The scheduler's checkpoint: made only when the log grew since the last one."""
    return _sign_head(ctx, only_if_grown=True)


def _sign_head(ctx: Context, only_if_grown: bool) -> SignedCheckpoint | None:
    """Stored, and kept in every copy outside the database (or, when a copy refuses it, not
    stored either). Not an audit event itself: recording it would move the head it signs."""
    if ctx.signer is None:
        raise InvalidInput("no signing key: run `charter keys init` (CHARTER_SIGNING_KEY_FILE)")
    with ctx.uow() as uow:
        size, root = uow.audit.head(lock=True)  # signers and appends one after another
        if only_if_grown and size <= max((c.size for c in uow.audit.checkpoints()), default=0):
            return None
        body = Checkpoint(ctx.signer.name, size, root, ctx.clock()).body()
        signed = SignedCheckpoint(size, root, ctx.signer.sign_note(body), ctx.clock())
        uow.audit.add_checkpoint(signed)
        for copy in ctx.checkpoint_copies:
            copy.keep(signed.note)
        uow.commit()
    return signed


def record_restore(
    ctx: Context, actor: Actor, before: int | None, backup: dict[str, Any]
) -> SignedCheckpoint:
    """After a backup was put in place of the store: sign its head as a restore (the size of
    the log it replaced on an extension line, kept in every copy outside the database, so
    that verification goes on from there), record the restore, and sign the new head."""
    ensure(actor, Action.STORE_MANAGE)
    if ctx.signer is None:
        raise InvalidInput("no signing key: a restore is signed (CHARTER_SIGNING_KEY_FILE)")
    with ctx.uow() as uow:
        size, root = uow.audit.head(lock=True)
        body = Checkpoint(ctx.signer.name, size, root, ctx.clock(), before or 0).body()
        signed = SignedCheckpoint(size, root, ctx.signer.sign_note(body), ctx.clock())
        uow.audit.add_checkpoint(signed)
        for copy in ctx.checkpoint_copies:
            copy.keep(signed.note)
        data = {"from_size": before, "to_size": size, **backup}
        record(ctx, uow, actor, "store.restored", "store", "store", data)
        uow.commit()
    return make_checkpoint(ctx, actor)


def latest_checkpoint(ctx: Context, actor: Actor) -> SignedCheckpoint:
    ensure(actor, Action.AUDIT_READ)
    with ctx.uow() as uow:
        stored = uow.audit.checkpoints()
    if not stored:
        raise NotFound("checkpoint", "latest")
    return max(stored, key=lambda c: (c.size, c.created_at))


def _lookup(
    log: AuditLog, build: Callable[[Callable[[int, int], bytes]], list[bytes]]
) -> list[bytes]:
    nodes = log.nodes(needed_nodes(build))
    return build(lambda level, index: nodes[(level, index)])


def _tree_size(log: AuditLog, size: int | None) -> int:
    current = log.head()[0]
    size = current if size is None else size
    if not 0 < size <= current:
        raise InvalidInput(f"tree size must be between 1 and {current}", details={"size": size})
    return size


def _root(log: AuditLog, size: int) -> bytes:
    return _lookup(log, lambda get: [subtree_hash(0, size, get)])[0]


@dataclass(frozen=True, slots=True)
class InclusionProof:
    seq: int
    tree_size: int
    leaf_hash: bytes
    root: bytes
    path: list[bytes]

    def as_dict(self) -> dict[str, object]:
        return {
            "seq": self.seq,
            "leaf_index": self.seq - 1,
            "tree_size": self.tree_size,
            "leaf_hash": _b64(self.leaf_hash),
            "root": _b64(self.root),
            "proof": [_b64(p) for p in self.path],
        }


def prove_inclusion(
    ctx: Context, actor: Actor, seq: int, size: int | None = None
) -> InclusionProof:
    """Event seq is in the log of the given size (default: now)."""
    ensure(actor, Action.AUDIT_READ)
    with ctx.uow() as uow:
        n = _tree_size(uow.audit, size)
        if not 1 <= seq <= n:
            raise InvalidInput(f"event {seq} is not in a log of size {n}", details={"seq": seq})
        path = _lookup(uow.audit, lambda get: inclusion_proof(seq - 1, n, get))
        leaf = uow.audit.nodes({(0, seq - 1)})[(0, seq - 1)]
        return InclusionProof(seq, n, leaf, _root(uow.audit, n), path)


@dataclass(frozen=True, slots=True)
class ConsistencyProof:
    first: int
    second: int
    root_first: bytes
    root_second: bytes
    path: list[bytes]

    def as_dict(self) -> dict[str, object]:
        return {
            "from": self.first,
            "to": self.second,
            "root_from": _b64(self.root_first),
            "root_to": _b64(self.root_second),
            "proof": [_b64(p) for p in self.path],
        }


def prove_consistency(
    ctx: Context, actor: Actor, first: int, second: int | None = None
) -> ConsistencyProof:
    """The log of size `first` is a prefix of the log of size `second` (default: now)."""
    ensure(actor, Action.AUDIT_READ)
    with ctx.uow() as uow:
        n = _tree_size(uow.audit, second)
        if not 1 <= first <= n:
            raise InvalidInput(f"size {first} must be between 1 and {n}", details={"from": first})
        path = _lookup(uow.audit, lambda get: consistency_proof(first, n, get))
        return ConsistencyProof(first, n, _root(uow.audit, first), _root(uow.audit, n), path)


def _checked(notes: list[SignedCheckpoint], verify: NoteVerifier) -> list[Checkpoint]:
    checked = []
    for stored in notes:
        cp = verify(stored.note)
        if (cp.size, cp.root) != (stored.size, stored.root):
            raise VerificationFailed(
                f"a stored checkpoint's size or root ({stored.size}) "
                "differs from what its signed note says"
            )
        checked.append(cp)
    return checked


def _claimed_size(note: str) -> int:
    try:
        return parse_body(split_note(note)[0]).size
    except InvalidInput:
        return 1 << 62  # a damaged note is checked first, and fails


def _since_restore(notes: list[str], verify: NoteVerifier | None) -> list[str]:
    """The notes from the latest restore on (its own signed checkpoint first): a restored
    backup's log is shorter than what was signed before it, as the restore recorded."""
    for i in range(len(notes) - 1, -1, -1):
        try:
            claimed = parse_body(split_note(notes[i])[0])
        except InvalidInput:
            continue
        if claimed.restored_from is not None and verify is not None:
            verify(notes[i])  # only the key's holder can say a restore happened
            return notes[i:]
    return notes


def _highest_outside(
    ctx: Context, verify: NoteVerifier | None
) -> tuple[list[Checkpoint], str | None]:
    """The highest checkpoint each copy outside the database holds, its signature checked;
    or why a copy cannot be read or does not verify."""
    found = []
    for copy in ctx.checkpoint_copies if verify else ():
        try:
            notes = _since_restore(copy.notes(), verify)
            if notes and verify:
                found.append(verify(max(notes, key=_claimed_size)))
        except (VerificationFailed, InvalidInput) as exc:
            return [], f"the {copy.label}: {exc.message}"
    return found, None


INTACT = (
    "intact: every event's bytes match its hash and chain to the event before; every event's "
    "indexed columns (at, actor, action, entity) match its signed bytes; the Merkle root at "
    "every signed checkpoint - in the database and the highest one kept outside the database "
    "(beside the signing key, and at the witness if configured) - is the signed root; the "
    "stored head matches the events; and the events after the latest checkpoint are younger "
    "than the checkpoint interval (plus a minute). Events after the latest checkpoint are "
    "protected only by the chain until a checkpoint signs them."
)


def verify_log(
    ctx: Context, actor: Actor, verify: NoteVerifier | None = None, workers: int = 1
) -> LogReport:
    """Check the log, as of its head when the check began, against every signed checkpoint
    in the database and the highest kept outside it: each event's bytes, stored hash, chain
    link and indexed columns, then the Merkle root at each checkpoint; a log that no
    checkpoint signs, or whose unsigned tail is older than the checkpoint interval, fails."""
    ensure(actor, Action.AUDIT_READ)
    verify = verify or ctx.verify_note
    # read before the head: a copy is written only once the events it signs are
    outside, unreadable = _highest_outside(ctx, verify)
    with ctx.uow() as uow:
        notes = uow.audit.checkpoints()
        head = uow.audit.head()
    if unreadable is not None:
        return LogReport(head[0], head[1], None, 0, problem=unreadable)
    if (notes or outside) and verify is None:
        raise InvalidInput("checkpoints exist but no verifier key is configured (--key)")
    inside = _checked(notes, verify) if verify else []
    known = {(c.size, c.root) for c in inside}
    checkpoints = inside + [c for c in outside if (c.size, c.root) not in known]
    wanted = frozenset(c.size for c in checkpoints)
    if workers > 1 and ctx.check_in_chunks is not None and head[0] > PARALLEL_FROM:
        check = LogCheck(wanted)
        for chunk in ctx.check_in_chunks(head[0], wanted, workers):
            if not check.absorb(chunk):
                break
    else:
        check = _check_sequentially(ctx, head[0], wanted)
    report = replace(
        conclude(check, checkpoints), outside_size=max((c.size for c in outside), default=None)
    )
    return _signed_recently(ctx, _against_head(ctx, report, head))


def presented(report: LogReport) -> dict[str, Any]:
    """A verification report as JSON, with what `intact` means."""
    return {
        "intact": report.intact,
        "size": report.size,
        "root": _b64(report.root),
        "checkpoint_size": report.checkpoint_size,
        "outside_checkpoint_size": report.outside_size,
        "checkpoints_checked": report.checkpoints_checked,
        "unsigned_tail": report.unsigned_tail,
        "first_bad_seq": report.bad_seq,
        "problem": report.problem,
        "meaning": INTACT,
    }


def _signed_recently(ctx: Context, report: LogReport) -> LogReport:
    """The unsigned tail may be no older than the checkpoint interval (plus a minute for the
    schedule's own delay)."""
    if not report.intact or not report.unsigned_tail or ctx.checkpoint_interval <= 0:
        return report
    with ctx.uow() as uow:
        first = uow.audit.events(after=report.checkpoint_size or 0, limit=1)
    since = datetime.fromisoformat(first[0].body()["at"]) if first else ctx.clock()
    if ctx.clock() - since <= timedelta(seconds=ctx.checkpoint_interval + 60):
        return report
    return replace(
        report,
        bad_seq=(report.checkpoint_size or 0) + 1,
        problem=f"the {report.unsigned_tail} unsigned event(s) after the latest checkpoint "
        f"go back to {since:%Y-%m-%d %H:%M} UTC, longer than the checkpoint interval: a "
        "checkpoint should have signed them (is the schedule running?), or they were rewritten",
    )


def _check_sequentially(ctx: Context, size: int, wanted: frozenset[int]) -> LogCheck:
    with ctx.uow() as uow:
        return check_range(uow.audit, LogCheck(wanted), size)


def _against_head(ctx: Context, report: LogReport, head: tuple[int, bytes]) -> LogReport:
    """The stored head must be what the events make, and nothing may lie beyond it."""
    if not report.intact:
        return report
    if head != (report.size, report.root):
        return replace(
            report,
            bad_seq=min(head[0], report.size) + 1,
            problem=f"the stored tree head (size {head[0]}) disagrees with the "
            "events: the head or the events were changed",
        )
    with ctx.uow() as uow:
        beyond = uow.audit.scan(head[0], 1)
        moved = uow.audit.head()[0] != head[0]
    if beyond and not moved:
        return replace(
            report, bad_seq=head[0] + 1, problem="events lie beyond the stored tree head"
        )
    return report


def export_lines(ctx: Context, actor: Actor) -> Iterator[bytes]:
    """The export: a JSON header with the signed checkpoints, then one event per line."""
    ensure(actor, Action.AUDIT_READ)
    with ctx.uow() as uow:
        size = uow.audit.head()[0]
        notes = [c.note for c in uow.audit.checkpoints() if c.size <= size]
        origin = ctx.signer.name if ctx.signer else ""
        yield export_header(origin, size, notes) + b"\n"
        after = 0
        while after < size and (rows := uow.audit.scan(after, min(BATCH, size - after))):
            for _, canonical, _ in rows:
                yield canonical + b"\n"
            after = rows[-1][0]


def tree_head(ctx: Context, actor: Actor) -> tuple[int, bytes, int]:
    """The log's size and root now, and how many checkpoints sign it: what a verification
    report depends on in the database (a page reuses its last check while these stay)."""
    ensure(actor, Action.AUDIT_READ)
    with ctx.uow() as uow:
        size, root = uow.audit.head()
        return size, root, len(uow.audit.checkpoints())


def list_events(ctx: Context, actor: Actor, after: int = 0, limit: int = 100) -> list[AuditEvent]:
    ensure(actor, Action.AUDIT_READ)
    with ctx.uow().reading() as uow:
        return uow.audit.events(after=after, limit=limit)


def entity_history(
    ctx: Context, actor: Actor, entity_type: str, entity_id: str
) -> list[AuditEvent]:
    ensure(actor, Action.AUDIT_READ)
    with ctx.uow() as uow:
        return uow.audit.for_entity(entity_type, entity_id)


def search_events(
    ctx: Context, actor: Actor, found: EventFilter, limit: int = 50, offset: int = 0
) -> tuple[list[AuditEvent], int]:
    """The events a filter finds, newest first (a page of them), and how many in all."""
    ensure(actor, Action.AUDIT_READ)
    checked = found.checked()
    with ctx.uow() as uow:
        return uow.audit.search(
            checked, limit=min(max(limit, 1), EXPORT_LIMIT), offset=max(offset, 0)
        )


def names(ctx: Context, actor: Actor) -> tuple[dict[str, str], dict[str, str]]:
    """The names of the people and of the systems events name (audit pages show names)."""
    ensure(actor, Action.AUDIT_READ)
    with ctx.uow() as uow:
        return {p.id: p.name for p in uow.people.all()}, {s.id: s.name for s in uow.systems.all()}
