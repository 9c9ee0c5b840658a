"""Checking a whole audit log: bytes, hashes, chain and Merkle roots against signed checkpoints.

Streams events once, in order, in constant memory (the frontier holds log2(n) hashes).
"""

from __future__ import annotations

import hashlib
import json
import re
from binascii import hexlify
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from itertools import islice
from typing import Protocol

from charter.audit.domain.checkpoint import Checkpoint
from charter.audit.domain.events import GENESIS, AuditEvent
from charter.audit.domain.merkle import Frontier
from charter.kernel.errors import InvalidInput

Row = tuple[int, bytes, str | None]
EXPORT_FORMAT = "charter-audit-export"
EXPORT_VERSION = 1
#: events read at a time when checking a log
BATCH = 20_000


#: an event's indexed columns, stored beside its bytes so that it can be found: seq, then
#: at (as the event writes it: UTC, microseconds, Z), actor, action, entity_type, entity_id
IndexRow = tuple[int, str, str, str, str, str]
INDEXED = ("at", "actor", "action", "entity_type", "entity_id")


class EventSource(Protocol):
    """Where a check reads events from: a block of leaf hashes, or rows one by one, and the
    columns that index them."""

    def scan(self, after: int, limit: int) -> list[tuple[int, bytes, str]]: ...
    def block(self, after: int, end: int) -> tuple[list[bytes], str] | None: ...
    def index(self, after: int, end: int) -> list[IndexRow]: ...


def indexed_fields(canonical: bytes) -> tuple[str, ...] | None:
    """What an event's own bytes say its indexed columns are (None: not an event)."""
    try:
        body = json.loads(canonical)
        entity = body["entity"]
        return (body["at"], body["actor"], body["action"], entity["type"], entity["id"])
    except (ValueError, KeyError, TypeError):
        return None


_ESCAPED = re.compile(r'["\\\x00-\x1f\x7f-\x9f\u2028\u2029]')  # what JSON may write otherwise


def _written_as_indexed(canonical: bytes, row: IndexRow) -> bool:
    """Whether the event's bytes hold exactly the row's values, for values that canonical
    JSON writes as they are (no quote, backslash or control character): its keys are sorted
    (action, actor, at, data, entity, prev, seq), so the bytes are known."""
    seq, at, actor, action, entity_type, entity_id = row
    head = f'{{"action":"{action}","actor":"{actor}","at":"{at}","data":'.encode()
    entity = f',"entity":{{"id":"{entity_id}","type":"{entity_type}"}},"prev":"'.encode()
    end = len(canonical) - 64 - len(b'","seq":}') - len(str(seq))
    return canonical.startswith(head) and canonical[end - len(entity) : end] == entity


