"""RFC 6962 / RFC 9162 Merkle trees: hashing, the compact frontier, proofs and their checks.

Pure functions over 32-byte SHA-256 hashes. Perfect, aligned subtrees are addressed as
(level, index): the subtree of 2**level leaves starting at leaf index * 2**level.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

EMPTY_ROOT = hashlib.sha256(b"").digest()
NodeLookup = Callable[[int, int], bytes]


class ProofError(ValueError):
    """A proof that does not verify, or arguments no proof can verify."""


def leaf_hash(data: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def _split(n: int) -> int:
    """The largest power of two smaller than n (n >= 2)."""
    return 1 << ((n - 1).bit_length() - 1)


@dataclass
class Frontier:
    """The roots of the perfect subtrees that cover leaves [0, size), largest first.

    Appending a leaf merges equal-sized subtrees; the tree root is their right fold.
    """

    size: int = 0
    hashes: list[bytes] = field(default_factory=list)

    def append(self, leaf: bytes) -> list[tuple[int, int, bytes]]:
        """Add one leaf hash; return the perfect subtrees (level >= 1) it completes."""
        completed: list[tuple[int, int, bytes]] = []
        current, level, carry = leaf, 0, self.size
        while carry & 1:
            current = node_hash(self.hashes.pop(), current)
            level += 1
            completed.append((level, (self.size + 1 >> level) - 1, current))
            carry >>= 1
        self.hashes.append(current)
        self.size += 1
        return completed

    def push_subtree(self, level: int, subtree: bytes) -> None:
        """Add a perfect subtree of 2**level leaves; size must be a multiple of 2**level."""
        if self.size % (1 << level):
            raise ValueError(f"size {self.size} is not aligned to a subtree of level {level}")
        hashes, current, carry = self.hashes, subtree, self.size >> level
        while carry & 1:
            current = node_hash(hashes.pop(), current)
            carry >>= 1
        hashes.append(current)
        self.size += 1 << level

    def extend(self, leaves: Sequence[bytes]) -> None:
        """Add many leaf hashes, level by level in large aligned blocks (the fast path)."""
        start = 0
        while start < len(leaves):
            align = (self.size & -self.size).bit_length() - 1 if self.size else 62
            level = min(align, (len(leaves) - start).bit_length() - 1)
            block = leaves[start : start + (1 << level)]
            self.push_subtree(level, perfect_root(block))
            start += 1 << level

    def push(self, leaf: bytes) -> None:
        """Add one leaf hash without reporting completed subtrees (the verifier's fast path)."""
        hashes, current, carry = self.hashes, leaf, self.size
        sha = hashlib.sha256
        while carry & 1:
            current = sha(b"\x01" + hashes.pop() + current).digest()
            carry >>= 1
        hashes.append(current)
        self.size += 1

    def root(self) -> bytes:
        if not self.hashes:
            return EMPTY_ROOT
        root = self.hashes[-1]
        for left in reversed(self.hashes[:-1]):
            root = node_hash(left, root)
        return root

    def to_bytes(self) -> bytes:
        return b"".join(self.hashes)

    @classmethod
    def from_bytes(cls, size: int, data: bytes) -> Frontier:
        hashes = [data[i : i + 32] for i in range(0, len(data), 32)]
        if len(hashes) != size.bit_count() or len(data) % 32:
            raise ValueError(f"a frontier of size {size} needs {size.bit_count()} hashes")
        return cls(size, hashes)


def perfect_root(leaves: Sequence[bytes]) -> bytes:
    """The root of a perfect tree (a power-of-two number of leaves), one level at a time."""
    sha, level = hashlib.sha256, list(leaves)
    while len(level) > 1:
        pairs = b"".join(level)  # sibling pairs are 64 contiguous bytes
        level = [sha(b"\x01" + pairs[k : k + 64]).digest() for k in range(0, len(pairs), 64)]
    return level[0]


def root_of(leaves: Sequence[bytes]) -> bytes:
    frontier = Frontier()
    for leaf in leaves:
        frontier.append(leaf)
    return frontier.root()


def subtree_hash(lo: int, hi: int, get: NodeLookup) -> bytes:
    """MTH of leaves [lo, hi) from perfect aligned subtrees."""
    n = hi - lo
    if n & (n - 1) == 0 and lo % n == 0:
        return get(n.bit_length() - 1, lo // n)
    k = _split(n)
    return node_hash(subtree_hash(lo, lo + k, get), subtree_hash(lo + k, hi, get))


def _path(index: int, lo: int, hi: int, get: NodeLookup) -> list[bytes]:
    if hi - lo == 1:
        return []
    k = _split(hi - lo)
    if index < lo + k:
        return [*_path(index, lo, lo + k, get), subtree_hash(lo + k, hi, get)]
    return [*_path(index, lo + k, hi, get), subtree_hash(lo, lo + k, get)]


def inclusion_proof(index: int, size: int, get: NodeLookup) -> list[bytes]:
    """RFC 9162 PATH(index, D[0:size])."""
    if not 0 <= index < size:
        raise ProofError(f"leaf {index} is not in a tree of size {size}")
    return _path(index, 0, size, get)


def _subproof(m: int, lo: int, hi: int, complete: bool, get: NodeLookup) -> list[bytes]:
    n = hi - lo
    if m == n:
        return [] if complete else [subtree_hash(lo, hi, get)]
    k = _split(n)
    if m <= k:
        return [*_subproof(m, lo, lo + k, complete, get), subtree_hash(lo + k, hi, get)]
    return [*_subproof(m - k, lo + k, hi, False, get), subtree_hash(lo, lo + k, get)]


def consistency_proof(size1: int, size2: int, get: NodeLookup) -> list[bytes]:
    """RFC 9162 PROOF(size1, D[0:size2])."""
    if not 0 < size1 <= size2:
        raise ProofError(f"no consistency proof from size {size1} to size {size2}")
    return _subproof(size1, 0, size2, True, get)


def needed_nodes(build: Callable[[NodeLookup], object]) -> set[tuple[int, int]]:
    """The (level, index) nodes a proof builder reads, found by a dry run."""
    wanted: set[tuple[int, int]] = set()

    def record(level: int, index: int) -> bytes:
        wanted.add((level, index))
        return bytes(32)

    build(record)
    return wanted


def _check_sizes(*hashes: bytes) -> None:
    if any(len(h) != 32 for h in hashes):
        raise ProofError("every hash must be 32 bytes")


def verify_inclusion(
    index: int, size: int, leaf: bytes, proof: Sequence[bytes], root: bytes
) -> None:
    """RFC 9162 2.1.3.2; raises ProofError unless the proof holds."""
    _check_sizes(leaf, root, *proof)
    if not 0 <= index < size:
        raise ProofError(f"leaf index {index} is outside a tree of size {size}")
    fn, sn, r = index, size - 1, leaf
    for p in proof:
        if sn == 0:
            raise ProofError("inclusion proof is longer than the tree is deep")
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            r = node_hash(r, p)
        fn, sn = fn >> 1, sn >> 1
    if sn != 0 or r != root:
        raise ProofError("inclusion proof does not lead to the root")


def _consistency_preconditions(
    size1: int, size2: int, root1: bytes, root2: bytes, proof: Sequence[bytes]
) -> bool:
    """Handle the degenerate cases; True when nothing is left to check."""
    if size2 < size1:
        raise ProofError(f"size {size2} is smaller than size {size1}")
    if size1 == 0:
        raise ProofError("a consistency proof from an empty tree proves nothing")
    if size1 == size2:
        if proof or root1 != root2:
            raise ProofError("equal sizes need equal roots and an empty proof")
        return True
    if not proof:
        raise ProofError("empty consistency proof for different sizes")
    return False


def verify_consistency(
    size1: int, size2: int, root1: bytes, root2: bytes, proof: Sequence[bytes]
) -> None:
    """RFC 9162 2.1.4.2; raises ProofError unless the tree of size1 is a prefix of size2's."""
    if _consistency_preconditions(size1, size2, root1, root2, proof):
        return
    _check_sizes(root1, root2, *proof)
    path = [root1, *proof] if size1 & (size1 - 1) == 0 else list(proof)
    fn, sn = size1 - 1, size2 - 1
    while fn & 1:
        fn, sn = fn >> 1, sn >> 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            raise ProofError("consistency proof is too long")
        if fn & 1 or fn == sn:
            fr, sr = node_hash(c, fr), node_hash(c, sr)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            sr = node_hash(sr, c)
        fn, sn = fn >> 1, sn >> 1
    if sn != 0 or fr != root1 or sr != root2:
        raise ProofError("consistency proof does not lead to both roots")
