"""Use cases for the audit log: checkpoints, proofs, verification, export, history."""

from __future__ import annotations

import base64
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace

from charter.audit.domain.checkpoint import Checkpoint, SignedCheckpoint
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
from charter.audit.ports import AuditLog, Context
from charter.kernel.access import Action, Actor, ensure
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
    """Not an audit event itself: recording it would move the head it signs."""
    if ctx.signer is None:
        raise InvalidInput("no signing key: run `charter keys init` (CHARTER_SIGNING_KEY_FILE)")
    with ctx.uow() as uow:
        size, root = uow.audit.head(lock=True)  # signers and appends one after another
        if only_if_grown and size <= max((c.size for c in uow.audit.checkpoints()), default=0):
            return None
        body = Checkpoint(ctx.signer.name, size, root, ctx.clock()).body()
        signed = SignedCheckpoint(size, root, ctx.signer.sign_note(body), ctx.clock())
        uow.audit.add_checkpoint(signed)
        uow.commit()
    return signed


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


def verify_log(
    ctx: Context, actor: Actor, verify: NoteVerifier | None = None, workers: int = 1
) -> LogReport:
    """Check the log, as of its head when the check began, against every signed checkpoint:
    each event's bytes, stored hash and chain link, then the Merkle root at each checkpoint."""
    ensure(actor, Action.AUDIT_READ)
    verify = verify or ctx.verify_note
    with ctx.uow() as uow:
        notes = uow.audit.checkpoints()
        if notes and verify is None:
            raise InvalidInput("checkpoints exist but no verifier key is configured (--key)")
        checkpoints = _checked(notes, verify) if verify else []
        head = uow.audit.head()
    wanted = frozenset(c.size for c in checkpoints)
    if workers > 1 and ctx.check_in_chunks is not None and head[0] > PARALLEL_FROM:
        check = LogCheck(wanted)
        for chunk in ctx.check_in_chunks(head[0], wanted, workers):
            if not check.absorb(chunk):
                break
    else:
        check = _check_sequentially(ctx, head[0], wanted)
    return _against_head(ctx, conclude(check, checkpoints), head)


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


def list_events(ctx: Context, actor: Actor, after: int = 0, limit: int = 100) -> list[AuditEvent]:
    ensure(actor, Action.AUDIT_READ)
    with ctx.uow() as uow:
        return uow.audit.events(after=after, limit=limit)


def entity_history(
    ctx: Context, actor: Actor, entity_type: str, entity_id: str
) -> list[AuditEvent]:
    ensure(actor, Action.AUDIT_READ)
    with ctx.uow() as uow:
        return uow.audit.for_entity(entity_type, entity_id)