def first_misindexed(
    first: int, canon: Sequence[bytes], index: Sequence[IndexRow]
) -> tuple[int, str] | None:
    """The first event (seq, column) of a block starting at `first` whose indexed columns
    differ from its bytes: what history and filters find it by was changed. Plain values are
    compared as bytes; any other event is parsed."""
    if len(index) != len(canon):
        return first + min(len(index), len(canon)), "seq"
    for seq, (canonical, row) in enumerate(zip(canon, index, strict=True), start=first):
        if row[0] != seq:
            return seq, "seq"
        if not _ESCAPED.search("".join(row[1:])) and _written_as_indexed(canonical, row):
            continue
        said = indexed_fields(canonical)
        if said is None:
            return seq, "seq"
        for column, column_value, own_value in zip(INDEXED, row[1:], said, strict=True):
            if column_value != own_value:
                return seq, column
    return None


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
    # for a chunk checked on its own: the frontier of the chunk's own leaves at each wanted size
    partial: dict[int, list[bytes]] = field(default_factory=dict)

    def _fail(self, seq: int, problem: str) -> bool:
        self.bad_seq, self.problem = seq, problem
        return False

    def missing(self, seq: int) -> bool:
        return self._fail(seq, f"event {seq} is missing")

    def misindexed(self, seq: int, column: str) -> bool:
        """An event whose indexed column differs from its bytes, unless an earlier event is
        already known bad."""
        if self.bad_seq is not None and self.bad_seq <= seq:
            return False
        return self._fail(
            seq, f"event {seq}: its {column} column differs from its signed bytes (the index "
            "that history and filters read was changed)",
        )  # fmt: skip

    def feed(self, rows: Iterable[Row]) -> bool:
        """Consume rows; False once a problem is found (later rows are then ignored)."""
        if self.problem is not None:
            return False
        batch = rows if isinstance(rows, list) else list(rows)
        first = self.size + 1
        if [r[0] for r in batch] != list(range(first, first + len(batch))):
            return self._slow(batch)
        stored = [r[2] for r in batch]
        joined = None if not batch or stored[0] is None else "".join(stored)  # type: ignore[arg-type]
        return self.feed_block([r[1] for r in batch], joined)

    def feed_block(self, canon: list[bytes], stored: str | None) -> bool:
        """Consume the next len(canon) events, numbered on from the current size (the caller
        has checked that their sequence numbers have no gap); `stored` is their stored hex
        hashes joined, or None when there are none (an export)."""
        if self.problem is not None:
            return False
        done = 0
        while done < len(canon):
            first = self.size + 1
            width_end = 10 ** len(str(first)) - first  # one seq width per pass
            part = canon[done : done + width_end]
            part_stored = stored[done * 64 : (done + len(part)) * 64] if stored else None
            if not self._fast(part, part_stored):
                rows = [
                    (
                        first + k,
                        c,
                        stored[(done + k) * 64 : (done + k + 1) * 64] if stored else None,
                    )
                    for k, c in enumerate(canon[done:])
                ]
                return self._slow(rows)
            done += len(part)
        return True

    def _fast(self, canon: list[bytes], stored: str | None) -> bool:
        """Check events of one seq width with list operations; False (nothing changed) on
        any doubt, and the one-by-one path then names the problem."""
        first, sha = self.size + 1, hashlib.sha256
        digests = [sha(b"\x00" + c).digest() for c in canon]
        hexed = hexlify(b"".join(digests))  # every hash in hex, 64 characters each
        if stored is not None and stored.encode() != hexed:
            return False
        # each event ends with ,"prev":"<64 hex>","seq":<digits>} (keys are sorted)
        end = -(len('","seq":}') + len(str(first)))
        claimed = b"".join([c[end - 64 : end] for c in canon])
        if claimed != self.prev.encode() + hexed[:-64]:
            return False
        self._grow(digests, first)
        self.size, self.prev = first + len(canon) - 1, hexed[-64:].decode()
        return True

    def _grow(self, digests: list[bytes], first: int) -> None:
        """Extend the tree, stopping at each wanted size inside the batch to take its root."""
        cuts = sorted(w for w in self.roots_wanted if first <= w < first + len(digests))
        start = 0
        for cut in cuts:
            self.frontier.extend(digests[start : cut - first + 1])
            self._take_root(cut)
            start = cut - first + 1
        self.frontier.extend(digests[start:])
        last = first + len(digests) - 1
        if last in self.roots_wanted:
            self._take_root(last)

    def _take_root(self, size: int) -> None:
        if self.frontier.size == size:
            self.roots[size] = self.frontier.root()
        else:  # a chunk: its frontier covers only its own leaves
            self.partial[size] = list(self.frontier.hashes)

    def _slow(self, rows: list[Row]) -> bool:
        """One event at a time, to name the first bad one exactly. On a problem, size is the
        number of events checked before it."""
        sha, push, wanted = hashlib.sha256, self.frontier.push, self.roots_wanted
        for seq, canonical, stored in rows:
            expected = self.size + 1
            if seq != expected:
                return self._fail(
                    min(seq, expected), f"expected event {expected}, found event {seq}"
                )
            digest = sha(b"\x00" + canonical).digest()
            hexed = digest.hex()
            if stored is not None and stored != hexed:
                return self._fail(seq, "the stored hash does not match the event's bytes")
            if not canonical.endswith(b',"prev":"%b","seq":%d}' % (self.prev.encode(), seq)):
                if seq == 1:
                    return self._fail(1, "the first event does not start the chain")
                return self._fail(
                    seq - 1, f"events {seq - 1} and {seq} do not chain: one of them was changed"
                )
            push(digest)
            self.size, self.prev = seq, hexed
            if seq in wanted:
                self._take_root(seq)
        return True

    def absorb(self, chunk: LogCheck) -> bool:
        """Continue with a chunk checked separately from this check's size on (its frontier
        started empty at an offset aligned to a power of two at least as large as it)."""
        if self.problem is not None:
            return False
        self.roots.update(chunk.roots)  # a chunk starting at 0 knows its roots already
        for size, hashes in chunk.partial.items():
            self.roots[size] = Frontier(0, [*self.frontier.hashes, *hashes]).root()
        count = chunk.frontier.size
        levels = [bit for bit in range(count.bit_length() - 1, -1, -1) if count >> bit & 1]
        for level, subtree in zip(levels, chunk.frontier.hashes, strict=True):
            self.frontier.push_subtree(level, subtree)
        self.size, self.prev = self.size + count, chunk.prev
        if chunk.problem is not None:
            return self._fail(chunk.bad_seq or self.size + 1, chunk.problem)
        return True


