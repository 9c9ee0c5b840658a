"""Merkle proofs against the public transparency-dev/merkle vectors and a reference tree."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from charter.audit.domain.merkle import (
    EMPTY_ROOT,
    Frontier,
    ProofError,
    consistency_proof,
    inclusion_proof,
    leaf_hash,
    needed_nodes,
    node_hash,
    root_of,
    verify_consistency,
    verify_inclusion,
)

VECTORS = Path(__file__).resolve().parent / "data" / "merkle-vectors"
DATA = VECTORS / "testdata"


def _cases(kind: str) -> list[Path]:
    if not DATA.is_dir():
        return []
    return sorted(p for p in (DATA / kind).rglob("*.json"))


def _b(value: str | None) -> bytes:
    return base64.b64decode(value or "")


def test_vector_sets_are_present() -> None:
    assert len(_cases("inclusion")) > 50 and len(_cases("consistency")) > 50


@pytest.mark.parametrize("path", _cases("inclusion"), ids=lambda p: str(p.relative_to(DATA)))
def test_inclusion_vectors(path: Path) -> None:
    case = json.loads(path.read_text())
    proof = [_b(p) for p in case["proof"] or []]

    def check() -> None:
        verify_inclusion(
            case["leafIdx"], case["treeSize"], _b(case["leafHash"]), proof, _b(case["root"])
        )

    if case["wantErr"]:
        with pytest.raises(ProofError):
            check()
    else:
        check()


@pytest.mark.parametrize("path", _cases("consistency"), ids=lambda p: str(p.relative_to(DATA)))
def test_consistency_vectors(path: Path) -> None:
    case = json.loads(path.read_text())
    proof = [_b(p) for p in case["proof"] or []]

    def check() -> None:
        verify_consistency(
            case["size1"], case["size2"], _b(case["root1"]), _b(case["root2"]), proof
        )

    if case["wantErr"]:
        with pytest.raises(ProofError):
            check()
    else:
        check()


def reference_root(leaves: list[bytes]) -> bytes:
    """RFC 6962 MTH, written the way the RFC states it."""
    if not leaves:
        return EMPTY_ROOT
    if len(leaves) == 1:
        return leaves[0]
    k = 1 << ((len(leaves) - 1).bit_length() - 1)
    return node_hash(reference_root(leaves[:k]), reference_root(leaves[k:]))


def _tree(n: int) -> tuple[list[bytes], dict[tuple[int, int], bytes]]:
    leaves = [leaf_hash(str(i).encode()) for i in range(n)]
    nodes = {(0, i): h for i, h in enumerate(leaves)}
    frontier = Frontier()
    for leaf in leaves:
        for level, index, h in frontier.append(leaf):
            nodes[(level, index)] = h
    return leaves, nodes


def test_frontier_root_matches_the_rfc_definition() -> None:
    for n in range(0, 70):
        leaves = [leaf_hash(bytes([i])) for i in range(n)]
        assert root_of(leaves) == reference_root(leaves)


def test_frontier_round_trips_through_bytes() -> None:
    _, _ = _tree(13)
    f = Frontier()
    for i in range(13):
        f.append(leaf_hash(bytes([i])))
    assert Frontier.from_bytes(13, f.to_bytes()).root() == f.root()
    with pytest.raises(ValueError, match="needs 3 hashes"):
        Frontier.from_bytes(13, f.to_bytes()[:32])


@given(st.integers(min_value=1, max_value=200), st.data())
def test_generated_proofs_verify_and_tampered_ones_do_not(n: int, data: st.DataObject) -> None:
    leaves, nodes = _tree(n)
    get = lambda level, index: nodes[(level, index)]  # noqa: E731
    root = reference_root(leaves)
    index = data.draw(st.integers(min_value=0, max_value=n - 1))
    proof = inclusion_proof(index, n, get)
    verify_inclusion(index, n, leaves[index], proof, root)
    assert needed_nodes(lambda g: inclusion_proof(index, n, g)) <= set(nodes)
    if proof:
        bad = list(proof)
        bad[0] = bytes(32)
        with pytest.raises(ProofError):
            verify_inclusion(index, n, leaves[index], bad, root)
    size1 = data.draw(st.integers(min_value=1, max_value=n))
    cproof = consistency_proof(size1, n, get)
    verify_consistency(size1, n, reference_root(leaves[:size1]), root, cproof)
    if size1 < n:
        with pytest.raises(ProofError):
            verify_consistency(
                size1, n, reference_root(leaves[: size1 - 1] or [bytes(32)]), root, cproof
            )


def test_proof_arguments_out_of_range() -> None:
    with pytest.raises(ProofError):
        inclusion_proof(5, 5, lambda level, index: b"")
    with pytest.raises(ProofError):
        consistency_proof(0, 5, lambda level, index: b"")
