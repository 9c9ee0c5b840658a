"""Checking a whole audit log: bytes, hashes, chain and Merkle roots against signed checkpoints.

Streams events once, in order, in constant memory (the frontier holds log2(n) hashes).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace

from charter.domain.audit import GENESIS, AuditEvent
from charter.domain.checkpoint import Checkpoint
from charter.domain.errors import InvalidInput
from charter.domain.merkle import Frontier

EXPORT_FORMAT = "charter-audit-export"
EXPORT_VERSION = 1


@dataclass
class LogCheck:
    """Feed (seq, canonical bytes, stored hex hash or None) rows in order."""

    roots_wanted: frozenset[int] = frozenset()
    size: int = 0
    prev: str = GENESIS
    frontier: Frontier = field(default_factory=Frontier)
    roots: dict[int, bytes] = field(default_factory=dict)
    bad_seq: int | None = None
    problem: str | None = None

    def _fail(self, seq: int, problem: str) -> bool:
        self.bad_seq, self.problem = seq, problem
        return False

    def feed(self, rows: Iterable[tuple[int, bytes, str | None]]) -> bool:
        """Consume rows; False once a problem is found (later rows are then ignored)."""
        if self.problem is not None:
            return False
        sha, push, wanted = hashlib.sha256, self.frontier.push, self.roots_wanted
        size, prev = self.size, self.prev
        for seq, canonical, stored in rows:
            size += 1
            if seq != size:
                self.size, self.prev = size - 1, prev
                return self._fail(min(seq, size), f"expected event {size}, found event {seq}")
            digest = sha(b"\x00" + canonical).digest()
            hexed = digest.hex()
            if stored is not None and stored != hexed:
                return self._fail(seq, "the stored hash does not match the event's bytes")
            if not canonical.endswith(b',"prev":"%b","seq":%d}' % (prev.encode(), seq)):
                if seq == 1:
                    return self._fail(1, "the first event does not start the chain")
                return self._fail(
                    seq - 1, f"events {seq - 1} and {seq} do not chain: one of them was changed"
                )
            push(digest)
            prev = hexed
            if seq in wanted:
                self.roots[seq] = self.frontier.root()
        self.size, self.prev = size, prev
        return True


@dataclass(frozen=True, slots=True)
class LogReport:
    size: int
    root: bytes
    checkpoint_size: int | None
    checkpoints_checked: int
    bad_seq: int | None = None
    problem: str | None = None

    @property
    def intact(self) -> bool:
        return self.problem is None

    @property
    def unsigned_tail(self) -> int:
        return self.size - (self.checkpoint_size or 0)


def conclude(check: LogCheck, checkpoints: Sequence[Checkpoint]) -> LogReport:
    """Compare what was streamed with every (already signature-checked) checkpoint."""
    latest = max((c.size for c in checkpoints), default=None)
    report = LogReport(check.size, check.frontier.root(), latest, len(checkpoints))
    if check.problem is not None:
        return replace(report, bad_seq=check.bad_seq, problem=check.problem)
    good = 0
    for cp in sorted(checkpoints, key=lambda c: c.size):
        if cp.size > check.size:
            return replace(
                report,
                bad_seq=check.size + 1,
                problem=f"the log holds {check.size} events but a signed "
                f"checkpoint covers {cp.size}: events were removed",
            )
        if cp.size and check.roots.get(cp.size) != cp.root:
            return replace(
                report,
                bad_seq=good + 1,
                problem=f"an event between {good + 1} and {cp.size} was changed: "
                f"the root at size {cp.size} differs from the signed one",
            )
        good = cp.size
    return report


def export_header(origin: str, size: int, notes: Sequence[str]) -> bytes:
    return json.dumps(
        {
            "format": EXPORT_FORMAT,
            "version": EXPORT_VERSION,
            "origin": origin,
            "size": size,
            "checkpoints": list(notes),
        },
        sort_keys=True,
    ).encode()


def parse_export_header(line: bytes) -> list[str]:
    """The checkpoint notes an export carries."""
    try:
        header = json.loads(line)
    except ValueError as exc:
        raise InvalidInput("the export's first line is not a JSON header") from exc
    if not isinstance(header, dict) or header.get("format") != EXPORT_FORMAT:
        raise InvalidInput(f"not a Charter audit export (no {EXPORT_FORMAT} header)")
    if header.get("version") != EXPORT_VERSION:
        raise InvalidInput(f"unsupported export version {header.get('version')!r}")
    notes = header.get("checkpoints")
    if not isinstance(notes, list) or not all(isinstance(n, str) for n in notes):
        raise InvalidInput("the export header's checkpoints must be a list of notes")
    return notes


def export_rows(lines: Iterable[bytes]) -> Iterable[tuple[int, bytes, None]]:
    """Event lines of an export as rows; the seq is read from the event's own tail."""
    for number, line in enumerate(lines, start=1):
        canonical = line.rstrip(b"\n")
        tail = canonical.rsplit(b'"seq":', 1)
        digits = tail[-1].rstrip(b"}")
        # an unreadable line keeps its position, so the chain check names it
        yield (int(digits) if len(tail) == 2 and digits.isdigit() else number), canonical, None


def check_export(lines: Iterator[bytes], verify: Callable[[str], Checkpoint]) -> LogReport:
    """Verify an export offline: its signed checkpoints, then every event line once."""
    header = next(lines, b"")
    checkpoints = [verify(note) for note in parse_export_header(header)]
    check = LogCheck(frozenset(c.size for c in checkpoints))
    check.feed(export_rows(lines))
    return conclude(check, checkpoints)


def first_bad(events: Iterable[AuditEvent]) -> int | None:
    """The seq of the first event whose bytes, hash or chain is wrong, or None."""
    check = LogCheck()
    check.feed((e.seq, e.canonical, e.hash) for e in events)
    return check.bad_seq