UNSIGNED = (
    "no signed checkpoint covers the log: it cannot be verified (run `charter keys init`, "
    "then `charter audit checkpoint`)"
)


@dataclass(frozen=True, slots=True)
class LogReport:
    size: int
    root: bytes
    checkpoint_size: int | None
    checkpoints_checked: int
    bad_seq: int | None = None
    problem: str | None = None
    outside_size: int | None = None  # the highest checkpoint kept outside the database

    @property
    def intact(self) -> bool:
        return self.problem is None

    @property
    def unsigned_tail(self) -> int:
        return max(0, self.size - (self.checkpoint_size or 0))


def conclude(check: LogCheck, checkpoints: Sequence[Checkpoint]) -> LogReport:
    """Compare what was streamed with every (already signature-checked) checkpoint; a log of
    events that no checkpoint signs cannot be verified."""
    latest = max((c.size for c in checkpoints), default=None)
    report = LogReport(check.size, check.frontier.root(), latest, len(checkpoints))
    if check.problem is not None:
        return replace(report, bad_seq=check.bad_seq, problem=check.problem)
    if latest is None and check.size:
        return replace(report, problem=UNSIGNED)
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


@dataclass(frozen=True, slots=True)
class ExportHeader:
    origin: str
    size: int
    notes: list[str]


def export_header(origin: str, size: int, notes: Sequence[str]) -> bytes:
    """The export's first line, in canonical JSON so that any change to it shows."""
    header = {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "origin": origin,
        "size": size,
        "checkpoints": list(notes),
    }
    return json.dumps(header, sort_keys=True, separators=(",", ":")).encode()


def parse_export_header(line: bytes) -> ExportHeader:
    """The export's header, refused unless it is exactly as Charter writes it."""
    try:
        header = json.loads(line)
    except ValueError as exc:
        raise InvalidInput("the export's first line is not a JSON header") from exc
    if not isinstance(header, dict) or header.get("format") != EXPORT_FORMAT:
        raise InvalidInput(f"not a Charter audit export (no {EXPORT_FORMAT} header)")
    if header.get("version") != EXPORT_VERSION:
        raise InvalidInput(f"unsupported export version {header.get('version')!r}")
    notes, origin, size = header.get("checkpoints"), header.get("origin"), header.get("size")
    if not isinstance(notes, list) or not all(isinstance(n, str) for n in notes):
        raise InvalidInput("the export header's checkpoints must be a list of notes")
    if not isinstance(origin, str) or not isinstance(size, int):
        raise InvalidInput("the export header needs an origin and a size")
    if line.rstrip(b"\n") != export_header(origin, size, notes):
        raise InvalidInput("the export header is not in canonical form: it was edited")
    return ExportHeader(origin, size, notes)


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
    header = parse_export_header(next(lines, b""))
    checkpoints = [verify(note) for note in header.notes]
    check = LogCheck(frozenset(c.size for c in checkpoints))
    rows = export_rows(lines)
    while (batch := list(islice(rows, 20_000))) and check.feed(batch):
        pass
    report = conclude(check, checkpoints)
    if report.intact and report.size != header.size:
        return replace(
            report,
            bad_seq=min(report.size, header.size) + 1,
            problem=f"the header announces {header.size} events, the file holds {report.size}",
        )
    if report.intact and any(c.origin != header.origin for c in checkpoints):
        return replace(
            report, bad_seq=None, problem="the header's origin is not the checkpoints' origin"
        )
    return report


def first_bad(events: Iterable[AuditEvent]) -> int | None:
    """The seq of the first event whose bytes, hash or chain is wrong, or None."""
    check = LogCheck()
    check.feed((e.seq, e.canonical, e.hash) for e in events)
    return check.bad_seq


def check_range(log: EventSource, check: LogCheck, end: int) -> LogCheck:
    """Feed events check.size+1 .. end to the check, a block at a time, each event's indexed
    columns compared with its bytes; a block with a gap is read row by row so that the check
    names the first bad event."""
    while check.problem is None and check.size < end:
        after = check.size
        upto = min(after + BATCH, end)
        block = log.block(after, upto)
        if block is None:
            rows = log.scan(after, upto - after)
            if not rows:
                check.missing(after + 1)
            check.feed(rows)
            continue
        misindexed = first_misindexed(after + 1, block[0], log.index(after, upto))
        check.feed_block(*block)
        if misindexed is not None:
            check.misindexed(*misindexed)
    return check
